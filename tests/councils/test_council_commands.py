"""The command line's returns and audits on an instance of several councils (issue 23,
item 1): each is of one council, named with --council (by name or id); without it the
command says which councils there are and does nothing. A single-council instance needs
no --council (the rest of the suite)."""

from __future__ import annotations

from pathlib import Path

from core.auth.roles import Role
from core.db import utcnow
from core.returns import cin_census
from tests.api.conftest import ApiClient, make_token
from tests.audits.helpers import build_audit_world

AUDIT = ["audits", "attendance", "--from", "2026-01-01", "--to", "2026-06-30"]


def test_audits_and_the_census_name_their_council(app, factory, runner, tmp_path: Path):
    build_audit_world(app, factory)  # its conferences are all council A's
    admin = ApiClient(app.test_client(), make_token(app, factory.user(role=Role.ADMINISTRATOR)))
    a = admin.get("/api/v1/councils/").json[0]["id"]
    b = admin.post("/api/v1/councils/", json={"name": "Southshire County Council"}).json["id"]

    unsaid = runner.invoke(args=AUDIT)
    assert unsaid.exit_code == 2
    assert "serves several councils; say which with --council" in unsaid.output
    assert f"{a} The council" in unsaid.output and f"{b} Southshire County Council" in unsaid.output
    ours = runner.invoke(args=[*AUDIT, "--council", "the council"])
    assert ours.exit_code == 0 and "11 meetings held" in ours.output, ours.output
    theirs = runner.invoke(args=[*AUDIT, "--council", str(b)])
    assert theirs.exit_code == 0 and "0 meetings held" in theirs.output, theirs.output
    unknown = runner.invoke(args=[*AUDIT, "--council", "Nowhere"])
    assert unknown.exit_code == 2 and "no council called 'Nowhere'" in unknown.output

    output = tmp_path / "cin.xml"
    census = ["returns", "cin-census", "--year", "2025-26", "--output", str(output)]
    refused = runner.invoke(args=census)
    assert refused.exit_code == 2 and "--council" in refused.output
    assert not output.exists()
    with app.app_context():
        year = cin_census.CensusYear.parse("2025-26")
        expected = {c: cin_census.build(year, utcnow(), c).children for c in (a, b)}
    for council in (a, b):
        made = runner.invoke(args=[*census, "--council", str(council)])
        assert made.exit_code == 0, made.output
        assert f"{expected[council]} children" in made.output
    assert expected[b] == 0
