"""Who has seen a case: safeguarding managers read the access log's entries about a case
and its person (page, CSV and API alike); administrators filter the access log to any
record; everyone else is refused, and the refusal is logged."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from core.accesslog.models import AccessLogEntry
from core.auth.roles import Role
from core.extensions import db
from tests.api.conftest import ApiClient, make_token
from tests.concerns.test_concerns_api import concern_body


def _two_cases(app, factory):
    officer_id = factory.user(role=Role.SAFEGUARDING_OFFICER, email="reader@example.org")
    officer = ApiClient(app.test_client(), make_token(app, officer_id))
    seen = officer.post("/api/v1/concerns/", json=concern_body()).json
    other = officer.post("/api/v1/concerns/", json=concern_body()).json
    officer.get(f"/api/v1/concerns/{seen['id']}")  # a read of the case
    officer.get(f"/api/v1/concerns/{other['id']}")  # a read of another case
    return officer, seen, other


def test_a_manager_sees_who_read_the_case_and_its_person_on_the_page_csv_and_api(
    app, auth, client, factory
):
    _, seen, other = _two_cases(app, factory)
    manager_id = auth.as_role(Role.SAFEGUARDING_MANAGER, email="manager@example.org")
    case_page = client.get(f"/concerns/{seen['id']}").get_data(as_text=True)
    assert f"/concerns/{seen['id']}/seen-by" in case_page

    page = client.get(f"/concerns/{seen['id']}/seen-by")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "concern.view" in text and "concern.create" in text
    assert "reader@example.org" not in text  # names, never email addresses

    exported = client.get(f"/concerns/{seen['id']}/seen-by.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0] == ["When (UTC)", "User", "Agency", "Action", "Record", "Outcome"]
    records = {row[4] for row in rows[1:]}
    assert records <= {f"concern {seen['id']}", f"person {seen['person']['id']}"}
    assert f"concern {seen['id']}" in records
    assert f"concern {other['id']}" not in records

    manager = ApiClient(app.test_client(), make_token(app, manager_id))
    listed = manager.get(f"/api/v1/concerns/{seen['id']}/seen-by?page_size=100").json
    assert listed["total"] == len(rows) - 1 + 1  # and the read that made the CSV
    api_records = {f"{e['object_type']} {e['object_id']}" for e in listed["items"]}
    assert f"concern {other['id']}" not in api_records
    views = [e for e in listed["items"] if e["action"] == "concern.view"]
    assert {e["outcome"] for e in views} == {"allowed"}
    assert all(e["user_name"] for e in views)


def test_an_officer_is_refused_and_the_refusal_is_logged(app, auth, client, factory):
    _, seen, _ = _two_cases(app, factory)
    officer_id = auth.as_role(Role.SAFEGUARDING_OFFICER)
    assert client.get(f"/concerns/{seen['id']}/seen-by").status_code == 403
    officer = ApiClient(app.test_client(), make_token(app, officer_id))
    assert officer.get(f"/api/v1/concerns/{seen['id']}/seen-by").status_code == 403
    with app.app_context():
        refused = db.session.scalars(
            sa.select(AccessLogEntry.action).where(
                AccessLogEntry.user_id == officer_id, AccessLogEntry.outcome == "denied"
            )
        ).all()
    assert len(refused) == 2


def test_an_administrator_filters_the_access_log_to_one_record(app, auth, client, factory):
    _, seen, other = _two_cases(app, factory)
    admin_id = auth.as_role(Role.ADMINISTRATOR)
    page = client.get(f"/admin/access-log/?object_type=concern&object_id={seen['id']}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f"Who has seen <strong>concern {seen['id']}</strong>" in text
    assert f"concern {other['id']}" not in text
    with app.app_context():
        reader = db.session.scalar(
            sa.text("SELECT name FROM users WHERE email = 'reader@example.org'")
        )
    assert f'<td class="govuk-table__cell">{reader}</td>' in text  # by name, not an id
    admin = ApiClient(app.test_client(), make_token(app, admin_id))
    listed = admin.get(f"/api/v1/access-log/?object_type=concern&object_id={other['id']}").json
    assert listed["total"] >= 2
    assert {(e["object_type"], e["object_id"]) for e in listed["items"]} == {
        ("concern", str(other["id"]))
    }
    assert reader in {e["user_name"] for e in listed["items"]}
    concerns = admin.get("/api/v1/access-log/?object_type=concern&page_size=100").json
    assert {e["object_type"] for e in concerns["items"]} == {"concern"}
