"""The gateway's auth tables: registered provincial systems and the token signing keyring."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, Index, Integer, LargeBinary, String, func, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column
from uuid6 import uuid7

from gateway.base import Base


class OAuthClient(Base):
    """省级系统: a provincial system the ministry registered, acting for one filing unit.

    Only a hash of its secret is kept (``gateway.auth.credentials``). Wrong secrets are
    counted here, so every gateway replica slows the same client down.
    """

    __tablename__ = "oauth_clients"

    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, default=uuid7, comment="client_id (UUIDv7)"
    )
    unit: Mapped[str] = mapped_column(String(4), comment="filing unit: 42, 3302, 66")
    name: Mapped[str] = mapped_column(String(200))
    secret_hash: Mapped[str] = mapped_column(
        String(200), comment="scrypt$n$r$p$salt$hash: the secret itself is never kept"
    )
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_token_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failed_attempts: Mapped[int] = mapped_column(
        Integer, server_default=text("0"), comment="wrong secrets since the last success"
    )
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    blocked_until: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), comment="until then the token endpoint answers 429"
    )


class SigningKey(Base):
    """A key of the keyring that signs provincial systems' tokens (ES256).

    ``state``: ``active`` signs; ``next`` is published in the JWK Set before it signs, so
    services know it before its first token reaches them; ``retired`` no longer signs and
    stays published until ``verify_until``, when every token it signed has expired.
    """

    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True, comment="RFC 7638 thumbprint")
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSONB)
    private_key: Mapped[bytes] = mapped_column(
        LargeBinary, comment="PKCS#8, encrypted with the PII cipher (the kid bound to it)"
    )
    state: Mapped[str] = mapped_column(String(10), comment="next, active or retired")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    verify_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("state IN ('next', 'active', 'retired')", name="state"),
        # One key signs and one waits, whatever replicas rotate at once.
        Index(
            "ix_signing_keys_active",
            "state",
            unique=True,
            postgresql_where=text("state = 'active'"),
        ),
        Index(
            "ix_signing_keys_next", "state", unique=True, postgresql_where=text("state = 'next'")
        ),
    )
