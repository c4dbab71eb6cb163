"""Institutions: the unit's review of each type's declared qualification conditions.

A qualification counts only once the unit (the province of the institution's region, or
the ministry) has verified it. Institutions registered before this revision hold no review:
their declarations are pending until the unit verifies them (nothing is presumed verified).

Revision ID: 7b2e4f1a9c3d
Revises: 5a1d2c3b4e6f
Create Date: 2026-12-02 06:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "7b2e4f1a9c3d"
down_revision: str | None = "5a1d2c3b4e6f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "institutions",
        sa.Column(
            "reviews", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False
        ),
        schema="registry",
    )


def downgrade() -> None:
    op.drop_column("institutions", "reviews", schema="registry")
