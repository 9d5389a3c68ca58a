"""Front-end assets built from the govuk-frontend npm package (see package.json)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("assets", __name__)


@bp.app_context_processor
def asset_paths() -> dict[str, str]:
    return {"assetPath": "/static/build/assets"}
