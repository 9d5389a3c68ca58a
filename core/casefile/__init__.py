"""The quarterly case file audit: a reproducible random sample of cases active in a
quarter, assigned to auditors who read them (read-only) and grade them against a
checklist; findings roll up to a quarterly report."""
