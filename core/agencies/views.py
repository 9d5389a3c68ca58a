from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from wtforms.fields.choices import SelectChoice

from core.accesslog import operations as access_log
from core.agencies import operations
from core.agencies.forms import AgencyForm
from core.agencies.models import Agency
from core.auth.models import User
from core.errors import ValidationFailed
from core.extensions import db
from core.forms import apply_errors, choices
from core.pagination import paginate
from core.pipeline import logged
from core.platform import current_platform
from core.policy.routes import requires


def _type_choices() -> list[SelectChoice]:
    types = sorted(current_platform().agency_types.values(), key=lambda t: t.label)
    return choices([("", "Choose a type")] + [(t.code, t.label) for t in types])


@requires("agencies.manage")
@logged("agency.list", object_type="agency")
def index() -> ResponseReturnValue:
    user_count = (
        sa.select(sa.func.count(User.id)).where(User.agency_id == Agency.id).scalar_subquery()
    )
    query = sa.select(Agency).order_by(Agency.name)
    page = paginate(query)
    counts = dict(
        db.session.execute(
            sa.select(Agency.id, user_count).where(Agency.id.in_([a.id for a in page.items]))
        ).all()
    )
    return render_template(
        "agencies/index.html",
        page=page,
        user_counts=counts,
        type_labels={code: t.label for code, t in current_platform().agency_types.items()},
    )


def _save(form: AgencyForm, agency: Agency | None) -> Agency | None:
    values = {
        "name": form.name.data,
        "type": form.type.data,
        "ods_code": form.ods_code.data,
        "cqc_code": form.cqc_code.data,
        "active": form.active.data,
    }
    try:
        if agency is None:
            agency = operations.create_agency(**values)
        else:
            operations.update_agency(agency, **values)
    except ValidationFailed as failed:
        db.session.rollback()
        apply_errors(form, failed)
        return None
    return agency


@requires("agencies.manage")
def new() -> ResponseReturnValue:
    form = AgencyForm()
    form.type.choices = _type_choices()
    if form.validate_on_submit() and (agency := _save(form, None)):
        flash(f"Agency {agency.name} created.", "success")
        return redirect(url_for("agencies.index"))
    return render_template("agencies/form.html", form=form, agency=None)


@requires("agencies.manage")
def edit(agency_id: int) -> ResponseReturnValue:
    agency = db.get_or_404(Agency, agency_id)
    form = AgencyForm(obj=agency)
    form.type.choices = _type_choices()
    if form.validate_on_submit():
        if _save(form, agency):
            flash("Changes saved.", "success")
            return redirect(url_for("agencies.index"))
    elif not form.is_submitted():
        access_log.record("agency.view", object_type="agency", object_id=agency.id)
    return render_template("agencies/form.html", form=form, agency=agency)
