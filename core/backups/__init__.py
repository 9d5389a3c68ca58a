"""Backing up the whole database and restoring a backup."""
