"""OAuth clients of provincial systems and the token signing keyring

``oauth_clients``: the systems the ministry registered (a hash of each secret, never the
secret; wrong secrets counted per client). ``signing_keys``: the keys that sign their tokens,
private keys encrypted with the PII cipher; one active (signing), one next (published ahead
of signing), and retired ones that verify until ``verify_until``.

Revision ID: ce8f94941e52
Revises: e8b1f5a3c927
Create Date: 2026-12-06 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "ce8f94941e52"
down_revision: str | None = "e8b1f5a3c927"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "gateway"


def upgrade() -> None:
    op.create_table(
        "oauth_clients",
        sa.Column("id", sa.UUID(), nullable=False, comment="client_id (UUIDv7)"),
        sa.Column("unit", sa.String(length=4), nullable=False, comment="filing unit: 42, 3302, 66"),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "secret_hash",
            sa.String(length=200),
            nullable=False,
            comment="scrypt$n$r$p$salt$hash: the secret itself is never kept",
        ),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_token_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "failed_attempts",
            sa.Integer(),
            server_default=sa.text("0"),
            nullable=False,
            comment="wrong secrets since the last success",
        ),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "blocked_until",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="until then the token endpoint answers 429",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oauth_clients")),
        schema=SCHEMA,
    )
    op.create_table(
        "signing_keys",
        sa.Column("kid", sa.String(length=64), nullable=False, comment="RFC 7638 thumbprint"),
        sa.Column("public_jwk", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "private_key",
            sa.LargeBinary(),
            nullable=False,
            comment="PKCS#8, encrypted with the PII cipher (the kid bound to it)",
        ),
        sa.Column("state", sa.String(length=10), nullable=False, comment="next, active or retired"),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verify_until", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('next', 'active', 'retired')", name=op.f("ck_signing_keys_state")
        ),
        sa.PrimaryKeyConstraint("kid", name=op.f("pk_signing_keys")),
        schema=SCHEMA,
    )
    for state in ("active", "next"):  # one key signs, one waits
        op.create_index(
            f"ix_signing_keys_{state}",
            "signing_keys",
            ["state"],
            unique=True,
            schema=SCHEMA,
            postgresql_where=sa.text(f"state = '{state}'"),
        )


def downgrade() -> None:
    for state in ("active", "next"):
        op.drop_index(f"ix_signing_keys_{state}", table_name="signing_keys", schema=SCHEMA)
    op.drop_table("signing_keys", schema=SCHEMA)
    op.drop_table("oauth_clients", schema=SCHEMA)
