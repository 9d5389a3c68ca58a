"""The council areas of an instance: the default one, and the checks shared when a user,
an agency or a concern names one. A single-council instance has one council and needs no
setting: the migration that brought councils in made it (named ``DEFAULT_NAME``, which
administrators may change) and gave it every existing row; on a database emptied since,
the first user, agency or case made creates it again."""

from __future__ import annotations

import sys
from typing import Any

import click
import sqlalchemy as sa

from core.auth.models import Council
from core.db import record_id
from core.extensions import db

DEFAULT_NAME = "The council"


def default_council_id() -> int:
    """The instance's first council (the only one of a single-council instance), made
    when there is none yet."""
    found = db.session.scalar(sa.select(sa.func.min(Council.id)))
    if found is not None:
        return int(found)
    council = Council(name=DEFAULT_NAME)
    db.session.add(council)
    db.session.flush()
    return council.id


def several() -> bool:
    """Whether the instance serves more than one council (pages show the council then)."""
    return (db.session.scalar(sa.select(sa.func.count(Council.id))) or 0) > 1


def find_council(name_or_id: str) -> Council | None:
    """A council by its id or its name (any case), for the command line."""
    if name_or_id.strip().isdigit():
        wanted = record_id(name_or_id)
        return db.session.get(Council, wanted) if wanted else None
    return db.session.scalar(
        sa.select(Council).where(sa.func.lower(Council.name) == name_or_id.strip().lower())
    )


def command_council(given: str | None) -> int | None:
    """The council a command line run is for (``--council``, by name or id). A
    single-council instance needs none (None: its only council); an instance of several
    must be told, and an unknown council is refused: said on stderr, exit status 2."""
    if given:
        council = find_council(given)
        if council is None:
            click.echo(f"council: no council called {given!r}", err=True)
            sys.exit(2)
        return council.id
    if not several():
        return None
    councils = db.session.scalars(sa.select(Council).order_by(Council.id))
    listed = ", ".join(f"{c.id} {c.name}" for c in councils)
    click.echo(
        f"council: this instance serves several councils; say which with --council "
        f"(name or id): {listed}",
        err=True,
    )
    sys.exit(2)


def council_option(function: Any) -> Any:
    """The ``--council`` option of a command that works for one council area."""
    return click.option(
        "--council",
        "council",
        default=None,
        help="The council area, by name or id (needed when the instance serves several).",
    )(function)
