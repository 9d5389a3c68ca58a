"""Case file sampling as the teams run it

A case file audit records the limits its sample was drawn with (a team, an area,
out-of-hours or day-time cases, adults' or children's cases) and the month its audit year
began in. Audits drawn before this were calendar quarters: they keep year_starts = 1, so
their year and quarter mean what they meant; new audits take AUDIT_YEAR_STARTS (default 4,
the financial year).

Revision ID: b7d41e9a2c60
Revises: 5e1c0a9d7b42
Create Date: 2026-12-05 21:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7d41e9a2c60"
down_revision = "5e1c0a9d7b42"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("casefile_audits", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("year_starts", sa.SmallInteger(), server_default="1", nullable=False)
        )
        batch_op.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("locality_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("out_of_hours", sa.Boolean(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "case_type",
                sa.Enum("adult", "child", name="casetype", native_enum=False, length=40),
                nullable=True,
            )
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_casefile_audits_team_id_teams"), "teams", ["team_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_casefile_audits_locality_id_localities"),
            "localities",
            ["locality_id"],
            ["id"],
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_casefile_audits_year_starts_month"), "year_starts BETWEEN 1 AND 12"
        )


def downgrade():
    with op.batch_alter_table("casefile_audits", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_casefile_audits_year_starts_month"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_casefile_audits_locality_id_localities"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("fk_casefile_audits_team_id_teams"), type_="foreignkey")
        batch_op.drop_column("case_type")
        batch_op.drop_column("out_of_hours")
        batch_op.drop_column("locality_id")
        batch_op.drop_column("team_id")
        batch_op.drop_column("year_starts")
