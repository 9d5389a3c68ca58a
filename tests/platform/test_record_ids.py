"""A record's id in a URL is a positive integer the database can hold: any other number
is a page that does not exist (404), on PostgreSQL too, never a database error."""

from __future__ import annotations

from core.api.conventions import MAX_ID, RecordId
from core.auth.roles import Role


def test_every_core_route_takes_its_record_ids_through_the_converter(app):
    checked = 0
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if not view.__module__.startswith("core."):
            continue
        for name, converter in rule._converters.items():
            if name.endswith("_id"):
                checked += 1
                assert isinstance(converter, RecordId), f"{rule.rule}: {name}"
    assert checked > 80  # the pages and the API of every area


def test_an_id_the_database_cannot_hold_is_not_found(auth, client):
    auth.as_role(Role.SAFEGUARDING_MANAGER)
    for number in (MAX_ID + 1, 99999999999, 0):
        for url in (f"/concerns/{number}", f"/plans/{number}", f"/api/v1/meetings/{number}"):
            assert client.get(url).status_code == 404, url
    assert client.get(f"/concerns/{MAX_ID}").status_code == 404  # in range, not there
