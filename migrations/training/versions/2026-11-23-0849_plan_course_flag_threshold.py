"""plan course flag threshold

Revision ID: bf7fb66165b8
Revises: 55cf37cdc6fe
Create Date: 2026-11-23 08:49:22.920409+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "bf7fb66165b8"
down_revision: str | None = "55cf37cdc6fe"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "plans",
        sa.Column(
            "course_flag_threshold",
            sa.Numeric(precision=3, scale=2),
            server_default=sa.text("4.00"),
            nullable=False,
        ),
        schema="training",
    )


def downgrade() -> None:
    op.drop_column("plans", "course_flag_threshold", schema="training")
