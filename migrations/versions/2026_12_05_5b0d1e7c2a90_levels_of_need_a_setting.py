"""Levels of need a setting

A child's level of need is one of the council's levels (LEVELS_OF_NEED, 2 to 9 of them;
core/concerns/needs.py), no longer 1 to 4 only (issue 25, item 9). Recorded levels are
kept.

Revision ID: 5b0d1e7c2a90
Revises: 8ee92be730b5
Create Date: 2026-12-05 20:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5b0d1e7c2a90"
down_revision = "8ee92be730b5"
branch_labels = None
depends_on = None


RANGES = {
    4: "level_of_need IS NULL OR level_of_need BETWEEN 1 AND 4",
    9: "level_of_need IS NULL OR level_of_need BETWEEN 1 AND 9",
}


def _range(most: int) -> None:
    with op.batch_alter_table("concerns", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_concerns_level_of_need_range"), type_="check")
        batch_op.create_check_constraint("level_of_need_range", sa.text(RANGES[most]))


def upgrade():
    _range(9)


def downgrade():
    # a level above 4 has no place in the four-level model: it is left unassessed
    op.execute(sa.text("UPDATE concerns SET level_of_need = NULL WHERE level_of_need > 4"))
    _range(4)
