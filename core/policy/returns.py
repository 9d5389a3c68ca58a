"""The returns are figures: whoever the route lets in reads any of them. A page of one
SAC table names it by its code, the record type here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.policy.resources import Resource, declare
from core.returns.sac import TABLE_CODES


@dataclass(frozen=True)
class TableCode:
    """A SAC table's code as the return spells it (``SG2a``): its id in the access log."""

    id: str


def _table_code(_: Any, code: Any, __: Any) -> TableCode | None:
    return next((TableCode(c) for c in TABLE_CODES if c.lower() == str(code).lower()), None)


SAC_TABLE = declare(
    Resource("sac_table", "code", _table_code, denied="returns.sac.view", object_type="return")
)
