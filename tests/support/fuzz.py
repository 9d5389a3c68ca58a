"""Schemathesis over one API operation with several users' tokens: each drawn case is
sent once as each user (drawing costs as much as answering), and every response must be
no 5xx and as the document says."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)


@schemathesis.check
def no_undocumented_server_error(ctx: Any, response: Any, case: Any) -> bool | None:
    """No 5xx but those the operation documents as its answer about a part outside the app
    (sending the outbox: 503 with no mail server configured, 502 when it cannot be reached):
    the same rule as schemathesis's own check otherwise."""
    if str(response.status_code) in case.operation.responses.status_codes:
        return None
    return not_a_server_error(ctx, response, case)


CHECKS = [
    no_undocumented_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def exercise(
    operation: Any, tokens: dict[str, str], examples: int, base_url: str | None = None
) -> None:
    """Draw ``examples`` cases of ``operation`` and call each as every user in
    ``tokens`` (name: bearer token), in-process or against ``base_url``."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case: Any) -> None:
        for name, token in tokens.items():
            try:
                case.call_and_validate(
                    base_url=base_url, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS
                )
            except Exception as failure:
                failure.add_note(f"as {name}" + (", served" if base_url else ""))
                raise

    run()
