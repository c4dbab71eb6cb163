"""trainee study period and degree; the replica's 附1-3 enterprise fields

A trainee gains 起止时间 (YYYY-MM text) and 学位 (附1-3 学历/学位), none for existing
trainees. The shared replica (``kit.registry_replica``) keeps what 附1-3's 企业情况 shows
of an enterprise: website, listing, IPO plan, titles. Rows replicated before have nulls
there until the enterprise's next event.

Revision ID: c4a7e2d9b613
Revises: 0e7b4c2d9f18
Create Date: 2026-12-05 10:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from kit.migrations import add_replica_form_fields, drop_replica_form_fields

revision: str = "c4a7e2d9b613"
down_revision: str | None = "0e7b4c2d9f18"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "training"


def upgrade() -> None:
    for name, length in (("studied_from", 7), ("studied_until", 7), ("degree", 20)):
        op.add_column("trainees", sa.Column(name, sa.String(length), nullable=True), schema=SCHEMA)
    add_replica_form_fields(SCHEMA)


def downgrade() -> None:
    drop_replica_form_fields(SCHEMA)
    for name in ("degree", "studied_until", "studied_from"):
        op.drop_column("trainees", name, schema=SCHEMA)
