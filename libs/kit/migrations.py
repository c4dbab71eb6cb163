"""Alembic, one history per service: its tables and its version table in its own schema."""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
from types import ModuleType
from typing import Any

import sqlalchemy as sa
from alembic import command, context, op
from alembic.config import Config
from sqlalchemy import MetaData, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from kit import services
from kit.codes import PLAN_CITIES
from kit.settings import REPO_ROOT


def alembic_config(service: str, database_url: str) -> Config:
    cfg = Config(str(REPO_ROOT / "alembic.ini"), ini_section=service)
    cfg.set_main_option("script_location", str(REPO_ROOT / "migrations" / service))
    cfg.attributes["database_url"] = database_url
    return cfg


def upgrade_all(database_url: str) -> None:
    """Blocking (alembic's env runs its own event loop): call it from a thread in async code."""
    for service in services.available():
        command.upgrade(alembic_config(service, database_url), "head")


def check_all(database_url: str) -> None:
    """Raises when a service's models and migrations disagree (``alembic check``)."""
    for service in services.available():
        command.check(alembic_config(service, database_url))


def run_env(service: str) -> None:
    """The body of ``migrations/<service>/env.py``."""
    metadata: MetaData = importlib.import_module(f"{service}.models").Base.metadata
    schema = str(metadata.schema)
    url = context.config.attributes.get("database_url") or context.config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        from kit.settings import get_settings

        url = get_settings().database_url

    def include_object(
        obj: Any, name: str | None, kind: str, reflected: bool, compare_to: Any
    ) -> bool:
        return kind != "table" or getattr(obj, "schema", None) == schema

    def run(connection: Connection) -> None:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table_schema=schema,
            include_schemas=True,
            include_object=include_object,
            include_name=lambda name, kind, _: kind != "schema" or name == schema,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def main() -> None:
        engine = create_async_engine(url)
        async with engine.begin() as conn:
            await conn.run_sync(run)
        await engine.dispose()

    asyncio.run(main())


def append_only_sql(schema: str, table: str, retention_days: int = 180) -> list[str]:
    """Trigger SQL: no UPDATE ever; DELETE only of rows older than the retention period.

    Row triggers do not fire on TRUNCATE: a new table needs :func:`no_truncate_sql` too."""
    fn = f'"{schema}".{table}_append_only'
    return [
        f"""CREATE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' OR OLD.at > now() - interval '{retention_days} days' THEN
    RAISE EXCEPTION '{table} is append-only';
  END IF;
  RETURN OLD;
END $$""",
        f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON "{schema}".{table}
  FOR EACH ROW EXECUTE FUNCTION {fn}()""",
    ]


def no_truncate_sql(schema: str, table: str) -> list[str]:
    """Trigger SQL: TRUNCATE, which skips row triggers and so the append-only rule, raises."""
    fn = f'"{schema}".{table}_no_truncate'
    return [
        f"""CREATE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '{table} is append-only: TRUNCATE is not allowed';
END $$""",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON "{schema}".{table}
  FOR EACH STATEMENT EXECUTE FUNCTION {fn}()""",
    ]


# Steps that every service's migration runs on kit's own tables. Released migrations call
# them: never change one, add a new step.
_ENCRYPTED_BODY = "encrypted with the PII cipher: responses hold names, IDs, addresses"


def harden_kit_tables(schema: str) -> None:
    """2026-12 (every service): the audit log keeps the client's X-Request-ID beside the
    server's and refuses TRUNCATE; idempotency keys expire, remember the caller's grants and
    the unmasked reads they were audited for, and hold responses encrypted. The rows kept so
    far hold plaintext responses, some unmasked: they are deleted."""
    op.add_column(
        "audit_log",
        sa.Column(
            "client_request_id",
            sa.String(length=64),
            nullable=True,
            comment="the X-Request-ID the client sent, printable ASCII only; never trusted",
        ),
        schema=schema,
    )
    for statement in no_truncate_sql(schema, "audit_log"):
        op.execute(statement)

    op.execute(f'DELETE FROM "{schema}".idempotency_keys')
    op.add_column(
        "idempotency_keys",
        sa.Column(
            "grants_hash",
            sa.LargeBinary(),
            nullable=False,
            comment="role, region, org and scopes of the first caller: a replay needs the same",
        ),
        schema=schema,
    )
    op.add_column(
        "idempotency_keys",
        sa.Column(
            "pii_reads",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=True,
            comment="unmasked reads the first response was audited for, audited again on replay",
        ),
        schema=schema,
    )
    op.add_column(
        "idempotency_keys",
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        schema=schema,
    )
    op.alter_column(
        "idempotency_keys",
        "response_body",
        existing_type=sa.LargeBinary(),
        comment=_ENCRYPTED_BODY,
        existing_nullable=True,
        schema=schema,
    )
    op.create_index(
        "ix_idempotency_keys_expires_at",
        "idempotency_keys",
        ["expires_at"],
        unique=False,
        schema=schema,
    )


def soften_kit_tables(schema: str) -> None:
    """Undo :func:`harden_kit_tables`."""
    # Encrypted bodies would be replayed as if they were the response: drop them.
    op.execute(f'DELETE FROM "{schema}".idempotency_keys')
    op.drop_index("ix_idempotency_keys_expires_at", table_name="idempotency_keys", schema=schema)
    op.alter_column(
        "idempotency_keys",
        "response_body",
        existing_type=sa.LargeBinary(),
        comment=None,
        existing_comment=_ENCRYPTED_BODY,
        existing_nullable=True,
        schema=schema,
    )
    op.drop_column("idempotency_keys", "expires_at", schema=schema)
    op.drop_column("idempotency_keys", "pii_reads", schema=schema)
    op.drop_column("idempotency_keys", "grants_hash", schema=schema)
    op.execute(f'DROP FUNCTION "{schema}".audit_log_no_truncate() CASCADE')
    op.drop_column("audit_log", "client_request_id", schema=schema)


def index_audit_log_subjects(schema: str) -> None:
    """2026-12 (every service): the audit log reader filters by subject, newest first."""
    op.create_index(
        "ix_audit_log_subject_at", "audit_log", ["subject", "at", "id"], unique=False, schema=schema
    )


def unindex_audit_log_subjects(schema: str) -> None:
    """Undo :func:`index_audit_log_subjects`."""
    op.drop_index("ix_audit_log_subject_at", table_name="audit_log", schema=schema)


def unit_of_sql(region: str) -> str:
    """``kit.codes.unit_of`` of a column of region codes, in SQL."""
    cities = ", ".join(f"'{code[:4]}'" for code in sorted(PLAN_CITIES))
    return (
        f"CASE WHEN left({region}, 4) IN ({cities}) THEN left({region}, 4)"
        f" ELSE left({region}, 2) END"
    )


def widen_units(schema: str, columns: dict[str, list[str]], arrays: dict[str, list[str]]) -> None:
    """2026-12 (every service): a record's unit may be a 计划单列市, named by 4 digits."""
    for table, names in columns.items():
        for name in names:
            op.alter_column(
                table, name, type_=sa.String(4), existing_type=sa.String(2), schema=schema
            )
    for table, names in arrays.items():
        for name in names:
            op.execute(f'ALTER TABLE "{schema}".{table} ALTER COLUMN {name} TYPE varchar(4)[]')


def narrow_units(schema: str, columns: dict[str, list[str]], arrays: dict[str, list[str]]) -> None:
    """Undo :func:`widen_units`: a 计划单列市's records fall back into its province."""
    for table, names in columns.items():
        for name in names:
            op.execute(
                f'UPDATE "{schema}".{table} SET {name} = left({name}, 2) WHERE length({name}) > 2'
            )
            op.alter_column(
                table, name, type_=sa.String(2), existing_type=sa.String(4), schema=schema
            )
    for table, names in arrays.items():
        for name in names:
            shortened = f"ARRAY(SELECT left(u, 2) FROM unnest({name}) u)"
            op.execute(f'UPDATE "{schema}".{table} SET {name} = {shortened}')
            op.execute(f'ALTER TABLE "{schema}".{table} ALTER COLUMN {name} TYPE varchar(2)[]')


def load_migration(service: str, name: str) -> ModuleType:
    """The revision module ``migrations/<service>/versions/*_<name>.py``, for the SQL a test
    or a benchmark reuses (a backfill)."""
    path = next((REPO_ROOT / "migrations" / service / "versions").glob(f"*_{name}.py"))
    spec = importlib.util.spec_from_file_location(f"{service}_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_NOT_KEPT = "null on rows replicated before it was kept"
_REPLICA_FORM_FIELDS = ("website", "listed", "listing_board", "ipo_plan", "titles")


def add_replica_form_fields(schema: str) -> None:
    """2026-12 (every registry replica): 附1-3's 企业情况 (website, listing, IPO plan, titles)."""
    for column in (
        sa.Column("website", sa.String(300), nullable=True),
        sa.Column("listed", sa.Boolean(), nullable=True, comment=_NOT_KEPT),
        sa.Column("listing_board", sa.String(20), nullable=True),
        sa.Column(
            "ipo_plan",
            postgresql.JSONB(),
            nullable=True,
            comment="registry IpoPlan {stage, board}; null: none, or " + _NOT_KEPT,
        ),
        sa.Column("titles", postgresql.ARRAY(sa.String(40)), nullable=True, comment=_NOT_KEPT),
    ):
        op.add_column("enterprises", column, schema=schema)


def drop_replica_form_fields(schema: str) -> None:
    """Undo :func:`add_replica_form_fields`."""
    for name in reversed(_REPLICA_FORM_FIELDS):
        op.drop_column("enterprises", name, schema=schema)
