"""selection rounds: a unit's rounds per batch with a quota, their selections; a demand
records the round that took it up and its batch

New tables and two nullable columns: nothing before this revision is changed.

Revision ID: 8b1e5d3a9c62
Revises: 3f6c2a9d7b41
Create Date: 2026-12-03 20:40:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "8b1e5d3a9c62"
down_revision: str | None = "3f6c2a9d7b41"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "innovation"


def upgrade() -> None:
    op.create_table(
        "rounds",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("unit", sa.String(length=4), nullable=False),
        sa.Column("batch", sa.String(length=50), nullable=False),
        sa.Column("quota", sa.Integer(), nullable=False),
        sa.Column("eligible_tiers", postgresql.ARRAY(sa.String(length=20)), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("selected", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("not_selected", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("quota >= 1", name=op.f("ck_rounds_quota_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rounds")),
        schema=SCHEMA,
    )
    op.create_index(
        "uq_rounds_open_unit_batch",
        "rounds",
        ["unit", "batch"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=sa.text("state = 'open'"),
    )
    op.create_table(
        "selections",
        sa.Column("round_id", sa.UUID(), nullable=False),
        sa.Column("demand_id", sa.UUID(), nullable=False),
        sa.Column("score", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=False),
        sa.Column("selected_by", sa.String(length=200), nullable=False),
        sa.Column(
            "selected_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("score >= 0 AND score <= 100", name=op.f("ck_selections_score_range")),
        sa.ForeignKeyConstraint(
            ["demand_id"],
            ["innovation.demands.id"],
            name=op.f("fk_selections_demand_id_demands"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["innovation.rounds.id"], name=op.f("fk_selections_round_id_rounds")
        ),
        sa.PrimaryKeyConstraint("round_id", "demand_id", name=op.f("pk_selections")),
        sa.UniqueConstraint("demand_id", name=op.f("uq_selections_demand_id")),
        schema=SCHEMA,
    )
    op.add_column("demands", sa.Column("round_id", sa.UUID(), nullable=True), schema=SCHEMA)
    op.add_column("demands", sa.Column("batch", sa.String(length=50), nullable=True), schema=SCHEMA)
    op.create_foreign_key(
        op.f("fk_demands_round_id_rounds"),
        "demands",
        "rounds",
        ["round_id"],
        ["id"],
        source_schema=SCHEMA,
        referent_schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_constraint(
        op.f("fk_demands_round_id_rounds"), "demands", schema=SCHEMA, type_="foreignkey"
    )
    op.drop_column("demands", "batch", schema=SCHEMA)
    op.drop_column("demands", "round_id", schema=SCHEMA)
    op.drop_table("selections", schema=SCHEMA)
    op.drop_index("uq_rounds_open_unit_batch", "rounds", schema=SCHEMA)
    op.drop_table("rounds", schema=SCHEMA)
