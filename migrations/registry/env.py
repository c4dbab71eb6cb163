"""Alembic environment of the registry service."""

from kit.migrations import run_env

run_env("registry")
