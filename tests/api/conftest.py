from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from core.auth.roles import Role


class ApiClient:
    """Calls the API with one user's bearer token."""

    def __init__(self, client: FlaskClient, token: str):
        self.client = client
        self.token = token

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} | (extra or {})

    def get(self, url: str, **headers: str) -> Any:
        return self.client.get(url, headers=self.headers(headers))

    def post(self, url: str, json: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(url, json=json, headers=self.headers(headers))

    def put(self, url: str, json: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.client.put(url, json=json, headers=self.headers(headers))

    def patch(self, url: str, json: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.client.patch(url, json=json, headers=self.headers(headers))

    def delete(self, url: str, headers: dict[str, str] | None = None) -> Any:
        return self.client.delete(url, headers=self.headers(headers))


def make_token(app: Flask, user_id: int, days: int = 30) -> str:
    from core.auth.models import User
    from core.extensions import db
    from core.policy.routes import must_enrol
    from core.users.operations import create_token
    from tests.support.totp import enrol

    with app.app_context():
        needs_second_factor = must_enrol(db.session.get(User, user_id))
    if needs_second_factor:  # administrators and board members: tokens need a second factor
        enrol(app, user_id)
    with app.app_context():
        _, secret = create_token(db.session.get(User, user_id), "test token", days)
        db.session.commit()
    return secret


@pytest.fixture
def api_as(app: Flask, client: FlaskClient, factory: Any) -> Any:
    """``api_as(Role.X)`` makes a user with that role and an API client for them."""

    def build(role: Role = Role.ADMINISTRATOR, **user_kwargs: Any) -> ApiClient:
        user_id = factory.user(role=role, **user_kwargs)
        api = ApiClient(client, make_token(app, user_id))
        api.user_id = user_id  # type: ignore[attr-defined]
        return api

    return build
