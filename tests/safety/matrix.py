"""The records and the signed-in users the access matrix walks over
(tests/safety/test_access_matrix.py), built once through the real API and pages.

Three partner agencies: the council's safeguarding team (where every user but the
practitioner works), the police (the practitioner's own agency) and an NHS trust (another
agency). Every kind of case record exists twice: once in a case the police are involved
in ("involved"), once in a case only the NHS trust is involved in ("not_involved"); a
third id names no record at all ("missing"). Records that belong to no case (agencies,
users, audits, the outbox) exist once ("exists") or not ("missing").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from core.auth.models import User
from core.auth.roles import Role
from core.extensions import db
from tests.api.conftest import ApiClient, make_token
from tests.conftest import Auth, Factory, csrf_token
from tests.support.clock import set_now
from tests.support.files import one_page_pdf
from tests.support.pages import error_problems

ANONYMOUS = "anonymous"
PRACTITIONER_EMAIL = f"{Role.AGENCY_PRACTITIONER.value}@example.org"
NHS_EMAIL = "nhs@example.org"
# The columns of the matrix, in order.
ROLES = (
    ANONYMOUS,
    Role.ADMINISTRATOR.value,
    Role.SAFEGUARDING_OFFICER.value,
    Role.SAFEGUARDING_MANAGER.value,
    Role.AGENCY_PRACTITIONER.value,
    Role.BOARD_MEMBER.value,
    Role.AUDITOR.value,
)
CASE_STATES = ("involved", "not_involved", "missing")
RECORD_STATES = ("exists", "missing")
MISSING_ID = 987654

RECEIVED = "2026-11-20T10:15:00+00:00"  # a Friday morning, in core hours
MEETING_AT = "2026-11-24T10:00:00+00:00"
NEXT_MEETING_AT = "2027-01-14T10:00:00+00:00"
LATER_MEETING_AT = "2027-02-01T10:00:00+00:00"
BEFORE_MEETINGS = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
VENUE = "Room 2, County Hall"
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # the clock while the matrix is walked
REPORT_TEXT = "The written report of {email} to the meeting."
PDF = one_page_pdf()
INVESTIGATION = {
    "crime_reference": "NP/26/1234",
    "officer_in_charge": "DC Amy Holt",
    "offence_category": "violence",
    "status": "under_investigation",
    "status_on": "2026-11-21",
    "reported_on": "2026-11-20",
}
DISCHARGE = {
    "discharged_at": "2026-11-21T22:30:00+00:00",
    "discharged_to": "Own home",
    "care_in_place": False,
}
HOSPITAL_DISCHARGE = {
    "person": {"given_name": "Iris", "family_name": "Holloway", "date_of_birth": "1936-07-03"},
    "discharged_at": "2026-11-21T22:30:00+00:00",
    "discharged_from": "Northshire General, Ward 4",
    "discharged_to": "Own home",
    "care_in_place": False,
}
FOLLOW_UP = {
    "followed_up_by": "Sam Patel, Emergency Duty Team",
    "followed_up_at": "2026-11-22T09:00:00+00:00",
    "follow_up_action": "Rang her at home; a carer visits today.",
    "concern_raised": False,
}
TRAINING = {
    "staff_name": "Rosa Kemp",
    "role": "Staff nurse",
    "level": "adults_2",
    "course": "Safeguarding adults level 2",
    "completed_on": "2026-10-05",
}
RESET_LINK = re.compile(r"/password/reset/([A-Za-z0-9_-]+)")

# Settings for the matrix's own app: the rate limits are for people, not for a walk that
# posts every form once per role.
SETTINGS = {
    "SIGN_IN_RATE_LIMIT": "10000 per minute",
    "SIGN_IN_IP_RATE_LIMIT": "10000 per minute",
    "PASSWORD_RESET_RATE_LIMIT": "10000 per minute",
}

# Tables and columns that change on every request, allowed or not: the access log itself,
# sessions and their last activity, tokens' last use, idempotency keys.
VOLATILE_TABLES = frozenset({"access_log", "user_sessions", "idempotency_keys"})
VOLATILE_COLUMNS = frozenset({"users.last_signed_in_at", "api_tokens.last_used_at"})
# The figures' summary tables (``figures_*``): counts derived from the records, which the
# figures job fills when a page asks for figures not counted yet (the first count of a new
# database, a year of a return not kept): a cache, no record.
DERIVED_PREFIX = "figures_"


@dataclass
class World:
    """The app, one signed-in page client and one API client per role, and the ids of
    every record by placeholder name and state."""

    app: Flask
    pages: dict[str, FlaskClient]
    apis: dict[str, ApiClient]
    tokens: dict[str, str]  # each page client's CSRF token
    ids: dict[str, dict[str, Any]]  # placeholder -> state -> value
    per_role: dict[str, dict[str, Any]] = field(default_factory=dict)  # own records
    users: dict[str, int] = field(default_factory=dict)
    agencies: dict[str, int] = field(default_factory=dict)
    references: dict[str, str] = field(default_factory=dict)  # case references
    others: dict[str, int] = field(default_factory=dict)  # more records, for the lists

    def value(self, placeholder: str, state: str, role: str) -> Any:
        """What ``{placeholder}`` stands for in ``state`` when ``role`` asks."""
        if placeholder in self.per_role and state == "involved":
            return self.per_role[placeholder][role]
        return self.ids[placeholder][state]

    @contextmanager
    def context(self) -> Iterator[None]:
        with self.app.app_context():
            try:
                yield
            finally:
                db.session.remove()


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code in (200, 201), (response.status_code, response.json)
    return dict(response.json)


def _case_ids(involved: Any, not_involved: Any, missing: Any = MISSING_ID) -> dict[str, Any]:
    return {"involved": involved, "not_involved": not_involved, "missing": missing}


def _record(exists: Any, missing: Any = MISSING_ID) -> dict[str, Any]:
    # the same record whichever case a route names beside it
    return {"exists": exists, "involved": exists, "not_involved": exists, "missing": missing}


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    assert user is not None
    return user


def _agency_invitation(meeting: dict[str, Any], agency_id: int) -> int:
    return next(int(i["id"]) for i in meeting["invitations"] if i["agency_id"] == agency_id)


class _Builder:
    """Makes the records in the order a council would: cases, forms, meetings, plans,
    audits; then the administrators' records; then signs everyone in."""

    def __init__(self, app: Flask):
        self.app = app
        self.factory = Factory(app)
        self.ids: dict[str, dict[str, Any]] = {}
        self.references: dict[str, str] = {}
        self.others: dict[str, int] = {}
        self.agencies = {
            "council": self.factory.agency(name="Northshire Council", type="local_authority"),
            "police": self.factory.agency(name="Northshire Police", type="police"),
            "nhs": self.factory.agency(name="Northshire Hospitals NHS Trust", type="nhs_trust"),
            "housing": self.factory.agency(name="Northshire Homes", type="housing"),
        }
        self.users: dict[str, int] = {}
        for role in Role:
            agency = "police" if role == Role.AGENCY_PRACTITIONER else "council"
            self.users[role.value] = self.factory.user(
                role=role, email=f"{role.value}@example.org", agency_id=self.agencies[agency]
            )
        self.users["nhs"] = self.factory.user(
            role=Role.AGENCY_PRACTITIONER,
            email=NHS_EMAIL,
            agency_id=self.agencies["nhs"],
        )
        self.users["second_auditor"] = self.factory.user(
            role=Role.AUDITOR,
            email="second-auditor@example.org",
            agency_id=self.agencies["council"],
        )
        self.apis = {ANONYMOUS: ApiClient(app.test_client(), "")}
        for who in [role.value for role in Role] + ["nhs"]:
            self.apis[who] = ApiClient(app.test_client(), make_token(app, self.users[who]))
        self.officer = self.apis[Role.SAFEGUARDING_OFFICER.value]
        self.manager = self.apis[Role.SAFEGUARDING_MANAGER.value]

    def cases(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Edith Crane's case, which the police referred and the NHS trust works on too;
        Walter Briggs's, which only the NHS trust works on; and an earlier concern about
        Edith Crane that only the NHS trust works on. All at one care home, all decided
        and under a legal hold (so a manager's request to delete one is refused)."""
        place = _created(
            self.officer.post(
                "/api/v1/establishments/",
                json={"name": "Larch House", "kind": "care_home_residential"},
            )
        )

        def concern(referrer: str, **person: Any) -> dict[str, Any]:
            body = {
                "received_at": RECEIVED,
                "person": person | {"date_of_birth": "1938-04-02"},
                "types_of_risk": ["physical"],
                "location": "care_home_residential",
                "establishment_id": place["id"],
                "source_of_risk": "known",
                "crime_suspected": True,
                "description": "Bruising on the forearms; the person says a visitor hit them.",
                "referrer_agency_id": self.agencies[referrer],
            }
            return _created(self.officer.post("/api/v1/concerns/", json=body))

        case_a = concern("police", given_name="Edith", family_name="Crane")
        case_b = concern("nhs", given_name="Walter", family_name="Briggs")
        earlier = _created(
            self.officer.post(
                "/api/v1/concerns/",
                json={
                    "received_at": "2026-11-10T11:00:00+00:00",
                    "person_id": case_a["person"]["id"],
                    "types_of_risk": ["neglect"],
                    "location": "own_home",
                    "source_of_risk": "known",
                    "description": "Left without food for two days.",
                    "referrer_agency_id": self.agencies["nhs"],
                },
            )
        )
        self.involve(case_a, "nhs")
        removed = {}
        for state, case in (("involved", case_a), ("not_involved", case_b)):
            _created(
                self.manager.post(
                    f"/api/v1/concerns/{case['id']}/decision",
                    json={"decision": "section_42_enquiry", "reason": "Care and support needs"},
                )
            )
            hold = self.manager.client.put(
                f"/api/v1/concerns/{case['id']}/legal-hold",
                json={"reason": "Civil claim pending"},
                headers=self.manager.headers(),
            )
            assert hold.status_code == 200, hold.json
            involvement = self.involve(case, "housing")
            gone = self.officer.client.delete(
                f"/api/v1/concerns/{case['id']}/involvements/{involvement}?reason=Moved",
                headers=self.officer.headers(),
            )
            assert gone.status_code == 204, gone.json
            removed[state] = involvement
        self.ids["concern"] = _case_ids(case_a["id"], case_b["id"])
        self.ids["person"] = _case_ids(case_a["person"]["id"], case_b["person"]["id"])
        self.ids["removed_involvement"] = _case_ids(removed["involved"], removed["not_involved"])
        # each case names a person alleged to have caused harm, with a household around
        alleged, relationships, referrals = {}, {}, {}
        for state, case in (("involved", case_a), ("not_involved", case_b)):
            alleged[state] = _created(
                self.officer.post(
                    f"/api/v1/concerns/{case['id']}/alleged-people",
                    json={
                        "person": {"given_name": "Gary", "family_name": f"Pike {state}"},
                        "relationship_kind": "household",
                        # a volunteer in a position of trust, referred on (PiPoT)
                        "trust_capacity": "volunteer",
                        "trust_employer": "Northshire Lunch Club",
                        "trust_role": "Driver",
                    },
                )
            )["id"]
            referrals[state] = _created(
                self.officer.post(
                    f"/api/v1/concerns/{case['id']}/trust-referrals",
                    json={
                        "alleged_id": alleged[state],
                        "referred_on": RECEIVED[:10],
                        "referred_to": "The PiPoT lead",
                    },
                )
            )["id"]
            relationships[state] = _created(
                self.officer.post(
                    f"/api/v1/people/{case['person']['id']}/relationships",
                    json={
                        "other": {"given_name": "Ann", "family_name": "Holt"},
                        "kind": "carer",
                        "reversed": True,
                    },
                )
            )["id"]
        self.ids["alleged"] = _case_ids(alleged["involved"], alleged["not_involved"])
        self.ids["trust_referral"] = _case_ids(referrals["involved"], referrals["not_involved"])
        self.ids["relationship"] = _case_ids(
            relationships["involved"], relationships["not_involved"]
        )
        self.ids["establishment"] = _record(place["id"])
        self.references = {
            "involved": case_a["reference"],
            "not_involved": case_b["reference"],
            "earlier": earlier["reference"],
        }
        return case_a, case_b

    def involve(self, case: dict[str, Any], agency: str) -> int:
        added = self.officer.post(
            f"/api/v1/concerns/{case['id']}/involvements",
            json={"agency_id": self.agencies[agency], "note": "Works with the person"},
        )
        return int(_created(added)["id"])

    def forms(self, case_a: dict[str, Any], case_b: dict[str, Any]) -> None:
        """The police's own investigation of Edith Crane's case; the NHS trust's discharge
        notifications on both cases, shared with nobody."""
        investigation = _created(
            self.apis[Role.AGENCY_PRACTITIONER.value].post(
                "/api/v1/forms/police.investigation/submissions",
                json={"subject_id": case_a["id"], "data": INVESTIGATION},
            )
        )
        discharge_a, _ = (
            _created(
                self.apis["nhs"].post(
                    "/api/v1/forms/nhs_trust.discharge_notification/submissions",
                    json={"subject_id": case["id"], "data": DISCHARGE},
                )
            )
            for case in (case_a, case_b)
        )
        self.ids["submission"] = _case_ids(investigation["id"], discharge_a["id"])
        self.ids["submission_form"] = _case_ids(
            "police.investigation", "nhs_trust.discharge_notification", "police.investigation"
        )
        self.ids["share"] = _case_ids(MISSING_ID, MISSING_ID)  # made for each request
        # a hospital discharge the NHS trust notified, about no case
        notified = _created(self.apis["nhs"].post("/api/v1/discharges/", json=HOSPITAL_DISCHARGE))
        self.ids["discharge"] = _record(notified["id"])
        # a staff training record of the practitioner's own agency, and one of the trust's
        own, trusts = (
            _created(self.apis[who].post("/api/v1/training/records", json=TRAINING))
            for who in (Role.AGENCY_PRACTITIONER.value, "nhs")
        )
        self.ids["training_record"] = _case_ids(own["id"], trusts["id"])

    def meetings(self, case_a: dict[str, Any], case_b: dict[str, Any]) -> None:
        """A strategy discussion of each case, with the agencies' reports, held with an
        action each (the police's, the NHS trust's); and two conferences of Edith Crane's
        case to come: one the police and the NHS trust are invited to, one only the NHS
        trust (which has sent its report)."""
        police, nhs = self.agencies["police"], self.agencies["nhs"]
        set_now(BEFORE_MEETINGS)
        meeting_a = self.schedule(case_a, "strategy_discussion", MEETING_AT)
        not_police = [{"agency_id": police, "reason": "Not a police matter yet"}]
        meeting_b = self.schedule(case_b, "strategy_discussion", MEETING_AT, removed=not_police)
        # the police and the NHS trust are on the conference's standard list
        to_come = self.schedule(case_a, "adult_protection_conference", NEXT_MEETING_AT)
        without_police = self.schedule(
            case_a, "adult_protection_conference", LATER_MEETING_AT, removed=not_police
        )
        police_on_a = _agency_invitation(meeting_a, police)
        nhs_on_a, nhs_on_b = _agency_invitation(meeting_a, nhs), _agency_invitation(meeting_b, nhs)
        nhs_without_police = _agency_invitation(without_police, nhs)
        self.send_reports(PRACTITIONER_EMAIL, [police_on_a])
        self.send_reports(NHS_EMAIL, [nhs_on_b, nhs_on_a, nhs_without_police])
        set_now(NOW)
        actions = [
            self.hold(meeting, owner)["actions"][0]["id"]
            for meeting, owner in ((meeting_a, police), (meeting_b, nhs))
        ]
        self.ids["meeting"] = _case_ids(meeting_a["id"], meeting_b["id"])
        self.ids["invitation"] = _case_ids(police_on_a, nhs_on_b)
        self.ids["meeting_action"] = _case_ids(*actions)
        self.others |= {
            "nhs_invitation_on_involved": nhs_on_a,
            "next_meeting": int(to_come["id"]),
            "police_invitation_to_next": _agency_invitation(to_come, police),
            "nhs_invitation_to_next": _agency_invitation(to_come, nhs),
            "meeting_without_police": int(without_police["id"]),
            "nhs_invitation_without_police": nhs_without_police,
        }

    def schedule(
        self, case: dict[str, Any], kind: str, starts_at: str, **changes: Any
    ) -> dict[str, Any]:
        body = {"type": kind, "concern_ids": [case["id"]], "starts_at": starts_at} | changes
        return _created(self.officer.post("/api/v1/meetings/", json=body | {"venue": VENUE}))

    def send_reports(self, email: str, invitations: list[int]) -> None:
        client = self.app.test_client()
        assert Auth(client, self.factory).sign_in(email).status_code == 302
        for invitation in invitations:
            page = f"/portal/invitations/{invitation}"
            sent = client.post(
                page,
                data={
                    "report-csrf_token": csrf_token(client, page),
                    "report-report_text": REPORT_TEXT.format(email=email),
                    "report-report_file": (BytesIO(PDF), "report.pdf"),
                    "report-submit": "Send report",
                },
                content_type="multipart/form-data",
            )
            assert sent.status_code == 302, sent.get_data(as_text=True)

    def hold(self, meeting: dict[str, Any], owner: int) -> dict[str, Any]:
        """Record the meeting: everyone came but the NHS trust; one action for ``owner``."""
        nhs = self.agencies["nhs"]
        outcomes = [
            {
                "invitation_id": i["id"],
                "outcome": "did_not_attend" if i["agency_id"] == nhs else "attended_in_person",
            }
            for i in meeting["invitations"]
        ]
        action = {"description": "Visit at home", "owner_agency_id": owner, "due_on": "2026-12-10"}
        return _created(
            self.officer.post(
                f"/api/v1/meetings/{meeting['id']}/held",
                json={"outcomes": outcomes, "actions": [action]},
            )
        )

    def plans(self, case_a: dict[str, Any], case_b: dict[str, Any]) -> None:
        """Adult protection plans, started directly: on Edith Crane's the police own one
        action and the NHS trust the other; on Walter Briggs's the NHS trust the only one."""
        plan_a, plan_b = (
            _created(
                self.officer.post(
                    "/api/v1/plans/", json={"concern_id": case["id"], "started_on": "2026-11-26"}
                )
            )
            for case in (case_a, case_b)
        )
        police_on_a, nhs_on_a, nhs_on_b = (
            self.plan_action(plan, owner)
            for plan, owner in ((plan_a, "police"), (plan_a, "nhs"), (plan_b, "nhs"))
        )
        self.ids["plan"] = _case_ids(plan_a["id"], plan_b["id"])
        self.ids["plan_action"] = _case_ids(police_on_a, nhs_on_b)
        self.others["nhs_action_on_involved_plan"] = nhs_on_a

    def plan_action(self, plan: dict[str, Any], owner: str) -> int:
        action = {
            "description": f"Support from {owner}",
            "owner_agency_id": self.agencies[owner],
            "due_on": "2026-12-20",
        }
        return int(
            _created(self.officer.post(f"/api/v1/plans/{plan['id']}/actions", json=action))["id"]
        )

    def tasks(self, case_a: dict[str, Any], case_b: dict[str, Any]) -> None:
        """A task for the police's safeguarding contacts on Edith Crane's case, one for the
        NHS trust's on Walter Briggs's."""
        made = [
            _created(
                self.officer.post(
                    f"/api/v1/concerns/{case['id']}/tasks",
                    json={
                        "title": f"Tell the team what {agency} knows",
                        "due_on": "2026-12-01",
                        "assignee_team": "agency",
                        "assignee_agency_id": self.agencies[agency],
                    },
                )
            )["id"]
            for case, agency in ((case_a, "police"), (case_b, "nhs"))
        ]
        self.ids["task"] = _case_ids(*made)

    def audits(self, case_a: dict[str, Any], case_b: dict[str, Any]) -> None:
        """Case file audits of the quarter: an open one, Edith Crane's case assigned to the
        auditor and Walter Briggs's to another; a closed one. November's attendance audit,
        with a board action against the NHS trust."""
        quarter = {"year": 2026, "quarter": 3}  # October to December: the financial year's
        audit = _created(self.manager.post("/api/v1/casefile-audits/", json=quarter))
        reviews = {case["concern_id"]: case["id"] for case in audit["cases"]}
        for case, auditor in ((case_a, Role.AUDITOR.value), (case_b, "second_auditor")):
            assigned = self.manager.client.put(
                f"/api/v1/casefile-audits/{audit['id']}/cases/{reviews[case['id']]}/assignment",
                json={"auditor_id": self.users[auditor]},
                headers=self.manager.headers(),
            )
            assert assigned.status_code == 200, assigned.json
        closed = _created(self.manager.post("/api/v1/casefile-audits/", json=quarter))
        _created(self.manager.post(f"/api/v1/casefile-audits/{closed['id']}/close"))
        period = {"period_start": "2026-11-01", "period_end": "2026-11-26"}
        attendance = _created(self.manager.post("/api/v1/audits/attendance/", json=period))
        board_action = _created(
            self.manager.post(
                f"/api/v1/audits/attendance/{attendance['id']}/actions",
                json={
                    "agency_id": self.agencies["nhs"],
                    "action": "Letter to the chief nurse",
                    "owner": "Board chair",
                    "due_on": "2027-01-31",
                },
            )
        )
        self.ids["review"] = _case_ids(reviews[case_a["id"]], reviews[case_b["id"]])
        self.ids["audit"] = _record(audit["id"])
        self.ids["closed_audit"] = _record(closed["id"])
        self.ids["attendance_audit"] = _record(attendance["id"])
        self.ids["board_action"] = _record(board_action["id"])

    def follow_ups(self, case_a: dict[str, Any]) -> None:
        """A contact follow-up of Edith Crane's case, made as the sample makes one (her
        case's decision is not one the sample draws from)."""
        from core.concerns.models import Concern
        from core.followups.operations import open_follow_up

        with self.app.app_context():
            concern = db.session.get(Concern, case_a["id"])
            assert concern is not None
            follow_up = open_follow_up(concern, None)
            db.session.commit()
            self.ids["follow_up"] = _record(follow_up.id)

    def subject_access(self, case_a: dict[str, Any]) -> None:
        """A subject access request for Edith Crane's records, produced and sent (so that
        a second produce or send is refused, whatever order the walk takes)."""
        requests = "/api/v1/subject-access-requests/"
        made = _created(
            self.manager.post(
                requests,
                json={
                    "person_id": case_a["person"]["id"],
                    "requested_by": "Herself, by letter",
                    "received_on": "2026-11-20",
                    "identity_checked": "Passport seen",
                },
            )
        )
        _created(self.manager.post(f"{requests}{made['id']}/produce"))
        _created(self.manager.post(f"{requests}{made['id']}/sent"))
        self.ids["subject_access"] = _record(made["id"])

    def complaints(self, case_a: dict[str, Any]) -> None:
        """A children's complaint about Edith Crane's case, at its first stage."""
        from datetime import date

        from core.complaints.operations import record_entry

        with self.app.app_context():
            entry = record_entry(
                {
                    "kind": "complaint",
                    "procedure": "children",
                    "concern_id": case_a["id"],
                    "made_by_name": "Ivy Crane",
                    "made_by": "family_or_carer",
                    "received_via": "letter",
                    "received_on": date(2026, 11, 20),
                    "about": "Not told of the strategy meeting.",
                },
                _user(self.users[Role.SAFEGUARDING_OFFICER.value]),
            )
            db.session.commit()
            self.ids["complaint"] = _record(entry.id)

    def administration(self) -> dict[str, int]:
        """A standard invitee, API tokens (the NHS user's, and a spare one for each of
        our users to revoke), and a password reset link, read from its email. Returns
        the spare tokens by role."""
        from core.auth.models import Council, Locality, Team
        from core.mail.models import OutboxMessage
        from core.meetings.operations import add_standard_invitee
        from core.teams.operations import create as create_team_or_area
        from core.users.operations import create_token

        visitor = self.app.test_client()
        asked = visitor.post(
            "/password/forgotten",
            data={
                "email": NHS_EMAIL,
                "csrf_token": csrf_token(visitor, "/password/forgotten"),
            },
        )
        assert asked.status_code == 200, asked.get_data(as_text=True)
        with self.app.app_context():
            entry = add_standard_invitee(
                {
                    "meeting_type": "adult_protection_conference",
                    "audience": "adult",
                    "agency_type": "housing",
                    "agency_id": None,
                    "reason": "Housing: the person's landlord",
                },
                _user(self.users[Role.ADMINISTRATOR.value]),
            )
            ours = _user(self.users[Role.ADMINISTRATOR.value]).council_id
            team = create_team_or_area(Team, ours, name="Adult safeguarding team")
            area = create_team_or_area(Locality, ours, name="Brackenmoor")
            council = create_team_or_area(Council, name="Brackenmoor District Council")
            nhs_token, _ = create_token(_user(self.users["nhs"]), "Trust", 30)
            spare = {
                role.value: create_token(_user(self.users[role.value]), "Spare") for role in Role
            }
            db.session.commit()
            email = db.session.scalars(
                sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(1)
            ).one()
            reset = RESET_LINK.search(email.body)
            assert reset, "no reset link in the email"
            self.ids |= {
                "own_token": _case_ids(0, nhs_token.id),  # the user's own: per role
                "agency": _record(self.agencies["nhs"]),
                "team": _record(team.id),
                "locality": _record(area.id),
                "council": _record(council.id),
                "user": _record(self.users["nhs"]),
                "user_token": _record(nhs_token.id),
                "message": _record(email.id),
                "standard_entry": _record(entry.id),
                "reset_token": _record(reset.group(1), "no-such-reset-link"),
                "report": _record("police.crime_without_investigation", "no.such_report"),
                "sac_code": _record("SG1a", "SG9z"),
                "agency_form": _record("nhs_trust.patient_safety_incident", "no.such_form"),
            }
            own_tokens = {role: token.id for role, (token, _) in spare.items()}
            db.session.remove()
        return own_tokens

    def pages(self) -> dict[str, FlaskClient]:
        """Signed in last, on the walk's clock: a session idle too long is signed out."""
        pages = {ANONYMOUS: self.app.test_client()}
        for role in Role:
            client = self.app.test_client()
            signed_in = Auth(client, self.factory).sign_in(f"{role.value}@example.org")
            assert signed_in.status_code == 302
            pages[role.value] = client
        return pages


def build_world(app: Flask) -> World:
    """Every record the matrix needs, through the real API, pages and operations."""
    builder = _Builder(app)
    case_a, case_b = builder.cases()
    builder.forms(case_a, case_b)
    builder.meetings(case_a, case_b)
    builder.plans(case_a, case_b)
    builder.tasks(case_a, case_b)
    builder.audits(case_a, case_b)
    builder.follow_ups(case_a)
    builder.subject_access(case_a)
    builder.complaints(case_a)
    own_tokens = builder.administration()
    pages = builder.pages()
    tokens = {
        role: csrf_token(client, "/sign-in" if role == ANONYMOUS else "/")
        for role, client in pages.items()
    }
    return World(
        app=app,
        pages=pages,
        apis=builder.apis,
        tokens=tokens,
        ids=builder.ids,
        per_role={"own_token": {ANONYMOUS: MISSING_ID, **own_tokens}},
        users=builder.users,
        agencies=builder.agencies,
        references=builder.references,
        others=builder.others,
    )


_SHARES_MADE = itertools.count(1)


def fresh_share(world: World, state: str, role: str) -> dict[str, Any]:
    """A share of the state's submission with an agency made for it, to withdraw."""
    from core.agency_forms import operations
    from core.agency_forms.models import FormSubmission

    if state == "missing":
        return {}
    factory = Factory(world.app)
    made = next(_SHARES_MADE)
    agency_id = factory.agency(name=f"Shared for the {role} ({state}) {made}", type="housing")
    with world.context():
        submission = db.session.get(FormSubmission, world.ids["submission"][state])
        assert submission is not None
        officer = _user(world.users[Role.SAFEGUARDING_OFFICER.value])
        definition = operations.definition_of(submission.form_name)
        shared = operations.share(definition, submission, agency_id, officer)
        db.session.commit()
        return {"share": shared.id}


_TRAINING_MADE = itertools.count(1)


def fresh_training_record(world: World, state: str, role: str) -> dict[str, Any]:
    """A staff training record made for the request, to delete: the practitioner's own
    agency's (involved) or the NHS trust's (not involved)."""
    from core.training.operations import create_record

    if state == "missing":
        return {}
    keeper = PRACTITIONER_EMAIL if state == "involved" else NHS_EMAIL
    with world.context():
        user = db.session.execute(sa.select(User).where(User.email == keeper)).scalar_one()
        made = create_record(TRAINING | {"staff_number": f"M{next(_TRAINING_MADE)}"}, user)
        db.session.commit()
        return {"training_record": made.id}


def fresh_standard_entry(world: World, state: str, role: str) -> dict[str, Any]:
    """An entry on a standard invitation list made for the request, to remove."""
    from core.meetings.operations import add_standard_invitee

    if state == "missing":
        return {}
    with world.context():
        entry = add_standard_invitee(
            {
                "meeting_type": "adult_protection_conference",
                "audience": "any",
                "agency_type": "education",
                "reason": f"Removed by the {role}",
            },
            _user(world.users[Role.ADMINISTRATOR.value]),
        )
        db.session.commit()
        return {"standard_entry": entry.id}


Fresh = Callable[[World, str, str], dict[str, Any]]


# --- The walk -------------------------------------------------------------------------------

SIGN_IN = "sign-in"  # 302 to the sign-in page, with the way back in ?next=
Answer = int | str  # a status code, or SIGN_IN
Cell = Answer | tuple[Answer, ...]
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Placeholders that name a case record (or something in one): three states, not two.
CASE_RECORDS = frozenset(
    {
        "concern",
        "person",
        "removed_involvement",
        "alleged",
        "trust_referral",
        "relationship",
        "meeting",
        "invitation",
        "meeting_action",
        "plan",
        "plan_action",
        "submission",
        "submission_form",
        "share",
        "own_token",
        "review",
        "training_record",  # not a case's, but one agency's own: the same three states
        "task",
    }
)


@dataclass(frozen=True)
class Row:
    """One route: the path with its placeholders, what each role gets (in the order of
    ROLES; a tuple cell gives the answer per state), the body sent, whether an allowed
    request changes something (walked last), and what to make before each request."""

    path: str
    answers: tuple[Cell, ...]
    body: Any = None
    acts: bool = False
    fresh: Fresh | None = None

    @property
    def states(self) -> tuple[str, ...]:
        names = set(PLACEHOLDER.findall(self.path))
        if names & CASE_RECORDS:
            return CASE_STATES
        return RECORD_STATES if names else ("",)

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    def expected(self, state: str, role: str) -> Answer:
        cell = self.answers[ROLES.index(role)]
        if isinstance(cell, tuple):
            return cell[self.states.index(state)]
        return cell


@dataclass(frozen=True)
class Request:
    endpoint: str
    method: str
    row: Row
    state: str
    role: str

    @property
    def expected(self) -> Answer:
        return self.row.expected(self.state, self.role)

    @property
    def refused(self) -> bool:
        return self.expected in (SIGN_IN, 401, 403, 404)

    def describe(self) -> str:
        where = f" [{self.state}]" if self.state else ""
        return f"{self.method} {self.row.path}{where} as {self.role} ({self.endpoint})"


def turned_away(app: Flask, endpoint: str, role: str) -> bool:
    """Whether the permission the route declares turns ``role`` away, which the access
    policy does before the view runs and so before any record is read."""
    from core.policy.routes import PUBLIC, SIGNED_IN, declared_permission, permission_registry

    permission = declared_permission(app, endpoint)
    if permission == PUBLIC:
        return False
    if role == ANONYMOUS or permission is None:
        return True
    if permission == SIGNED_IN:
        return False
    return Role(role) not in permission_registry(app)[permission].roles


def requests_of(app: Flask, table: dict[tuple[str, str], Row | tuple[Row, ...]]) -> list[Request]:
    """Every cell of the table as a request. A role the route turns away is asked about
    the record that exists and the one that does not, not also about a second record
    that exists: the answer comes before any record is read."""
    walk = []
    for (endpoint, method), rows in sorted(table.items()):
        for row in rows if isinstance(rows, tuple) else (rows,):
            for role in ROLES:
                away = turned_away(app, endpoint, role)
                walk += [
                    Request(endpoint, method, row, state, role)
                    for state in row.states
                    if not (away and state == "not_involved")
                ]
    return walk


def path_for(world: World, request: Request, extra: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in extra:
            return str(extra[name])
        return str(world.value(name, request.state or "involved", request.role))

    return PLACEHOLDER.sub(value, request.row.path)


def answer(world: World, request: Request, extra: dict[str, Any]) -> Answer:
    """Send the request as the role would and read the whole answer (a streamed CSV that
    fails halfway fails here); the status, or SIGN_IN for the sign-in page."""
    path = path_for(world, request, extra)
    if request.row.is_api:
        client = world.apis[request.role].client
        kwargs: dict[str, Any] = {}
        if request.role != ANONYMOUS:
            kwargs["headers"] = world.apis[request.role].headers()
        if request.method in ("POST", "PUT", "PATCH"):
            kwargs["json"] = request.row.body if request.row.body is not None else {}
    else:
        client = world.pages[request.role]
        kwargs = {"data": {"csrf_token": world.tokens[request.role]}}
        if request.method == "GET":
            kwargs = {}
    try:
        response = client.open(path, method=request.method, **kwargs)
        try:
            response.get_data()
        finally:
            response.close()
    except Exception as error:  # the app would have answered 500
        return f"raised {type(error).__name__}: {error}"
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith("/sign-in?next="):
        return SIGN_IN
    if not request.row.is_api and request.method == "POST" and response.status_code == 200:
        # a form refused: it says every problem at once, the GOV.UK way (issue 22)
        problems = error_problems(response.get_data(as_text=True))
        if problems:
            return f"200 with {'; '.join(problems)}"
    return response.status_code


class DeniedCounter:
    """Counts the access log's refusals over a connection of its own, kept open: a
    count after every refused request would otherwise cost more than the request."""

    def __init__(self, world: World):
        from core.accesslog.models import AccessLogEntry

        with world.context():
            self.engine = sa.create_engine(db.engine.url)
        self.query = sa.select(sa.func.count()).where(AccessLogEntry.outcome == "denied")

    def __enter__(self) -> DeniedCounter:
        self.connection = self.engine.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.connection.close()
        self.engine.dispose()

    def __call__(self) -> int:
        count = int(self.connection.execute(self.query).scalar_one())
        self.connection.rollback()  # see the next commit
        return count


def snapshot(world: World) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the volatile ones, to compare before and after."""
    tables = {}
    with world.context():
        for table in db.metadata.sorted_tables:
            if table.name in VOLATILE_TABLES or table.name.startswith(DERIVED_PREFIX):
                continue
            columns = [c for c in table.columns if f"{table.name}.{c.name}" not in VOLATILE_COLUMNS]
            order = list(table.primary_key.columns) or columns
            rows = db.session.execute(sa.select(*columns).order_by(*order)).all()
            tables[table.name] = [tuple(row) for row in rows]
    return tables


def changed_tables(before: dict[str, list[Any]], after: dict[str, list[Any]]) -> list[str]:
    return sorted(name for name in before if before[name] != after[name])


def sign_in(world: World, who: str) -> FlaskClient:
    """A new page client signed in as ``who`` (a role's user, or "nhs")."""
    client = world.app.test_client()
    email = f"{who}@example.org"
    assert Auth(client, Factory(world.app)).sign_in(email).status_code == 302
    return client
