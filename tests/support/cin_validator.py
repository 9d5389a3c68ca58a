"""The DfE's children in need census validator (csc-validator-be-cin), run on a census
file in its own environment (.venv-cin, made by `make cin-validator`)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv-cin" / "bin" / "python"
RUNNER = ROOT / "tests" / "cin_validator" / "run.py"


@dataclass(frozen=True)
class Issue:
    rule: str
    kind: str  # error or query (a rule code ending in Q)
    message: str
    child: str | None
    table: str | None


@dataclass(frozen=True)
class Verdict:
    rules_run: int
    issues: list[Issue]

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.kind == "error"]

    @property
    def error_rules(self) -> set[str]:
        return {issue.rule for issue in self.errors}

    def describe(self) -> str:
        return "\n".join(
            f"{i.rule} ({i.kind}) {i.child} {i.table}: {i.message}" for i in self.issues
        )


def validate(xml: bytes, ruleset: str = "cin2025_26") -> Verdict:
    """Every issue the DfE's rules for ``ruleset`` find in the census file ``xml``."""
    if not PYTHON.exists():
        raise AssertionError(
            f"{PYTHON} is missing: `make cin-validator` makes the validator's environment"
        )
    with tempfile.NamedTemporaryFile(suffix=".xml") as file:
        file.write(xml)
        file.flush()
        done = subprocess.run(
            [str(PYTHON), str(RUNNER), file.name, ruleset],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    if done.returncode != 0:
        raise AssertionError(f"the validator failed:\n{done.stderr}")
    found = json.loads(done.stdout)
    return Verdict(
        found["rules_run"],
        [
            Issue(i["rule"], i["kind"], i["message"], i["child"], i["table"])
            for i in found["issues"]
        ],
    )


if __name__ == "__main__":  # pragma: no cover - by hand: python -m tests.support.cin_validator F
    print(validate(Path(sys.argv[1]).read_bytes()).describe())
