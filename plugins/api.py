"""What a plugin needs to add JSON API resources that follow the platform's conventions.

See docs/api.md. Plugins import these from here, not from ``core``.
"""

from core.api.conventions import (
    PageArgs,
    documented_create,
    documented_update,
    etag_for,
    id_field,
    idempotent,
    page_schema,
    paginate,
    require_if_match,
    transactional,
    validation_as_422,
)
from core.errors import abort

__all__ = [
    "PageArgs",
    "abort",
    "documented_create",
    "documented_update",
    "etag_for",
    "id_field",
    "idempotent",
    "page_schema",
    "paginate",
    "require_if_match",
    "transactional",
    "validation_as_422",
]
