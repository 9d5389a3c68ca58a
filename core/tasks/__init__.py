"""Tasks between teams (issue 24, item 4): one team or person asks another for something
about a case by a time. The out-of-hours team asks the day team for follow-ups, the day
team asks the out-of-hours team for late-night checks (Derbyshire's out-of-hours service,
seeds/002), and the safeguarding team asks a partner agency's safeguarding contacts."""
