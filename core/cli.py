"""``flask --app core ...``: every area's commands, registered on the app."""

from __future__ import annotations

from flask import Flask

from core.accesslog.cli import access_log_cli
from core.agencies.cli import agencies_cli
from core.api.cli import tokens_cli
from core.audits.cli import audits_cli
from core.backups.cli import backup_cli
from core.demo.cli import demo_cli
from core.home.cli import plugins_cli
from core.jobs.cli import worker
from core.mail.cli import mail_cli
from core.meetings.cli import reminders_cli
from core.retention.cli import retention_cli
from core.returns.cli import figures_cli, returns_cli
from core.teams.cli import councils_cli
from core.users.cli import users_cli


def register_commands(app: Flask) -> None:

    for group in (
        users_cli,
        agencies_cli,
        access_log_cli,
        plugins_cli,
        demo_cli,
        tokens_cli,
        reminders_cli,
        mail_cli,
        backup_cli,
        retention_cli,
        audits_cli,
        returns_cli,
        figures_cli,
        councils_cli,
    ):
        app.cli.add_command(group)
    app.cli.add_command(worker)
