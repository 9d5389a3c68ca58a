"""A task about a case, for a person or a team, due by a day (and a time, if given)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.models import Agency, User
from core.concerns.models import Concern
from core.db import UTCDateTime, enum_column, utcnow
from core.extensions import db
from core.reference import Labelled


class TaskTeam(Labelled):
    """The teams a task can be for. The safeguarding team works in shifts: in core hours
    it is the day team, outside them the out-of-hours team (the same people may work
    both: Derbyshire's day social workers do night shifts, seeds/002). A partner agency's
    team is its named safeguarding contacts (users with ``safeguarding_contact``)."""

    DAY = ("day", "The day team")
    OUT_OF_HOURS = ("out_of_hours", "The out-of-hours team")
    AGENCY = ("agency", "An agency's safeguarding contacts")


class TaskStatus(Labelled):
    OPEN = ("open", "Open")
    DONE = ("done", "Done")
    CANCELLED = ("cancelled", "Cancelled")


class Task(db.Model):
    """Something one person or team asks another to do about a case, by a time."""

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    # the case (concern) it is about; purged with it
    concern_id: Mapped[int] = mapped_column(sa.ForeignKey("concerns.id"), index=True)
    # one line: what is asked
    title: Mapped[str] = mapped_column(sa.String(200))
    # what the person doing it needs to know
    details: Mapped[str | None] = mapped_column(sa.Text)
    # the day it is due (shown), and the moment it becomes overdue: the time given that
    # day, else the end of the day (local time)
    due_on: Mapped[date] = mapped_column(sa.Date)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # whether a time was given (else it is due by the end of the day)
    due_time_given: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # for a person ...
    assignee_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # ... or for a team; an agency's contacts name the agency
    assignee_team: Mapped[TaskTeam | None] = mapped_column(enum_column(TaskTeam), index=True)
    assignee_agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    status: Mapped[TaskStatus] = mapped_column(
        enum_column(TaskStatus), default=TaskStatus.OPEN, index=True
    )
    # who set it, when, and whether it came from the out-of-hours handover
    set_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    from_handover: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # done: by whom, when, and what was done
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    completion_note: Mapped[str | None] = mapped_column(sa.Text)
    # cancelled: by whom, when and why
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)
    # bumped on every change; the API's ETag, and the guard against lost updates
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    concern: Mapped[Concern] = relationship()
    assignee_user: Mapped[User | None] = relationship(foreign_keys=[assignee_user_id])
    assignee_agency: Mapped[Agency | None] = relationship(foreign_keys=[assignee_agency_id])
    set_by: Mapped[User] = relationship(foreign_keys=[set_by_id])
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])
    cancelled_by: Mapped[User | None] = relationship(foreign_keys=[cancelled_by_id])

    def __repr__(self) -> str:
        return f"<Task {self.id} {self.status.value} concern={self.concern_id}>"

    @property
    def assignee_label(self) -> str:
        """Who it is for, as a sentence says it ("for the day team")."""
        if self.assignee_user is not None:
            return self.assignee_user.name
        if self.assignee_team == TaskTeam.AGENCY and self.assignee_agency is not None:
            return f"{self.assignee_agency.name}'s safeguarding contacts"
        return self.assignee_team.label.lower() if self.assignee_team else "nobody"

    def is_overdue(self, now: datetime) -> bool:
        return self.status == TaskStatus.OPEN and self.due_at < now

    @property
    def overdue(self) -> bool:
        """Open, and due before now."""
        return self.is_overdue(utcnow())
