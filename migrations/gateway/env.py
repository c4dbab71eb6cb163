"""Alembic environment of the gateway service."""

from kit.migrations import run_env

run_env("gateway")
