"""Merging two records of the same person: managers only, with a reason, nothing lost."""

from __future__ import annotations

from datetime import date

from core.auth.roles import Role
from tests.api.conftest import ApiClient, make_token
from tests.conftest import csrf_token
from tests.people.conftest import nhs_number


def _merge(client, first, other, reason="Same person recorded twice by two referrers", keep=None):
    url = f"/people/{first}/merge?other_id={other}"
    data = {"csrf_token": csrf_token(client, url), "other_id": str(other)}
    return client.post(url, data=data | {"keep": str(keep or first), "reason": reason})


def _pair(records):
    number = nhs_number(700100200)
    keep = records.person(given_name="Hilda", family_name="Fairweather", nhs_number=number)
    duplicate = records.person(
        given_name="Hilda",
        family_name="Fairweather",
        date_of_birth=date(1939, 2, 14),
        address="12 Mill Row, Northshire",
        sex="female",
    )
    return keep, duplicate


def test_manager_merges_records_and_concerns_and_history_move(records, auth, client):
    keep, duplicate = _pair(records)
    kept_concern = records.concern(keep)
    moved = records.concern(duplicate)
    auth.as_role(Role.SAFEGUARDING_MANAGER)

    chooser = client.get(f"/people/{keep}/merge?other_id={duplicate}").get_data(as_text=True)
    assert f"Record {duplicate}" in chooser and "Which record should be kept?" in chooser
    response = _merge(client, keep, duplicate)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == f"/people/{keep}"

    assert records.scalar("SELECT count(*) FROM people") == 2  # nothing deleted
    assert records.scalar("SELECT merged_into_id FROM people WHERE id = :id", id=duplicate) == keep
    assert records.scalar("SELECT merge_reason FROM people WHERE id = :id", id=duplicate) == (
        "Same person recorded twice by two referrers"
    )
    assert records.scalar("SELECT merged_by_id FROM people WHERE id = :id", id=duplicate)
    assert records.scalar("SELECT person_id FROM concerns WHERE id = :id", id=moved) == keep
    # the moved case keeps its timeline and gains the merge entry
    assert records.event_kinds(moved) == ["concern.recorded", "person.merged"]
    # details only the merged record had are copied to the one kept
    assert records.scalar("SELECT date_of_birth FROM people WHERE id = :id", id=keep) in (
        date(1939, 2, 14),
        "1939-02-14",
    )
    assert records.scalar("SELECT sex FROM people WHERE id = :id", id=keep) == "female"

    page = client.get(f"/people/{keep}").get_data(as_text=True)
    assert "SG-2026-000001" in page and "SG-2026-000002" in page
    assert "Records merged into this one" in page
    assert "12 Mill Row, Northshire" in page.split("Records merged")[0]  # copied across
    case = client.get(f"/concerns/{moved}").get_data(as_text=True)
    assert f"Person record {duplicate} merged into record {keep}" in case
    assert kept_concern

    old = client.get(f"/people/{duplicate}")
    assert old.status_code == 302 and old.headers["Location"] == f"/people/{keep}"
    assert f"Record {duplicate} was merged into record {keep}" in client.get(
        old.headers["Location"]
    ).get_data(as_text=True)
    assert records.log_entries("person.merge") == [(str(duplicate), "allowed")]
    assert records.log_entries("person.merge_into") == [(str(keep), "allowed")]
    # the merged record is no longer offered in searches or as a duplicate
    found = client.get("/people/?name=fairweather").get_data(as_text=True)
    assert f'href="/people/{duplicate}"' not in found


def test_the_other_record_can_be_the_one_kept(records, auth, client):
    first, second = _pair(records)
    auth.as_role(Role.SAFEGUARDING_MANAGER)
    response = _merge(client, first, second, keep=str(second))
    assert response.headers["Location"] == f"/people/{second}"
    assert records.scalar("SELECT merged_into_id FROM people WHERE id = :id", id=first) == second
    # the NHS number only the merged record had is kept
    assert records.scalar("SELECT nhs_number FROM people WHERE id = :id", id=second)


def test_merge_needs_a_reason_and_changes_nothing_without_one(records, auth, client):
    keep, duplicate = _pair(records)
    moved = records.concern(duplicate)
    auth.as_role(Role.SAFEGUARDING_MANAGER)
    page = _merge(client, keep, duplicate, reason="   ").get_data(as_text=True)
    assert "There is a problem" in page
    assert "Give the reason for merging these records" in page
    assert records.scalar("SELECT merged_into_id FROM people WHERE id = :id", id=duplicate) is None
    assert records.scalar("SELECT person_id FROM concerns WHERE id = :id", id=moved) == duplicate


def test_merges_that_would_lose_or_confuse_records_are_refused(records, auth, client):
    keep, duplicate = _pair(records)
    other = records.person(nhs_number=nhs_number(700100300))
    auth.as_role(Role.SAFEGUARDING_MANAGER)
    page = _merge(client, keep, other).get_data(as_text=True)
    assert "The two records have different NHS numbers" in page
    same = client.get(f"/people/{keep}/merge?other_id={keep}").get_data(as_text=True)
    assert "Enter the number of a different record" in same and "There is a problem" in same
    missing = client.get(f"/people/{keep}/merge?other_id=99999").get_data(as_text=True)
    assert "There is no record with this number" in missing
    assert _merge(client, keep, duplicate).status_code == 302
    again = client.get(f"/people/{other}/merge?other_id={duplicate}").get_data(as_text=True)
    assert f"Record {duplicate} has already been merged into record {keep}" in again
    assert records.scalar("SELECT count(*) FROM people WHERE merged_into_id IS NOT NULL") == 1


def test_the_merge_page_logs_the_other_record_it_shows_and_nothing_it_does_not(
    records, auth, client
):
    keep, duplicate = _pair(records)
    auth.as_role(Role.SAFEGUARDING_MANAGER)
    for other in ("", "99999", str(keep), "abc", str(duplicate)):
        assert client.get(f"/people/{keep}/merge?other_id={other}").status_code == 200
    assert records.log_entries("person.view") == [(str(duplicate), "allowed")]


def test_only_managers_may_merge(records, auth, client):
    keep, duplicate = _pair(records)
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    assert client.get(f"/people/{keep}/merge").status_code == 403
    token = csrf_token(client, f"/people/{keep}")
    refused = client.post(
        f"/people/{keep}/merge",
        data={"csrf_token": token, "other_id": duplicate, "keep": keep, "reason": "Same"},
    )
    assert refused.status_code == 403
    assert "Merge with another record" not in client.get(f"/people/{keep}").get_data(as_text=True)
    assert records.scalar("SELECT count(*) FROM people WHERE merged_into_id IS NOT NULL") == 0
    assert ("people.merge", "denied") in records.log_entries("route.forbidden")


def test_person_page_offers_likely_duplicates_to_managers(records, auth, client):
    keep, duplicate = _pair(records)
    twin = records.person(
        given_name="hilda", family_name="FAIRWEATHER", date_of_birth=date(1939, 2, 14)
    )
    auth.as_role(Role.SAFEGUARDING_MANAGER)
    page = client.get(f"/people/{duplicate}").get_data(as_text=True)
    assert "Other records may be the same person" in page
    assert f"/people/{duplicate}/merge?other_id={twin}" in page
    assert f"other_id={keep}" not in page  # different NHS number rules: only name and birth date


# --- API ---------------------------------------------------------------------------------


def test_api_merge(app, records, client, factory):
    keep, duplicate = _pair(records)
    moved = records.concern(duplicate)
    manager = ApiClient(client, make_token(app, factory.user(Role.SAFEGUARDING_MANAGER)))
    officer = ApiClient(client, make_token(app, factory.user(Role.SAFEGUARDING_OFFICER)))
    url = f"/api/v1/people/{duplicate}/merge"

    assert officer.post(url, json={"into_id": keep, "reason": "Same"}).status_code == 403
    no_reason = manager.post(url, json={"into_id": keep})
    assert no_reason.status_code == 422 and "reason" in no_reason.json["errors"]
    blank = manager.post(url, json={"into_id": keep, "reason": "  "})
    assert blank.status_code == 422
    assert blank.json["errors"] == {"reason": ["Give the reason for merging these records"]}
    unknown = manager.post(url, json={"into_id": 99999, "reason": "Same"})
    assert unknown.status_code == 422 and "into_id" in unknown.json["errors"]
    itself = manager.post(url, json={"into_id": duplicate, "reason": "Same"})
    assert itself.json["errors"] == {"records": ["Choose two different records"]}
    assert (
        manager.post(
            "/api/v1/people/99999/merge", json={"into_id": keep, "reason": "x"}
        ).status_code
        == 404
    )
    assert records.scalar("SELECT person_id FROM concerns WHERE id = :id", id=moved) == duplicate

    done = manager.post(url, json={"into_id": keep, "reason": "Same person"})
    assert done.status_code == 200, done.json
    assert done.json["id"] == keep and done.json["date_of_birth"] == "1939-02-14"
    assert done.headers["ETag"].startswith(f'"people-{keep}-v')
    assert "Location" not in done.headers  # a 200: nothing was created
    assert records.scalar("SELECT person_id FROM concerns WHERE id = :id", id=moved) == keep
    merged = manager.get(f"/api/v1/people/{duplicate}")
    assert merged.json["merged_into_id"] == keep
    twice = manager.post(url, json={"into_id": keep, "reason": "Same person"})
    assert twice.status_code == 422


def test_new_concerns_go_to_the_record_kept(app, records, auth, client, factory):
    from tests.concerns.test_concern_pages import FORM
    from tests.concerns.test_concerns_api import concern_body

    keep, duplicate = _pair(records)
    auth.as_role(Role.SAFEGUARDING_MANAGER)
    assert _merge(client, keep, duplicate).status_code == 302
    url = "/concerns/new"
    recorded = client.post(
        url, data=dict(FORM, use_person_id=str(duplicate), csrf_token=csrf_token(client, url))
    )
    assert recorded.status_code == 302, recorded.get_data(as_text=True)
    assert records.scalar("SELECT person_id FROM concerns") == keep

    api = ApiClient(client, make_token(app, factory.user(Role.SAFEGUARDING_OFFICER)))
    refused = api.post("/api/v1/concerns/", json=concern_body(person_id=duplicate, person=None))
    assert refused.status_code == 422
    assert refused.json["errors"] == {
        "person_id": [f"This record was merged into record {keep}: use that id"]
    }
