from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

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
