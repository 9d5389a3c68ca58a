"""Complaints and compliments

The complaints, compliments and comments log (issue 25, item 10; Herefordshire Joint
Review): one row an entry, about a case or a person, and one row a stage of a complaint
with its due day and response. Users get the complaints officer flag (no one holds it).

Revision ID: 5e1c0a9d7b42
Revises: a5e3c71d9f20
Create Date: 2026-12-05 20:31:29.027841

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e1c0a9d7b42"
down_revision = "a5e3c71d9f20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "complaint_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "complaint", "compliment", "comment", name="entrykind", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column(
            "procedure",
            sa.Enum("adults", "children", name="complaintprocedure", native_enum=False, length=40),
            nullable=True,
        ),
        sa.Column("concern_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("made_by_name", sa.String(length=200), nullable=False),
        sa.Column(
            "made_by",
            sa.Enum(
                "person",
                "family_or_carer",
                "advocate",
                "professional",
                "other",
                name="madeby",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "received_via",
            sa.Enum(
                "letter",
                "email",
                "phone",
                "in_person",
                "online_form",
                name="receivedvia",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("about", sa.Text(), nullable=False),
        sa.Column("acknowledged_on", sa.Date(), nullable=True),
        sa.Column("ombudsman_referred_on", sa.Date(), nullable=True),
        sa.Column("ombudsman_reference", sa.String(length=40), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["concern_id"], ["concerns.id"], name=op.f("fk_complaint_entries_concern_id_concerns")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_complaint_entries_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_complaint_entries_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_entries")),
    )
    with op.batch_alter_table("complaint_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_entries_concern_id"), ["concern_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_complaint_entries_kind"), ["kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_complaint_entries_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_complaint_entries_received_on"), ["received_on"], unique=False
        )

    op.create_table(
        "complaint_stages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.SmallInteger(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("extension_reason", sa.Text(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "upheld",
                "partly_upheld",
                "not_upheld",
                "withdrawn",
                name="stageoutcome",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("response", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["complaint_entries.id"],
            name=op.f("fk_complaint_stages_entry_id_complaint_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_stages")),
        sa.UniqueConstraint("entry_id", "number", name=op.f("uq_complaint_stages_entry_id")),
    )
    with op.batch_alter_table("complaint_stages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_stages_answered_on"), ["answered_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_complaint_stages_due_on"), ["due_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_complaint_stages_entry_id"), ["entry_id"], unique=False
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("complaints_officer", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("complaints_officer")

    with op.batch_alter_table("complaint_stages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_stages_entry_id"))
        batch_op.drop_index(batch_op.f("ix_complaint_stages_due_on"))
        batch_op.drop_index(batch_op.f("ix_complaint_stages_answered_on"))

    op.drop_table("complaint_stages")
    with op.batch_alter_table("complaint_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_entries_received_on"))
        batch_op.drop_index(batch_op.f("ix_complaint_entries_person_id"))
        batch_op.drop_index(batch_op.f("ix_complaint_entries_kind"))
        batch_op.drop_index(batch_op.f("ix_complaint_entries_concern_id"))

    op.drop_table("complaint_entries")
