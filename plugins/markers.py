"""The pluggy markers. Kept apart so hook specs and plugins can both import them."""

from __future__ import annotations

import pluggy

PROJECT_NAME = "safeguarding_hub"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
