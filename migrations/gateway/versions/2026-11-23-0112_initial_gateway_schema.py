"""initial gateway schema

Revision ID: dc96002643e5
Revises: 
Create Date: 2026-11-23 01:12:58.657985+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from kit.migrations import append_only_sql

revision: str = 'dc96002643e5'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('role', sa.String(length=40), nullable=True),
    sa.Column('region', sa.String(length=6), nullable=True),
    sa.Column('action', sa.String(length=100), nullable=False),
    sa.Column('resource', sa.String(length=300), nullable=True),
    sa.Column('result', sa.String(length=20), nullable=False),
    sa.Column('detail', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    schema='gateway'
    )
    op.create_index('ix_audit_log_at', 'audit_log', ['at'], unique=False, schema='gateway')
    op.create_table('enterprises',
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('province', sa.String(length=2), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('uscc', name=op.f('pk_enterprises')),
    schema='gateway'
    )
    op.create_table('idempotency_keys',
    sa.Column('principal', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('request_hash', sa.LargeBinary(), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('content_type', sa.String(length=100), nullable=True),
    sa.Column('response_body', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('principal', 'key', name=op.f('pk_idempotency_keys')),
    schema='gateway'
    )
    op.create_table('inbox',
    sa.Column('consumer', sa.String(length=100), nullable=False),
    sa.Column('event_id', sa.UUID(), nullable=False),
    sa.Column('event_type', sa.String(length=200), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('consumer', 'event_id', name=op.f('pk_inbox')),
    schema='gateway'
    )
    op.create_table('outbox',
    sa.Column('id', sa.UUID(), nullable=False, comment='event id (UUIDv7)'),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=False, comment='the whole CloudEvent'),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    schema='gateway'
    )
    op.create_index('ix_outbox_unpublished', 'outbox', ['created_at'], unique=False, schema='gateway', postgresql_where=sa.text('published_at IS NULL'))
    op.create_table('province_counts',
    sa.Column('province', sa.String(length=2), nullable=False),
    sa.Column('enterprises', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('province', name=op.f('pk_province_counts')),
    schema='gateway'
    )
    op.create_table('recognitions',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('tier', sa.String(length=20), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recognitions')),
    schema='gateway'
    )
    op.create_index('ix_recognitions_uscc_tier', 'recognitions', ['uscc', 'tier'], unique=False, schema='gateway')
    op.create_table('tier_deltas',
    sa.Column('province', sa.String(length=2), nullable=False),
    sa.Column('tier', sa.String(length=20), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('delta', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('province', 'tier', 'day', name=op.f('pk_tier_deltas')),
    schema='gateway'
    )

    for statement in append_only_sql("gateway", "audit_log"):
        op.execute(statement)

def downgrade() -> None:
    op.execute('DROP FUNCTION "gateway".audit_log_append_only() CASCADE')
    op.drop_table('tier_deltas', schema='gateway')
    op.drop_index('ix_recognitions_uscc_tier', table_name='recognitions', schema='gateway')
    op.drop_table('recognitions', schema='gateway')
    op.drop_table('province_counts', schema='gateway')
    op.drop_index('ix_outbox_unpublished', table_name='outbox', schema='gateway', postgresql_where=sa.text('published_at IS NULL'))
    op.drop_table('outbox', schema='gateway')
    op.drop_table('inbox', schema='gateway')
    op.drop_table('idempotency_keys', schema='gateway')
    op.drop_table('enterprises', schema='gateway')
    op.drop_index('ix_audit_log_at', table_name='audit_log', schema='gateway')
    op.drop_table('audit_log', schema='gateway')
