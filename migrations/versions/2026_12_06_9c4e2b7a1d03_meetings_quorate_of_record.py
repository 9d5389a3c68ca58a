"""A held meeting keeps its verdict on quoracy (meetings.quorate)

The attendance audit counts the quorate conferences from the meetings alone, through the
covering index on meetings, which now carries the verdict. Recording a meeting held, and
correcting an outcome afterwards, store it under the quorum rule of the day.

Existing held meetings are left without a verdict (NULL): quorum rules come from the
plugins and the ``QUORUM_RULES`` setting, which a migration does not read. The audit works
out the conferences with none under today's rule, exactly as before, so its figures are
right straight after this migration; to make it fast again, store them once after
upgrading, under today's rule (set-based, a few minutes for millions of meetings):

    flask --app core audits requorate

Revision ID: 9c4e2b7a1d03
Revises: 507d9f7f053e
Create Date: 2026-12-06 03:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9c4e2b7a1d03"
down_revision = "507d9f7f053e"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quorate", sa.Boolean(), nullable=True))
        batch_op.drop_index("ix_meetings_held_at_status_type")
        batch_op.create_index(
            "ix_meetings_held_at_status_type",
            ["held_at", "status", "type", "id", "quorate"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_meetings_held_at_status_type")
        batch_op.create_index(
            "ix_meetings_held_at_status_type", ["held_at", "status", "type", "id"], unique=False
        )
        batch_op.drop_column("quorate")
