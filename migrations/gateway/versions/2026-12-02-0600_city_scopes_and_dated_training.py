"""city scopes beside provinces; classes and certificates dated (overview as_of)

Every count is kept per scope — a province (2 digits), a city (6 digits, the region code's
first 4 + "00") or, for training, the nation (00) — so a city user sees its own figures.
Classes and certificates move to day deltas so ``as_of`` excludes those after the date.

Backfill: city rows of the registry figures are computed from the replicas (enterprises,
recognitions); enrollments get the city of their enterprise, and their city memberships and
counts are derived from them. What the old rows do not hold stays as it was, said here:
classes and certificates counted before this revision carry no date and count on every date
(day 0001-01-01) until a newer version of the class moves it; certificates and surveys
counted before this revision name no enterprise or trainee and never count in a city.

Revision ID: 5c1d2e7a9b30
Revises: ae161f8524e8
Create Date: 2026-12-02 06:00:00+00:00
"""

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = '5c1d2e7a9b30'
down_revision: str | None = 'ae161f8524e8'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNDATED = date(1, 1, 1)
SCOPE = sa.String(length=6)


def _city_tier_deltas() -> list[dict[str, object]]:
    """The day deltas of every (city, tier), as the consumer keeps them: an enterprise holds
    a tier over the union of its recognitions' periods (gateway.handlers.registry)."""
    rows = op.get_bind().execute(sa.text(
        "SELECT e.region_code, r.uscc, r.tier, r.valid_from, r.valid_until, r.revoked_on"
        " FROM gateway.recognitions r JOIN gateway.enterprises e ON e.uscc = r.uscc"
        " ORDER BY r.uscc, r.tier"
    )).all()
    spans: dict[tuple[str, str, str], list[tuple[date, date]]] = {}
    for region, uscc, tier, valid_from, valid_until, revoked_on in rows:
        end = min(valid_until + timedelta(days=1), revoked_on or date.max)
        spans.setdefault((region[:4] + "00", uscc, tier), []).append((valid_from, end))
    deltas: Counter[tuple[str, str, date]] = Counter()
    for (city, _, tier), periods in spans.items():
        merged: list[tuple[date, date]] = []
        for start, end in sorted(periods):
            if start >= end:
                continue
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        for start, end in merged:
            deltas[(city, tier, start)] += 1
            if end != date.max:
                deltas[(city, tier, end)] -= 1
    return [
        {"scope": city, "tier": tier, "day": day, "delta": n}
        for (city, tier, day), n in sorted(deltas.items())
        if n
    ]


def upgrade() -> None:
    # ---- registry figures: province → scope, with city rows ------------------------------
    op.alter_column('tier_deltas', 'province', new_column_name='scope', type_=SCOPE,
                    schema='gateway')
    city_deltas = _city_tier_deltas()
    if city_deltas:
        op.bulk_insert(sa.table('tier_deltas', sa.column('scope'), sa.column('tier'),
                                sa.column('day'), sa.column('delta'), schema='gateway'),
                       city_deltas)
    op.rename_table('province_counts', 'region_counts', schema='gateway')
    op.execute('ALTER TABLE gateway.region_counts '
               'RENAME CONSTRAINT pk_province_counts TO pk_region_counts')
    op.alter_column('region_counts', 'province', new_column_name='scope', type_=SCOPE,
                    schema='gateway')
    op.execute(
        "INSERT INTO gateway.region_counts (scope, enterprises)"
        " SELECT left(region_code, 4) || '00', count(*) FROM gateway.enterprises GROUP BY 1"
    )

    # ---- training: wider scopes, dated classes and certificates --------------------------
    for table in ('training_counts', 'training_trainee_members', 'training_enterprise_members'):
        op.alter_column(table, 'scope', type_=SCOPE, schema='gateway')
    op.create_table('training_day_counts',
    sa.Column('scope', SCOPE, nullable=False),
    sa.Column('period', sa.String(length=9), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('classes', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('certificates', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'period', 'day', name=op.f('pk_training_day_counts')),
    schema='gateway'
    )
    op.execute(
        "INSERT INTO gateway.training_day_counts (scope, period, day, classes, certificates)"
        f" SELECT scope, period, DATE '{UNDATED.isoformat()}', classes, certificates"
        " FROM gateway.training_counts WHERE classes <> 0 OR certificates <> 0"
    )
    op.drop_column('training_counts', 'classes', schema='gateway')
    op.drop_column('training_counts', 'certificates', schema='gateway')
    op.add_column('training_classes', sa.Column('start_on', sa.Date(), nullable=False,
                  server_default=sa.text(f"DATE '{UNDATED.isoformat()}'")), schema='gateway')
    op.alter_column('training_classes', 'start_on', server_default=None, schema='gateway')

    # ---- training: enrollments placed in their enterprise's city -------------------------
    op.add_column('training_enrollments', sa.Column('city', SCOPE, nullable=True),
                  schema='gateway')
    op.create_index('ix_training_enrollments_enterprise_uscc', 'training_enrollments',
                    ['enterprise_uscc'], unique=False, schema='gateway')
    op.create_index('ix_training_enrollments_trainee_id', 'training_enrollments',
                    ['trainee_id'], unique=False, schema='gateway')
    op.execute(
        "UPDATE gateway.training_enrollments n SET city = left(e.region_code, 4) || '00'"
        " FROM gateway.enterprises e WHERE e.uscc = n.enterprise_uscc"
    )
    op.execute(
        "INSERT INTO gateway.training_trainee_members (scope, period, trainee_id, enrollments)"
        " SELECT n.city, p, n.trainee_id, count(*) FROM gateway.training_enrollments n,"
        " unnest(ARRAY[n.period, 'all']) p"
        " WHERE n.city IS NOT NULL AND n.state IN ('confirmed', 'completed')"
        " GROUP BY 1, 2, 3"
    )
    op.execute(
        "INSERT INTO gateway.training_enterprise_members (scope, period, uscc, enrollments)"
        " SELECT n.city, p, n.enterprise_uscc, count(*) FROM gateway.training_enrollments n,"
        " unnest(ARRAY[n.period, 'all']) p"
        " WHERE n.city IS NOT NULL AND n.state = 'completed'"
        " GROUP BY 1, 2, 3"
    )
    op.execute(
        "INSERT INTO gateway.training_counts (scope, period, trainees, enterprises_trained)"
        " SELECT scope, period, sum(t), sum(e) FROM ("
        "  SELECT scope, period, 1 AS t, 0 AS e FROM gateway.training_trainee_members"
        "  WHERE length(scope) = 6"
        "  UNION ALL"
        "  SELECT scope, period, 0, 1 FROM gateway.training_enterprise_members"
        "  WHERE length(scope) = 6"
        " ) members GROUP BY 1, 2"
    )

    # ---- certificates and surveys remember where they wait to be placed ------------------
    op.add_column('training_certificates', sa.Column('enterprise_uscc', sa.String(length=18),
                  nullable=True), schema='gateway')
    op.add_column('training_certificates', sa.Column('period', sa.String(length=9),
                  nullable=True), schema='gateway')
    op.add_column('training_certificates', sa.Column('issued_on', sa.Date(), nullable=True),
                  schema='gateway')
    op.add_column('training_certificates', sa.Column('city', SCOPE, nullable=True),
                  schema='gateway')
    op.create_index(op.f('ix_training_certificates_enterprise_uscc'), 'training_certificates',
                    ['enterprise_uscc'], unique=False, schema='gateway')
    op.add_column('training_surveys', sa.Column('trainee_id', sa.UUID(), nullable=True),
                  schema='gateway')
    op.add_column('training_surveys', sa.Column('period', sa.String(length=9), nullable=True),
                  schema='gateway')
    op.add_column('training_surveys', sa.Column('satisfied', sa.Boolean(), nullable=True),
                  schema='gateway')
    op.add_column('training_surveys', sa.Column('city', SCOPE, nullable=True),
                  schema='gateway')
    op.create_index(op.f('ix_training_surveys_trainee_id'), 'training_surveys',
                    ['trainee_id'], unique=False, schema='gateway')


def downgrade() -> None:
    op.drop_index(op.f('ix_training_surveys_trainee_id'), table_name='training_surveys',
                  schema='gateway')
    for column in ('city', 'satisfied', 'period', 'trainee_id'):
        op.drop_column('training_surveys', column, schema='gateway')
    op.drop_index(op.f('ix_training_certificates_enterprise_uscc'),
                  table_name='training_certificates', schema='gateway')
    for column in ('city', 'issued_on', 'period', 'enterprise_uscc'):
        op.drop_column('training_certificates', column, schema='gateway')

    for table in ('training_counts', 'training_trainee_members', 'training_enterprise_members'):
        op.execute(f"DELETE FROM gateway.{table} WHERE length(scope) = 6")
        op.alter_column(table, 'scope', type_=sa.String(length=2), schema='gateway')
    op.drop_index('ix_training_enrollments_trainee_id', table_name='training_enrollments',
                  schema='gateway')
    op.drop_index('ix_training_enrollments_enterprise_uscc',
                  table_name='training_enrollments', schema='gateway')
    op.drop_column('training_enrollments', 'city', schema='gateway')
    op.drop_column('training_classes', 'start_on', schema='gateway')
    op.add_column('training_counts', sa.Column('classes', sa.Integer(),
                  server_default=sa.text('0'), nullable=False), schema='gateway')
    op.add_column('training_counts', sa.Column('certificates', sa.Integer(),
                  server_default=sa.text('0'), nullable=False), schema='gateway')
    op.execute(
        "INSERT INTO gateway.training_counts (scope, period, classes, certificates)"
        " SELECT scope, period, sum(classes), sum(certificates)"
        " FROM gateway.training_day_counts WHERE length(scope) = 2 GROUP BY 1, 2"
        " ON CONFLICT (scope, period) DO UPDATE"
        " SET classes = excluded.classes, certificates = excluded.certificates"
    )
    op.drop_table('training_day_counts', schema='gateway')

    op.execute("DELETE FROM gateway.region_counts WHERE length(scope) = 6")
    op.alter_column('region_counts', 'scope', new_column_name='province',
                    type_=sa.String(length=2), schema='gateway')
    op.execute('ALTER TABLE gateway.region_counts '
               'RENAME CONSTRAINT pk_region_counts TO pk_province_counts')
    op.rename_table('region_counts', 'province_counts', schema='gateway')
    op.execute("DELETE FROM gateway.tier_deltas WHERE length(scope) = 6")
    op.alter_column('tier_deltas', 'scope', new_column_name='province',
                    type_=sa.String(length=2), schema='gateway')
