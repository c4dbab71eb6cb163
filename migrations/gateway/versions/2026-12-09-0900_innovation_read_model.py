"""innovation read model: counters per (scope, batch), demand and project replicas

The overview's ``innovation`` sections (``gateway.innovation``): counters per unit and city
and batch (or ``all``), a version-guarded replica of each demand and each project, the
enterprises served per scope and batch (附件5 I1 counts each once) and each unit's setting
(runs the task or not). New tables only: nothing before this revision is touched. The
consumer (``gateway--innovation``) starts from the beginning of the innovation stream, so
the counters fill with whatever the stream still holds.

Revision ID: 6a1d9e3f5b80
Revises: 4d8e2a6c1f07
Create Date: 2026-12-09 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "6a1d9e3f5b80"
down_revision: str | None = "4d8e2a6c1f07"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "gateway"
# Frozen here as they were when this revision was written (gateway.innovation.models).
CATEGORIES = ("rd", "proof_of_concept", "pilot", "testing", "commercialization", "ip")
FIGURES = (
    "demands",
    *(f"category_{c}" for c in CATEGORIES),
    "pooled",
    "declined",
    "selected",
    "not_selected",
    "projects",
    "enterprises_served",
    "accepted",
    "responses",
    "satisfied",
)


def _count(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), server_default=sa.text("0"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "innovation_counts",
        sa.Column("scope", sa.String(length=6), nullable=False),
        sa.Column("batch", sa.String(length=50), nullable=False),
        *(_count(name) for name in FIGURES),
        sa.PrimaryKeyConstraint("scope", "batch", name=op.f("pk_innovation_counts")),
        schema=SCHEMA,
    )
    op.create_table(
        "innovation_demands",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("unit", sa.String(length=4), nullable=False),
        sa.Column("city", sa.String(length=6), nullable=False),
        sa.Column("batch", sa.String(length=50), nullable=True),
        sa.Column("state", sa.String(length=15), nullable=False),
        sa.Column("categories", postgresql.ARRAY(sa.String(length=20)), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_innovation_demands")),
        schema=SCHEMA,
    )
    op.create_table(
        "innovation_projects",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("unit", sa.String(length=4), nullable=False),
        sa.Column("city", sa.String(length=6), nullable=True),
        sa.Column("batch", sa.String(length=50), nullable=False),
        sa.Column("enterprise_uscc", sa.String(length=18), nullable=True),
        sa.Column("state", sa.String(length=15), nullable=True),
        sa.Column("satisfied", sa.Boolean(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_innovation_projects")),
        schema=SCHEMA,
    )
    op.create_table(
        "innovation_served",
        sa.Column("scope", sa.String(length=6), nullable=False),
        sa.Column("batch", sa.String(length=50), nullable=False),
        sa.Column("enterprise_uscc", sa.String(length=18), nullable=False),
        sa.PrimaryKeyConstraint(
            "scope", "batch", "enterprise_uscc", name=op.f("pk_innovation_served")
        ),
        schema=SCHEMA,
    )
    op.create_table(
        "innovation_settings",
        sa.Column("unit", sa.String(length=4), nullable=False),
        sa.Column("runs", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("unit", name=op.f("pk_innovation_settings")),
        schema=SCHEMA,
    )


def downgrade() -> None:
    for table in (
        "innovation_settings",
        "innovation_served",
        "innovation_projects",
        "innovation_demands",
        "innovation_counts",
    ):
        op.drop_table(table, schema=SCHEMA)
