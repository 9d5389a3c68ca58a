"""People pages: search, the person page and who may see it, adding with the duplicate
warning, and changing a record."""

from __future__ import annotations

from datetime import date

from core.auth.roles import Role
from tests.conftest import Auth, csrf_token
from tests.people.conftest import nhs_number

NEW = {
    "given_name": "Maud", "family_name": "Ellerby", "date_of_birth": ["3", "6", "1941"],
    "estimated_age": "", "nhs_number": "", "sex": "female", "ethnicity": "white",
    "primary_support_reason": "memory_cognition", "address": "4 Quarry Lane, Northshire",
    "postcode": "ne1 4st", "communication_needs": "Hearing aid; speak slowly",
    "advocate": "Advocacy Northshire",
}  # fmt: skip


def _add(client, data):
    return client.post("/people/new", data=dict(data, csrf_token=csrf_token(client, "/people/new")))


def _text(response):
    return response.get_data(as_text=True)


# --- Search ------------------------------------------------------------------------------


def test_search_by_name_date_of_birth_and_nhs_number(records, auth, client):
    maud = records.person(given_name="Maud", family_name="Ellerby", date_of_birth=date(1941, 6, 3))
    records.person(given_name="Maude", family_name="Ashworth", date_of_birth=date(1950, 1, 9))
    number = nhs_number(123456781)
    records.person(given_name="Colin", family_name="Pryce", nhs_number=number)
    auth.as_role(Role.SAFEGUARDING_OFFICER)

    by_name = _text(client.get("/people/?name=maud"))
    assert "Maud Ellerby" in by_name and "Maude Ashworth" in by_name
    assert "Colin Pryce" not in by_name
    both_words = _text(client.get("/people/?name=Maud+ellerby"))
    assert "Maud Ellerby" in both_words and "Maude Ashworth" not in both_words

    by_dob = _text(client.get("/people/?dob_day=3&dob_month=6&dob_year=1941"))
    assert "Maud Ellerby" in by_dob and "Maude Ashworth" not in by_dob
    assert f'href="/people/{maud}"' in by_dob

    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    by_nhs = _text(client.get("/people/", query_string={"nhs_number": spaced}))
    assert "Colin Pryce" in by_nhs and "Maud Ellerby" not in by_nhs
    assert spaced in by_nhs

    nobody = _text(client.get("/people/?name=Zebedee"))
    assert "No people match" in nobody


def test_search_pages_on_the_server(records, auth, client):
    for n in range(27):
        records.person(given_name="Tess", family_name=f"Rowan{n:02d}")
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    first = _text(client.get("/people/?name=tess"))
    assert "27 people found" in first and "Page 1 of 2" in first
    assert "Rowan00" in first and "Rowan26" not in first
    second = _text(client.get("/people/?name=tess&page=2"))
    assert "Rowan26" in second and "Rowan00" not in second


def test_bad_search_terms_get_the_error_summary(auth, client):
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    response = client.get("/people/?dob_day=31&dob_month=2&dob_year=1950&nhs_number=1234567890")
    assert response.status_code == 200
    page = _text(response)
    assert "There is a problem" in page
    assert "Date of birth must be a real date" in page
    assert "Enter a valid NHS number" in page
    assert _text(client.get("/people/?dob_day=x&dob_month=&dob_year=1950")).count(
        "Date of birth must be a real date"
    )


# --- Adding, with the duplicate warning ----------------------------------------------------


def test_add_a_person_with_every_field(records, auth, client):
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    number = nhs_number(987654321)
    response = _add(client, dict(NEW, nhs_number=number))
    assert response.status_code == 302, _text(response)
    page = _text(client.get(response.headers["Location"]))
    for shown in (
        "Maud Ellerby", "03 June 1941", f"{number[:3]} {number[3:6]} {number[6:]}", "Female",
        "White", "Support with Memory &amp; Cognition", "4 Quarry Lane, Northshire, NE1 4ST",
        "Hearing aid; speak slowly", "Advocacy Northshire",
    ):  # fmt: skip
        assert shown in page, shown
    person_id = records.scalar("SELECT id FROM people")
    assert records.log_entries("person.create") == [(str(person_id), "allowed")]


def test_bad_person_details_are_refused_with_nothing_saved(records, auth, client):
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    bad = dict(
        NEW,
        given_name="",
        nhs_number="943 476 5918",  # wrong check digit
        postcode="NOT A POSTCODE",
        estimated_age="old",
        date_of_birth=["30", "2", "1941"],
    )
    page = _text(_add(client, bad))
    assert "There is a problem" in page
    assert "Enter the person&#39;s first name" in page or "Enter the person's first name" in page
    assert "Estimated age must be a whole number from 0 to 120" in page
    page = _text(_add(client, dict(NEW, nhs_number="943 476 5918", postcode="NOT A POSTCODE")))
    assert "Enter a valid NHS number" in page and "Enter a real postcode" in page
    page = _text(_add(client, dict(NEW, sex="robot", date_of_birth=["1", "1", "2099"])))
    assert "Choose the sex from the list" in page
    assert "Date of birth must be in the past" in page
    assert records.scalar("SELECT count(*) FROM people") == 0


def test_same_nhs_number_warns_and_offers_the_existing_record(records, auth, client):
    number = nhs_number(555123450)
    existing = records.person(given_name="Albert", family_name="Quayle", nhs_number=number)
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    warned = _add(client, dict(NEW, nhs_number=number))
    assert warned.status_code == 200
    page = _text(warned)
    assert "This person may already have a record" in page
    assert f'href="/people/{existing}"' in page and "Albert Quayle" in page
    assert "This is a different person: add a new record" in page
    assert records.scalar("SELECT count(*) FROM people") == 1

    created = _add(
        client, dict(NEW, nhs_number=number, create_anyway="1", seen_duplicates=str(existing))
    )
    assert created.status_code == 302
    assert records.scalar("SELECT count(*) FROM people") == 2


def test_same_name_and_date_of_birth_warns_and_create_anyway_needs_the_warning(
    records, auth, client
):
    existing = records.person(
        given_name="MAUD", family_name="ellerby", date_of_birth=date(1941, 6, 3)
    )
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    page = _text(_add(client, NEW))
    assert "This person may already have a record" in page and f"record {existing}" in page
    assert f'name="seen_duplicates" type="hidden" value="{existing}"' in page

    # "create anyway" without having been shown this record warns again
    again = _add(client, dict(NEW, create_anyway="1", seen_duplicates=""))
    assert "This person may already have a record" in _text(again)
    assert records.scalar("SELECT count(*) FROM people") == 1

    created = _add(client, dict(NEW, create_anyway="1", seen_duplicates=str(existing)))
    assert created.status_code == 302
    assert records.scalar("SELECT count(*) FROM people") == 2
    # a different date of birth is not a likely duplicate
    other = _add(client, dict(NEW, date_of_birth=["4", "6", "1941"]))
    assert other.status_code == 302


# --- Changing a record ---------------------------------------------------------------------


def test_change_a_person_and_a_stale_edit_is_refused(records, auth, client):
    person = records.person(given_name="Ivy", family_name="Dunmore")
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    url = f"/people/{person}/edit"
    form = _text(client.get(url))
    assert 'name="version" type="hidden" value="1"' in form
    token = csrf_token(client, url)
    saved = client.post(
        url,
        data=dict(NEW, given_name="Ivy", family_name="Dunmore-Hale", version="1", csrf_token=token),
    )
    assert saved.status_code == 302
    assert "Ivy Dunmore-Hale" in _text(client.get(f"/people/{person}"))
    stale = client.post(
        url, data=dict(NEW, given_name="Ivy", family_name="Dunmore", version="1", csrf_token=token)
    )
    assert "Someone else changed this record" in _text(stale)
    bad = client.post(url, data=dict(NEW, nhs_number="12345", version="2", csrf_token=token))
    assert "Enter a valid NHS number" in _text(bad)
    assert records.scalar("SELECT family_name FROM people") == "Dunmore-Hale"
    assert records.log_entries("person.update") == [(str(person), "allowed")]


# --- Who sees what -------------------------------------------------------------------------


def test_reading_a_person_is_logged(records, auth, client):
    person = records.person()
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    assert client.get(f"/people/{person}").status_code == 200
    assert records.log_entries("person.view") == [(str(person), "allowed")]


def test_practitioner_sees_only_involved_concerns_and_people(app, records, factory, client):
    police = factory.agency(name="Northshire Police", type="police")
    nhs = factory.agency(name="Northshire NHS Trust", type="nhs_trust")
    person = records.person(given_name="Rosa", family_name="Kettering")
    seen = records.concern(person, referrer_agency_id=police)
    unseen = records.concern(person, referrer_agency_id=nhs)
    stranger = records.person(given_name="Walter", family_name="Kettering")
    records.concern(stranger, referrer_agency_id=nhs)

    Auth(client, factory).as_role(Role.AGENCY_PRACTITIONER, agency_id=police)
    page = _text(client.get(f"/people/{person}"))
    assert "Rosa Kettering" in page
    assert "SG-2026-000001" in page and "SG-2026-000002" not in page
    assert f"/concerns/{seen}" in page and f"/concerns/{unseen}" not in page
    assert "Change details" not in page and "Merge" not in page

    assert client.get(f"/people/{stranger}").status_code == 404
    assert client.get("/people/999999").status_code == 404
    assert records.log_entries("person.view") == [
        (str(person), "allowed"),
        (str(stranger), "denied"),
        ("999999", "denied"),
    ]
    found = _text(client.get("/people/?name=kettering"))
    assert "Rosa Kettering" in found and "Walter Kettering" not in found
    assert client.get("/people/new").status_code == 403
    assert client.get(f"/people/{person}/edit").status_code == 403


def test_roles_without_case_access_get_no_people_pages(records, auth, client):
    person = records.person()
    auth.as_role(Role.BOARD_MEMBER)
    assert client.get("/people/").status_code == 403
    assert client.get(f"/people/{person}").status_code == 404  # as if it did not exist


def test_concern_page_links_to_the_person_and_the_establishment(records, auth, client):
    person = records.person(given_name="Nora", family_name="Blyth")
    place = records.establishment(name="Larkspur Court")
    concern = records.concern(person, establishment_id=place)
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    page = _text(client.get(f"/concerns/{concern}"))
    assert f'href="/people/{person}"' in page
    assert f'href="/establishments/{place}">Larkspur Court</a>' in page
    navigation = _text(client.get("/"))
    assert 'href="/people/"' in navigation and 'href="/establishments/"' in navigation


def test_every_problem_is_listed_on_the_first_submit(auth, client):
    """Issue 22: the date of birth in the future and the NHS number's check digit were
    checked only once the required fields were filled: a second round of errors."""
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    future = date.today().year + 2
    response = _add(
        client,
        NEW
        | {"given_name": "", "date_of_birth": ["3", "6", str(future)], "nhs_number": "9434765918"},
    )
    page = _text(response)
    assert response.status_code == 200
    summary = page[page.index("govuk-error-summary") :]
    summary = summary[: summary.index("</ul>")]
    assert "Enter the person" in summary or "Enter first name" in summary
    assert "Date of birth must be in the past" in summary
    assert "Enter a valid NHS number" in summary
