"""Alembic environment of the diagnosis service."""

from kit.migrations import run_env

run_env("diagnosis")
