"""Council areas of complaints, discharges, subject access requests and handovers

Issue 23, item 1: the records that were the whole instance's belong to a council area too.
A complaints log entry is its case's council's (else the recording user's), a hospital
discharge the notifying practitioner's, a subject access request the recording manager's,
an out-of-hours handover the accepting day-team member's. Existing rows take the council
of that case or user, which is the instance's first council (made by 774e10b06068) unless
councils were added since. (Contact follow-ups and PiPoT referrals belong to their case's
council, and training records to the councils their agency serves: no column.)

Revision ID: 8c2d4e6f1a3b
Revises: 774e10b06068
Create Date: 2026-12-06 02:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "8c2d4e6f1a3b"
down_revision = "774e10b06068"
branch_labels = None
depends_on = None

# each table's council, from the row it follows, else the first council
FILL = {
    "complaint_entries": (
        "UPDATE complaint_entries SET council_id = COALESCE("
        "(SELECT council_id FROM concerns WHERE concerns.id = complaint_entries.concern_id), "
        "(SELECT council_id FROM users WHERE users.id = complaint_entries.recorded_by_id), "
        "(SELECT MIN(id) FROM councils))"
    ),
    "hospital_discharges": (
        "UPDATE hospital_discharges SET council_id = COALESCE("
        "(SELECT council_id FROM users WHERE users.id = hospital_discharges.notified_by_id), "
        "(SELECT MIN(id) FROM councils))"
    ),
    "subject_access_requests": (
        "UPDATE subject_access_requests SET council_id = COALESCE("
        "(SELECT council_id FROM users WHERE users.id = subject_access_requests.recorded_by_id), "
        "(SELECT MIN(id) FROM councils))"
    ),
    "handovers": (
        "UPDATE handovers SET council_id = COALESCE("
        "(SELECT council_id FROM users WHERE users.id = handovers.accepted_by_id), "
        "(SELECT MIN(id) FROM councils))"
    ),
}


def upgrade():
    for table, statement in FILL.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("council_id", sa.Integer(), nullable=True))
        op.execute(sa.text(statement))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("council_id", existing_type=sa.Integer(), nullable=False)
            batch_op.create_index(
                batch_op.f(f"ix_{table}_council_id"), ["council_id"], unique=False
            )
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_council_id_councils"), "councils", ["council_id"], ["id"]
            )


def downgrade():
    for table in reversed(list(FILL)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(
                batch_op.f(f"fk_{table}_council_id_councils"), type_="foreignkey"
            )
            batch_op.drop_index(batch_op.f(f"ix_{table}_council_id"))
            batch_op.drop_column("council_id")
