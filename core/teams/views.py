"""Administrators' pages for the council's teams and areas (under Administration)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue

from core.auth.models import Locality, Team, User
from core.concerns.models import Concern
from core.extensions import db
from core.forms import form_page, form_values
from core.pipeline import logged, record
from core.policy import teams as _record_types  # noqa: F401  (declares "team" and "locality")
from core.policy.routes import requires
from core.teams import operations
from core.teams.forms import NamedForm

# what each list says: (title, singular, endpoint prefix)
PAGES = {
    Team: ("Teams", "team", "teams"),
    Locality: ("Areas", "area", "areas"),
}


def _counts(model: type[Team] | type[Locality]) -> dict[Any, tuple[int, int]]:
    """Open cases held by each, and (teams) members: two grouped queries."""
    column = Concern.team_id if model is Team else Concern.locality_id
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
                sa.select(User.team_id, sa.func.count())
                .where(User.team_id.is_not(None))
                .group_by(User.team_id)
            ).all()
        )
        if model is Team
        else {}
    )
    return {key: (cases.get(key, 0), members.get(key, 0)) for key in set(cases) | set(members)}


def _index(model: type[Team] | type[Locality]) -> ResponseReturnValue:
    title, word, prefix = PAGES[model]
    return render_template(
        "teams/index.html",
        items=operations.listed(model),
        counts=_counts(model),
        title=title,
        word=word,
        prefix=prefix,
        members=model is Team,
    )


def _form(
    model: type[Team] | type[Locality], current: Team | Locality | None
) -> ResponseReturnValue:
    title, word, prefix = PAGES[model]
    # the record fills the form it shows; a post is read alone (a field left out of it is
    # missing, not the record's)
    form = NamedForm(obj=current if request.method == "GET" else None)
    made: list[Team | Locality] = []
    return form_page(
        form,
        lambda: (
            operations.update(current, **form_values(form, *operations.FIELDS))
            if current is not None
            else made.append(operations.create(model, **form_values(form, *operations.FIELDS)))
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
