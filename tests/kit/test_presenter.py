"""Showing encrypted personal data: masked unless ``pii:read``, every unmasked read audited."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import pytest
from kit.audit import Audit
from kit.auth import Principal, Role
from kit.pii import PiiCipher, PiiError, mask_email, mask_phone
from kit.presenter import PiiPresenter, Secret
from registry.models import kit_tables
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from starlette.datastructures import State

CIPHER = PiiCipher({"k1": b"1" * 32}, "k1", b"i" * 32)
CONTACTS = PiiPresenter(
    "contacts",
    (
        Secret("mobile", "contact.mobile", mask_phone),
        Secret("email", "contact.email", mask_email),
    ),
)
MOBILE, EMAIL = "13812345678", "zhangsan@example.com"
READER = Principal("hubei", Role.PROVINCE, "420000", scopes=frozenset({"pii:read"}))
NON_READER = Principal("hubei", Role.PROVINCE, "420000")


def contact(mobile: str | None = MOBILE, email: str | None = EMAIL) -> SimpleNamespace:
    """A stored row as the presenter reads it: ``id`` and ``<field>_enc`` columns."""
    return SimpleNamespace(
        id=uuid.uuid4(),
        mobile_enc=CIPHER.encrypt(mobile, context="contact.mobile") if mobile else None,
        email_enc=CIPHER.encrypt(email, context="contact.email") if email else None,
    )


def request_state(**values: Any) -> State:
    # Of the service context kit.audit reads only the tables: the registry's has the kit's.
    return State({"request_id": "req-1", "ctx": SimpleNamespace(tables=kit_tables), **values})


def audit_of(principal: Principal) -> Audit:
    """As ``Audit.of`` builds it: the authenticated principal is also on the request's state."""
    return Audit(principal, request_state(principal=principal))


async def audited(session: AsyncSession) -> list[dict[str, Any]]:
    log = kit_tables.audit_log.c
    columns = (log.request_id, log.subject, log.role, log.region, log.action, log.resource)
    result = await session.execute(select(*columns, log.result, log.detail).order_by(log.id))
    return [dict(row._mapping) for row in result]


@pytest.fixture
async def session(database_url: str) -> AsyncIterator[AsyncSession]:
    engine = create_async_engine(database_url)
    try:
        async with AsyncSession(engine) as session:
            yield session
    finally:
        await engine.dispose()


class TestWithoutPiiRead:
    async def test_values_are_masked_and_nothing_is_audited(self, session: AsyncSession) -> None:
        audit = audit_of(NON_READER)
        shown = await CONTACTS.show(session, CIPHER, audit, [contact()])
        assert shown == [{"mobile": "138****5678", "email": "z***@example.com", "masked": True}]
        assert await audited(session) == []
        assert not getattr(audit.state, "commit", False)

    async def test_a_reader_asking_for_masked_values_is_not_audited(
        self, session: AsyncSession
    ) -> None:
        audit = audit_of(READER)
        shown = await CONTACTS.show(session, CIPHER, audit, [contact()], masked=True)
        assert shown == [{"mobile": "138****5678", "email": "z***@example.com", "masked": True}]
        assert await audited(session) == []
        assert not getattr(audit.state, "commit", False)

    async def test_nothing_stored_shows_none(self, session: AsyncSession) -> None:
        shown = await CONTACTS.show(session, CIPHER, audit_of(NON_READER), [contact(email=None)])
        assert shown == [{"mobile": "138****5678", "email": None, "masked": True}]


class TestWithPiiRead:
    async def test_values_are_decrypted_and_each_row_audited(self, session: AsyncSession) -> None:
        audit = audit_of(READER)
        first, second = contact(), contact("027-87654321", "lisi@example.com")
        shown = await CONTACTS.show(session, CIPHER, audit, [first, second])
        assert shown == [
            {"mobile": MOBILE, "email": EMAIL, "masked": False},
            {"mobile": "027-87654321", "email": "lisi@example.com", "masked": False},
        ]
        row = {
            "request_id": "req-1",
            "subject": "hubei",
            "role": "province",
            "region": "420000",
            "action": "pii.read",
            "result": "success",
            "detail": {"fields": ["mobile", "email"]},
        }
        assert await audited(session) == [
            {**row, "resource": f"contacts/{first.id}"},
            {**row, "resource": f"contacts/{second.id}"},
        ]
        # The request commits its reads (even a GET) and remembers them for replays.
        assert audit.state.commit is True
        assert [read["resource"] for read in audit.state.pii_reads] == [
            f"contacts/{first.id}",
            f"contacts/{second.id}",
        ]

    async def test_the_audit_names_only_fields_that_had_values(self, session: AsyncSession) -> None:
        shown = await CONTACTS.show(session, CIPHER, audit_of(READER), [contact(mobile=None)])
        assert shown == [{"mobile": None, "email": EMAIL, "masked": False}]
        [entry] = await audited(session)
        assert entry["detail"] == {"fields": ["email"]}


class TestContextBinding:
    @pytest.mark.parametrize(
        "principal", [pytest.param(READER, id="reader"), pytest.param(NON_READER, id="non-reader")]
    )
    async def test_a_value_of_another_column_does_not_decrypt(
        self, session: AsyncSession, principal: Principal
    ) -> None:
        moved = contact()
        moved.mobile_enc = CIPHER.encrypt(MOBILE, context="contact.email")
        with pytest.raises(PiiError):
            await CONTACTS.show(session, CIPHER, audit_of(principal), [moved])


class TestAuditNamesTheReader:
    async def test_the_audit_row_names_the_audits_principal(self, session: AsyncSession) -> None:
        audit = Audit(READER, request_state())
        await CONTACTS.show(session, CIPHER, audit, [contact()])
        [entry] = await audited(session)
        assert (entry["subject"], entry["role"], entry["region"]) == ("hubei", "province", "420000")
