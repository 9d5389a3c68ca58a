"""Retention reaches emails, case file audits and stored API responses

Emails name the meeting they are about; a case file review outlives its case (purged
under retention) in a closed audit's figures; an idempotency key keeps the path it was
sent to.

Revision ID: b19c77cebe30
Revises: 5d0c3a7e91b2
Create Date: 2026-11-23 13:20:00.000000

"""

import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b19c77cebe30"
down_revision = "5d0c3a7e91b2"
branch_labels = None
depends_on = None

CHUNK = 500
# reminder:<answer|report|action>:<invitation or meeting action id>:<day>
REMINDER = re.compile(r"^reminder:(answer|report|action):(\d+):")
CALENDAR_UID = re.compile(r"^UID:(.+?)\r?$", re.MULTILINE)


def upgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meeting_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_message_meeting_id"), ["meeting_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_message_meeting_id_meetings"), "meetings", ["meeting_id"], ["id"]
        )
    with op.batch_alter_table("casefile_reviews", schema=None) as batch_op:
        batch_op.alter_column("concern_id", existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_path", sa.String(length=500), nullable=True))
    _link_queued_meeting_emails(op.get_bind())


def _link_queued_meeting_emails(connection):
    """Name the meeting of each email queued before this revision: a reminder's dedupe
    key names its invitation or meeting action; an invitation, change, cancellation or
    withdrawal carries the meeting's UID in its calendar file."""
    by_item = {"answer": {}, "report": {}, "action": {}}
    reminders = connection.execute(
        sa.text(
            "SELECT id, dedupe_key FROM outbox_message "
            "WHERE kind = 'meeting.reminder' AND dedupe_key IS NOT NULL"
        )
    )
    for message_id, key in reminders:
        match = REMINDER.match(key)
        if match:
            by_item[match.group(1)][message_id] = int(match.group(2))
    invitations = {**by_item["answer"], **by_item["report"]}
    links = _meetings_of(connection, "invitations", "id", invitations)
    links |= _meetings_of(connection, "meeting_actions", "id", by_item["action"])
    by_uid = {}
    calendars = connection.execute(
        sa.text(
            "SELECT a.message_id, a.content FROM outbox_attachment a "
            "JOIN outbox_message m ON m.id = a.message_id "
            "WHERE m.kind LIKE 'meeting.%' AND a.content_type LIKE 'text/calendar%'"
        )
    )
    for message_id, content in calendars:
        unfolded = bytes(content).decode("utf-8", "replace").replace("\r\n ", "")
        match = CALENDAR_UID.search(unfolded)
        if match:
            by_uid[message_id] = match.group(1)
    links |= _meetings_of(connection, "meetings", "uid", by_uid)
    for message_id, meeting_id in links.items():
        connection.execute(
            sa.text("UPDATE outbox_message SET meeting_id = :meeting WHERE id = :message"),
            {"meeting": meeting_id, "message": message_id},
        )


def _meetings_of(connection, table, key, wanted):
    """{message id: meeting id} for messages whose item (the row of ``table`` with
    ``key`` equal to ``wanted[message id]``) belongs to a meeting, a chunk at a time."""
    meeting = "id" if table == "meetings" else "meeting_id"
    rows = sa.table(table, sa.column(key), sa.column(meeting))
    found = {}
    values = sorted(set(wanted.values()))
    for start in range(0, len(values), CHUNK):
        chunk = values[start : start + CHUNK]
        query = sa.select(rows.c[key], rows.c[meeting]).where(rows.c[key].in_(chunk))
        found.update(dict(connection.execute(query).all()))
    return {message: found[item] for message, item in wanted.items() if item in found}


def downgrade():
    # a review whose case was purged cannot point at a case again: it is deleted
    op.execute(
        "DELETE FROM casefile_answers WHERE review_id IN "
        "(SELECT id FROM casefile_reviews WHERE concern_id IS NULL)"
    )
    op.execute("DELETE FROM casefile_reviews WHERE concern_id IS NULL")
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_column("request_path")
    with op.batch_alter_table("casefile_reviews", schema=None) as batch_op:
        batch_op.alter_column("concern_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_outbox_message_meeting_id_meetings"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_outbox_message_meeting_id"))
        batch_op.drop_column("meeting_id")
