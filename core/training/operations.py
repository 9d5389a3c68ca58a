"""Keeping staff training records: one at a time or a CSV file of them, all or nothing.

Every write is the agency's own (the policy loads and checks the record before these run,
core/policy/training.py); each one is logged without the staff member's name."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from core.accesslog import operations as access_log
from core.clocks import EARLIEST_YEAR, LATEST_YEAR, add_months, to_local
from core.db import utcnow
from core.errors import ValidationFailed
from core.extensions import db
from core.reference import TRAINING_REFRESHER_MONTHS, TrainingLevel
from core.spreadsheet import csv_text
from core.training.models import TrainingRecord, staff_key

FIELDS = ("staff_name", "staff_number", "role", "level", "course", "completed_on", "expires_on")
# the columns of an uploaded file, as the template names them, and the ones it must have
REQUIRED_COLUMNS = ("role", "level", "course", "completed_on")
MAX_ROWS = 5000
MAX_FILE_BYTES = 2 * 1024 * 1024
DAY_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
LENGTHS = {"staff_name": 200, "staff_number": 40, "role": 200, "course": 200}
WORDS = {
    "staff_name": "The name",
    "staff_number": "The staff number",
    "role": "The role",
    "course": "The course",
}
STALE = "The record has changed since you opened it. Open it again and make your changes."


def today() -> date:
    return to_local(utcnow()).date()


def this_quarter() -> tuple[int, int]:
    """The calendar quarter today is in: (year, 1 to 4)."""
    day = today()
    return day.year, (day.month - 1) // 3 + 1


def quarter_problem(year: int, number: int) -> str | None:
    """Why a quarter has no return yet (it has not started), or None."""
    if (year, number) > this_quarter():
        return "Choose a quarter that has started"
    return None


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def _level(value: Any) -> TrainingLevel | None:
    """A level given by its code (``adults_3``) or its label (``Adults: level 3``)."""
    given = (_text(value) or "").casefold()
    for level in TrainingLevel:
        if given in (level.value, level.label.casefold()):
            return level
    return None


def _day(value: Any) -> date | str | None:
    """A date, or None when not given, or the text given when it is no date."""
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for form in DAY_FORMATS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    return text


def clean_record(
    values: dict[str, Any], agency_id: int, record: TrainingRecord | None = None
) -> dict[str, Any]:
    """A record's values checked: every problem at once, by field."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {name: _text(values.get(name)) for name in LENGTHS}
    for name, longest in LENGTHS.items():
        if cleaned[name] and len(cleaned[name]) > longest:
            errors[name] = [f"{WORDS[name]} must be {longest} characters or fewer"]
    if not cleaned["staff_name"] and not cleaned["staff_number"]:
        errors["staff_name"] = ["Enter the member of staff's name or their staff number"]
    if not cleaned["role"]:
        errors["role"] = ["Enter the member of staff's role"]
    if not cleaned["course"]:
        errors["course"] = ["Enter the course"]
    level = _level(values.get("level"))
    if level is None:
        errors["level"] = ["Select the safeguarding level of the course"]
    cleaned["level"] = level
    completed, expires = _day(values.get("completed_on")), _day(values.get("expires_on"))
    if completed is None:
        errors["completed_on"] = ["Enter the date the course was completed"]
    elif isinstance(completed, str):
        errors["completed_on"] = ["Enter the date completed as a real date, like 2026-11-30"]
    elif not EARLIEST_YEAR <= completed.year <= LATEST_YEAR:
        errors["completed_on"] = [f"Enter a date completed from {EARLIEST_YEAR} to {LATEST_YEAR}"]
    elif completed > today():
        errors["completed_on"] = ["The date completed must be today or in the past"]
    if isinstance(expires, str):
        errors["expires_on"] = ["Enter the expiry date as a real date, like 2029-11-30"]
    elif expires is not None and not EARLIEST_YEAR <= expires.year <= LATEST_YEAR:
        errors["expires_on"] = [f"Enter an expiry date from {EARLIEST_YEAR} to {LATEST_YEAR}"]
    elif isinstance(completed, date) and expires is not None and expires <= completed:
        errors["expires_on"] = ["The expiry date must be after the date completed"]
    if errors:
        raise ValidationFailed(errors)
    assert isinstance(completed, date)
    cleaned["completed_on"] = completed
    cleaned["expires_on"] = expires or add_months(completed, TRAINING_REFRESHER_MONTHS)
    cleaned["staff_key"] = staff_key(cleaned["staff_number"], cleaned["staff_name"])
    _refuse_a_second(cleaned, agency_id, record)
    return cleaned


def _refuse_a_second(
    cleaned: dict[str, Any], agency_id: int, record: TrainingRecord | None
) -> None:
    same = sa.select(TrainingRecord.id).where(
        TrainingRecord.agency_id == agency_id,
        TrainingRecord.staff_key == cleaned["staff_key"],
        TrainingRecord.course == cleaned["course"],
        TrainingRecord.completed_on == cleaned["completed_on"],
    )
    if record is not None:
        same = same.where(TrainingRecord.id != record.id)
    if db.session.scalar(same.limit(1)) is not None:
        raise ValidationFailed.single(
            "course",
            "This member of staff's completion of this course that day is already recorded",
        )


def create_record(values: dict[str, Any], user: Any) -> TrainingRecord:
    """Record a course a member of the user's own agency's staff completed."""
    record = TrainingRecord(agency_id=user.agency_id, **clean_record(values, user.agency_id))
    db.session.add(record)
    db.session.flush()
    access_log.record("training_record.create", object_type="training_record", object_id=record.id)
    return record


def update_record(
    record: TrainingRecord, values: dict[str, Any], version: int | None = None
) -> TrainingRecord:
    """Correct a record (the agency's own); ``version`` is the one the editor read."""
    if version is not None and version != record.version:
        raise ValidationFailed.single("version", STALE)
    for name, value in clean_record(values, record.agency_id, record).items():
        setattr(record, name, value)
    db.session.flush()
    access_log.record("training_record.update", object_type="training_record", object_id=record.id)
    return record


def delete_record(record: TrainingRecord) -> None:
    """Remove a record entered in error (a staff list, not a case record: not kept)."""
    record_id = record.id
    db.session.delete(record)
    db.session.flush()
    access_log.record("training_record.delete", object_type="training_record", object_id=record_id)


def record_values(record: TrainingRecord) -> dict[str, Any]:
    """A record's values as the operations read them (for a partial API update)."""
    return {name: getattr(record, name) for name in FIELDS} | {"level": record.level.value}


# --- A CSV file of records --------------------------------------------------------------------


def template_csv() -> str:
    """The file to fill in: the columns, and one example row (to replace)."""
    return csv_text(
        [
            FIELDS,
            (
                "Alex Example",
                "E12345",
                "Staff nurse",
                TrainingLevel.ADULTS_2.value,
                "Safeguarding adults level 2 e-learning",
                "2026-11-30",
                "",
            ),
        ]
    )


def _rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    columns = [(name or "").strip().casefold() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if not columns or missing or not {"staff_name", "staff_number"} & set(columns):
        raise ValidationFailed.single(
            "file",
            "The file's first row must name its columns, as the template does: "
            + ", ".join(FIELDS),
        )
    rows = []
    for raw in reader:
        row = {
            (name or "").strip().casefold(): (value if isinstance(value, str) else "")
            for name, value in raw.items()
        }
        if any(value.strip() for value in row.values()):
            rows.append(row)
    return rows


def read_csv(data: bytes | str) -> list[dict[str, str]]:
    """The rows of an uploaded file (UTF-8, with or without a byte order mark)."""
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise ValidationFailed.single("file", "The file must be smaller than 2 MB")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationFailed.single(
                "file", "The file must be a CSV file saved as UTF-8 text"
            ) from None
    try:
        rows = _rows(data.removeprefix("\ufeff"))
    except csv.Error:
        raise ValidationFailed.single("file", "The file must be a CSV file") from None
    if not rows:
        raise ValidationFailed.single("file", "The file has no records below its first row")
    if len(rows) > MAX_ROWS:
        raise ValidationFailed.single(
            "file", f"The file must have {MAX_ROWS:,} records or fewer: split it"
        )
    return rows


def import_csv(data: bytes | str, user: Any) -> list[TrainingRecord]:
    """Record every row of a file for the user's agency, or none: any row with a problem
    refuses the whole file, and every problem is said by its row (the header is row 1)."""
    rows = read_csv(data)
    problems: list[str] = []
    seen: dict[tuple[Any, ...], int] = {}
    cleaned_rows = []
    for number, row in enumerate(rows, start=2):
        try:
            cleaned = clean_record(row, user.agency_id)
        except ValidationFailed as failed:
            problems += [f"Row {number}: {m}" for ms in failed.errors.values() for m in ms]
            continue
        key = (cleaned["staff_key"], cleaned["course"], cleaned["completed_on"])
        if key in seen:
            problems.append(
                f"Row {number}: the same member of staff, course and date as row {seen[key]}"
            )
            continue
        seen[key] = number
        cleaned_rows.append(cleaned)
    if problems:
        raise ValidationFailed({"file": problems})
    records = [TrainingRecord(agency_id=user.agency_id, **cleaned) for cleaned in cleaned_rows]
    db.session.add_all(records)
    db.session.flush()
    access_log.record("training_record.import", object_type="agency", object_id=user.agency_id)
    return records
