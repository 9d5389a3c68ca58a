"""Staff training records and the quarterly training return, for partner systems (a trust's
learning management system): the pages' rules, the same operations."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from core.api.conventions import Blueprint, documented_update, paginate
from core.errors import abort
from core.pipeline import logged, record
from core.policy import training as _record_types  # noqa: F401  (declares "training_record")
from core.policy.training import visible_training_records
from core.training import operations
from core.training.models import TrainingRecord
from core.training.quarterly import training_return
from core.training.schemas import (
    QuarterArgs,
    TrainingImportedSchema,
    TrainingImportSchema,
    TrainingListArgs,
    TrainingRecordPageSchema,
    TrainingRecordSchema,
    TrainingRecordUpdateSchema,
    TrainingReturnSchema,
)

blp = Blueprint("training_api", __name__, url_prefix="/training", description="Staff training")

RECORD = "/records/<id:record_id>"


@blp.get("/records", "training.view", TrainingListArgs, TrainingRecordPageSchema)
@logged("training_record.list", object_type="training_record")
def list_records(args: dict[str, Any]) -> Any:
    """Staff training records, newest completion first: your agency's (the safeguarding
    team: every agency's, or one agency's with ``agency_id``)."""
    query = visible_training_records(current_user)
    if args.get("agency_id"):
        query = query.where(TrainingRecord.agency_id == args["agency_id"])
    return paginate(query, args["page"], args["page_size"])


@blp.post("/records", "training.keep", TrainingRecordSchema, TrainingRecordSchema, status=201)
def create_record(data: dict[str, Any]) -> Any:
    """Record a course a member of your agency's staff completed (422 if the same person,
    course and day are already recorded)."""
    return operations.create_record(data, current_user)


@blp.get(RECORD, "training.view", None, TrainingRecordSchema)
@logged("training_record.view", object_type="training_record", object_id="record_id")
@record("training_record")
def get_record(training_record: TrainingRecord) -> Any:
    """One record (another agency's answers 404)."""
    return training_record


@blp.patch(RECORD, "training.keep", TrainingRecordUpdateSchema(partial=True), TrainingRecordSchema)
@documented_update(blp)
@record("training_record", verb="change")
def update_record(data: dict[str, Any], training_record: TrainingRecord) -> Any:
    """Correct one of your agency's records; only the fields sent change. Needs If-Match."""
    return operations.update_record(
        training_record, operations.record_values(training_record) | data
    )


@blp.delete(RECORD, "training.keep")
@documented_update(blp)
@record("training_record", verb="change")
def delete_record(training_record: TrainingRecord) -> None:
    """Delete one of your agency's records entered in error. Needs If-Match."""
    operations.delete_record(training_record)


@blp.post(
    "/records/import", "training.keep", TrainingImportSchema, TrainingImportedSchema, status=201
)
def import_records(data: dict[str, Any]) -> Any:
    """Record every row of a CSV file (the template's columns) for your agency, or none:
    any row with a problem refuses the file (422), each problem said by its row under
    ``errors.file``."""
    records = operations.import_csv(data["csv"], current_user)
    return {"imported": len(records), "items": records}


@blp.get("/return", "training.return", QuarterArgs, TrainingReturnSchema)
@logged("training.return.view", object_type="return")
def get_return(args: dict[str, Any]) -> Any:
    """The quarterly training return (default this quarter): per agency and level, staff
    trained in the quarter, current and overdue for refresher training. The team and the
    board read every agency's figures, an agency its own; who is overdue, by name, goes to
    the agency itself and the team only."""
    year, number = operations.this_quarter()
    year, number = args.get("year", year), args.get("quarter", number)
    problem = operations.quarter_problem(year, number)
    if problem:
        abort(422, errors={"quarter": [problem]})
    return training_return(year, number, current_user)
