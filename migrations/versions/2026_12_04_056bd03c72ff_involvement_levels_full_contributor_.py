"""Involvement levels: full, contributor, implicated

An involved agency sees the case at a level (issue 19, item 1): every involvement so far
is full, as access was all or nothing, except where the agency is the provider operating
the establishment of a concern whose source of risk is a service provider: that provider
is implicated at once, as a new concern would make it (``core/concerns/operations.py``).

The note of an involvement for owning an action held the action's wording, which every
agency involved in full read on the list of agencies (issue 19, item 8: an agency sees
only the actions it owns, everywhere): it is cleared, and so is the wording in the
timeline entry of a plan action added ("Plan action for X, due D: <wording>"). The
wording stays on the plan and the meeting, for its owner and the safeguarding team.

Revision ID: 056bd03c72ff
Revises: 4e6ddea75806
Create Date: 2026-12-04 21:25:05.555020

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "056bd03c72ff"
down_revision = "4e6ddea75806"
branch_labels = None
depends_on = None

IMPLICATED_BECAUSE = (
    "It runs the establishment and the source of risk is a service provider "
    "(set when involvement levels were introduced)"
)


def upgrade():
    with op.batch_alter_table("involvements", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "level",
                sa.Enum(
                    "full",
                    "contributor",
                    "implicated",
                    name="involvementlevel",
                    native_enum=False,
                    length=40,
                ),
                server_default="full",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("level_reason", sa.Text(), nullable=True))
    op.execute(
        sa.text(
            "UPDATE involvements SET level = 'implicated', level_reason = :reason "
            "WHERE EXISTS (SELECT 1 FROM concerns JOIN establishments "
            "ON establishments.id = concerns.establishment_id "
            "WHERE concerns.id = involvements.concern_id "
            "AND concerns.source_of_risk = 'service_provider' "
            "AND establishments.provider_agency_id = involvements.agency_id)"
        ).bindparams(reason=IMPLICATED_BECAUSE)
    )
    op.execute(sa.text("UPDATE involvements SET note = NULL WHERE reason = 'action_owner'"))
    connection = op.get_bind()
    entries = connection.execute(
        sa.text("SELECT id, summary FROM case_events WHERE kind = 'plan.action'")
    ).all()
    for entry_id, summary in entries:
        if ": " in summary:
            connection.execute(
                sa.text("UPDATE case_events SET summary = :summary WHERE id = :id"),
                {"summary": summary.split(": ", 1)[0], "id": entry_id},
            )


def downgrade():
    with op.batch_alter_table("involvements", schema=None) as batch_op:
        batch_op.drop_column("level_reason")
        batch_op.drop_column("level")
