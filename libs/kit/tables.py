"""Tables every service keeps in its own schema: outbox, inbox, audit log, idempotency keys."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID


@dataclass(frozen=True)
class KitTables:
    outbox: Table
    inbox: Table
    audit_log: Table
    idempotency_keys: Table


def add_kit_tables(metadata: MetaData) -> KitTables:
    outbox = Table(
        "outbox",
        metadata,
        Column("id", UUID(as_uuid=True), primary_key=True, comment="event id (UUIDv7)"),
        Column("subject", String(200), nullable=False),
        Column("payload", JSONB, nullable=False, comment="the whole CloudEvent"),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("published_at", DateTime(timezone=True)),
        Column("attempts", Integer, nullable=False, server_default=text("0")),
        Column("last_error", Text),
        Index("ix_outbox_unpublished", "created_at", postgresql_where=text("published_at IS NULL")),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("consumer", String(100), primary_key=True),
        Column("event_id", UUID(as_uuid=True), primary_key=True),
        Column("event_type", String(200), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    audit_log = Table(
        "audit_log",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("request_id", String(64)),
        Column(
            "client_request_id",
            String(64),
            comment="the X-Request-ID the client sent, printable ASCII only; never trusted",
        ),
        Column("subject", String(200)),
        Column("role", String(40)),
        Column("region", String(6)),
        Column("action", String(100), nullable=False),
        Column("resource", String(300)),
        Column("result", String(20), nullable=False),
        Column("detail", JSONB),
        Index("ix_audit_log_at", "at"),
        # The reader's "what did this subject do", newest first (kit.audit_reader).
        Index("ix_audit_log_subject_at", "subject", "at", "id"),
    )
    idempotency_keys = Table(
        "idempotency_keys",
        metadata,
        Column("principal", String(200), primary_key=True),
        Column("key", String(200), primary_key=True),
        Column("request_hash", LargeBinary, nullable=False),
        Column(
            "grants_hash",
            LargeBinary,
            nullable=False,
            comment="role, region, org and scopes of the first caller: a replay needs the same",
        ),
        Column("status_code", Integer),
        Column("content_type", String(100)),
        Column(
            "response_body",
            LargeBinary,
            comment="encrypted with the PII cipher: responses hold names, IDs, addresses",
        ),
        Column(
            "pii_reads",
            JSONB,
            comment="unmasked reads the first response was audited for, audited again on replay",
        ),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("expires_at", DateTime(timezone=True), nullable=False),
        Index("ix_idempotency_keys_expires_at", "expires_at"),
    )
    return KitTables(outbox, inbox, audit_log, idempotency_keys)
