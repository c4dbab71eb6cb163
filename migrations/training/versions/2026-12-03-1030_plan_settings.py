"""plan settings: the per-enterprise limit and its scope, the certificate threshold

Existing plans take the defaults: 2 per enterprise per plan period (001: each person
chooses one class) and certificates at 90% attendance. A certificate names the training
institution in whose name it is issued; those issued before take their class's.

Revision ID: 97dd7e271ae0
Revises: 4d2b7e9a1c50
Create Date: 2026-12-03 10:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "97dd7e271ae0"
down_revision: str | None = "4d2b7e9a1c50"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "training"
CHECKS = {
    "per_enterprise_limit": "per_enterprise_limit BETWEEN 1 AND 20",
    "per_enterprise_scope": "per_enterprise_scope IN ('plan', 'class')",
    "certificate_threshold": "certificate_threshold BETWEEN 0.5 AND 1",
}


def upgrade() -> None:
    op.add_column(
        "plans",
        sa.Column(
            "per_enterprise_limit", sa.SmallInteger(), server_default=sa.text("2"), nullable=False
        ),
        schema=SCHEMA,
    )
    op.add_column(
        "plans",
        sa.Column(
            "per_enterprise_scope",
            sa.String(length=5),
            server_default=sa.text("'plan'"),
            nullable=False,
        ),
        schema=SCHEMA,
    )
    op.add_column(
        "plans",
        sa.Column(
            "certificate_threshold",
            sa.Numeric(precision=3, scale=2),
            server_default=sa.text("0.90"),
            nullable=False,
        ),
        schema=SCHEMA,
    )
    for name, condition in CHECKS.items():
        op.create_check_constraint(op.f(f"ck_plans_{name}"), "plans", condition, schema=SCHEMA)
    op.add_column(
        "certificates",
        sa.Column("institution_name", sa.String(length=200), nullable=True),
        schema=SCHEMA,
    )
    op.execute(
        "UPDATE training.certificates AS c SET institution_name = k.institution_name"
        " FROM training.classes AS k WHERE k.id = c.class_id"
    )
    op.alter_column("certificates", "institution_name", nullable=False, schema=SCHEMA)


def downgrade() -> None:
    op.drop_column("certificates", "institution_name", schema=SCHEMA)
    for name in CHECKS:
        op.drop_constraint(op.f(f"ck_plans_{name}"), "plans", type_="check", schema=SCHEMA)
    op.drop_column("plans", "certificate_threshold", schema=SCHEMA)
    op.drop_column("plans", "per_enterprise_scope", schema=SCHEMA)
    op.drop_column("plans", "per_enterprise_limit", schema=SCHEMA)
