"""People and establishment pages: find, read, add, change and merge records."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.agency_forms.operations import establishment_forms
from core.auth.models import Agency
from core.clocks import to_local
from core.concerns import operations as concerns
from core.concerns.models import Concern
from core.db import record_id, utcnow
from core.discharges.models import HospitalDischarge
from core.errors import ValidationFailed
from core.extensions import db
from core.forms import (
    apply_errors,
    attempt,
    choices,
    flashed,
    form_messages,
    form_page,
    submitted,
)
from core.pagination import paginate
from core.people import operations
from core.people.forms import (
    AllegedChangeForm,
    AllegedForm,
    ConfirmEstablishmentForm,
    DeclineEstablishmentForm,
    EndRelationshipForm,
    EstablishmentForm,
    MergeForm,
    PersonForm,
    PersonSearchForm,
    ProposeEstablishmentForm,
    RelationshipForm,
    RemoveAllegedForm,
)
from core.people.models import (
    AllegedPerson,
    Establishment,
    EstablishmentStatus,
    Person,
    PersonRelationship,
    survivor_of,
)
from core.pipeline import loaded_records, logged, record
from core.policy.cases import visible_concerns
from core.policy.councils import figures_council
from core.policy.discharges import visible_discharges
from core.policy.people import person_named, visible_establishments, visible_people
from core.policy.routes import requires, user_can
from core.reference import valid_nhs_number

# --- People -----------------------------------------------------------------------------


def _search(form: PersonSearchForm) -> dict[str, Any]:
    """The search terms, with an error on the field for each one that cannot be used."""
    terms: dict[str, Any] = {"name": (form.name.data or "").strip()}
    day, month, year = (
        (field.data or "").strip() for field in (form.dob_day, form.dob_month, form.dob_year)
    )
    if day or month or year:
        try:
            terms["date_of_birth"] = date(int(year), int(month), int(day))
        except ValueError:
            form.dob_day.errors = ["Date of birth must be a real date, like 27 3 1948"]
    nhs = (form.nhs_number.data or "").replace(" ", "").replace("-", "")
    if nhs and not valid_nhs_number(nhs):
        form.nhs_number.errors = ["Enter a valid NHS number: 10 digits, like 943 476 5919"]
    terms["nhs_number"] = nhs
    return terms


def _searched(query: sa.Select[Any], terms: dict[str, Any]) -> sa.Select[Any]:
    for word in terms["name"].split():
        query = query.where(
            sa.or_(
                Person.given_name.icontains(word, autoescape=True),
                Person.family_name.icontains(word, autoescape=True),
            )
        )
    if terms.get("date_of_birth"):
        query = query.where(Person.date_of_birth == terms["date_of_birth"])
    if terms["nhs_number"]:
        query = query.where(Person.nhs_number == terms["nhs_number"])
    return query


@requires("people.view")
@logged("person.search", object_type="person")
def index() -> ResponseReturnValue:
    form = PersonSearchForm(request.args)
    form.validate()
    terms = _search(form)
    if form.errors:
        page = None
    else:
        query = _searched(visible_people(current_user), terms)
        page = paginate(query.order_by(Person.family_name, Person.given_name, Person.id))
    return render_template(
        "people/index.html",
        form=form,
        page=page,
        searched=any(request.args.get(k) for k in form.data),
        can_add=user_can(current_user, "people.manage"),
    )


def _merged_notice(person: Person, endpoint: str) -> ResponseReturnValue:
    kept = survivor_of(person)
    flash(f"Record {person.id} was merged into record {kept.id}, shown here.", "success")
    return redirect(url_for(endpoint, person_id=kept.id))


@requires("people.view")
@logged("person.view", object_type="person", object_id="person_id")
@record("person")
def show(person: Person) -> ResponseReturnValue:
    if person.merged_into_id is not None:
        return _merged_notice(person, "people.show")
    person_concerns = list(
        db.session.execute(
            visible_concerns(current_user)
            .where(Concern.person_id == person.id)
            .options(sa.orm.selectinload(Concern.risk_types))
            .order_by(Concern.received_at.desc(), Concern.id.desc())
        ).scalars()
    )
    can_manage = user_can(current_user, "people.manage")
    can_merge = user_can(current_user, "people.merge")
    duplicates = (
        operations.possible_duplicates(
            {
                "nhs_number": person.nhs_number,
                "given_name": person.given_name,
                "family_name": person.family_name,
                "date_of_birth": person.date_of_birth,
            },
            current_user.council_id,
            excluding=person.id,
        )
        if can_merge
        else []
    )
    return render_template(
        "people/show.html",
        person=person,
        concerns=person_concerns,
        discharges=list(
            db.session.scalars(
                visible_discharges(current_user)
                .where(HospitalDischarge.person_id == person.id)
                .order_by(HospitalDischarge.discharged_at.desc(), HospitalDischarge.id.desc())
            )
        ),
        merged=operations.merged_into(person) if can_manage else [],
        # the people around them and the concerns naming them as alleged to have caused
        # harm: the safeguarding team's
        relationships=[(r, *r.seen_from(person.id)) for r in operations.relationships_of(person.id)]
        if can_manage
        else [],
        alleged_in=operations.concerns_naming(person) if can_manage else [],
        duplicates=duplicates,
        can_manage=can_manage,
        can_merge=can_merge,
        can_subject_access=user_can(current_user, "subject_access.manage"),
        today=to_local(utcnow()).date(),
    )


def _person_values(form: PersonForm) -> dict[str, Any]:
    values = {name: getattr(form, name).data for name in operations.PERSON_FIELDS}
    values["estimated_age"] = int(form.estimated_age.data) if form.estimated_age.data else None
    return values


def _seen(form: PersonForm) -> set[int]:
    raw = (form.seen_duplicates.data or "").split(",")
    return {number for part in raw if (number := record_id(part))}


@requires("people.manage")
def new() -> ResponseReturnValue:
    form = PersonForm()
    duplicates: list[Person] = []
    created: list[Person] = []

    def create_unless_duplicates() -> None:
        values = _person_values(form)
        found = operations.possible_duplicates(
            operations.clean_person(values), current_user.council_id
        )
        confirmed = "create_anyway" in request.form and {p.id for p in found} <= _seen(form)
        if found and not confirmed:
            duplicates.extend(found)
            form.seen_duplicates.data = ",".join(str(p.id) for p in found)
        else:
            created.append(operations.create_person(values))

    if submitted(form, create_unless_duplicates) and created:
        flash(f"Record {created[0].id} added for {created[0].full_name}.", "success")
        return redirect(url_for("people.show", person_id=created[0].id))
    return render_template("people/form.html", form=form, person=None, duplicates=duplicates)


def _version_read(form: PersonForm | EstablishmentForm) -> int:
    """The version the editor's page showed, as posted; -1 (refused as changed meanwhile)
    when none was posted, never the stored version the form falls back to."""
    raw = form.version.raw_data[0] if form.version.raw_data else ""
    return int(raw) if raw.isdecimal() else -1


@requires("people.manage")
@logged("person.view", object_type="person", object_id="person_id")
@record("person")
def edit(person: Person) -> ResponseReturnValue:
    if person.merged_into_id is not None:
        return _merged_notice(person, "people.edit")
    form = PersonForm(obj=person)
    if submitted(
        form, lambda: operations.update_person(person, _person_values(form), _version_read(form))
    ):
        flash("Changes saved.", "success")
        return redirect(url_for("people.show", person_id=person.id))
    return render_template("people/form.html", form=form, person=person, duplicates=[])


def _summary(person: Person) -> str:
    born = f", born {person.date_of_birth:%d %B %Y}" if person.date_of_birth else ""
    return f"Record {person.id}: {person.full_name}{born}"


def _other(person: Person) -> tuple[Person | None, str | None]:
    """The record the merge page was asked to merge with ``person`` (``other_id``), or
    the reason it cannot be."""
    raw = request.values.get("other_id", "").strip()
    if person.merged_into_id is not None:
        return None, None
    if not raw:
        # asked for on the page; a post without it says so
        return None, "Enter the number of the other record" if request.method == "POST" else None
    other = person_named(current_user, raw)
    if other is None:
        return None, "There is no record with this number"
    if other.id == person.id:
        return None, "Enter the number of a different record"
    if other.merged_into_id is not None:
        return None, f"Record {other.id} has already been merged into record {other.merged_into_id}"
    return other, None


def _other_shown() -> int | None:
    """The other record the merge page showed, if it found one: the read it logs."""
    other, _ = _other(loaded_records()["person"])
    return other.id if other is not None else None


@requires("people.merge")
@logged("person.view", object_type="person", object_id=_other_shown)
@record("person")
def merge(person: Person) -> ResponseReturnValue:
    if person.merged_into_id is not None:
        return _merged_notice(person, "people.show")
    form = MergeForm()
    other, problem = _other(person)
    if problem:
        form.other_id.data = None
        form.other_id.raw_data = [request.values.get("other_id", "").strip()]
        form.other_id.errors = [problem]
        form._errors = None
    if other is not None:
        if request.method == "GET":
            form = MergeForm(formdata=None, other_id=other.id)
        form.keep.choices = choices([(person.id, _summary(person)), (other.id, _summary(other))])
        if form.validate_on_submit():
            keep, merged = (person, other) if form.keep.data == str(person.id) else (other, person)
            if form.keep.data not in {str(person.id), str(other.id)}:
                apply_errors(form, ValidationFailed.single("keep", "Choose the record to keep"))
            elif attempt(
                form,
                lambda: operations.merge_people(keep, merged, form.reason.data or "", current_user),
                aliases={"records": "keep"},
            ):
                flash(
                    f"Record {merged.id} merged into record {keep.id}. "
                    "Its concerns are now on this record.",
                    "success",
                )
                return redirect(url_for("people.show", person_id=keep.id))
    return render_template("people/merge.html", form=form, person=person, other=other)


# --- Establishments ---------------------------------------------------------------------


def _agency_choices() -> list[Any]:
    rows = db.session.execute(
        sa.select(Agency.id, Agency.name).where(Agency.active.is_(True)).order_by(Agency.name)
    ).all()
    return choices([("", "Not a partner agency"), *[(row.id, row.name) for row in rows]])


@requires("establishments.view")
@logged("establishment.list", object_type="establishment")
def establishments() -> ResponseReturnValue:
    name = (request.args.get("name") or "").strip()[:200]
    status = request.args.get("status", "")
    query = visible_establishments(current_user).options(
        sa.orm.selectinload(Establishment.provider_agency)
    )
    if name:
        query = query.where(Establishment.name.icontains(name, autoescape=True))
    if status in {choice.value for choice in EstablishmentStatus}:
        query = query.where(Establishment.status == EstablishmentStatus(status))
    page = paginate(query)
    clustered: set[int] = set()
    if user_can(current_user, "clusters.view"):
        clustered = {c.establishment_id for c in concerns.council_clusters(current_user)}
    return render_template(
        "establishments/index.html",
        page=page,
        name=name,
        status=status,
        statuses=EstablishmentStatus,
        clustered=clustered,
        can_add=user_can(current_user, "establishments.manage"),
        can_propose=user_can(current_user, "establishments.propose"),
    )


@requires("establishments.view")
@logged("establishment.view", object_type="establishment", object_id="establishment_id")
@record("establishment", argument="place")
def establishment(place: Establishment) -> ResponseReturnValue:
    page = paginate(
        visible_concerns(current_user)
        .where(Concern.establishment_id == place.id)
        .options(sa.orm.selectinload(Concern.person), sa.orm.selectinload(Concern.risk_types))
        .order_by(Concern.received_at.desc(), Concern.id.desc())
    )
    cluster = None
    if user_can(current_user, "clusters.view"):
        minimum, days = concerns.cluster_settings()
        count = concerns.concerns_in_window(place.id, days, figures_council(current_user))
        cluster = {"count": count, "minimum": minimum, "days": days, "reached": count >= minimum}
    return render_template(
        "establishments/show.html",
        place=place,
        page=page,
        cluster=cluster,
        can_manage=user_can(current_user, "establishments.manage"),
        decline_form=DeclineEstablishmentForm(formdata=None),
        confirm_form=ConfirmEstablishmentForm(formdata=None),
        forms_here=[
            definition
            for definition, places in establishment_forms(current_user)
            if place in places
        ],
    )


def _establishment_values(form: EstablishmentForm) -> dict[str, Any]:
    names = ("name", "kind", "cqc_location_id", "ods_code", "address", "postcode")
    return {
        name: form[name].data
        for name in (*names, "provider_agency_id")
        if name in form  # a provider proposing one runs it itself
    }


@requires("establishments.manage")
def new_establishment() -> ResponseReturnValue:
    form = EstablishmentForm()
    form.provider_agency_id.choices = _agency_choices()
    created: list[Establishment] = []
    if submitted(
        form,
        lambda: created.append(operations.create_establishment(_establishment_values(form))),
    ):
        flash(f"{created[0].name} added.", "success")
        return redirect(url_for("establishments.show", establishment_id=created[0].id))
    return render_template("establishments/form.html", form=form, place=None)


@requires("establishments.propose")
def propose_establishment() -> ResponseReturnValue:
    """A provider proposes a place it runs, for the safeguarding team to confirm."""
    form = ProposeEstablishmentForm()
    proposed: list[Establishment] = []
    if submitted(
        form,
        lambda: proposed.append(
            operations.propose_establishment(_establishment_values(form), current_user)
        ),
    ):
        flash(
            f"{proposed[0].name} sent to the safeguarding team to confirm. Its forms are "
            "offered here once it is confirmed.",
            "success",
        )
        return redirect(url_for("establishments.show", establishment_id=proposed[0].id))
    return render_template("establishments/propose.html", form=form)


@requires("establishments.manage")
@record("establishment", argument="place")
def confirm_establishment(place: Establishment) -> ResponseReturnValue:
    if ConfirmEstablishmentForm().validate_on_submit():
        flashed(lambda: operations.confirm_establishment(place), f"{place.name} confirmed.")
    return redirect(url_for("establishments.show", establishment_id=place.id))


@requires("establishments.manage")
@record("establishment", argument="place")
def decline_establishment(place: Establishment) -> ResponseReturnValue:
    form = DeclineEstablishmentForm()
    if form.validate_on_submit():
        flashed(
            lambda: operations.decline_establishment(place, form.reason.data or ""),
            f"{place.name} declined.",
        )
    else:
        flash(form_messages(form, "Enter why the establishment is declined"), "error")
    return redirect(url_for("establishments.show", establishment_id=place.id))


@requires("establishments.manage")
@record("establishment", argument="place")
def edit_establishment(place: Establishment) -> ResponseReturnValue:
    form = EstablishmentForm(obj=place)
    form.provider_agency_id.choices = _agency_choices()
    if submitted(
        form,
        lambda: operations.update_establishment(
            place, _establishment_values(form), _version_read(form)
        ),
    ):
        flash("Changes saved.", "success")
        return redirect(url_for("establishments.show", establishment_id=place.id))
    return render_template("establishments/form.html", form=form, place=place)


# --- People around the case and the person alleged to have caused harm -------------------


@requires("people.manage")
@record("person")
def add_relationship(person: Person) -> ResponseReturnValue:
    if person.merged_into_id is not None:
        return _merged_notice(person, "people.show")
    form = RelationshipForm()
    return form_page(
        form,
        lambda: operations.add_relationship(person, form.values(), current_user),
        done="Relationship added.",
        to=url_for("people.show", person_id=person.id, _anchor="relationships"),
        template="people/relationship.html",
        aliases={"person_id": "other_id"},
        person=person,
    )


@requires("people.manage")
@record("person")
@record("relationship")
def end_relationship(person: Person, relationship: PersonRelationship) -> ResponseReturnValue:
    form = EndRelationshipForm()
    words, other = relationship.seen_from(person.id)
    return form_page(
        form,
        lambda: operations.end_relationship(
            relationship, form.ended_on.data, form.reason.data or "", current_user
        ),
        done="Relationship ended.",
        to=url_for("people.show", person_id=person.id, _anchor="relationships"),
        template="people/relationship_end.html",
        person=person,
        words=words,
        other=other,
    )


def _case_page(concern: Concern) -> str:
    return url_for("concerns.show", concern_id=concern.id, _anchor="alleged-harm")


@requires("concerns.alleged_harm")
@record("concern")
def add_alleged(concern: Concern) -> ResponseReturnValue:
    form = AllegedForm()
    return form_page(
        form,
        lambda: operations.add_alleged(concern, form.named() | form.facts(), current_user),
        done="Person alleged to have caused harm recorded.",
        to=_case_page(concern),
        template="people/alleged.html",
        aliases={"person_id": "other_id"},
        concern=concern,
        alleged=None,
    )


@requires("concerns.alleged_harm")
@record("concern")
@record("alleged_person")
def change_alleged(concern: Concern, alleged_person: AllegedPerson) -> ResponseReturnValue:
    needs = alleged_person.has_care_needs
    # what is recorded fills the page; a post says it all again (nothing kept from before)
    form = AllegedChangeForm(
        data=None
        if request.method == "POST"
        else {
            "relationship_kind": alleged_person.relationship_kind.value,
            "relationship_detail": alleged_person.relationship_detail,
            "informed": alleged_person.informed.value,
            "informed_on": alleged_person.informed_on,
            "not_informed_reason": alleged_person.not_informed_reason,
            "has_care_needs": "" if needs is None else ("yes" if needs else "no"),
            "support": alleged_person.support.value if alleged_person.support else "",
            "support_not_offered_reason": alleged_person.support_not_offered_reason,
            "trust_capacity": alleged_person.trust_capacity.value
            if alleged_person.trust_capacity
            else "",
            "trust_agency_id": alleged_person.trust_agency_id,
            "trust_establishment_id": alleged_person.trust_establishment_id,
            "trust_employer": alleged_person.trust_employer,
            "trust_role": alleged_person.trust_role,
        }
    )
    return form_page(
        form,
        lambda: operations.update_alleged(alleged_person, form.facts(), current_user),
        done="Saved.",
        to=_case_page(concern),
        template="people/alleged.html",
        concern=concern,
        alleged=alleged_person,
    )


@requires("concerns.alleged_harm")
@record("concern")
@record("alleged_person")
def remove_alleged(concern: Concern, alleged_person: AllegedPerson) -> ResponseReturnValue:
    form = RemoveAllegedForm()
    return form_page(
        form,
        lambda: operations.remove_alleged(alleged_person, form.reason.data or "", current_user),
        done="They are no longer named on this concern.",
        to=_case_page(concern),
        template="people/alleged_remove.html",
        concern=concern,
        alleged=alleged_person,
    )
