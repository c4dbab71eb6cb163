"""audit and idempotency hardening

The audit log keeps the client's X-Request-ID beside the server's own and refuses TRUNCATE
(row triggers never see it). Idempotency keys expire, remember the caller's grants and the
unmasked reads they were audited for, and store responses encrypted: the rows kept so far
hold responses in plaintext, some unmasked, so they are deleted (a replay within the last
24 h then runs the request again, which the unique keys of every create refuse).

Revision ID: 9c1e4a7b2d30
Revises: 7b2e4f1a9c3d
Create Date: 2026-12-02 10:00:00+00:00
"""

from collections.abc import Sequence

from kit.migrations import harden_kit_tables, soften_kit_tables

revision: str = "9c1e4a7b2d30"
down_revision: str | None = "7b2e4f1a9c3d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "registry"


def upgrade() -> None:
    harden_kit_tables(SCHEMA)


def downgrade() -> None:
    soften_kit_tables(SCHEMA)
