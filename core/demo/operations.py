"""Demo data: a fictional council and its partners, one user per role.

Everything here is synthetic (Faker, en_GB, fixed seed). Loading is idempotent: records
that already exist (by agency name or user email) are left as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from core.agencies import operations as agency_operations
from core.auth.councils import default_council_id
from core.auth.models import Agency, Locality, Team, User
from core.auth.roles import Role
from core.clocks import to_local
from core.concerns.models import Concern
from core.db import utcnow
from core.demo.caseload import Staff, add_children_caseload
from core.demo.fake import synthetic
from core.demo.workday import add_workday
from core.extensions import db
from core.teams import operations as team_operations
from core.users import operations as user_operations

DEMO_PASSWORD = "demo-safeguarding"  # noqa: S105 - published demo sign-in, never in production
COUNCIL = "Northshire County Council Safeguarding Team"

DEMO_AGENCIES = [
    {"name": COUNCIL, "type": "local_authority"},
    {"name": "Northshire Children's Social Care", "type": "childrens_social_care"},
    {"name": "Northshire Police", "type": "police"},
    {"name": "Northshire Hospitals NHS Foundation Trust", "type": "nhs_trust", "ods_code": "ZZ1"},
    {"name": "Northshire Mental Health NHS Trust", "type": "nhs_trust", "ods_code": "ZZ2"},
    {"name": "Meadowbank Care Ltd", "type": "care_provider", "cqc_code": "1-000000101"},
    {"name": "Riverside Nursing Homes", "type": "care_provider", "cqc_code": "1-000000102"},
    {"name": "Oakfield Home Care", "type": "care_provider", "cqc_code": "1-000000103"},
    {"name": "Northshire Commissioning and Quality Team", "type": "commissioning"},
    {"name": "CQC North Local Inspection Team", "type": "care_regulator"},
]


# The county's teams and its local areas (synthetic names; Somerset counts its cases in
# four: "Taunton & WS, Sedgemoor, Mendip, South Somerset"). The officer and the manager
# work in the adult safeguarding team; the children's cases are the assessment team's.
ADULT_TEAM = "Adult safeguarding team"
CHILDREN_TEAM = "Children's assessment team"
DEMO_TEAMS = [ADULT_TEAM, CHILDREN_TEAM, "Emergency Duty Team (out of hours)"]
DEMO_AREAS = ["Ashby & Wold", "Brackenmoor", "Castleford Vale", "South Northshire"]


@dataclass(frozen=True)
class DemoUser:
    email: str
    role: Role
    agency: str
    # a named safeguarding contact of its agency: the agency's case emails reach them
    contact: bool = False
    team: str | None = None


DEMO_USERS = [
    DemoUser("admin@demo.example", Role.ADMINISTRATOR, COUNCIL),
    DemoUser("officer@demo.example", Role.SAFEGUARDING_OFFICER, COUNCIL, team=ADULT_TEAM),
    DemoUser("manager@demo.example", Role.SAFEGUARDING_MANAGER, COUNCIL, team=ADULT_TEAM),
    DemoUser("police@demo.example", Role.AGENCY_PRACTITIONER, "Northshire Police", True),
    DemoUser(
        "nhs@demo.example",
        Role.AGENCY_PRACTITIONER,
        "Northshire Hospitals NHS Foundation Trust",
        True,
    ),
    DemoUser("carehome@demo.example", Role.AGENCY_PRACTITIONER, "Meadowbank Care Ltd", True),
    DemoUser("board@demo.example", Role.BOARD_MEMBER, COUNCIL),
    DemoUser("auditor@demo.example", Role.AUDITOR, COUNCIL),
]


def load_demo() -> tuple[int, int]:
    """Create what is missing; returns (agencies created, users created)."""
    fake = synthetic()
    agencies_created = users_created = 0
    by_name: dict[str, Agency] = {}
    for spec in DEMO_AGENCIES:
        agency = db.session.execute(
            sa.select(Agency).where(Agency.name == spec["name"])
        ).scalar_one_or_none()
        if agency is None:
            agency = agency_operations.create_agency(**spec)
            agencies_created += 1
        by_name[agency.name] = agency
    kept: dict[str, Any] = {}
    council_id = default_council_id()  # the demo's council: the instance's first
    for model, names in ((Team, DEMO_TEAMS), (Locality, DEMO_AREAS)):
        for name in names:
            found = db.session.scalar(
                sa.select(model).where(model.name == name, model.council_id == council_id)
            )
            kept[name] = found or team_operations.create(model, council_id, name=name)
    for demo_user in DEMO_USERS:
        name = fake.name()
        exists = db.session.execute(
            sa.select(User.id).where(User.email == demo_user.email)
        ).scalar_one_or_none()
        if exists is None:
            user_operations.create_user(
                email=demo_user.email,
                name=name,
                agency_id=by_name[demo_user.agency].id,
                role=demo_user.role.value,
                password=DEMO_PASSWORD,
                safeguarding_contact=demo_user.contact,
                team_id=kept[demo_user.team].id if demo_user.team else None,
            )
            users_created += 1
    db.session.commit()
    return agencies_created, users_created


# children's cases `flask demo load` adds to a database that has none
DEMO_CHILDREN = 30


def add_caseload(children: int, until: date | None = None, seed: int = 47) -> dict[str, int]:
    """Add a caseload of ``children`` children's cases referred over the 18 months up to
    ``until`` (default today), handled by the demo officer and manager."""
    officer, manager = (
        db.session.execute(sa.select(User.id).where(User.email == email)).scalar_one()
        for email in ("officer@demo.example", "manager@demo.example")
    )
    team = db.session.scalar(sa.select(Team.id).where(Team.name == CHILDREN_TEAM))
    council_id = db.session.get(User, officer).council_id
    areas = tuple(
        a.id for a in team_operations.listed(Locality, active=True, council_id=council_id)
    )
    made = add_children_caseload(
        children,
        until or to_local(utcnow()).date(),
        Staff(officer, manager, council_id, team, areas),
        seed,
    )
    db.session.commit()
    return made


def load_caseload(children: int) -> dict[str, int]:
    """The demo's cases, once each: the children's caseload where no child's case exists,
    then the day's work in hand (core/demo/workday.py) where no adult's concern exists."""
    made: dict[str, int] = {}
    if children and not db.session.scalar(sa.select(Concern.id).where(Concern.is_child).limit(1)):
        made = add_caseload(children)
    if not db.session.scalar(sa.select(Concern.id).where(~Concern.is_child).limit(1)):
        for kind, count in add_workday().items():
            made[kind] = made.get(kind, 0) + count
        db.session.commit()
    return made
