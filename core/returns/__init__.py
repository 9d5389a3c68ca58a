"""National returns and performance figures: the Safeguarding Adults Collection, the
children's timeliness figures and the performance dashboard. Every figure is counted in
SQL; nothing here loads case rows into Python."""
