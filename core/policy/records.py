"""Loading one record through an object rule: the record if the user may see it, or
None with the refusal logged, exactly as for a record that does not exist."""

from __future__ import annotations

from typing import Any, TypeVar

import sqlalchemy as sa

from core.accesslog import operations as access_log
from core.extensions import db

R = TypeVar("R")


def load_visible(visible: sa.Select[tuple[R]], model: Any, record_id: int, name: str) -> R | None:
    """``visible`` is the rule's query of what the user may see; ``name`` is the kind of
    record as the access log names it (``concern`` logs a refused ``concern.view``)."""
    record = db.session.execute(visible.where(model.id == record_id)).scalar_one_or_none()
    if record is None:
        access_log.record_denied(f"{name}.view", object_type=name, object_id=record_id)
    return record
