"""Accounts: the agencies users belong to, users, their server-side sign-in sessions,
password resets and API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from core.auth.roles import Role
from core.db import UTCDateTime, enum_column, utcnow
from core.extensions import db


class Kept:
    """A list administrators keep (councils, teams, areas): deactivated, never deleted,
    once in use; every change bumps its version, the API's ETag and the guard against
    lost updates."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # an inactive one keeps its cases and users but is not offered for new ones
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}>"


class CouncilList(Kept):
    """One of a council's own lists (its teams, its areas): a name unique in the council."""

    # as people say it, e.g. "Adult safeguarding team", "Sedgemoor"
    name: Mapped[str] = mapped_column(sa.String(200))
    council_id: Mapped[int] = mapped_column(sa.ForeignKey("councils.id"), index=True)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[sa.UniqueConstraint]:
        return (sa.UniqueConstraint("council_id", "name"),)


class Council(Kept, db.Model):
    """A council area of the instance: a single-council instance has exactly one (the
    migration makes it, or :func:`core.auth.councils.default_council_id` on an empty
    database), a regional or hosted one several. Users and cases belong to one, agencies
    serve one or more (``agency_councils``). Not a ``Locality``, which is an area *inside*
    a council. Kept by administrators (core/councils/); deactivated, never deleted."""

    __tablename__ = "councils"

    # as people say it, e.g. "Northshire County Council"
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)


# the councils an agency serves: a police force or an NHS trust may serve several; the
# council's own teams serve their council
agency_councils = sa.Table(
    "agency_councils",
    db.metadata,
    sa.Column("agency_id", sa.ForeignKey("agencies.id"), primary_key=True),
    sa.Column("council_id", sa.ForeignKey("councils.id"), primary_key=True, index=True),
)


class Agency(db.Model):
    """The council's own teams and every partner organisation; every user belongs to one
    (its pages and operations are core/agencies/)."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    # code of a registered agency type (core or plugin), e.g. ``police``
    type: Mapped[str] = mapped_column(sa.String(60), index=True)
    # NHS Organisation Data Service code, for NHS bodies
    ods_code: Mapped[str | None] = mapped_column(sa.String(10), unique=True)
    # Care Quality Commission provider or location id, for registered care providers
    cqc_code: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    # inactive agencies keep their history but take no new users or invitations
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # a shared safeguarding team mailbox that gets the agency's case emails with its
    # named contacts (users with safeguarding_contact)
    team_mailbox: Mapped[str | None] = mapped_column(sa.String(254))
    # bumped on every change; the API's ETag, and the guard against lost updates
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # the council areas it serves (one or more)
    councils: Mapped[list[Council]] = relationship(
        secondary=agency_councils, order_by="Council.name"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Agency {self.id} {self.type}>"


class Team(CouncilList, db.Model):
    """A team of the council's safeguarding service (the adult safeguarding team, the
    children's assessment team, the Emergency Duty Team...): who holds a case. Kept by
    administrators (core/teams/); deactivated, never deleted, once in use."""

    __tablename__ = "teams"


class Locality(CouncilList, db.Model):
    """A local area inside the council (Somerset's "Taunton & WS, Sedgemoor, Mendip, South
    Somerset"), labelled "Area" on pages; not a council area of a multi-council instance.
    Kept by administrators (core/teams/); deactivated, never deleted, once in use."""

    __tablename__ = "localities"


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # sign-in name, stored lower case
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    # full name as shown to colleagues
    name: Mapped[str] = mapped_column(sa.String(200))
    # every user belongs to exactly one agency
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    # the council area the user works for (a partner agency's staff: the council that gave
    # them their account); council staff see their council's cases only
    council_id: Mapped[int] = mapped_column(sa.ForeignKey("councils.id"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))
    # argon2id hash; never the password
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    # a disabled user cannot sign in and their sessions end at once
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # one of the agency's named safeguarding contacts: its case emails come to them
    safeguarding_contact: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # a safeguarding-team user's team (core/teams/): the default holder of the cases they record
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    # the council's complaints officer: keeps the complaints and compliments log whatever
    # the role (council staff only; core/policy/routes.py grants it)
    complaints_officer: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # bumped on every change; the API's ETag, and the guard against lost updates
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # TOTP shared secret (base32); set when enrolment starts, cleared by a reset
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    # when the user proved their authenticator works; None: no second factor yet
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the last 30-second time-step whose code was accepted; a code is never taken twice
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)

    agency: Mapped[Agency] = relationship()
    council: Mapped[Council] = relationship()
    team: Mapped[Team | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value} agency={self.agency_id}>"

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)


class UserSession(db.Model):
    """One sign-in. The cookie carries a random id whose hash is stored here, so that
    signing out or disabling the account ends the session on the server."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the random session id held in the signed cookie
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # set when the session ends; the cookie is then worthless
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # signed_out, idle, disabled, ended_by_administrator
    ended_reason: Mapped[str | None] = mapped_column(sa.String(40))

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<UserSession {self.id} user={self.user_id} ended={self.ended_at is not None}>"


class PasswordReset(db.Model):
    """A single-use password reset link sent by email. Only the token's hash is kept."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # SHA-256 of the random token in the emailed link
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # set when the link is used, or when a newer link replaces it
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<PasswordReset {self.id} user={self.user_id} used={self.used_at is not None}>"


class ApiToken(db.Model):
    """A named bearer token of one user. Only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # what the owner called it, e.g. "Police case system"
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # the first characters of the token, to tell tokens apart on the page
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # who revoked it: the owner or an administrator
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} user={self.user_id} revoked={self.revoked_at is not None}>"

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now and self.user.active
