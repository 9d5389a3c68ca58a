from __future__ import annotations

import sqlalchemy as sa
from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from wtforms.fields.choices import SelectChoice

from core.agencies import operations
from core.agencies.forms import AgencyForm
from core.auth.models import Agency, Council, User
from core.errors import ValidationFailed
from core.extensions import db
from core.forms import choices, form_page, form_values
from core.pagination import paginate
from core.pipeline import logged, record
from core.platform import current_platform
from core.policy import agencies as _record_types  # noqa: F401  (declares "agency")
from core.policy.routes import requires, signed_in
from core.teams.operations import listed


def _council_choices(agency: Agency | None) -> list[SelectChoice]:
    """The councils an agency may serve; on a single council's instance none is asked (a
    new agency serves the council)."""
    held = {c.id for c in agency.councils} if agency is not None else set()
    councils = [c for c in listed(Council) if c.active or c.id in held]
    return choices([(c.id, c.name) for c in councils]) if len(councils) > 1 else []


def _type_choices() -> list[SelectChoice]:
    types = sorted(current_platform().agency_types.values(), key=lambda t: t.label)
    return choices([("", "Choose a type")] + [(t.code, t.label) for t in types])


@requires("agencies.manage")
@logged("agency.list", object_type="agency")
def index() -> ResponseReturnValue:
    user_count = (
        sa.select(sa.func.count(User.id)).where(User.agency_id == Agency.id).scalar_subquery()
    )
    query = sa.select(Agency).order_by(Agency.name)
    page = paginate(query)
    counts = dict(
        db.session.execute(
            sa.select(Agency.id, user_count).where(Agency.id.in_([a.id for a in page.items]))
        ).all()
    )
    return render_template(
        "agencies/index.html",
        page=page,
        user_counts=counts,
        type_labels={code: t.label for code, t in current_platform().agency_types.items()},
    )


FIELDS = operations.FIELDS


@requires("agencies.manage")
def new() -> ResponseReturnValue:
    form = AgencyForm()
    form.type.choices = _type_choices()
    form.council_ids.choices = _council_choices(None)
    created: list[Agency] = []
    return form_page(
        form,
        lambda: created.append(
            operations.create_agency(
                council_ids=form.council_ids.data or None, **form_values(form, *FIELDS)
            )
        ),
        done=lambda: f"Agency {created[0].name} created.",
        to=url_for("agencies.index"),
        template="agencies/form.html",
        agency=None,
    )


@requires("agencies.manage")
@logged("agency.view", object_type="agency", object_id="agency_id")
@record("agency")
def edit(agency: Agency) -> ResponseReturnValue:
    form = AgencyForm(obj=agency)
    form.type.choices = _type_choices()
    form.council_ids.choices = _council_choices(agency)
    if not form.is_submitted():
        form.council_ids.data = [c.id for c in agency.councils]
    asked = bool(form.council_ids.choices)
    return form_page(
        form,
        lambda: operations.update_agency(
            agency,
            council_ids=(form.council_ids.data or []) if asked else None,
            **form_values(form, *FIELDS),
        ),
        done="Changes saved.",
        to=url_for("agencies.index"),
        template="agencies/form.html",
        agency=agency,
    )


@signed_in
def search() -> ResponseReturnValue:
    """The agency pickers' search (docs/pages.md, "Pickers"): JSON for the page's script;
    bad input answers 400 with the messages."""
    council = request.args.get("council_id", "").strip()
    if council and not council.isdigit():
        return {"errors": {"council_id": ["There is no such council"]}}, 400
    try:
        found = operations.search_agencies(
            request.args.get("q", ""), int(council) if council else None
        )
    except ValidationFailed as failed:
        return {"errors": failed.errors}, 400
    return found  # a list, as the API answers
