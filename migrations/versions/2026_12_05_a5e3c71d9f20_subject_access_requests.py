"""Subject access requests

A manager records a person's request for their records (UK GDPR Article 15), due one
month after it was received (Article 12(3)), and produces the export kept with it: one
row a request. No existing data changes.

Revision ID: a5e3c71d9f20
Revises: ea165155734e
Create Date: 2026-12-05 20:30:27.553536

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a5e3c71d9f20"
down_revision = "ea165155734e"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "subject_access_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("identity_checked", sa.String(length=500), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "received", "produced", "sent", name="requeststatus", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("export", sa.JSON(), nullable=True),
        sa.Column("produced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("produced_by_id", sa.Integer(), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_subject_access_requests_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["produced_by_id"],
            ["users.id"],
            name=op.f("fk_subject_access_requests_produced_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_subject_access_requests_recorded_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_id"], ["users.id"], name=op.f("fk_subject_access_requests_sent_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_access_requests")),
    )
    with op.batch_alter_table("subject_access_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subject_access_requests_due_on"), ["due_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_subject_access_requests_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_subject_access_requests_status"), ["status"], unique=False
        )


def downgrade():
    with op.batch_alter_table("subject_access_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subject_access_requests_status"))
        batch_op.drop_index(batch_op.f("ix_subject_access_requests_person_id"))
        batch_op.drop_index(batch_op.f("ix_subject_access_requests_due_on"))

    op.drop_table("subject_access_requests")
