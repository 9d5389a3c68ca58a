"""Attendance audit indexes; one live invitation per agency and meeting

The attendance audit reads its figures from covering indexes alone (index-only scans
that PostgreSQL can run in parallel): the meetings held in a period with their status
and type, and per meeting each invitation's agency, outcome, withdrawal and whether it
was on the standard list. A small partial index finds the standard invitations that
were withdrawn. The audit counts a conference's attending agencies by counting live
invitations; scheduling already refuses to invite an agency twice, and a partial unique
index makes the database refuse it too (two requests at once included).

Revision ID: 5d0c3a7e91b2
Revises: b8b712ce9e0d
Create Date: 2026-11-23 13:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5d0c3a7e91b2"
down_revision = "b8b712ce9e0d"
branch_labels = None
depends_on = None

LIVE = sa.text("removed_at IS NULL")
WITHDRAWN_STANDARD = sa.text("removed_at IS NOT NULL AND standard")


def upgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_meetings_held_at")
        batch_op.create_index(
            "ix_meetings_held_at_status_type", ["held_at", "status", "type", "id"], unique=False
        )
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_index("ix_invitations_meeting_agency_outcome")
        batch_op.create_index(
            "ix_invitations_attendance",
            ["meeting_id", "agency_id", "outcome", "removed_at", "standard"],
            unique=False,
        )
        batch_op.create_index(
            "ix_invitations_withdrawn_standard",
            ["meeting_id", "agency_id"],
            unique=False,
            sqlite_where=WITHDRAWN_STANDARD,
            postgresql_where=WITHDRAWN_STANDARD,
        )
        batch_op.create_index(
            "uq_invitations_live_meeting_agency",
            ["meeting_id", "agency_id"],
            unique=True,
            sqlite_where=LIVE,
            postgresql_where=LIVE,
        )


def downgrade():
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_index("uq_invitations_live_meeting_agency")
        batch_op.drop_index("ix_invitations_withdrawn_standard")
        batch_op.drop_index("ix_invitations_attendance")
        batch_op.create_index(
            "ix_invitations_meeting_agency_outcome",
            ["meeting_id", "agency_id", "outcome"],
            unique=False,
        )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_meetings_held_at_status_type")
        batch_op.create_index("ix_meetings_held_at", ["held_at"], unique=False)
