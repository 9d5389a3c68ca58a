"""Hospital discharges

An NHS trust notifies a hospital discharge whether or not the person has an open concern;
out of hours is computed from the time; the safeguarding team records the follow-up
(issue 25, item 6; Newport Emergency Duty Service plan, action 6). A new table only.

Revision ID: a3c5d7e9f1b2
Revises: 5b0d1e7c2a90
Create Date: 2026-12-05 19:55:53.044412

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a3c5d7e9f1b2"
down_revision = "5b0d1e7c2a90"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "hospital_discharges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("discharged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("out_of_hours", sa.Boolean(), nullable=False),
        sa.Column("discharged_from", sa.String(length=200), nullable=False),
        sa.Column("discharged_to", sa.String(length=200), nullable=False),
        sa.Column("care_in_place", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("notified_by_id", sa.Integer(), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("followed_up_by", sa.String(length=200), nullable=True),
        sa.Column("followed_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("follow_up_action", sa.Text(), nullable=True),
        sa.Column("concern_raised", sa.Boolean(), nullable=True),
        sa.Column("concern_id", sa.Integer(), nullable=True),
        sa.Column("follow_up_recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("follow_up_recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_hospital_discharges_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["concern_id"], ["concerns.id"], name=op.f("fk_hospital_discharges_concern_id_concerns")
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_recorded_by_id"],
            ["users.id"],
            name=op.f("fk_hospital_discharges_follow_up_recorded_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["notified_by_id"],
            ["users.id"],
            name=op.f("fk_hospital_discharges_notified_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_hospital_discharges_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hospital_discharges")),
    )
    with op.batch_alter_table("hospital_discharges", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hospital_discharges_agency_id"), ["agency_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_hospital_discharges_concern_id"), ["concern_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_hospital_discharges_discharged_at"), ["discharged_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_hospital_discharges_person_id"), ["person_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("hospital_discharges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hospital_discharges_person_id"))
        batch_op.drop_index(batch_op.f("ix_hospital_discharges_discharged_at"))
        batch_op.drop_index(batch_op.f("ix_hospital_discharges_concern_id"))
        batch_op.drop_index(batch_op.f("ix_hospital_discharges_agency_id"))

    op.drop_table("hospital_discharges")
