"""audit and idempotency hardening

The audit log keeps the client's X-Request-ID beside the server's own and refuses TRUNCATE
(row triggers never see it). Idempotency keys expire, remember the caller's grants and the
unmasked reads they were audited for, and store responses encrypted: the rows kept so far
hold responses in plaintext, some unmasked, so they are deleted (a replay within the last
24 h then runs the request again, which the unique keys of every create refuse).

Revision ID: 9c1e4a7b2d31
Revises: bf7fb66165b8
Create Date: 2026-12-02 10:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from kit.migrations import no_truncate_sql

revision: str = "9c1e4a7b2d31"
down_revision: str | None = "bf7fb66165b8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "training"
BODY_COMMENT = "encrypted with the PII cipher: responses hold names, IDs, addresses"


def upgrade() -> None:
    op.add_column(
        "audit_log",
        sa.Column(
            "client_request_id",
            sa.String(length=64),
            nullable=True,
            comment="the X-Request-ID the client sent, printable ASCII only; never trusted",
        ),
        schema=SCHEMA,
    )
    for statement in no_truncate_sql(SCHEMA, "audit_log"):
        op.execute(statement)

    op.execute(f'DELETE FROM "{SCHEMA}".idempotency_keys')
    op.add_column(
        "idempotency_keys",
        sa.Column(
            "grants_hash",
            sa.LargeBinary(),
            nullable=False,
            comment="role, region, org and scopes of the first caller: a replay needs the same",
        ),
        schema=SCHEMA,
    )
    op.add_column(
        "idempotency_keys",
        sa.Column(
            "pii_reads",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=True,
            comment="unmasked reads the first response was audited for, audited again on replay",
        ),
        schema=SCHEMA,
    )
    op.add_column(
        "idempotency_keys",
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.alter_column(
        "idempotency_keys",
        "response_body",
        existing_type=sa.LargeBinary(),
        comment=BODY_COMMENT,
        existing_nullable=True,
        schema=SCHEMA,
    )
    op.create_index(
        "ix_idempotency_keys_expires_at",
        "idempotency_keys",
        ["expires_at"],
        unique=False,
        schema=SCHEMA,
    )


def downgrade() -> None:
    # Encrypted bodies would be replayed as if they were the response: drop them.
    op.execute(f'DELETE FROM "{SCHEMA}".idempotency_keys')
    op.drop_index("ix_idempotency_keys_expires_at", table_name="idempotency_keys", schema=SCHEMA)
    op.alter_column(
        "idempotency_keys",
        "response_body",
        existing_type=sa.LargeBinary(),
        comment=None,
        existing_comment=BODY_COMMENT,
        existing_nullable=True,
        schema=SCHEMA,
    )
    op.drop_column("idempotency_keys", "expires_at", schema=SCHEMA)
    op.drop_column("idempotency_keys", "pii_reads", schema=SCHEMA)
    op.drop_column("idempotency_keys", "grants_hash", schema=SCHEMA)
    op.execute(f'DROP FUNCTION "{SCHEMA}".audit_log_no_truncate() CASCADE')
    op.drop_column("audit_log", "client_request_id", schema=SCHEMA)
