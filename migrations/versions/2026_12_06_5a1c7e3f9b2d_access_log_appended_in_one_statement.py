"""The access log appended in one statement on PostgreSQL

``access_log_append(entries)`` takes the log's lock, reads the chain's head and inserts the
entries, each chained to the one before it, in one round trip: the lock that serialises
every commit that logs is held for that statement and the commit, no longer for three
statements and the waits between them (core/accesslog/operations.py). The hash is the one
the application computes (``entry_hash``): SHA-256 of the previous row's hash, a unit
separator and the row's content, which the application sends as text.

Revision ID: 5a1c7e3f9b2d
Revises: 2dbf8aac967a
Create Date: 2026-12-06 16:05:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "5a1c7e3f9b2d"
down_revision = "2dbf8aac967a"
branch_labels = None
depends_on = None

# the advisory lock 0x5347484C ("SGHL") serialises the appends
APPEND = """
CREATE FUNCTION access_log_append(entries jsonb) RETURNS void AS $$
DECLARE
    head text;
    entry jsonb;
BEGIN
    PERFORM pg_advisory_xact_lock(1397245004);
    SELECT row_hash INTO head FROM access_log ORDER BY id DESC LIMIT 1;
    head := coalesce(head, repeat('0', 64));
    FOR entry IN SELECT value FROM jsonb_array_elements(entries) LOOP
        INSERT INTO access_log (
            occurred_at, user_id, agency_id, action, object_type, object_id, remote_addr,
            outcome, prev_hash, row_hash
        ) VALUES (
            (entry ->> 'occurred_at')::timestamptz,
            (entry ->> 'user_id')::integer,
            (entry ->> 'agency_id')::integer,
            entry ->> 'action',
            entry ->> 'object_type',
            entry ->> 'object_id',
            entry ->> 'remote_addr',
            entry ->> 'outcome',
            head,
            encode(sha256(convert_to(head || chr(31) || (entry ->> 'content'), 'UTF8')), 'hex')
        ) RETURNING row_hash INTO head;
    END LOOP;
END
$$ LANGUAGE plpgsql
"""


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS access_log_append(jsonb)")
