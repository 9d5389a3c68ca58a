"""Run the DfE's children in need census validator on one census file and print what it
found as JSON: ``python run.py FILE.xml cin2025_26``. Run by .venv-cin's Python (the
validator's own environment), never imported by the suite."""

from __future__ import annotations

import importlib
import json
import sys
import warnings
import xml.etree.ElementTree as ET


def main(path: str, ruleset: str) -> None:
    # pandas 1.5 under a newer Python warns about its own internals; not the file's fault
    warnings.simplefilter("ignore")
    from cin_validator import cin_validator

    root = ET.parse(path).getroot()  # noqa: S314 - a census file the suite made
    data = cin_validator.process_data(cin_validator.convert_data(root))
    registry = importlib.import_module(f"cin_validator.rules.{ruleset}").registry
    validator = cin_validator.CinValidator(data, registry)
    issues = validator.user_report  # each issue with the child it is about
    found = []
    if issues is not None and len(issues):
        for row in issues.to_dict("records"):
            code = str(row.get("rule_code"))
            found.append(
                {
                    "rule": code,
                    "kind": "query" if code.endswith("Q") else "error",
                    "message": str(row.get("rule_description")),
                    "child": None
                    if row.get("LAchildID") in (None, "nan", "<NA>")
                    else str(row.get("LAchildID")),
                    "table": None
                    if row.get("tables_affected") in (None, "nan")
                    else str(row.get("tables_affected")),
                    "columns": str(row.get("columns_affected")),
                }
            )
    json.dump({"rules_run": len(registry), "issues": found}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
