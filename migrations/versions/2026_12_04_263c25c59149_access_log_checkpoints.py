"""Access log checkpoints: the chain's head, signed with a key outside the database

Append-only like the log itself (triggers refuse UPDATE and DELETE).

Revision ID: 263c25c59149
Revises: b19c77cebe30
Create Date: 2026-12-04 06:20:50.537665

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "263c25c59149"
down_revision = "b19c77cebe30"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "access_log_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log_checkpoints")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION access_log_checkpoints_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'access_log_checkpoints is append-only';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER access_log_checkpoints_append_only BEFORE UPDATE OR DELETE "
            "ON access_log_checkpoints FOR EACH ROW "
            "EXECUTE FUNCTION access_log_checkpoints_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER access_log_checkpoints_no_{event.lower()} BEFORE {event} "
                "ON access_log_checkpoints "
                "BEGIN SELECT RAISE(ABORT, 'access_log_checkpoints is append-only'); END"
            )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "DROP TRIGGER IF EXISTS access_log_checkpoints_append_only ON access_log_checkpoints"
        )
        op.execute("DROP FUNCTION IF EXISTS access_log_checkpoints_append_only()")
    op.drop_table("access_log_checkpoints")
