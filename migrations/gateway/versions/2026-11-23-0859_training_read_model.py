"""training read model: counters per (province, period) and the replicas behind them

Revision ID: ae161f8524e8
Revises: dc96002643e5
Create Date: 2026-11-23 08:59:50.218609+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'ae161f8524e8'
down_revision: str | None = 'dc96002643e5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('training_certificates',
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('number', name=op.f('pk_training_certificates')),
    schema='gateway'
    )
    op.create_table('training_classes',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('period', sa.String(length=9), nullable=False),
    sa.Column('provinces', postgresql.ARRAY(sa.String(length=2)), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_classes')),
    schema='gateway'
    )
    op.create_table('training_counts',
    sa.Column('scope', sa.String(length=2), nullable=False),
    sa.Column('period', sa.String(length=9), nullable=False),
    sa.Column('classes', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('trainees', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('enterprises_trained', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('certificates', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('responses', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('satisfied', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'period', name=op.f('pk_training_counts')),
    schema='gateway'
    )
    op.create_table('training_enrollments',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('trainee_id', sa.UUID(), nullable=False),
    sa.Column('enterprise_uscc', sa.String(length=18), nullable=False),
    sa.Column('province', sa.String(length=2), nullable=False),
    sa.Column('class_province', sa.String(length=2), nullable=False),
    sa.Column('period', sa.String(length=9), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_enrollments')),
    schema='gateway'
    )
    op.create_table('training_enterprise_members',
    sa.Column('scope', sa.String(length=2), nullable=False),
    sa.Column('period', sa.String(length=9), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('enrollments', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'period', 'uscc', name=op.f('pk_training_enterprise_members')),
    schema='gateway'
    )
    op.create_table('training_surveys',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_surveys')),
    schema='gateway'
    )
    op.create_table('training_trainee_members',
    sa.Column('scope', sa.String(length=2), nullable=False),
    sa.Column('period', sa.String(length=9), nullable=False),
    sa.Column('trainee_id', sa.UUID(), nullable=False),
    sa.Column('enrollments', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'period', 'trainee_id', name=op.f('pk_training_trainee_members')),
    schema='gateway'
    )


def downgrade() -> None:
    op.drop_table('training_trainee_members', schema='gateway')
    op.drop_table('training_surveys', schema='gateway')
    op.drop_table('training_enterprise_members', schema='gateway')
    op.drop_table('training_enrollments', schema='gateway')
    op.drop_table('training_counts', schema='gateway')
    op.drop_table('training_classes', schema='gateway')
    op.drop_table('training_certificates', schema='gateway')
