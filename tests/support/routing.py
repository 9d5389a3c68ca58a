"""URL builders shared between the many apps the tests build.

Every test builds a fresh app, and werkzeug writes and compiles a small Python function
for each of its ~250 URL rules, twice (``Rule._compile_builder``): two fifths of
``create_app``. The function depends only on the rule's parts and defaults; the rule's
own converters are reached through ``self`` when a URL is built. So a rule with the same
parts reuses the function compiled for the first, bound to itself as werkzeug binds it.
The production server builds its one app as werkzeug does.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing.rules import Rule

_compile_builder = Rule._compile_builder
_builders: dict[tuple[Any, ...], Any] = {}


def _shared_builder(rule: Rule, append_unknown: bool = True) -> Any:
    defaults = rule.defaults or {}
    key = (
        tuple(rule._trace),
        append_unknown,
        tuple(sorted((name, repr(value)) for name, value in defaults.items())),
        tuple(sorted((name, type(conv)) for name, conv in rule._converters.items())),
    )
    builder = _builders.get(key)
    if builder is None:
        builder = _builders[key] = _compile_builder(rule, append_unknown)
    return builder


def share_url_builders() -> None:
    Rule._compile_builder = _shared_builder  # type: ignore[method-assign]
