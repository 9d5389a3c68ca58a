"""Concluding a case's section 42 or other enquiry through the API, as a partner system
or a test that closes a case would."""

from __future__ import annotations

from typing import Any

from core.clocks import to_local
from core.db import utcnow


def conclude_enquiry(api: Any, concern_id: int, **fields: Any) -> Any:
    """PATCH the enquiry with today's conclusion date, an outcome of "no risk identified
    and no action taken" unless ``fields`` say otherwise, and the ETag just read."""
    url = f"/api/v1/concerns/{concern_id}/enquiry"
    read = api.get(url)
    assert read.status_code == 200, read.json
    body = {
        "concluded_on": to_local(utcnow()).date().isoformat(),
        "risk_outcome": "none_no_action",
    }
    if read.json["msp_asked"] == "asked_expressed":
        body["msp_achieved"] = "fully"
    if read.json["lacked_capacity"] == "yes":
        body["advocacy"] = "yes"
    return api.patch(url, json=body | fields, headers={"If-Match": read.headers["ETag"]})
