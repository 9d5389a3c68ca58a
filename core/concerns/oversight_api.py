"""Management oversight and the body map through the API, with the pages' rules: the
case page shows a case's supervisions and injuries to whoever may see the case;
safeguarding managers record oversight and list the open cases without it; case workers
mark injuries (a module of its own beside core/concerns/api.py)."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from flask_login import current_user

from core.api.conventions import (
    Blueprint,
    PageArgs,
    page_schema,
    paginate,
)
from core.concerns import operations
from core.concerns.models import Concern
from core.concerns.oversight_schemas import (
    BodyMapMarkSchema,
    SupervisionSchema,
    WithoutOversightSchema,
)
from core.pipeline import logged, record

oversight_blp = Blueprint(
    "oversight_api", __name__, url_prefix="", description="Management oversight"
)
body_map_blp = Blueprint(
    "body_map_api", __name__, url_prefix="/concerns", description="The body map"
)
CONCERN = "/<id:concern_id>"


@oversight_blp.get(
    "/oversight", "concerns.supervise", PageArgs, page_schema(WithoutOversightSchema)
)
@logged("concern.oversight_list", object_type="concern")
def list_without_oversight(args: dict[str, Any]) -> dict[str, Any]:
    """Open cases whose last management oversight (or, without one, receipt) is older
    than OVERSIGHT_WEEKS, those never supervised first, then the oldest."""
    weeks = int(current_app.config["OVERSIGHT_WEEKS"])
    query = operations.without_oversight(weeks, current_user.council_id)
    return paginate(query, args["page"], args["page_size"], scalars=False)


@oversight_blp.get(
    "/concerns" + CONCERN + "/supervisions", "concerns.view", None, SupervisionSchema(many=True)
)
@logged("concern.supervisions", object_type="concern", object_id="concern_id")
@record("concern", "supervisions")
def list_supervisions(concern: Concern) -> Any:
    """The case's management oversight, newest first, as the case page shows it."""
    return operations.supervisions_of(concern)


@oversight_blp.post(
    "/concerns" + CONCERN + "/supervisions",
    "concerns.supervise",
    SupervisionSchema,
    SupervisionSchema,
    status=201,
)
@record("concern")
def add_supervision(data: dict[str, Any], concern: Concern) -> Any:
    """Record management oversight of the case: when, what was discussed and decided,
    and the next steps (safeguarding managers)."""
    supervision = operations.record_supervision(concern, data, current_user)
    return supervision, {"Location": url_for(".list_supervisions", concern_id=concern.id)}


@body_map_blp.get(CONCERN + "/body-map", "concerns.view", None, BodyMapMarkSchema(many=True))
@logged("concern.view", object_type="concern", object_id="concern_id")
@record("concern", "body_map")
def get_body_map(concern: Concern) -> Any:
    """The injuries marked on the case's body map, in the order they were marked, as
    the case page shows them."""
    return operations.body_map_of(concern)


@body_map_blp.post(
    CONCERN + "/body-map", "concerns.body_map", BodyMapMarkSchema, BodyMapMarkSchema, status=201
)
@record("concern")
def add_body_map_mark(data: dict[str, Any], concern: Concern) -> Any:
    """Mark an injury on the body map: front or back, where (``x`` and ``y`` on the
    outline if known), its size, colour and description, who saw it and when."""
    mark = operations.add_body_map_mark(concern, data, current_user)
    return mark, {"Location": url_for(".get_body_map", concern_id=concern.id)}
