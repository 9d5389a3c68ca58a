"""Administrators' pages for the council's teams and areas (under Administration)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.auth.models import Council, Locality, Team, User
from core.concerns.models import Concern
from core.extensions import db
from core.forms import form_page, form_values
from core.pipeline import logged, record
from core.policy import teams as _record_types  # noqa: F401  (declares "team", "locality", "council")
from core.policy.routes import requires
from core.teams import operations
from core.teams.forms import NamedForm
from core.teams.operations import Kind

# what each list says: (title, singular, endpoint prefix)
PAGES: dict[Any, tuple[str, str, str]] = {
    Team: ("Teams", "team", "teams"),
    Locality: ("Areas", "area", "areas"),
    Council: ("Councils", "council", "councils"),
}
# what the list's introduction says of them
KINDS_SAID: dict[Any, str] = {Team: "team", Locality: "locality", Council: "council"}
# the URL variable of one
ID_ARGS: dict[Any, str] = {Team: "team_id", Locality: "locality_id", Council: "council_id"}
# the column of a concern and of a user that names one (users: members; None: none)
COLUMNS: dict[Any, tuple[Any, Any]] = {
    Team: (Concern.team_id, User.team_id),
    Locality: (Concern.locality_id, None),
    Council: (Concern.council_id, User.council_id),
}


def _counts(model: Kind) -> dict[Any, tuple[int, int]]:
    """Open cases held by each, and (teams, councils) members: two grouped queries."""
    column, member_column = COLUMNS[model]
    cases = dict(
        db.session.execute(
            sa.select(column, sa.func.count())
            .where(column.is_not(None), Concern.deleted_at.is_(None), Concern.closed_at.is_(None))
            .group_by(column)
        ).all()
    )
    members = (
        dict(
            db.session.execute(
                sa.select(member_column, sa.func.count())
                .where(member_column.is_not(None))
                .group_by(member_column)
            ).all()
        )
        if member_column is not None
        else {}
    )
    return {key: (cases.get(key, 0), members.get(key, 0)) for key in set(cases) | set(members)}


def _index(model: Kind) -> ResponseReturnValue:
    title, word, prefix = PAGES[model]
    return render_template(
        "teams/index.html",
        items=operations.listed(model, council_id=current_user.council_id),
        counts=_counts(model),
        title=title,
        word=word,
        prefix=prefix,
        members=COLUMNS[model][1] is not None,
        id_arg=ID_ARGS[model],
        kind=KINDS_SAID[model],
    )


def _form(model: Kind, current: Team | Locality | Council | None) -> ResponseReturnValue:
    title, word, prefix = PAGES[model]
    # the record fills the form it shows; a post is read alone (a field left out of it is
    # missing, not the record's)
    form = NamedForm(obj=current if request.method == "GET" else None)
    made: list[Team | Locality | Council] = []
    return form_page(
        form,
        lambda: (
            operations.update(current, **form_values(form, *operations.FIELDS))
            if current is not None
            else made.append(
                operations.create(
                    model, current_user.council_id, **form_values(form, *operations.FIELDS)
                )
            )
        ),
        done=lambda: f"{word.capitalize()} {made[0].name} added." if made else "Changes saved.",
        to=url_for(f"{prefix}.index"),
        template="teams/form.html",
        current=current,
        title=title,
        word=word,
        prefix=prefix,
    )


@requires("teams.manage")
@logged("team.list", object_type="team")
def teams() -> ResponseReturnValue:
    return _index(Team)


@requires("teams.manage")
def new_team() -> ResponseReturnValue:
    return _form(Team, None)


@requires("teams.manage")
@logged("team.view", object_type="team", object_id="team_id")
@record("team")
def edit_team(team: Team) -> ResponseReturnValue:
    return _form(Team, team)


@requires("teams.manage")
@logged("locality.list", object_type="locality")
def areas() -> ResponseReturnValue:
    return _index(Locality)


@requires("teams.manage")
def new_area() -> ResponseReturnValue:
    return _form(Locality, None)


@requires("teams.manage")
@logged("locality.view", object_type="locality", object_id="locality_id")
@record("locality")
def edit_area(locality: Locality) -> ResponseReturnValue:
    return _form(Locality, locality)


@requires("councils.manage")
@logged("council.list", object_type="council")
def councils() -> ResponseReturnValue:
    return _index(Council)


@requires("councils.manage")
def new_council() -> ResponseReturnValue:
    return _form(Council, None)


@requires("councils.manage")
@logged("council.view", object_type="council", object_id="council_id")
@record("council")
def edit_council(council: Council) -> ResponseReturnValue:
    return _form(Council, council)
