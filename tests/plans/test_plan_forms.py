"""An agency form attached to a protection plan: written by the owning agency, read by the
safeguarding team, invisible to agencies outside the case."""

from __future__ import annotations

from plugins import hookimpl
from plugins.forms import FormDefinition, FormSchema, textarea
from tests.conftest import Factory
from tests.meetings.helpers import build_world, record_concern


class ProgressNote(FormSchema):
    note = textarea("Progress against the plan", max_length=2000)


class HealthPlanForms:
    __name__ = "test.health_plans"

    @hookimpl
    def register_forms(self):
        return [
            FormDefinition(
                "test_health.plan_note",
                "Health progress note",
                ProgressNote,
                "plan",
                frozenset({"nhs_trust"}),
            )
        ]


def test_a_form_attached_to_a_plan_follows_the_plan_s_access(app_factory):
    app = app_factory(EXTRA_PLUGINS=[HealthPlanForms()])
    world = build_world(app, Factory(app))
    concern_id = record_concern(world, child=False)
    officer = world.clients["officer"]
    plan = officer.post("/api/v1/plans/", json={"concern_id": concern_id}).json
    url = "/api/v1/forms/test_health.plan_note/submissions"
    body = {"subject_id": plan["id"], "data": {"note": "Medication reviewed at home"}}
    # the trust is not involved yet: the plan is not theirs to see
    assert world.clients["nhs"].post(url, json=body).status_code == 422
    officer.post(
        f"/api/v1/plans/{plan['id']}/actions",
        json={
            "description": "Review medication",
            "owner_agency_id": world.agencies["nhs"],
            "due_on": plan["next_review_due"],
        },
    )
    created = world.clients["nhs"].post(url, json=body)
    assert created.status_code == 201, created.json
    read = officer.get(f"{url}/{created.json['id']}")
    assert read.status_code == 200
    assert read.json["data"]["note"] == "Medication reviewed at home"
    assert world.clients["school"].get(f"{url}/{created.json['id']}").status_code == 404
    assert world.clients["police"].get(f"{url}/{created.json['id']}").status_code == 404
