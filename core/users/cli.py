"""``flask --app core users ...``: accounts from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from core.agencies import operations as agency_operations
from core.auth import twofactor
from core.auth.councils import find_council
from core.auth.operations import find_user_by_email
from core.auth.roles import Role
from core.errors import ValidationFailed, exit_on
from core.extensions import db
from core.users import operations as user_operations

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--agency", "agency_name", required=True, help="Agency name or id.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option(
    "--council", "council_name", default=None, help="Council name or id (default: the first)."
)
def create_user(
    email: str,
    name: str,
    agency_name: str,
    role: str,
    password_stdin: bool,
    council_name: str | None,
) -> None:
    """Create a user; the password is asked for, or read from standard input."""
    agency = agency_operations.find_agency(agency_name)
    if agency is None:
        click.echo(f"agency: no agency called {agency_name!r}", err=True)
        sys.exit(2)
    council = find_council(council_name) if council_name else None
    if council_name and council is None:
        click.echo(f"council: no council called {council_name!r}", err=True)
        sys.exit(2)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = user_operations.create_user(
            email=email,
            name=name,
            agency_id=agency.id,
            role=role,
            password=password,
            council_id=council.id if council else None,
        )
    except ValidationFailed as failed:
        exit_on(failed)
    db.session.commit()
    click.echo(f"Created user {user.id} ({user.role.value}) in agency {agency.id}.")


@users_cli.command("reset-two-factor")
@click.option("--email", required=True)
def reset_two_factor(email: str) -> None:
    """Remove a user's second factor (a lost authenticator) and end their sessions."""

    user = find_user_by_email(email)
    if user is None:
        click.echo(f"email: no user with the email address {email!r}", err=True)
        sys.exit(2)
    twofactor.reset(user)
    db.session.commit()
    click.echo(f"Two-factor sign-in of user {user.id} reset; they set it up at their next sign-in.")
