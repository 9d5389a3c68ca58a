"""Staff training records

Each agency keeps one record per member of staff and safeguarding course completed (issue
25, item 4; Dudley's plan 1.10); the quarterly training return is computed from them. A
new table: nothing existing changes.

Revision ID: efdd99c132d8
Revises: a3c5d7e9f1b2
Create Date: 2026-12-05 19:55:44.226527

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "efdd99c132d8"
down_revision = "a3c5d7e9f1b2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "training_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("staff_name", sa.String(length=200), nullable=True),
        sa.Column("staff_number", sa.String(length=40), nullable=True),
        sa.Column("staff_key", sa.String(length=250), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "children_1",
                "children_2",
                "children_3",
                "children_4",
                "children_5",
                "adults_1",
                "adults_2",
                "adults_3",
                "adults_4",
                "adults_5",
                name="traininglevel",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("course", sa.String(length=200), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_training_records_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_records")),
        sa.UniqueConstraint(
            "agency_id",
            "staff_key",
            "course",
            "completed_on",
            name=op.f("uq_training_records_agency_id"),
        ),
    )
    with op.batch_alter_table("training_records", schema=None) as batch_op:
        batch_op.create_index(
            "ix_training_records_agency_staff", ["agency_id", "staff_key", "level"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_records_completed_on"), ["completed_on"], unique=False
        )


def downgrade():
    with op.batch_alter_table("training_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_records_completed_on"))
        batch_op.drop_index("ix_training_records_agency_staff")

    op.drop_table("training_records")
