"""Hospital discharges notified by NHS trusts, with or without an open concern, and the
safeguarding team's follow-up of each (issue 25, item 6)."""
