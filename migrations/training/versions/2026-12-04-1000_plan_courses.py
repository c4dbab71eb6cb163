"""plan courses: a plan's own courses beside the 11 key courses of 附1-1

Revision ID: 3b8f1d6c2e47
Revises: f54e1fcdc947
Create Date: 2026-12-04 10:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3b8f1d6c2e47"
down_revision: str | None = "f54e1fcdc947"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "plan_courses",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("plan_id", sa.UUID(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["training.plans.id"], name=op.f("fk_plan_courses_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_courses")),
        sa.UniqueConstraint("code", name=op.f("uq_plan_courses_code")),
        sa.UniqueConstraint("plan_id", "name", name=op.f("uq_plan_courses_plan_id_name")),
        schema="training",
    )


def downgrade() -> None:
    op.drop_table("plan_courses", schema="training")
