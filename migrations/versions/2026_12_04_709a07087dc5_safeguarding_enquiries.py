"""Safeguarding enquiries, with their locations and sources of risk

Each section 42 or other enquiry gets a record of its own (issue 21, item 3): its start and
conclusion dates, Making Safeguarding Personal, capacity and advocacy, the outcome of the
risk assessment, and any number of locations and sources of risk. Existing adult concerns
whose screening decision started an enquiry are moved into it (see ``_move_concerns``).

Revision ID: 709a07087dc5
Revises: 46701bbd7c10
Create Date: 2026-12-04 08:34:25.949547

"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "709a07087dc5"
down_revision = "46701bbd7c10"
branch_labels = None
depends_on = None

LOCAL_ZONE = ZoneInfo("Europe/London")  # the council's local time, as core.clocks


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, length=40)


MSP_ASKED = ("asked_expressed", "asked_not_expressed", "not_asked", "dont_know", "not_recorded")
ANSWERS = ("yes", "no", "dont_know", "not_recorded")
OUTCOMES = (
    "identified_action",
    "identified_no_action",
    "inconclusive_action",
    "inconclusive_no_action",
    "none_action",
    "none_no_action",
    "ceased_at_request",
)
LOCATIONS = (
    "own_home",
    "community",
    "community_service",
    "care_home_nursing",
    "care_home_residential",
    "hospital_acute",
    "hospital_mental_health",
    "hospital_community",
    "other",
)


def upgrade():
    op.create_table(
        "enquiries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concern_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind", _enum("enquirykind", "section_42_enquiry", "other_enquiry"), nullable=False
        ),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("concluded_on", sa.Date(), nullable=True),
        sa.Column("msp_asked", _enum("mspasked", *MSP_ASKED), nullable=False),
        sa.Column("outcomes_expressed", sa.Text(), nullable=True),
        sa.Column("msp_achieved", _enum("mspachieved", "fully", "partially", "not"), nullable=True),
        sa.Column("lacked_capacity", _enum("lackedcapacity", *ANSWERS), nullable=False),
        sa.Column("advocacy", _enum("lackedcapacity", *ANSWERS), nullable=True),
        sa.Column("risk_outcome", _enum("riskoutcome", *OUTCOMES), nullable=True),
        sa.Column(
            "risk_after_action",
            _enum("riskafteraction", "remained", "reduced", "removed"),
            nullable=True,
        ),
        sa.Column("concluded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["concern_id"],
            ["concerns.id"],
            name=op.f("fk_enquiries_concern_id_concerns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["concluded_by_id"], ["users.id"], name=op.f("fk_enquiries_concluded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enquiries")),
        sa.UniqueConstraint("concern_id", name=op.f("uq_enquiries_concern_id")),
    )
    with op.batch_alter_table("enquiries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enquiries_concluded_on"), ["concluded_on"])
        batch_op.create_index(batch_op.f("ix_enquiries_kind"), ["kind"])
        batch_op.create_index(batch_op.f("ix_enquiries_started_on"), ["started_on"])
    op.create_table(
        "enquiry_locations",
        sa.Column("enquiry_id", sa.Integer(), nullable=False),
        sa.Column("location", _enum("locationofrisk", *LOCATIONS), nullable=False),
        sa.ForeignKeyConstraint(
            ["enquiry_id"],
            ["enquiries.id"],
            name=op.f("fk_enquiry_locations_enquiry_id_enquiries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("enquiry_id", "location", name=op.f("pk_enquiry_locations")),
    )
    op.create_table(
        "enquiry_sources",
        sa.Column("enquiry_id", sa.Integer(), nullable=False),
        sa.Column(
            "source", _enum("sourceofrisk", "service_provider", "known", "unknown"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["enquiry_id"],
            ["enquiries.id"],
            name=op.f("fk_enquiry_sources_enquiry_id_enquiries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("enquiry_id", "source", name=op.f("pk_enquiry_sources")),
    )
    _move_concerns()


def _local_day(moment):
    if moment is None:
        return None
    if isinstance(moment, str):  # SQLite hands back the stored text
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_ZONE).date()


def _move_concerns():
    """One enquiry for each adult concern whose screening decision is a section 42 or
    other enquiry (deleted concerns too: the SAC leaves them out by the concern). Each
    change from the concern's columns is noted beside it."""
    connection = op.get_bind()
    concerns = sa.table(
        "concerns",
        *(
            sa.column(name)
            for name in (
                "id", "is_child", "decision", "decided_at", "status", "closed_at",
                "closed_by_id", "person_id", "location", "source_of_risk", "msp_asked",
                "desired_outcomes", "msp_achieved", "lacked_capacity", "risk_outcome",
                "risk_after_action", "created_at",
            )
        ),
    )  # fmt: skip
    people = sa.table("people", sa.column("id"), sa.column("advocate"))
    enquiries = sa.table(
        "enquiries",
        *(
            sa.column(name)
            for name in (
                "id", "concern_id", "kind", "started_on", "concluded_on", "msp_asked",
                "outcomes_expressed", "msp_achieved", "lacked_capacity", "advocacy",
                "risk_outcome", "risk_after_action", "concluded_by_id", "created_at", "version",
            )
        ),
    )  # fmt: skip
    locations = sa.table("enquiry_locations", sa.column("enquiry_id"), sa.column("location"))
    sources = sa.table("enquiry_sources", sa.column("enquiry_id"), sa.column("source"))
    rows = connection.execute(
        sa.select(concerns, people.c.advocate)
        .join(people, people.c.id == concerns.c.person_id)
        .where(
            concerns.c.is_child.is_(sa.false()),
            concerns.c.decision.in_(("section_42_enquiry", "other_enquiry")),
            concerns.c.decided_at.is_not(None),
        )
        .order_by(concerns.c.id)
    ).mappings()
    for row in rows:
        closed = row["status"] == "closed"
        expressed = row["msp_asked"] == "asked_expressed"
        result_recorded = row["risk_outcome"] in ("identified_action", "inconclusive_action")
        lacked = row["lacked_capacity"] or "not_recorded"
        # advocacy is asked only where the person lacked capacity; it was read from the
        # person record (Person.advocate), and support by family or friend was never
        # recorded, so no advocate on the record is "not recorded"
        advocacy = None
        if lacked == "yes":
            advocacy = "yes" if row["advocate"] else "not_recorded"
        enquiry_id = connection.execute(
            enquiries.insert()
            .values(
                concern_id=row["id"],
                kind=row["decision"],
                # the screening decision's day (local time) is the enquiry's start
                started_on=_local_day(row["decided_at"]),
                # a closed case's closure day is its enquiry's conclusion; open: not concluded
                concluded_on=_local_day(row["closed_at"]) if closed else None,
                concluded_by_id=row["closed_by_id"] if closed else None,
                # asked and capacity were fixed on the concern at intake: copied as they are
                msp_asked=row["msp_asked"] or "not_recorded",
                lacked_capacity=lacked,
                advocacy=advocacy,
                # the outcomes the person wanted, written at intake
                outcomes_expressed=row["desired_outcomes"],
                # achievement only where outcomes were expressed (the SAC's rule); any other
                # answer held on the concern is not carried over
                msp_achieved=row["msp_achieved"] if expressed else None,
                risk_outcome=row["risk_outcome"],
                # the result only where a risk was identified or inconclusive and action was
                # taken: "no risk identified and action taken" loses any result it held
                risk_after_action=row["risk_after_action"] if result_recorded else None,
                created_at=row["created_at"],
                version=1,
            )
            .returning(enquiries.c.id)
        ).scalar_one()
        # the concern's one location and one source become the enquiry's first of each
        connection.execute(
            locations.insert().values(enquiry_id=enquiry_id, location=row["location"])
        )
        connection.execute(
            sources.insert().values(enquiry_id=enquiry_id, source=row["source_of_risk"])
        )


def downgrade():
    # the concern keeps its own intake and closure columns, so nothing is lost on the
    # concern; what was recorded only on an enquiry goes with it
    op.drop_table("enquiry_sources")
    op.drop_table("enquiry_locations")
    with op.batch_alter_table("enquiries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enquiries_started_on"))
        batch_op.drop_index(batch_op.f("ix_enquiries_kind"))
        batch_op.drop_index(batch_op.f("ix_enquiries_concluded_on"))
    op.drop_table("enquiries")
