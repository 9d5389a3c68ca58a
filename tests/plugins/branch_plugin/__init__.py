"""A throwaway plugin with a table of its own, brought by its own Alembic branch.

Its table is declared on its own MetaData so that loading this module in the test process
does not add it to the core's models (the core's drift check stays about the core).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from plugins import hookimpl

metadata = sa.MetaData()
home_visits = sa.Table(
    "branch_plugin_home_visits",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("concern_id", sa.ForeignKey("concerns.id"), nullable=False),
    sa.Column("visited_on", sa.Date, nullable=False),
)


class BranchPlugin:
    __name__ = "test.branch_plugin"

    @hookimpl
    def register_migrations(self) -> list[str]:
        return [str(Path(__file__).parent / "versions")]
