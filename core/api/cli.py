from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from core.auth.operations import find_user_by_email
from core.errors import ValidationFailed
from core.extensions import db
from core.users.operations import DEFAULT_DAYS, create_token

tokens_cli = AppGroup("tokens", help="API bearer tokens.")


@tokens_cli.command("create")
@click.option("--email", required=True, help="The user the token acts as.")
@click.option("--name", required=True, help="What the token is for, e.g. the partner system.")
@click.option("--days", default=DEFAULT_DAYS, show_default=True, type=int)
def create(email: str, name: str, days: int) -> None:
    """Create a token; the token itself is printed alone on the last line, once."""
    user = find_user_by_email(email)
    if user is None:
        click.echo(f"email: no user with the email address {email!r}", err=True)
        sys.exit(2)
    try:
        token, secret = create_token(user, name, days)
    except ValidationFailed as failed:
        db.session.rollback()
        for field, messages in failed.errors.items():
            click.echo(f"{field}: {' '.join(messages)}", err=True)
        sys.exit(2)
    db.session.commit()
    click.echo(
        f"Token {token.id} '{token.name}' expires {token.expires_at:%Y-%m-%d}. Keep it secret:"
    )
    click.echo(secret)
