"""Council areas

An instance may serve one council or several (issue 23, item 1): councils, the council a
user works for and a case was received by, and the councils an agency serves. Every
existing user, case, attendance audit and case file audit belongs to the one council made here ("The
council", which administrators may rename), and every existing agency serves it, so a
single-council instance sees no change.

Revision ID: 774e10b06068
Revises: 3f1a9c2e7d58
Create Date: 2026-12-05 23:00:31.493429

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "774e10b06068"
down_revision = "3f1a9c2e7d58"
branch_labels = None
depends_on = None

DEFAULT_NAME = "The council"  # as core/auth/councils.py DEFAULT_NAME

# the dashboard's summary tables (migration 3f1a9c2e7d58), counted per council from here
FIGURES = (
    "figures_received",
    "figures_closed",
    "figures_decided",
    "figures_screening",
    "figures_alleged",
)


def upgrade():
    op.create_table(
        "councils",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_councils")),
        sa.UniqueConstraint("name", name=op.f("uq_councils_name")),
    )
    op.create_table(
        "agency_councils",
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_agency_councils_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_agency_councils_council_id_councils")
        ),
        sa.PrimaryKeyConstraint("agency_id", "council_id", name=op.f("pk_agency_councils")),
    )
    with op.batch_alter_table("agency_councils", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agency_councils_council_id"), ["council_id"], unique=False
        )

    # the one council every existing row belongs to (the first id of a new table)
    op.execute(
        sa.text(
            "INSERT INTO councils (name, active, version, created_at) "
            "VALUES (:name, :active, 1, CURRENT_TIMESTAMP)"
        ).bindparams(name=DEFAULT_NAME, active=True)
    )
    op.execute(
        sa.text(
            "INSERT INTO agency_councils (agency_id, council_id) "
            "SELECT id, (SELECT MIN(id) FROM councils) FROM agencies"
        )
    )
    fill = {
        "concerns": "UPDATE concerns SET council_id = (SELECT MIN(id) FROM councils)",
        "users": "UPDATE users SET council_id = (SELECT MIN(id) FROM councils)",
        "attendance_audits": (
            "UPDATE attendance_audits SET council_id = (SELECT MIN(id) FROM councils)"
        ),
        "casefile_audits": (
            "UPDATE casefile_audits SET council_id = (SELECT MIN(id) FROM councils)"
        ),
    }
    for table, statement in fill.items():
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
    # the dashboard's summary is counted per council from now on: emptied, with its state,
    # it is counted again from the records by the next figures run (the page counts
    # directly until then)
    for table in (*FIGURES, "figures_pending", "figures_state"):
        op.execute(sa.table(table).delete())
    for table in FIGURES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("council_id", sa.Integer(), nullable=False))


def downgrade():
    for table in (*FIGURES, "figures_pending", "figures_state"):
        op.execute(sa.table(table).delete())
    for table in FIGURES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("council_id")
    for table in ("casefile_audits", "attendance_audits", "users", "concerns"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(
                batch_op.f(f"fk_{table}_council_id_councils"), type_="foreignkey"
            )
            batch_op.drop_index(batch_op.f(f"ix_{table}_council_id"))
            batch_op.drop_column("council_id")

    with op.batch_alter_table("agency_councils", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agency_councils_council_id"))

    op.drop_table("agency_councils")
    op.drop_table("councils")
