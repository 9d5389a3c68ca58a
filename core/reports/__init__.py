"""Reports contributed by plugins: the reports page and CSV downloads."""
