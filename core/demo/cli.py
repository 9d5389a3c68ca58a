from __future__ import annotations

import sys
import time
from dataclasses import replace

import click
from flask import current_app
from flask.cli import AppGroup

from core.demo.generate import SCALES, GenerateRefused, generate
from core.demo.operations import DEMO_PASSWORD, DEMO_USERS, load_demo

demo_cli = AppGroup("demo", help="Demo data for trying the system out (never in production).")


@demo_cli.command("load")
def load() -> None:
    """Create the demo council, its partners and one user per role (safe to re-run)."""
    if current_app.config["ENV_NAME"] == "production":
        click.echo("Refusing to load demo data in production.", err=True)
        sys.exit(2)
    agencies, users = load_demo()
    click.echo(f"Demo data ready ({agencies} agencies and {users} users added).")
    click.echo(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
    for user in DEMO_USERS:
        click.echo(f"  {user.email:<24} {user.role.label}")


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
