"""Password hashing with argon2id and the password rules.

``common-passwords.txt`` beside this file lists the 19,640 most common passwords
(lower case, most common first): Royce Williams's list as shipped with Django
(``django/contrib/auth/common-passwords.txt.gz``, BSD licence). A password on it is
refused whatever its case.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

# A valid hash of a random password, checked when the account does not exist so that
# a wrong email costs as long as a wrong password.
_DUMMY_PASSWORD = "not-a-real-account-password"  # noqa: S105


@dataclass(frozen=True)
class HashCosts:
    """argon2id's costs: passes, memory in KiB and lanes."""

    time_cost: int
    memory_kib: int
    parallelism: int


# argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). RFC 9106's 64 MiB
# profile, used before, held 64 MiB for each sign-in in progress (a server worker's four
# threads signing people in at once: 256 MiB on top of the app). Hashes made with other
# costs are redone at the next sign-in (needs_rehash).
COSTS = HashCosts(time_cost=2, memory_kib=19 * 1024, parallelism=1)


def _hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=COSTS.time_cost, memory_cost=COSTS.memory_kib, parallelism=COSTS.parallelism
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher = _hasher()
    try:
        if password_hash is None:
            hasher.verify(hasher.hash(_DUMMY_PASSWORD), password)
            return False
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


COMMON_PASSWORDS_FILE = Path(__file__).with_name("common-passwords.txt")


@cache
def common_passwords() -> frozenset[str]:
    with COMMON_PASSWORDS_FILE.open(encoding="utf-8") as lines:
        return frozenset(line.rstrip("\n") for line in lines if line.strip())


def password_problems(password: str) -> list[str]:
    """What is wrong with a proposed password, in words for the person choosing it."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    problems = []
    if len(password) < minimum:
        problems.append(f"Password must be {minimum} characters or more")
    if len(password) > 256:
        problems.append("Password must be 256 characters or fewer")
    if password.strip().lower() in common_passwords():
        problems.append(
            "This password is one of the most common: choose one that is harder to guess"
        )
    return problems
