"""Settings, read from environment variables with safe defaults for development.

Every setting has a default that is safe on a developer's machine; production
(``SAFEGUARDING_ENV=production``) refuses to start without a real ``SECRET_KEY``.
"""

from __future__ import annotations

import json
import os
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

from croniter import croniter

from core.clocks import WorkingCalendar, clock_settings_problems

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production below


class ConfigurationError(RuntimeError):
    """A setting is missing or unsafe; the app will not start."""


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str = "") -> list[str]:
    raw = os.environ.get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def _json(name: str) -> dict[str, Any]:
    raw = os.environ.get(name)
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise RuntimeError(f"{name} must be a JSON object: {exc}") from exc
    if not isinstance(value, dict):
        raise RuntimeError(f"{name} must be a JSON object")
    return value


def _fraction(name: str, default: str) -> float:
    """A setting from 0 to 1, such as 0.75; anything else stops the app from starting."""
    raw = os.environ.get(name, default)
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise ConfigurationError(
            f"{name} must be a number from 0 to 1, such as 0.75 (not {raw!r})."
        )
    return value


def _whole(name: str, default: str, lowest: int, highest: int) -> int:
    """A whole number from ``lowest`` to ``highest``; anything else stops the app from
    starting."""
    raw = os.environ.get(name, default).strip()
    if not (raw.isdigit() and lowest <= int(raw) <= highest):
        raise ConfigurationError(
            f"{name} must be a whole number from {lowest} to {highest} (not {raw!r})."
        )
    return int(raw)


def _time(name: str) -> time | None:
    """A time of day as HH:MM, or None when unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        return time.fromisoformat(raw)
    except ValueError as exc:
        raise RuntimeError(f"{name} must be a time of day like 08:30: {exc}") from exc


def _days(name: str) -> list[date]:
    """Dates as YYYY-MM-DD, comma separated."""
    try:
        return [date.fromisoformat(item) for item in _list(name)]
    except ValueError as exc:
        raise RuntimeError(f"{name} must be dates like 2026-12-29, comma separated: {exc}") from exc


def _cron(name: str, default: str) -> str:
    """A cron expression (minute hour day month weekday, read in UTC)."""

    raw = os.environ.get(name, default).strip()
    if not croniter.is_valid(raw):
        raise ConfigurationError(
            f"{name} must be a cron expression like '0 7 * * *' (not {raw!r})."
        )
    return raw


def _seconds_list(name: str, default: str) -> list[int]:
    """Whole seconds, comma separated (may be empty)."""
    items = _list(name, default)
    if not all(item.isdigit() for item in items):
        raise ConfigurationError(f"{name} must be whole seconds, comma separated, like 60,300.")
    return [int(item) for item in items]


def _la_code() -> str:
    """LA_CODE: the council's three-digit DfE local authority number (the census header's
    LEA), or empty while not set."""
    raw = os.environ.get("LA_CODE", "").strip()
    if raw and not (len(raw) == 3 and raw.isdigit()):
        raise RuntimeError(
            "LA_CODE must be the council's three-digit DfE local authority number, e.g. 332"
        )
    return raw


def _json_setting(name: str) -> Any:
    """A setting in JSON of any shape, checked where it is used (None when not set)."""
    raw = os.environ.get(name)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be JSON: {exc}") from exc


def _json_list(name: str) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise RuntimeError(f"{name} must be a JSON list of strings: {exc}") from exc
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RuntimeError(f"{name} must be a JSON list of strings")
    return value


def _sign_off_setting() -> list[str]:
    """SCREENING_SIGN_OFF: off (the default), on for every screening decision, or the
    decision codes that need a manager's sign-off, comma separated."""
    raw = os.environ.get("SCREENING_SIGN_OFF", "").strip().lower()
    if raw in {"", "0", "false", "no", "off"}:
        return []
    if raw in {"1", "true", "yes", "on", "all", "*"}:
        return ["*"]
    return [code.lower() for code in _list("SCREENING_SIGN_OFF")]


def default_database_url() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'safeguarding.sqlite3'}"


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever spelling the operator gave."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_settings() -> dict[str, Any]:
    env = os.environ.get("SAFEGUARDING_ENV", "development")
    production = env == "production"
    settings: dict[str, Any] = {
        "ENV_NAME": env,
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            os.environ.get("DATABASE_URL", default_database_url())
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        # a pooled connection idle longer than this is pinged before a request uses it,
        # and replaced if the server has gone (core/db.py: ping_after_idle); 0: every time
        "DATABASE_PING_IDLE_SECONDS": float(os.environ.get("DATABASE_PING_IDLE_SECONDS", "5")),
        # Off behind a pooler in transaction mode (PgBouncer before 1.21, or without
        # max_prepared_statements): psycopg then never prepares a statement, which would
        # live on one server connection while the next transaction may get another.
        "DATABASE_PREPARED_STATEMENTS": _bool("DATABASE_PREPARED_STATEMENTS", True),
        # PostgreSQL connections each worker process keeps open: its threads' (gunicorn
        # --threads, 4 as docs/production.md serves) and the second one a concern
        # creation holds for its reference number. A pool smaller than that closed a
        # connection after nearly every creation and opened another (a new backend)
        "DATABASE_POOL_SIZE": _whole("DATABASE_POOL_SIZE", "10", 1, 1000),
        # Sessions: the cookie only carries a random session id checked on the server.
        "SESSION_COOKIE_NAME": "sgh_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        "SESSION_IDLE_MINUTES": int(os.environ.get("SESSION_IDLE_MINUTES", "30")),
        "PERMANENT_SESSION_LIFETIME": timedelta(
            minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
        ),
        "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        "WTF_CSRF_TIME_LIMIT": None,  # the session itself expires after the idle timeout
        # The Redis server the processes of a deployment share (production); rate limits
        # count there unless RATELIMIT_STORAGE_URI says otherwise (see rate_limit_storage).
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI") or None,
        # Background jobs (core/jobs): with REDIS_URL set they go to this RQ queue there and
        # `flask --app core worker` runs them; without it they run in the web process.
        "JOBS_QUEUE": os.environ.get("JOBS_QUEUE", "safeguarding-hub"),
        # a failed job is tried again after each of these waits, then left as failed
        "JOBS_RETRY_SECONDS": _seconds_list("JOBS_RETRY_SECONDS", "60,300,900,3600"),
        "JOBS_TIMEOUT_SECONDS": int(os.environ.get("JOBS_TIMEOUT_SECONDS", "600")),
        # how often a worker looks for jobs whose worker died (and runs them again)
        "JOBS_MAINTENANCE_SECONDS": int(os.environ.get("JOBS_MAINTENANCE_SECONDS", "60")),
        # the periodic jobs, in UTC: reminders and retention daily, the outbox sweep
        "JOBS_REMINDERS_CRON": _cron("JOBS_REMINDERS_CRON", "0 7 * * *"),
        "JOBS_RETENTION_CRON": _cron("JOBS_RETENTION_CRON", "30 1 * * *"),
        "JOBS_OUTBOX_SWEEP_SECONDS": int(os.environ.get("JOBS_OUTBOX_SWEEP_SECONDS", "300")),
        # the dashboard's summary tables: counted again on the worker's schedule too
        "JOBS_FIGURES_SECONDS": int(os.environ.get("JOBS_FIGURES_SECONDS", "300")),
        # with Redis, the figures job waits this long after a change before it runs, so
        # that a busy minute's changes share a few runs (0: queued at once)
        "JOBS_FIGURES_DELAY_SECONDS": int(os.environ.get("JOBS_FIGURES_DELAY_SECONDS", "1")),
        "RATELIMIT_HEADERS_ENABLED": True,
        "SIGN_IN_RATE_LIMIT": os.environ.get("SIGN_IN_RATE_LIMIT", "10 per minute"),
        "SIGN_IN_IP_RATE_LIMIT": os.environ.get("SIGN_IN_IP_RATE_LIMIT", "50 per minute"),
        "PASSWORD_MIN_LENGTH": 12,
        # requests for a password reset link, per address typed (every request counts)
        "PASSWORD_RESET_RATE_LIMIT": os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5 per hour"),
        "FORCE_HTTPS": _bool("FORCE_HTTPS", production),
        # Behind N trusted reverse proxies, take the client address and scheme from
        # their X-Forwarded-For / X-Forwarded-Proto headers (0: no proxy in front).
        "PROXY_FIX_HOPS": int(os.environ.get("PROXY_FIX_HOPS", "0")),
        # Third-party plugins installed through the entry point group are loaded only
        # when named here (comma separated, or "*" for all installed ones).
        "PLUGINS_ALLOW": _list("PLUGINS_ALLOW"),
        "PLUGINS_DENY": _list("PLUGINS_DENY"),
        "LOAD_ENTRYPOINT_PLUGINS": True,
        "EXTRA_PLUGINS": [],
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        # Compiled templates kept on disk and made as a worker starts (core/templating.py);
        # empty: each worker compiles a template at its first use of it.
        "TEMPLATE_CACHE_DIR": os.environ.get(
            "TEMPLATE_CACHE_DIR", str(INSTANCE_DIR / "template-cache")
        ),
        # The key that signs the access log's checkpoints, kept outside the database: the
        # value itself, or a file holding it (made on first use outside production).
        "ACCESS_LOG_KEY": os.environ.get("ACCESS_LOG_KEY") or None,
        "ACCESS_LOG_KEY_FILE": os.environ.get(
            "ACCESS_LOG_KEY_FILE", str(INSTANCE_DIR / "access-log.key")
        ),
        "ACCESS_LOG_CHECKPOINT_SECONDS": int(
            os.environ.get("ACCESS_LOG_CHECKPOINT_SECONDS", "300")
        ),
        # The largest request body read, by kind, in bytes: a larger one is refused with 413
        # before it is read (core/input_guard.py). Uploads are multipart forms (a meeting
        # report: a PDF of 5 MB at most); API bodies are JSON.
        "MAX_FORM_BYTES": int(os.environ.get("MAX_FORM_BYTES", str(1024 * 1024))),
        "MAX_UPLOAD_BYTES": int(os.environ.get("MAX_UPLOAD_BYTES", str(6 * 1024 * 1024))),
        "MAX_API_BODY_BYTES": int(os.environ.get("MAX_API_BODY_BYTES", str(1024 * 1024))),
        # an Idempotency-Key claimed by a request that never finished (its worker was
        # killed) is taken over by a retry after this many seconds
        "IDEMPOTENCY_LEASE_SECONDS": int(os.environ.get("IDEMPOTENCY_LEASE_SECONDS", "120")),
        # An establishment with this many concerns within this many days is a cluster.
        "CLUSTER_MIN_CONCERNS": int(os.environ.get("CLUSTER_MIN_CONCERNS", "3")),
        "CLUSTER_WINDOW_DAYS": int(os.environ.get("CLUSTER_WINDOW_DAYS", "90")),
        # Contact-only follow-ups (Dudley's action plan, 6.3): the percentage of concerns
        # screened out as signposted or no further action that are followed up, and the
        # days after the contact that the call is due.
        "CONTACT_FOLLOW_UP_PERCENT": _whole("CONTACT_FOLLOW_UP_PERCENT", "25", 0, 100),
        "CONTACT_FOLLOW_UP_DAYS": _whole("CONTACT_FOLLOW_UP_DAYS", "14", 1, 365),
        # Open cases with no management oversight for this many weeks are listed.
        "OVERSIGHT_WEEKS": int(os.environ.get("OVERSIGHT_WEEKS", "4")),
        # Email: with MAIL_SERVER unset (the default) messages wait in the outbox for
        # `flask --app core mail send-pending`; with it set they leave after each commit
        # (through the worker when REDIS_URL is set).
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_STARTTLS": _bool("MAIL_USE_STARTTLS", False),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL", False),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "safeguarding-hub@localhost"),
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", "10")),
        # after this many failed attempts a message is marked failed and left alone
        "MAIL_MAX_ATTEMPTS": int(os.environ.get("MAIL_MAX_ATTEMPTS", "5")),
        # Where people reach this service; links in emails start with it.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000"),
        # Local timescales, as JSON: working days per clock
        # ({"strategy_discussion": 5, "initial_child_protection_conference": 15,
        # "core_group": 10, "decision_letter": 1}), working days before a meeting that
        # reports are due ({"initial_child_protection_conference": 3}) and quorum rules
        # ({"initial_child_protection_conference": {"required": ["childrens_social_care"],
        # "others": 2}}). Anything not given keeps the national default.
        "CLOCK_DAYS": _json("CLOCK_DAYS"),
        # The council's core hours (concerns received outside them are out of hours) and
        # the days it closes beside England's bank holidays, which no clock counts.
        "CORE_HOURS_START": _time("CORE_HOURS_START"),
        "CORE_HOURS_END": _time("CORE_HOURS_END"),
        "LOCAL_CLOSURE_DAYS": _days("LOCAL_CLOSURE_DAYS"),
        # The agency types whose practitioners notify hospital discharges (a discharge
        # out of hours is judged by the core hours above).
        "DISCHARGE_NOTIFIER_TYPES": _list("DISCHARGE_NOTIFIER_TYPES", "nhs_trust"),
        "REPORT_DEADLINE_DAYS": _json("REPORT_DEADLINE_DAYS"),
        "QUORUM_RULES": _json("QUORUM_RULES"),
        # Adults' protection plans are reviewed at least this often (children's follow
        # Working Together: 3 months after the initial conference, then every 6 months).
        "ADULT_PLAN_REVIEW_MONTHS": int(os.environ.get("ADULT_PLAN_REVIEW_MONTHS", "6")),
        # Screening decisions a non-manager makes that wait for a manager's sign-off:
        # [] none, ["*"] all, or decision codes (checked at start-up).
        "SCREENING_SIGN_OFF": _sign_off_setting(),
        # How long closed case records are kept, per category, as JSON
        # (core/retention/operations.py):
        # {"adult_years_after_closure": 6, "child_until_age": 25,
        # "child_years_after_closure": 6, "child_years_without_birth_date": 25}.
        "RETENTION": _json("RETENTION"),
        # The attendance audit flags agencies whose attendance rate is under this (0 to 1).
        "ATTENDANCE_THRESHOLD": _fraction("ATTENDANCE_THRESHOLD", "0.75"),
        # The published version of an audit (board exports) withholds counts from 1 to 4.
        "AUDIT_SUPPRESS_SMALL_COUNTS": _bool("AUDIT_SUPPRESS_SMALL_COUNTS", True),
        # In exports for board members (CSV, workbooks, PDFs of returns and audits), counts
        # from 1 up to this are shown as "*" so that nobody can be identified; 0: none.
        # The case file audit: cases sampled each quarter, and the checklist as a JSON list
        # of standards (empty: the defaults in core/casefile/operations.py).
        "CASE_FILE_SAMPLE_SIZE": int(os.environ.get("CASE_FILE_SAMPLE_SIZE", "20")),
        # The month (1 to 12) the case file audit's year begins in: 4, the council's
        # financial year (April to June is Q1); 1 for calendar quarters (checked at start-up).
        "AUDIT_YEAR_STARTS": os.environ.get("AUDIT_YEAR_STARTS", "4"),
        "CASE_FILE_CHECKLIST": _json_list("CASE_FILE_CHECKLIST"),
        # The children's levels of need, the council's threshold model, as a JSON list of
        # the bands, lowest need first: names, or {"name", "description"}; unset, the
        # four-level continuum (core/concerns/needs.py).
        "LEVELS_OF_NEED": _json_setting("LEVELS_OF_NEED"),
        "BOARD_SUPPRESS_BELOW": int(os.environ.get("BOARD_SUPPRESS_BELOW", "5")),
        "DASHBOARD_CACHE_SECONDS": int(os.environ.get("DASHBOARD_CACHE_SECONDS", "300")),
        # a change the summary tables have not counted for this long: count directly
        "FIGURES_STALE_SECONDS": int(os.environ.get("FIGURES_STALE_SECONDS", "900")),
        # The children in need census file's header names the council by this number
        "LA_CODE": _la_code(),
    }
    return settings


def engine_options(config: dict[str, Any]) -> dict[str, Any]:
    """SQLAlchemy's engine options: on PostgreSQL, the pool's size (DATABASE_POOL_SIZE)
    and psycopg's prepared statements off when DATABASE_PREPARED_STATEMENTS is off
    (``prepare_threshold=None``)."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    url = str(config.get("SQLALCHEMY_DATABASE_URI") or "")
    if not url.startswith("postgresql"):
        return options
    options.setdefault("pool_size", config.get("DATABASE_POOL_SIZE", 10))
    if not config.get("DATABASE_PREPARED_STATEMENTS", True):
        options["connect_args"] = {**options.get("connect_args", {}), "prepare_threshold": None}
    return options


def rate_limit_storage(config: dict[str, Any]) -> str:
    """Where rate limits count: RATELIMIT_STORAGE_URI if set, else the shared Redis
    (REDIS_URL), else this process's memory, which is right only for one process (as
    ``make run`` serves: one worker, four threads)."""
    return str(config.get("RATELIMIT_STORAGE_URI") or config.get("REDIS_URL") or "memory://")


def check_clock_settings(config: dict[str, Any]) -> None:
    """Refuse to start with clocks that cannot be right (core/clocks.py)."""
    problems = clock_settings_problems(config.get("CLOCK_DAYS"))
    start = config.get("CORE_HOURS_START") or WorkingCalendar.core_start
    end = config.get("CORE_HOURS_END") or WorkingCalendar.core_end
    if not start < end:
        problems.append("CORE_HOURS_START must be before CORE_HOURS_END")
    if problems:
        raise ConfigurationError("CLOCK_DAYS and core hours: " + "; ".join(problems))


def check_audit_year(config: dict[str, Any]) -> None:
    """AUDIT_YEAR_STARTS must be a month number; stored as a whole number once checked."""
    raw = str(config.get("AUDIT_YEAR_STARTS", "4")).strip()
    if not (raw.isdigit() and 1 <= int(raw) <= 12):
        raise ConfigurationError(
            f"AUDIT_YEAR_STARTS must be the month number the audit year begins in, from 1 "
            f"to 12 (4: April, the financial year), not {raw!r}."
        )
    config["AUDIT_YEAR_STARTS"] = int(raw)


def check_production_settings(config: dict[str, Any]) -> None:
    if config.get("ENV_NAME") != "production":
        return
    secret = config.get("SECRET_KEY") or ""
    if secret == DEV_SECRET_KEY or len(secret) < 32:
        raise ConfigurationError(
            "SECRET_KEY must be set to a random value of at least 32 characters in production "
            '(for example: python -c "import secrets; print(secrets.token_urlsafe(48))").'
        )
    if not config.get("SESSION_COOKIE_SECURE"):
        raise ConfigurationError("SESSION_COOKIE_SECURE must be on in production.")
