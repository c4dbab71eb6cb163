"""trainee region (for city scoping) and honours (个人荣誉和奖励)

Revision ID: 55cf37cdc6fe
Revises: f447aaa75a4e
Create Date: 2026-11-23 08:39:51.196052+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "55cf37cdc6fe"
down_revision: str | None = "f447aaa75a4e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "trainees", sa.Column("region_code", sa.String(length=6), nullable=True), schema="training"
    )
    # Existing trainees take their enterprise's region from the replica.
    op.execute(
        "UPDATE training.trainees t SET region_code = e.region_code "
        "FROM training.enterprises e WHERE e.uscc = t.enterprise_uscc"
    )
    op.execute(
        "UPDATE training.trainees SET region_code = province || '0000' WHERE region_code IS NULL"
    )
    op.alter_column("trainees", "region_code", nullable=False, schema="training")
    op.add_column(
        "trainees", sa.Column("honours", sa.String(length=1000), nullable=True), schema="training"
    )


def downgrade() -> None:
    op.drop_column("trainees", "honours", schema="training")
    op.drop_column("trainees", "region_code", schema="training")
