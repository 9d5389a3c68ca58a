"""Backups of the whole database, and restoring one.

SQLite is copied with its online backup API (a consistent copy while the site runs);
PostgreSQL with ``pg_dump`` in its custom format and ``pg_restore`` into the same
database. Beside every backup a manifest (``PATH.manifest.json``) records the schema
revision, the row count of every table and the backup file's SHA-256; a restore checks the
file against it first and the restored row counts against it after, and then walks the
access log's hash chain.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from core.accesslog import operations as access_log
from core.db import utcnow
from core.extensions import db

MANIFEST_SUFFIX = ".manifest.json"
PRIVATE = 0o600


class BackupError(RuntimeError):
    """The backup or restore could not be made; nothing was changed."""


@dataclass(frozen=True)
class Manifest:
    dialect: str
    revision: str | None
    created_at: str
    sha256: str
    tables: dict[str, int]

    def write(self, path: Path) -> None:
        target = manifest_path(path)
        _create_private(target)
        target.write_text(json.dumps(self.__dict__, indent=2, sort_keys=True) + "\n")

    @classmethod
    def read(cls, path: Path) -> Manifest:
        try:
            data = json.loads(manifest_path(path).read_text())
            return cls(**data)
        except (OSError, ValueError, TypeError) as error:
            raise BackupError(f"No readable manifest beside {path}: {error}") from error


def _create_private(path: Path) -> None:
    """Create ``path`` empty, readable and writable by its owner only (0600) whatever the
    umask, so a backup of every case in the council is never readable by other accounts
    on the machine; it must not exist yet."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))
    except FileExistsError as error:
        raise BackupError(f"{path} exists already; choose a new file") from error
    os.chmod(path, PRIVATE)  # the mode given to open is narrowed by the umask, never widened


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + MANIFEST_SUFFIX)


def row_counts() -> dict[str, int]:
    """Rows in every table of the live database, by name."""
    inspector = sa.inspect(db.engine)
    counts = {}
    for name in sorted(inspector.get_table_names()):
        table = sa.table(name)
        counts[name] = int(db.session.scalar(sa.select(sa.func.count()).select_from(table)) or 0)
    db.session.rollback()
    return counts


def _revision() -> str | None:
    try:
        value = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
    except sa.exc.DBAPIError:
        db.session.rollback()
        return None
    return None if value is None else str(value)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def create_backup(path: Path) -> Manifest:
    """Write a backup of the whole database to ``path`` and its manifest beside it."""
    if path.exists() or manifest_path(path).exists():
        raise BackupError(f"{path} exists already; choose a new file")
    path.parent.mkdir(parents=True, exist_ok=True)
    _create_private(path)
    # logged first, so the backup holds its own entry and the chain stays whole
    access_log.record("backup.create", object_type="database")
    db.session.commit()
    try:
        counts = _write_backup(path)
    except BaseException:
        path.unlink(missing_ok=True)  # no half-written backup is left to be mistaken for one
        raise
    manifest = Manifest(
        dialect=db.engine.dialect.name,
        revision=_revision(),
        created_at=utcnow().isoformat(timespec="seconds"),
        sha256=_sha256(path),
        tables=counts,
    )
    manifest.write(path)
    return manifest


def _write_backup(path: Path) -> dict[str, int]:
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        return _sqlite_backup(path)
    if dialect == "postgresql":
        counts = row_counts()
        _pg_dump(path)
        return counts
    raise BackupError(f"Backups of {dialect} databases are not supported")


def restore_backup(path: Path) -> Manifest:
    """Replace the whole database with the backup at ``path``. Raises BackupError when
    the file does not match its manifest, or the restored rows do not."""
    manifest = Manifest.read(path)
    dialect = db.engine.dialect.name
    if manifest.dialect != dialect:
        raise BackupError(f"This is a {manifest.dialect} backup; the database is {dialect}")
    if _sha256(path) != manifest.sha256:
        raise BackupError(f"{path} does not match its manifest: it is damaged or was changed")
    db.session.remove()
    if dialect == "sqlite":
        _sqlite_restore(path)
    else:
        _pg_restore(path)
    restored = row_counts()
    if restored != manifest.tables:
        different = sorted(
            name
            for name in set(restored) | set(manifest.tables)
            if restored.get(name) != manifest.tables.get(name)
        )
        raise BackupError(f"Row counts differ from the manifest in: {', '.join(different)}")
    return manifest


# -- SQLite ---------------------------------------------------------------------------


def _sqlite_file() -> str:
    database = db.engine.url.database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up")
    return database


def _sqlite_backup(path: Path) -> dict[str, int]:
    """Copy the live database page by page through SQLite's online backup API; the
    counts are read from the copy, so they describe exactly what was saved."""
    source = sqlite3.connect(_sqlite_file())
    target = sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    engine = sa.create_engine(f"sqlite:///{path}", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            counts = {
                name: int(
                    connection.scalar(sa.select(sa.func.count()).select_from(sa.table(name))) or 0
                )
                for name in sorted(sa.inspect(connection).get_table_names())
            }
    finally:
        engine.dispose()
    with closing(sqlite3.connect(path)) as copy:
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    return counts


def _sqlite_restore(path: Path) -> None:
    db.engine.dispose()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    target = sqlite3.connect(_sqlite_file(), timeout=30)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    db.engine.dispose()


# -- PostgreSQL -----------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _major(version_text: str) -> int:
    match = re.search(r"\b(\d+)\.\d+", version_text)  # pg_dump (PostgreSQL) 15.20 (Debian …)
    if match is None:
        raise BackupError(f"Cannot read a version from {version_text!r}")
    return int(match.group(1))


def _check_tool_version(tool: str) -> None:
    """pg_dump refuses servers newer than itself; say so plainly before trying."""
    output = _run([tool, "--version"]).stdout
    server = int(db.session.scalar(sa.text("SHOW server_version_num")) or 0) // 10000
    db.session.rollback()
    if _major(output) < server:
        raise BackupError(
            f"{Path(tool).name} {output.strip()} is older than the server (PostgreSQL {server}); "
            f"install postgresql-client-{server}"
        )


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The database URL for libpq, and the environment carrying the password (never
    on the command line, where other users of the machine could read it)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(arguments: list[str], env: dict[str, str] | None = None) -> Any:
    try:
        return subprocess.run(  # noqa: S603 - fixed tool path and arguments, no shell
            arguments, capture_output=True, text=True, check=True, env=env, timeout=3600
        )
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{Path(arguments[0]).name} failed: {error.stderr.strip()}") from error


def _pg_dump(path: Path) -> None:
    tool = _pg_tool("pg_dump")
    _check_tool_version(tool)
    dsn, env = _libpq(make_url(str(db.engine.url.render_as_string(hide_password=False))))
    _run([tool, "--format=custom", "--no-owner", "--no-privileges", f"--file={path}", dsn], env)


def _pg_restore(path: Path) -> None:
    tool = _pg_tool("pg_restore")
    _check_tool_version(tool)
    dsn, env = _libpq(make_url(str(db.engine.url.render_as_string(hide_password=False))))
    db.engine.dispose()
    _run(
        [
            tool,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={dsn}",
            str(path),
        ],
        env,
    )
