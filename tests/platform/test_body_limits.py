"""Request bodies too large for their kind are refused with 413 before they are read:
a page's form (``MAX_FORM_BYTES``), a multipart upload (``MAX_UPLOAD_BYTES``) and an API
body (``MAX_API_BODY_BYTES``), even on pages open to anyone (the sign-in form)."""

from __future__ import annotations

import json

from core.auth.roles import Role
from tests.api.conftest import make_token

MIB = 1024 * 1024


def test_a_form_larger_than_the_limit_is_refused_on_the_sign_in_page(client):
    body = "email=a%40example.org&password=" + "x" * (2 * MIB)
    response = client.post("/sign-in", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True).lower()


def test_an_api_body_larger_than_the_limit_is_a_413_problem(app, factory):
    token = make_token(app, factory.user(role=Role.SAFEGUARDING_OFFICER))
    body = json.dumps({"description": "x" * (2 * MIB)})
    response = app.test_client().post(
        "/api/v1/concerns/",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"
    assert response.json["status"] == 413


def test_an_upload_may_be_larger_than_a_form_but_not_than_its_own_limit(client):
    def upload(size: int):
        boundary = "sgh-boundary"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\n'
                "a@example.org\r\n"
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                'filename="report.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
            ).encode()
            + b"%" * size
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return client.post(
            "/sign-in", data=body, content_type=f"multipart/form-data; boundary={boundary}"
        )

    # 2 MiB: over the form limit, within the upload limit, so the sign-in form's own
    # checks answer (its CSRF token is missing), not the size limit
    assert upload(2 * MIB).status_code == 400
    assert upload(7 * MIB).status_code == 413


def test_the_limits_are_settings(app_factory, factory):
    app = app_factory(MAX_API_BODY_BYTES=1000)
    token = make_token(app, factory.user(role=Role.SAFEGUARDING_OFFICER))
    response = app.test_client().post(
        "/api/v1/concerns/",
        data=json.dumps({"description": "x" * 2000}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 413
