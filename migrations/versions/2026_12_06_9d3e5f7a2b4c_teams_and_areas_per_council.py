"""Teams and areas per council area

Issue 23, item 1: each council area keeps its own teams and areas (a name is unique within
a council, no longer across the instance). Existing teams and areas are the first
council's: the one a single council's instance has.

Revision ID: 9d3e5f7a2b4c
Revises: 8c2d4e6f1a3b
Create Date: 2026-12-06 02:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9d3e5f7a2b4c"
down_revision = "8c2d4e6f1a3b"
branch_labels = None
depends_on = None

FILL = {
    "teams": "UPDATE teams SET council_id = (SELECT MIN(id) FROM councils)",
    "localities": "UPDATE localities SET council_id = (SELECT MIN(id) FROM councils)",
}


def upgrade():
    for table, statement in FILL.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("council_id", sa.Integer(), nullable=True))
        op.execute(sa.text(statement))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("council_id", existing_type=sa.Integer(), nullable=False)
            batch_op.drop_constraint(batch_op.f(f"uq_{table}_name"), type_="unique")
            batch_op.create_unique_constraint(
                batch_op.f(f"uq_{table}_council_id"), ["council_id", "name"]
            )
            batch_op.create_index(
                batch_op.f(f"ix_{table}_council_id"), ["council_id"], unique=False
            )
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_council_id_councils"), "councils", ["council_id"], ["id"]
            )


def downgrade():
    # names unique across the instance again: one kept per name (the first council's
    # first), the others renamed with their council's id
    for table in ("localities", "teams"):
        op.execute(
            sa.text(
                f"UPDATE {table} SET name = name || ' (' || council_id || ')' "  # noqa: S608
                f"WHERE id NOT IN (SELECT MIN(id) FROM {table} GROUP BY name)"
            )
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(
                batch_op.f(f"fk_{table}_council_id_councils"), type_="foreignkey"
            )
            batch_op.drop_index(batch_op.f(f"ix_{table}_council_id"))
            batch_op.drop_constraint(batch_op.f(f"uq_{table}_council_id"), type_="unique")
            batch_op.create_unique_constraint(batch_op.f(f"uq_{table}_name"), ["name"])
            batch_op.drop_column("council_id")
