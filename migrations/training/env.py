"""Alembic environment of the training service."""

from kit.migrations import run_env

run_env("training")
