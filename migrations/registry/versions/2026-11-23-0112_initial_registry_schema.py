"""initial registry schema

Revision ID: 3cf0c9e84cfa
Revises: 
Create Date: 2026-11-23 01:12:57.410053+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from kit.migrations import append_only_sql

revision: str = '3cf0c9e84cfa'
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
    schema='registry'
    )
    op.create_index('ix_audit_log_at', 'audit_log', ['at'], unique=False, schema='registry')
    op.create_table('contacts',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('province', sa.String(length=2), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=True),
    sa.Column('task', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=True),
    sa.Column('office_phone_enc', sa.LargeBinary(), nullable=True),
    sa.Column('mobile_enc', sa.LargeBinary(), nullable=False),
    sa.Column('mobile_index', sa.LargeBinary(), nullable=False),
    sa.Column('email_enc', sa.LargeBinary(), nullable=True),
    sa.Column('email_index', sa.LargeBinary(), nullable=True),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts')),
    sa.UniqueConstraint('province', 'task', 'mobile_index', name=op.f('uq_contacts_province_task_mobile_index')),
    schema='registry'
    )
    op.create_table('enterprises',
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('province', sa.String(length=2), nullable=False),
    sa.Column('industry_code', sa.String(length=2), nullable=False),
    sa.Column('niche_field', sa.String(length=200), nullable=True),
    sa.Column('main_product', sa.String(length=200), nullable=True),
    sa.Column('scale', sa.String(length=10), nullable=True),
    sa.Column('ownership', sa.String(length=10), nullable=True),
    sa.Column('legal_representative', sa.String(length=100), nullable=True),
    sa.Column('registered_on', sa.Date(), nullable=True),
    sa.Column('employees', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('listed', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('ipo_plan', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('titles', postgresql.ARRAY(sa.String(length=40)), server_default='{}', nullable=False),
    sa.Column('key_fields', postgresql.ARRAY(sa.String(length=40)), server_default='{}', nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('uscc', name=op.f('pk_enterprises')),
    schema='registry'
    )
    op.create_index('ix_enterprises_industry_code', 'enterprises', ['industry_code'], unique=False, schema='registry')
    op.create_index('ix_enterprises_province_uscc', 'enterprises', ['province', 'uscc'], unique=False, schema='registry')
    op.create_index('ix_enterprises_region_code', 'enterprises', ['region_code'], unique=False, schema='registry')
    op.create_table('idempotency_keys',
    sa.Column('principal', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('request_hash', sa.LargeBinary(), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('content_type', sa.String(length=100), nullable=True),
    sa.Column('response_body', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('principal', 'key', name=op.f('pk_idempotency_keys')),
    schema='registry'
    )
    op.create_table('inbox',
    sa.Column('consumer', sa.String(length=100), nullable=False),
    sa.Column('event_id', sa.UUID(), nullable=False),
    sa.Column('event_type', sa.String(length=200), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('consumer', 'event_id', name=op.f('pk_inbox')),
    schema='registry'
    )
    op.create_table('institutions',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('province', sa.String(length=2), nullable=False),
    sa.Column('types', postgresql.ARRAY(sa.String(length=40)), nullable=False),
    sa.Column('qualifications', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('platform_level', sa.String(length=20), nullable=True),
    sa.Column('staff_count', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institutions')),
    sa.UniqueConstraint('uscc', name=op.f('uq_institutions_uscc')),
    schema='registry'
    )
    op.create_index(op.f('ix_institutions_province'), 'institutions', ['province'], unique=False, schema='registry')
    op.create_table('outbox',
    sa.Column('id', sa.UUID(), nullable=False, comment='event id (UUIDv7)'),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=False, comment='the whole CloudEvent'),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    schema='registry'
    )
    op.create_index('ix_outbox_unpublished', 'outbox', ['created_at'], unique=False, schema='registry', postgresql_where=sa.text('published_at IS NULL'))
    op.create_table('rule_sets',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('jurisdiction', sa.String(length=6), nullable=False, comment='province code or 100000'),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_until', sa.Date(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('rules', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_sets')),
    sa.UniqueConstraint('code', 'jurisdiction', 'version', name=op.f('uq_rule_sets_code_jurisdiction_version')),
    schema='registry'
    )
    op.create_table('annual_indicators',
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('revenue', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('main_business_revenue', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('profit', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('total_assets', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('debt_ratio', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('taxes', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('rd_expense', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('invention_patents', sa.Integer(), nullable=True),
    sa.Column('rd_institutions', sa.Integer(), nullable=True),
    sa.Column('standards_led', sa.Integer(), nullable=True),
    sa.Column('standards_joined', sa.Integer(), nullable=True),
    sa.Column('quality_certifications', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['uscc'], ['registry.enterprises.uscc'], name=op.f('fk_annual_indicators_uscc_enterprises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('uscc', 'year', name=op.f('pk_annual_indicators')),
    schema='registry'
    )
    op.create_table('institution_contracts',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('institution_id', sa.UUID(), nullable=False),
    sa.Column('province', sa.String(length=2), nullable=False),
    sa.Column('task', sa.String(length=30), nullable=False),
    sa.Column('batch', sa.String(length=50), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['registry.institutions.id'], name=op.f('fk_institution_contracts_institution_id_institutions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institution_contracts')),
    sa.UniqueConstraint('institution_id', 'province', 'task', 'batch', name=op.f('uq_institution_contracts_institution_id_province_task_batch')),
    schema='registry'
    )
    op.create_index(op.f('ix_institution_contracts_institution_id'), 'institution_contracts', ['institution_id'], unique=False, schema='registry')
    op.create_table('recognitions',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('tier', sa.String(length=20), nullable=False),
    sa.Column('batch', sa.String(length=50), nullable=False),
    sa.Column('recognized_on', sa.Date(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('authority', sa.String(length=100), nullable=False),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.Column('revoke_reason', sa.String(length=500), nullable=True),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('valid_from <= valid_until', name=op.f('ck_recognitions_valid_period')),
    sa.ForeignKeyConstraint(['uscc'], ['registry.enterprises.uscc'], name=op.f('fk_recognitions_uscc_enterprises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recognitions')),
    sa.UniqueConstraint('uscc', 'tier', 'valid_from', name='uq_recognitions_uscc_tier_from'),
    schema='registry'
    )
    op.create_index('ix_recognitions_tier_valid', 'recognitions', ['tier', 'valid_from', 'valid_until'], unique=False, schema='registry')

    for statement in append_only_sql("registry", "audit_log"):
        op.execute(statement)

def downgrade() -> None:
    op.execute('DROP FUNCTION "registry".audit_log_append_only() CASCADE')
    op.drop_index('ix_recognitions_tier_valid', table_name='recognitions', schema='registry')
    op.drop_table('recognitions', schema='registry')
    op.drop_index(op.f('ix_institution_contracts_institution_id'), table_name='institution_contracts', schema='registry')
    op.drop_table('institution_contracts', schema='registry')
    op.drop_table('annual_indicators', schema='registry')
    op.drop_table('rule_sets', schema='registry')
    op.drop_index('ix_outbox_unpublished', table_name='outbox', schema='registry', postgresql_where=sa.text('published_at IS NULL'))
    op.drop_table('outbox', schema='registry')
    op.drop_index(op.f('ix_institutions_province'), table_name='institutions', schema='registry')
    op.drop_table('institutions', schema='registry')
    op.drop_table('inbox', schema='registry')
    op.drop_table('idempotency_keys', schema='registry')
    op.drop_index('ix_enterprises_region_code', table_name='enterprises', schema='registry')
    op.drop_index('ix_enterprises_province_uscc', table_name='enterprises', schema='registry')
    op.drop_index('ix_enterprises_industry_code', table_name='enterprises', schema='registry')
    op.drop_table('enterprises', schema='registry')
    op.drop_table('contacts', schema='registry')
    op.drop_index('ix_audit_log_at', table_name='audit_log', schema='registry')
    op.drop_table('audit_log', schema='registry')
