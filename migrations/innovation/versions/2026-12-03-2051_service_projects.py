"""service projects: a selected demand's project, its milestones, its steps and its survey

New tables only: nothing before this revision is changed.

Revision ID: 25c070620cfd
Revises: 8b1e5d3a9c62
Create Date: 2026-12-03 20:51:18.759539+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "25c070620cfd"
down_revision: str | None = "8b1e5d3a9c62"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("demand_id", sa.UUID(), nullable=False),
        sa.Column("enterprise_uscc", sa.String(length=18), nullable=False),
        sa.Column("unit", sa.String(length=4), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("batch", sa.String(length=50), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("institution_name", sa.String(length=200), nullable=False),
        sa.Column("categories", postgresql.ARRAY(sa.String(length=20)), nullable=False),
        sa.Column("services", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("fee_to_enterprise", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("state", sa.String(length=15), nullable=False),
        sa.Column("milestones", sa.Integer(), nullable=False),
        sa.Column("milestones_done", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("acceptance_result", sa.String(length=10), nullable=True),
        sa.Column("acceptance_body", sa.String(length=20), nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("award_wan_yuan", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("acceptance_remarks", sa.String(length=2000), nullable=True),
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
        sa.CheckConstraint("fee_to_enterprise = 0", name=op.f("ck_projects_free_to_enterprise")),
        sa.CheckConstraint(
            "milestones_done <= milestones", name=op.f("ck_projects_milestones_done_of_all")
        ),
        sa.ForeignKeyConstraint(
            ["demand_id"], ["innovation.demands.id"], name=op.f("fk_projects_demand_id_demands")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("demand_id", name=op.f("uq_projects_demand_id")),
        schema="innovation",
    )
    op.create_index(
        op.f("ix_projects_enterprise_uscc"),
        "projects",
        ["enterprise_uscc"],
        unique=False,
        schema="innovation",
    )
    op.create_index(
        op.f("ix_projects_institution_id"),
        "projects",
        ["institution_id"],
        unique=False,
        schema="innovation",
    )
    op.create_index(
        op.f("ix_projects_unit_batch_state"),
        "projects",
        ["unit", "batch", "state"],
        unique=False,
        schema="innovation",
    )
    op.create_table(
        "milestones",
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_by", sa.String(length=200), nullable=True),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["innovation.projects.id"],
            name=op.f("fk_milestones_project_id_projects"),
        ),
        sa.PrimaryKeyConstraint("project_id", "n", name=op.f("pk_milestones")),
        schema="innovation",
    )
    op.create_table(
        "project_surveys",
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("unit", sa.String(length=4), nullable=False),
        sa.Column("batch", sa.String(length=50), nullable=False),
        sa.Column("scores", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("overall", sa.Numeric(precision=3, scale=2), nullable=False),
        sa.Column("satisfied", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.String(length=1000), nullable=True),
        sa.Column(
            "submitted_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["innovation.projects.id"],
            name=op.f("fk_project_surveys_project_id_projects"),
        ),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_project_surveys")),
        schema="innovation",
    )
    op.create_table(
        "project_transitions",
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("from_state", sa.String(length=15), nullable=True),
        sa.Column("to_state", sa.String(length=15), nullable=False),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("by_subject", sa.String(length=200), nullable=False),
        sa.Column("by_role", sa.String(length=20), nullable=False),
        sa.Column(
            "details",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["innovation.projects.id"],
            name=op.f("fk_project_transitions_project_id_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_transitions")),
        schema="innovation",
    )
    op.create_index(
        op.f("ix_project_transitions_project_id"),
        "project_transitions",
        ["project_id"],
        unique=False,
        schema="innovation",
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_project_transitions_project_id"),
        table_name="project_transitions",
        schema="innovation",
    )
    op.drop_table("project_transitions", schema="innovation")
    op.drop_table("project_surveys", schema="innovation")
    op.drop_table("milestones", schema="innovation")
    op.drop_index(op.f("ix_projects_unit_batch_state"), table_name="projects", schema="innovation")
    op.drop_index(op.f("ix_projects_institution_id"), table_name="projects", schema="innovation")
    op.drop_index(op.f("ix_projects_enterprise_uscc"), table_name="projects", schema="innovation")
    op.drop_table("projects", schema="innovation")
