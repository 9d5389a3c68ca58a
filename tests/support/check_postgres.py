"""Fail loudly, before the suite starts, when the PostgreSQL test server is unreachable."""

from __future__ import annotations

import sys

import sqlalchemy as sa

from core.config import normalise_database_url


def main(url: str) -> int:
    url = normalise_database_url(url)
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 5})
        with engine.connect() as connection:
            version = connection.execute(sa.text("SHOW server_version")).scalar_one()
        engine.dispose()
    except Exception as exc:
        print(f"PostgreSQL test database unreachable at {url}: {exc}", file=sys.stderr)
        print(
            "Start it (see docs/testing.md), or run `make test` without CI=true for SQLite only.",
            file=sys.stderr,
        )
        return 1
    print(f"PostgreSQL {version} reachable for tests.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
