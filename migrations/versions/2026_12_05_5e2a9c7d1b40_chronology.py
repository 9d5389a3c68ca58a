"""Chronology entries written by hand

The events of a case's chronology that the record does not hold, written by the
safeguarding team or an involved agency, with their date, source agency, significance and
an optional restriction (issue 24, item 1). The other events are drawn from the record
each time the chronology is read. No entry exists yet.

Revision ID: 5e2a9c7d1b40
Revises: 5a7e3c21d0b4
Create Date: 2026-12-05 20:30:47.498541

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e2a9c7d1b40"
down_revision = "5a7e3c21d0b4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "chronology_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concern_id", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("source_agency_id", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column(
            "significance",
            sa.Enum(
                "low", "medium", "high", "key", name="significance", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column(
            "restriction",
            sa.Enum(
                "third_party",
                "police_sensitive",
                "health",
                name="restriction",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("written_by_id", sa.Integer(), nullable=False),
        sa.Column("written_by_agency_id", sa.Integer(), nullable=True),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["concern_id"], ["concerns.id"], name=op.f("fk_chronology_entries_concern_id_concerns")
        ),
        sa.ForeignKeyConstraint(
            ["source_agency_id"],
            ["agencies.id"],
            name=op.f("fk_chronology_entries_source_agency_id_agencies"),
        ),
        sa.ForeignKeyConstraint(
            ["written_by_agency_id"],
            ["agencies.id"],
            name=op.f("fk_chronology_entries_written_by_agency_id_agencies"),
        ),
        sa.ForeignKeyConstraint(
            ["written_by_id"], ["users.id"], name=op.f("fk_chronology_entries_written_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chronology_entries")),
    )
    with op.batch_alter_table("chronology_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_chronology_entries_concern_id"), ["concern_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("chronology_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chronology_entries_concern_id"))

    op.drop_table("chronology_entries")
