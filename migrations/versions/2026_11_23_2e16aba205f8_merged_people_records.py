"""Merged people records: when, by whom and why

Revision ID: 2e16aba205f8
Revises: 4b7a383d32b1
Create Date: 2026-11-23 10:37:54.030129

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "2e16aba205f8"
down_revision = "4b7a383d32b1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("merged_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("merge_reason", sa.Text(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_people_merged_into_id"), ["merged_into_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_people_merged_by_id_users"), "users", ["merged_by_id"], ["id"]
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_people_not_self_merged"),
            "merged_into_id IS NULL OR merged_into_id <> id",
        )


def downgrade():
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_people_not_self_merged"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_people_merged_by_id_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_people_merged_into_id"))
        batch_op.drop_column("merge_reason")
        batch_op.drop_column("merged_by_id")
        batch_op.drop_column("merged_at")
