"""/api/v1/teams, /api/v1/areas and /api/v1/councils: the lists administrators keep, each
read by every signed-in user and kept by those with its permission. The three are one
declaration (:func:`_kept_list`): the same four operations, names and rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_login import current_user

from core.api.conventions import Blueprint, documented_update
from core.auth.models import Council, Kept, Locality, Team
from core.pipeline import logged, record
from core.policy import teams as _record_types  # noqa: F401  (declares "team", "locality", "council")
from core.policy.routes import signed_in
from core.teams import operations
from core.teams.schemas import NamedListArgs, NamedSchema, NamedUpdateSchema

blp = Blueprint("teams_api", __name__, url_prefix="/teams", description="Teams")
areas_blp = Blueprint(
    "areas_api", __name__, url_prefix="/areas", description="Areas (localities in the council)"
)
councils_blp = Blueprint(
    "councils_api",
    __name__,
    url_prefix="/councils",
    description="Council areas of the instance (one for a single council)",
)


def _named(function: Callable[..., Any], name: str, doc: str) -> Callable[..., Any]:
    """``function`` under the endpoint ``name``, its docstring the operation's description."""
    function.__name__ = function.__qualname__ = name
    function.__doc__ = doc
    return function


def _kept_list(
    on: Blueprint,
    model: type[Kept],
    kind: str,
    names: tuple[str, str],
    permission: str,
    what: tuple[str, str],
) -> None:
    """List (``list_<many>``), add (``create_<one>``), read (``get_<one>``) and change
    (``update_<one>``) a kept list ``model``, whose record type is ``kind``, ``names`` being
    (one, many) and ``what`` how the descriptions name (one, all); a council's own list (a
    team, an area) is the user's council's."""
    (one, many), (a, listed) = names, what
    own = () if model is Council else None

    def council() -> tuple[int, ...]:
        return own if own is not None else (current_user.council_id,)

    def listing(args: dict[str, Any]) -> Any:
        return operations.listed(model, args.get("active"), *council())

    def adding(data: dict[str, Any]) -> Any:
        return operations.create(model, *council(), **data)

    def reading(**records: Any) -> Any:
        return records[kind]

    def changing(data: dict[str, Any], **records: Any) -> Any:
        return operations.update(records[kind], **data)

    by_id = f"/<id:{kind}_id>"
    on.route("/", methods=["GET"])(
        signed_in(
            on.arguments(NamedListArgs, location="query")(
                on.response(200, NamedSchema(many=True))(
                    logged(f"{kind}.list", object_type=kind)(
                        _named(listing, f"list_{many}", f"{listed}, by name.")
                    )
                )
            )
        )
    )
    on.post("/", permission, NamedSchema, NamedSchema, status=201)(
        _named(adding, f"create_{one}", f"Add {a} (administrators).")
    )
    on.route(by_id, methods=["GET"])(
        signed_in(
            on.response(200, NamedSchema)(
                logged(f"{kind}.view", object_type=kind, object_id=f"{kind}_id")(
                    record(kind)(
                        _named(
                            reading,
                            f"get_{one}",
                            f"One {a.split(' ', 1)[1]}; the ETag is what a later PATCH "
                            "sends as If-Match.",
                        )
                    )
                )
            )
        )
    )
    on.patch(by_id, permission, NamedUpdateSchema, NamedSchema)(
        documented_update(on)(
            record(kind)(
                _named(
                    changing,
                    f"update_{one}",
                    f"Rename {a} or take it out of use (``active`` false); needs If-Match.",
                )
            )
        )
    )


_kept_list(
    blp,
    Team,
    "team",
    ("team", "teams"),
    "teams.manage",
    ("a team", "The teams of the user's council"),
)
_kept_list(
    areas_blp,
    Locality,
    "locality",
    ("area", "areas"),
    "teams.manage",
    ("an area", "The local areas inside the user's council"),
)
_kept_list(
    councils_blp,
    Council,
    "council",
    ("council", "councils"),
    "councils.manage",
    ("a council area", "The council areas the instance serves"),
)
