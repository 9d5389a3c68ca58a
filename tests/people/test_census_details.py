"""A person's detailed ethnic group, unique pupil number and disabilities: checked, kept,
changed through the API and the page alike, and written in the children in need census
file."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest

from core.auth.roles import Role
from core.db import utcnow
from core.reference import EthnicGroup, Ethnicity, upn_with_check_letter, valid_upn
from core.returns import cin_census
from tests.conftest import csrf_token
from tests.support.cin_validator import validate

PERSON = {"given_name": "Ivy", "family_name": "Lowe", "date_of_birth": "2014-03-03"}


@pytest.mark.parametrize(
    ("upn", "valid"),
    [
        ("K001000000123", True),
        ("A001000000123", False),  # the wrong check letter
        ("K00100000012", False),  # 12 characters
        ("K0010000001I3", False),  # I is never a UPN letter
        (upn_with_check_letter("30100000012A"), True),  # a temporary UPN ends in a letter
    ],
)
def test_a_upn_needs_its_check_letter(upn, valid):
    assert valid_upn(upn) is valid


def test_every_ethnic_group_has_its_broad_group():
    assert EthnicGroup.WBRI.broad == Ethnicity.WHITE
    assert EthnicGroup.MWBA.broad == Ethnicity.MIXED
    assert EthnicGroup.CHNE.broad == Ethnicity.ASIAN
    assert EthnicGroup.BAFR.broad == Ethnicity.BLACK
    assert EthnicGroup.OOTH.broad == Ethnicity.OTHER
    assert EthnicGroup.REFU.broad == Ethnicity.REFUSED
    assert EthnicGroup.NOBT.broad == Ethnicity.NOT_KNOWN


def test_the_api_changes_a_persons_group_and_upn_and_refuses_bad_ones(api_as):
    officer = api_as(Role.SAFEGUARDING_OFFICER)
    created = officer.post("/api/v1/people/", json=PERSON)
    assert created.status_code == 201, created.json
    url = f"/api/v1/people/{created.json['id']}"
    etag = officer.get(url).headers["ETag"]
    assert officer.patch(url, json={"upn": "K001000000123"}).status_code == 428
    bad = officer.patch(
        url,
        json={"upn": "A001000000123", "ethnic_group": "WBRI", "ethnicity": "black"},
        headers={"If-Match": etag},
    )
    assert bad.status_code == 422
    assert "valid unique pupil number" in bad.json["errors"]["upn"][0]
    assert bad.json["errors"]["ethnicity"] == [
        "White - British is in the group “White”: choose that, or leave the broad group out"
    ]
    assert officer.get(url).headers["ETag"] == etag  # nothing half-saved
    changed = officer.patch(
        url, json={"upn": "k001 0000 00123", "ethnic_group": "MWBA"}, headers={"If-Match": etag}
    )
    assert changed.status_code == 200, changed.json
    assert (changed.json["upn"], changed.json["ethnic_group"], changed.json["ethnicity"]) == (
        "K001000000123",
        "MWBA",
        "mixed",
    )
    assert changed.json["given_name"] == "Ivy"  # what was not sent stays
    assert changed.headers["ETag"] != etag
    etag = changed.headers["ETag"]
    alone = officer.patch(url, json={"disabilities": ["NONE", "MOB"]}, headers={"If-Match": etag})
    assert alone.json["errors"]["disabilities"] == [
        "“No disability” cannot be chosen with a disability"
    ]
    unknown = officer.patch(url, json={"disabilities": ["WALK"]}, headers={"If-Match": etag})
    assert unknown.status_code == 422
    disabled = officer.patch(
        url, json={"disabilities": ["MOB", "AUT", "MOB"]}, headers={"If-Match": etag}
    )
    assert disabled.status_code == 200, disabled.json
    assert disabled.json["disabilities"] == ["AUT", "MOB"]
    assert disabled.json["upn"] == "K001000000123"  # the rest stays


def test_the_person_page_takes_them_too(api_as, auth, factory):
    officer = api_as(Role.SAFEGUARDING_OFFICER)
    person = officer.post("/api/v1/people/", json=PERSON).json
    factory.user(role=Role.SAFEGUARDING_OFFICER, email="page@example.org")
    auth.sign_in("page@example.org")
    url = f"/people/{person['id']}/edit"
    page = auth.client.get(url)
    assert page.status_code == 200 and "unique pupil number" in page.get_data(as_text=True)
    form = {
        "csrf_token": csrf_token(auth.client, url),
        "given_name": "Ivy",
        "family_name": "Lowe",
        "date_of_birth": ["3", "3", "2014"],
        "sex": "female",
        "ethnicity": "not_known",
        "primary_support_reason": "not_known",
        "ethnic_group": "AIND",
        "upn": "A001000000123",
        "disabilities": ["HEAR", "VIS"],
        "version": str(person.get("version", 1)),
    }
    refused = auth.client.post(url, data=form)
    assert "Enter a valid unique pupil number" in refused.get_data(as_text=True)
    saved = auth.client.post(url, data=form | {"upn": "K001000000123"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    after = officer.get(f"/api/v1/people/{person['id']}").json
    assert (after["upn"], after["ethnic_group"], after["ethnicity"]) == (
        "K001000000123",
        "AIND",
        "asian",
    )
    assert after["disabilities"] == ["HEAR", "VIS"]
    page = auth.client.get(url).get_data(as_text=True)
    assert 'value="HEAR" checked' in page


def test_the_census_file_carries_them(app, api_as, clock):
    officer = api_as(Role.SAFEGUARDING_OFFICER)
    body = {
        "received_at": "2026-11-20T10:15:00+00:00",
        "person": PERSON
        | {"upn": "K001000000123", "ethnic_group": "BAFR", "disabilities": ["COMM", "LD"]},
        "is_child": True,
        "referral_source": "2A",
        "types_of_risk": ["neglect"],
        "location": "own_home",
        "source_of_risk": "known",
        "description": "School reports the child arrives hungry.",
    }
    assert officer.post("/api/v1/concerns/", json=body).status_code == 201
    clock.set(datetime(2027, 4, 20, 9, 0, tzinfo=UTC))
    with app.app_context():
        census = cin_census.build(cin_census.CensusYear.parse("2026-27"), utcnow())
    child = ET.fromstring(census.xml).find(".//Child")  # noqa: S314 - the file we made
    assert child.findtext("ChildIdentifiers/UPN") == "K001000000123"
    assert child.find("ChildIdentifiers/UPNunknown") is None
    assert child.findtext("ChildCharacteristics/Ethnicity") == "BAFR"
    assert [d.text for d in child.iter("Disability")] == ["COMM", "LD"]
    assert not [q for q in census.queries if "UPN" in q.message or "ethnic" in q.message]
    assert validate(census.xml, "cin2025_26").errors == []
