"""Faker for the demo data, which is an extra (`pip install 'safeguarding-hub[demo]'`;
`make` installs it), not something a production server needs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from faker import Faker


def synthetic(seed: int = 2026) -> Faker:
    """Faker for en_GB with a fixed seed: the same made-up people every time."""
    # Imported here, not at the top: the app (and its CLI) must start without the extra.
    try:
        from faker import Faker
    except ModuleNotFoundError as missing:
        raise click.ClickException(
            "The demo data needs Faker: install the demo extra "
            "(pip install 'safeguarding-hub[demo]'; make run does)."
        ) from missing
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    return fake
