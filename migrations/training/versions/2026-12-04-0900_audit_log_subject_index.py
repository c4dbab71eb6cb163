"""audit log subject index

The audit log reader (kit.audit_reader) answers "what did this subject do", newest first:
an index on (subject, at, id) serves it without scanning the whole log.

Revision ID: f54e1fcdc947
Revises: 5b8e2d4f7a13
Create Date: 2026-12-04 09:00:00+00:00
"""

from collections.abc import Sequence

from kit.migrations import index_audit_log_subjects, unindex_audit_log_subjects

revision: str = "f54e1fcdc947"
down_revision: str | None = "5b8e2d4f7a13"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "training"


def upgrade() -> None:
    index_audit_log_subjects(SCHEMA)


def downgrade() -> None:
    unindex_audit_log_subjects(SCHEMA)
