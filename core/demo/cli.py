from __future__ import annotations

import sys
import time
from dataclasses import replace
from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup

from core.demo.generate import SCALES, GenerateRefused, generate
from core.demo.operations import (
    DEMO_CHILDREN,
    DEMO_PASSWORD,
    DEMO_USERS,
    add_caseload,
    load_caseload,
    load_demo,
)
from core.returns import summary

demo_cli = AppGroup("demo", help="Demo data for trying the system out (never in production).")


def _refuse_in_production() -> None:
    if current_app.config["ENV_NAME"] == "production":
        click.echo("Refusing to load demo data in production.", err=True)
        sys.exit(2)


@demo_cli.command("load")
@click.option(
    "--children",
    type=click.IntRange(0, 100_000),
    default=DEMO_CHILDREN,
    show_default=True,
    help="Children's cases to add when the database has none yet.",
)
@click.option(
    "--accounts-only",
    is_flag=True,
    help="Only the council, its partner agencies and the demo accounts: no cases.",
)
def load(children: int, accounts_only: bool) -> None:
    """Create the demo council, its partners, one user per role, a caseload of children's
    cases over the last 18 months and the work in hand today: adults' concerns in every
    state, meetings, plans, agency forms and audits (safe to re-run: adds only what is
    missing)."""
    _refuse_in_production()
    agencies, users = load_demo()
    made = {} if accounts_only else load_caseload(children)
    summary.rebuild()  # the dashboard's figures, counted with the new cases
    click.echo(
        f"Demo data ready ({agencies} agencies and {users} users added, "
        f"{made.get('children', 0)} children's cases and {made.get('adults', 0)} adults' "
        "concerns added)."
    )
    click.echo(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
    for user in DEMO_USERS:
        click.echo(f"  {user.email:<24} {user.role.label}")


@demo_cli.command("children")
@click.option("--count", type=click.IntRange(1, 100_000), required=True)
@click.option(
    "--until",
    type=click.DateTime(["%Y-%m-%d"]),
    help="The last day of the 18 months of referrals (default: today).",
)
@click.option("--seed", type=int, default=47, show_default=True)
def children_command(count: int, until: datetime | None, seed: int) -> None:
    """Add COUNT children's cases: referrals, assessments, section 47 enquiries,
    conferences, child protection and child in need plans and closures."""
    _refuse_in_production()
    load_demo()
    made = add_caseload(count, until.date() if until else None, seed)
    summary.rebuild()
    click.echo(", ".join(f"{count} {kind}" for kind, count in made.items()) + " added.")


@demo_cli.command("generate")
@click.option(
    "--scale",
    type=click.Choice(sorted(SCALES)),
    required=True,
    help="county: about 100,000 concerns; national: about 3 million concerns, "
    "2 million meetings and 12 million invitations.",
)
@click.option(
    "--concerns",
    type=click.IntRange(1, 10_000_000),
    help="Make this many concerns instead (meetings and the rest in proportion).",
)
@click.option("--years", type=click.IntRange(1, 20), default=5, show_default=True)
def generate_command(scale: str, concerns: int | None, years: int) -> None:
    """Fill an empty PostgreSQL database with synthetic cases for load tests (set-based SQL;
    never in production)."""
    chosen = SCALES[scale]
    if concerns:
        chosen = replace(chosen, concerns=concerns)
    click.echo(
        f"Generating {chosen.concerns:,} concerns over {years} years "
        f"({scale} scale, {chosen.areas} council area{'s' if chosen.areas > 1 else ''})…"
    )
    began = time.perf_counter()
    try:
        counts = generate(chosen, current_app.config["ENV_NAME"], years=years, report=click.echo)
    except GenerateRefused as refused:
        click.echo(str(refused), err=True)
        sys.exit(2)
    total = sum(counts.values())
    click.echo(f"Done: {total:,} rows in {time.perf_counter() - began:.1f} s.")
    began = time.perf_counter()
    summary.rebuild()  # written in SQL, which no flush saw: the dashboard's figures
    click.echo(f"Dashboard figures counted in {time.perf_counter() - began:.1f} s.")
