"""Figures read by council and day

A council's dashboard reads its days of a period from the per-day summary tables through
(council_id, day): with the day alone, a hosted instance of 150 councils read every
council's rows of the period (1.4 s against 150 ms for the national-scale dashboard,
benchmarks/RESULTS.md).

Revision ID: 2dbf8aac967a
Revises: 9c4e2b7a1d03
Create Date: 2026-12-06 03:20:33.194941

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "2dbf8aac967a"
down_revision = "9c4e2b7a1d03"
branch_labels = None
depends_on = None

TABLES = (
    "figures_alleged",
    "figures_closed",
    "figures_decided",
    "figures_received",
    "figures_screening",
)


def upgrade():
    for table in TABLES:
        op.create_index(f"ix_{table}_council_id_day", table, ["council_id", "day"])


def downgrade():
    for table in TABLES:
        op.drop_index(f"ix_{table}_council_id_day", table_name=table)
