"""the replica's 附1-3 enterprise fields

The shared replica (``kit.registry_replica``) keeps what training's 附1-3 export shows of an
enterprise (企业情况: website, listing, IPO plan, titles); the gateway's copy has the same
columns. Rows replicated before have nulls there until the enterprise's next event.

Revision ID: e8b1f5a3c927
Revises: 9a4f6e1c3d85
Create Date: 2026-12-05 10:00:00+00:00
"""

from collections.abc import Sequence

from kit.migrations import add_replica_form_fields, drop_replica_form_fields

revision: str = "e8b1f5a3c927"
down_revision: str | None = "9a4f6e1c3d85"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "gateway"


def upgrade() -> None:
    add_replica_form_fields(SCHEMA)


def downgrade() -> None:
    drop_replica_form_fields(SCHEMA)
