"""Home visits (the branch plugin's own table)

Revision ID: b1a2c3d4e5f6
Revises:
Create Date: 2026-11-23 12:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b1a2c3d4e5f6"
down_revision = None
branch_labels = ("branch_plugin",)
depends_on = "8b7695f28d4f"  # the core revision that creates concerns


def upgrade():
    op.create_table(
        "branch_plugin_home_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concern_id", sa.Integer(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["concern_id"], ["concerns.id"], name="fk_branch_plugin_home_visits_concern_id"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_branch_plugin_home_visits"),
    )


def downgrade():
    op.drop_table("branch_plugin_home_visits")
