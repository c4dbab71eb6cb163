"""diagnosis read model: counters per (scope, kind, batch), levels, engagement replicas

The overview's ``diagnosis`` sections (``gateway.diagnosis``): counters per unit and city,
kind and batch (or ``all``), the quality level distribution, a version-guarded replica of
each engagement and the activities counted. New tables only: nothing before this revision is
touched. The consumer (``gateway--diagnosis``) starts from the beginning of the diagnosis
stream, so the counters fill with whatever the stream still holds.

Revision ID: b0f66cc3c5c5
Revises: c7c45717cdb2
Create Date: 2026-12-07 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b0f66cc3c5c5"
down_revision: str | None = "c7c45717cdb2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "gateway"
FIGURES = (
    "requested",
    "self_assessed",
    "diagnosed",
    "reports_with_suggestions",
    "typical_cases",
    "activities",
    "responses",
    "satisfied",
)


def _count(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), server_default=sa.text("0"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "diagnosis_counts",
        sa.Column("scope", sa.String(length=6), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("batch", sa.String(length=50), nullable=False),
        *(_count(name) for name in FIGURES),
        sa.PrimaryKeyConstraint("scope", "kind", "batch", name=op.f("pk_diagnosis_counts")),
        schema=SCHEMA,
    )
    op.create_table(
        "diagnosis_level_counts",
        sa.Column("scope", sa.String(length=6), nullable=False),
        sa.Column("batch", sa.String(length=50), nullable=False),
        sa.Column("level", sa.String(length=12), nullable=False),
        _count("engagements"),
        sa.PrimaryKeyConstraint("scope", "batch", "level", name=op.f("pk_diagnosis_level_counts")),
        schema=SCHEMA,
    )
    op.create_table(
        "diagnosis_engagements",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("unit", sa.String(length=4), nullable=False),
        sa.Column("city", sa.String(length=6), nullable=True),
        sa.Column("batch", sa.String(length=50), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=True),
        sa.Column("level", sa.String(length=12), nullable=True),
        sa.Column("spot_level", sa.String(length=12), nullable=True),
        _count("suggestions"),
        sa.Column("typical_case", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("satisfied", sa.Boolean(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagnosis_engagements")),
        schema=SCHEMA,
    )
    op.create_table(
        "diagnosis_activities",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("unit", sa.String(length=4), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagnosis_activities")),
        schema=SCHEMA,
    )


def downgrade() -> None:
    for table in (
        "diagnosis_activities",
        "diagnosis_engagements",
        "diagnosis_level_counts",
        "diagnosis_counts",
    ):
        op.drop_table(table, schema=SCHEMA)
