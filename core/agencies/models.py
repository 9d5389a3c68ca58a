"""Agencies: the council's own teams and every partner organisation."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.db import UTCDateTime, utcnow
from core.extensions import db


class Agency(db.Model):
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
    # bumped on every change; the API's ETag, and the guard against lost updates
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Agency {self.id} {self.type}>"
