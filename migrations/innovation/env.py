"""Alembic environment of the innovation service."""

from kit.migrations import run_env

run_env("innovation")
