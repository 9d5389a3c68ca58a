"""Retention: what is kept how long, and purging case records past it."""
