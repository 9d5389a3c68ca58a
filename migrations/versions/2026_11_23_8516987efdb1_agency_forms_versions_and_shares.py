"""Agency forms, their versions and shares; crime suspected on concerns

Revision ID: 8516987efdb1
Revises: 2791dff128fc
Create Date: 2026-11-23 11:00:35.059005

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "8516987efdb1"
down_revision = "2791dff128fc"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "form_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_name", sa.String(length=100), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("concern_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "subject_type IN ('concern', 'meeting', 'plan', 'establishment', 'agency')",
            name=op.f("ck_form_submissions_subject_type"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_form_submissions_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["concern_id"], ["concerns.id"], name=op.f("fk_form_submissions_concern_id_concerns")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_form_submissions_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_form_submissions_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_submissions")),
    )
    with op.batch_alter_table("form_submissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_form_submissions_concern_id"), ["concern_id"], unique=False
        )
        batch_op.create_index(
            "ix_form_submissions_form_agency", ["form_name", "agency_id"], unique=False
        )
        batch_op.create_index(
            "ix_form_submissions_subject", ["subject_type", "subject_id"], unique=False
        )

    op.create_table(
        "form_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("shared_by_id", sa.Integer(), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_form_shares_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["shared_by_id"], ["users.id"], name=op.f("fk_form_shares_shared_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["form_submissions.id"],
            name=op.f("fk_form_shares_submission_id_form_submissions"),
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"], ["users.id"], name=op.f("fk_form_shares_withdrawn_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_shares")),
    )
    with op.batch_alter_table("form_shares", schema=None) as batch_op:
        batch_op.create_index(
            "ix_form_shares_agency_submission", ["agency_id", "submission_id"], unique=False
        )
        batch_op.create_index("ix_form_shares_submission", ["submission_id"], unique=False)

    op.create_table(
        "form_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("saved_by_id", sa.Integer(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["saved_by_id"], ["users.id"], name=op.f("fk_form_versions_saved_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["form_submissions.id"],
            name=op.f("fk_form_versions_submission_id_form_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_versions")),
        sa.UniqueConstraint("submission_id", "number", name=op.f("uq_form_versions_submission_id")),
    )
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submission_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_case_events_submission_id"), ["submission_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_case_events_submission_id_form_submissions"),
            "form_submissions",
            ["submission_id"],
            ["id"],
        )

    with op.batch_alter_table("concerns", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("crime_suspected", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("concerns", schema=None) as batch_op:
        batch_op.drop_column("crime_suspected")

    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_case_events_submission_id_form_submissions"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_case_events_submission_id"))
        batch_op.drop_column("submission_id")

    op.drop_table("form_versions")
    with op.batch_alter_table("form_shares", schema=None) as batch_op:
        batch_op.drop_index("ix_form_shares_submission")
        batch_op.drop_index("ix_form_shares_agency_submission")

    op.drop_table("form_shares")
    with op.batch_alter_table("form_submissions", schema=None) as batch_op:
        batch_op.drop_index("ix_form_submissions_subject")
        batch_op.drop_index("ix_form_submissions_form_agency")
        batch_op.drop_index(batch_op.f("ix_form_submissions_concern_id"))

    op.drop_table("form_submissions")
