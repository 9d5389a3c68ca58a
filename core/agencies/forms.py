from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from flask import url_for
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from core.auth.councils import several
from core.auth.models import Agency, Council
from core.db import MAX_ID, record_id
from core.extensions import db
from core.forms import HubForm, choices


def agency_choices(
    blank: str, council_id: int | None = None, current: Iterable[int | None] = ()
) -> list[Any]:
    """The active agencies by name, for a select with ``blank`` as its empty choice. Given
    the case's council on an instance of several, only the agencies serving it (the
    picker's search finds the others: ``AgencyField``), and ``current``, the value(s)
    already chosen, wherever they serve and even if no longer active, so that showing a
    form again never loses one."""
    area = council_id is not None and several()
    kept = [i for i in current if isinstance(i, int) and 0 < i <= MAX_ID]
    offered = Agency.active.is_(True)
    if area:
        offered = sa.and_(offered, Agency.councils.any(Council.id == council_id))
    rows = db.session.execute(
        sa.select(Agency.id, Agency.name)
        .where(sa.or_(offered, Agency.id.in_(kept)) if kept else offered)
        .order_by(Agency.name, Agency.id)
    ).all()
    return choices([("", blank), *[(row[0], row[1]) for row in rows]])


def _optional_id(value: object) -> int | None:
    return int(value) if value not in (None, "", "None") else None  # type: ignore[call-overload]


def search_url(council_id: int | None) -> str:
    """Where a picker's script searches the agencies, ``council_id``'s first."""
    return url_for("agency_search.search", council_id=council_id)


def agency_picker(blank: str, cases: Sequence[Any], posted: Mapping[str, str]) -> dict[str, Any]:
    """For a page whose template writes its own agency pickers (the meeting record's action
    owners, named ``...-owner``): ``agencies``, the choices (the agencies of the cases'
    council and those posted), and ``agency_search``, the pickers' search."""
    council_id = cases[0].council_id if cases else None
    owners = [n for k, v in posted.items() if k.endswith("-owner") and (n := record_id(v))]
    return {
        "agencies": agency_choices(blank, council_id, owners),
        "agency_search": search_url(council_id),
    }


class AgencyField(SelectField):
    """The agency picker of the case pages (docs/pages.md, "Pickers"): a select of the
    case's council's agencies (``offer``) that the page's script turns into an
    autocomplete searching every active agency (``agencies.search``). Once offered, any
    active agency is accepted, chosen from the select or found by the search, and the one
    the form was made with (an edited record's, even if no longer active); any other gets
    ``UNKNOWN``. Given its ``choices`` instead, only those are accepted."""

    UNKNOWN = "Select an agency from the list: that one does not exist or is no longer active"

    def __init__(self, label: str, message: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("validators", [InputRequired(message)] if message else [Optional()])
        super().__init__(label, coerce=_optional_id, widget=GovSelect(), **kwargs)
        self.searched = False

    def offer(
        self, blank: str, council_id: int | None = None, left_out: Iterable[int] = ()
    ) -> None:
        """Offer the agencies of ``council_id`` (all on a single council's instance) and
        the value chosen already; ``left_out``: agencies not to offer again."""
        skip = set(left_out)
        self.choices = [
            c
            for c in agency_choices(blank, council_id, [self.object_data, self.data])
            if c.value not in skip
        ]
        self.searched = True
        self.render_kw = {**(self.render_kw or {}), "data-picker": "agencies"}
        self.render_kw["data-search-url"] = search_url(council_id)

    def pre_validate(self, form: Any) -> None:
        if not self.searched:
            super().pre_validate(form)
            return
        if self.data is None or self.data == self.object_data:  # none, or the one it had
            return
        if not 0 < self.data <= MAX_ID or not db.session.scalar(
            sa.select(Agency.active).where(Agency.id == self.data)
        ):
            raise ValidationError(self.UNKNOWN)


class AgencyForm(HubForm):
    name = StringField(
        "Agency name",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the agency's name"),
            Length(max=200, message="Agency name must be 200 characters or fewer"),
        ],
    )
    type = SelectField(
        "Type of agency",
        widget=GovSelect(),
        validators=[InputRequired("Select the type of agency")],
        # The operation checks the type against the registered ones, with the same
        # message the API and CLI give (not WTForms' "Not a valid choice.").
        validate_choice=False,
    )
    council_ids = SelectMultipleField(
        "Councils it serves",
        description="Only the councils' staff see its name offered first for their cases",
        coerce=int,
        widget=GovCheckboxesInput(),
        validate_choice=False,  # the operation checks them, with the API's message
    )
    ods_code = StringField(
        "ODS code (optional)",
        description="For NHS bodies: the Organisation Data Service code, like RX1",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=10, message="ODS code must be 10 characters or fewer")],
    )
    cqc_code = StringField(
        "CQC id (optional)",
        description="For registered care providers: like 1-123456789",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=20, message="CQC id must be 20 characters or fewer")],
    )
    active = BooleanField(
        "Agency is active",
        description="Inactive agencies keep their history but take no new users",
        widget=GovCheckboxInput(),
        default=True,
    )
    team_mailbox = StringField(
        "Safeguarding team mailbox (optional)",
        description="Case emails go to it and to the agency's named safeguarding contacts",
        widget=GovTextInput(),
        validators=[Length(max=254, message="The team mailbox must be 254 characters or fewer")],
    )
    submit = SubmitField("Save agency", widget=GovSubmitInput())
