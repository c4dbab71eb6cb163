"""contacts carry a provincial system's own key

Provincial systems sync their 附件6 contacts in bulk, keyed by their own id
(``external_id``), unique among a unit's current contacts.

Revision ID: 2f5c8a1e6d93
Revises: 6c1d9e3a7b52
Create Date: 2026-12-05 11:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2f5c8a1e6d93"
down_revision: str | None = "6c1d9e3a7b52"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "registry"


def upgrade() -> None:
    op.add_column(
        "contacts", sa.Column("external_id", sa.String(100), nullable=True), schema=SCHEMA
    )
    op.create_index(
        "uq_contacts_current_external_id",
        "contacts",
        ["province", "external_id"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=sa.text("replaced_by IS NULL AND external_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_contacts_current_external_id", table_name="contacts", schema=SCHEMA)
    op.drop_column("contacts", "external_id", schema=SCHEMA)
