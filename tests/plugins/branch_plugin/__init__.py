"""A throwaway plugin with a table of its own, brought by its own Alembic branch.

Its table is declared on its own MetaData so that loading this module in the test process
does not add it to the core's models (the core's drift check stays about the core).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from plugins import PurgedCase, hookimpl

VERSIONS = str(Path(__file__).parent / "versions")
metadata = sa.MetaData()
home_visits = sa.Table(
    "branch_plugin_home_visits",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("concern_id", sa.ForeignKey("concerns.id"), nullable=False),
    sa.Column("visited_on", sa.Date, nullable=False),
)


class BranchPlugin:
    """Keeps home visits, and deletes a case's visits when the case is purged."""

    __name__ = "test.branch_plugin"

    def __init__(self) -> None:
        self.purged: list[PurgedCase] = []

    @hookimpl
    def register_migrations(self) -> list[str]:
        return [VERSIONS]

    @hookimpl
    def case_purging(self, case: PurgedCase, connection: sa.Connection) -> None:
        self.purged.append(case)
        connection.execute(home_visits.delete().where(home_visits.c.concern_id == case.concern_id))
