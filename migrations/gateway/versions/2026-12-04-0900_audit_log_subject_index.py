"""audit log subject index

The audit log reader (kit.audit_reader) answers "what did this subject do", newest first:
an index on (subject, at, id) serves it without scanning the whole log.

Revision ID: bf3c4de4cd4c
Revises: 6a3c9e1b4d53
Create Date: 2026-12-04 09:00:00+00:00
"""

from collections.abc import Sequence

from kit.migrations import index_audit_log_subjects, unindex_audit_log_subjects

revision: str = "bf3c4de4cd4c"
down_revision: str | None = "6a3c9e1b4d53"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "gateway"


def upgrade() -> None:
    index_audit_log_subjects(SCHEMA)


def downgrade() -> None:
    unindex_audit_log_subjects(SCHEMA)
