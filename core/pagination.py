"""Server-side pagination for page lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import request

from core.extensions import db

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100
# Lists count their matches up to this many (or ten pages past the one shown, if further):
# counting every one of hundreds of thousands of concerns on each request is what made the
# list slow at scale, and past this a pager's exact total helps nobody.
COUNT_UP_TO = 10_000


@dataclass
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int
    # True when counting stopped at ``total``: there are more matches than that
    more: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages or self.more

    @property
    def total_text(self) -> str:
        """The count as a person reads it: "1,234", or "more than 10,000"."""
        return f"more than {self.total:,}" if self.more else f"{self.total:,}"


def _int_arg(name: str, default: int) -> int:
    try:
        return min(max(1, int(request.args.get(name, default))), 1_000_000)
    except (TypeError, ValueError):
        return default


def paginate_rows(query: sa.Select[Any], per_page: int = DEFAULT_PER_PAGE) -> Page:
    """Like paginate, for queries that select several columns: items are row tuples."""
    return paginate(query, per_page, scalars=False)


def paginate(query: sa.Select[Any], per_page: int = DEFAULT_PER_PAGE, scalars: bool = True) -> Page:
    page = _int_arg("page", 1)
    per_page = min(_int_arg("per_page", per_page), MAX_PER_PAGE)
    up_to = max(COUNT_UP_TO, (page + 10) * per_page)
    counted = db.session.execute(
        sa.select(sa.func.count()).select_from(query.order_by(None).limit(up_to + 1).subquery())
    ).scalar_one()
    result = db.session.execute(query.limit(per_page).offset((page - 1) * per_page))
    items = list(result.scalars() if scalars else result.all())
    return Page(
        items=items, page=page, per_page=per_page, total=min(counted, up_to), more=counted > up_to
    )
