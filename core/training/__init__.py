"""Staff safeguarding training records (issue 25, item 4; Dudley's safeguarding adults
plan, 1.10: "NHS Trusts to continue training for their own staff and to maintain accurate
records of staff who have been trained ... System for logging attendances and feeding
data through to DSVAB Training Group for collation and monitoring"): each agency keeps one
record per member of staff and course completed, and the quarterly training return is
computed from them."""
