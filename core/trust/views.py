"""Pages of PiPoT and LADO referrals: made from the case page (the person alleged to have
caused harm), read where the person alleged is read, the employer's actions and the
outcome recorded by the safeguarding team."""

from __future__ import annotations

from flask import render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.concerns.models import Concern
from core.forms import form_page, form_values
from core.people.models import AllegedPerson
from core.pipeline import logged, record
from core.policy import people as _record_types  # noqa: F401  (declares "trust_referral")
from core.policy.routes import requires
from core.trust import operations
from core.trust.forms import ActionForm, OutcomeForm, ReferralForm
from core.trust.models import TrustReferral


def _referral_page(referral: TrustReferral) -> str:
    return url_for("trust.show", concern_id=referral.concern_id, referral_id=referral.id)


@requires("concerns.trust_referral")
@record("concern")
@record("alleged_person")
def new_referral(concern: Concern, alleged_person: AllegedPerson) -> ResponseReturnValue:
    form = ReferralForm()
    process = operations.process_for(concern)
    return form_page(
        form,
        lambda: operations.make_referral(concern, alleged_person, form_values(form), current_user),
        done=f"{process.label} recorded.",
        to=lambda: url_for("concerns.show", concern_id=concern.id, _anchor="alleged-harm"),
        template="trust/form.html",
        aliases={"alleged_id": "referred_to"},
        concern=concern,
        heading=f"{process.label}: {alleged_person.person.full_name}",
        intro=(
            f"{alleged_person.person.full_name} is {alleged_person.trust_role or 'in a role'} "
            f"at {alleged_person.employer_label or 'an employer not recorded'}."
            if alleged_person.in_position_of_trust
            else "Record first where they work or volunteer in a position of trust."
        ),
        fields=["referred_on", "referred_to"],
    )


@requires("concerns.view")
@logged("concern.trust_referral_view", object_type="concern", object_id="concern_id")
@record("concern", "alleged_harm")
@record("trust_referral")
def show(concern: Concern, trust_referral: TrustReferral) -> ResponseReturnValue:
    return render_template("trust/show.html", concern=concern, referral=trust_referral)


@requires("concerns.trust_referral")
@record("concern")
@record("trust_referral")
def add_action(concern: Concern, trust_referral: TrustReferral) -> ResponseReturnValue:
    form = ActionForm()
    return form_page(
        form,
        lambda: operations.record_action(trust_referral, form_values(form), current_user),
        done="The employer's action is recorded.",
        to=_referral_page(trust_referral),
        template="trust/form.html",
        concern=concern,
        referral=trust_referral,
        heading="What the employer did",
        intro=f"{trust_referral.employer}: {trust_referral.alleged.person.full_name}.",
        fields=["action", "taken_on", "notes"],
    )


@requires("concerns.trust_referral")
@record("concern")
@record("trust_referral")
def outcome(concern: Concern, trust_referral: TrustReferral) -> ResponseReturnValue:
    form = OutcomeForm()
    return form_page(
        form,
        lambda: operations.record_outcome(trust_referral, form_values(form), current_user),
        done="The outcome is recorded: the referral is closed.",
        to=_referral_page(trust_referral),
        template="trust/form.html",
        concern=concern,
        referral=trust_referral,
        heading="Outcome of the referral",
        intro="Recording the outcome closes the referral.",
        fields=["outcome", "outcome_on", "outcome_notes"],
    )
