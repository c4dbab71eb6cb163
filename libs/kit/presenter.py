"""Showing encrypted personal data (DESIGN.md §4 PII): decrypted, masked unless the caller
holds ``pii:read``, and every unmasked read audited in the request's transaction.

A service declares its encrypted columns once (a :class:`PiiPresenter`) and builds its
response from what :meth:`PiiPresenter.show` returns; the rule is written here only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kit.audit import PII_READ as PII_READ_ACTION
from kit.audit import Audit
from kit.pii import PiiCipher

PII_READ = "pii:read"


@dataclass(frozen=True)
class Secret:
    """An encrypted column: the field it is shown as (stored as ``<field>_enc``), the
    context it is bound to (associated data) and its mask."""

    field: str
    context: str
    mask: Callable[[str], str]


@dataclass(frozen=True)
class PiiPresenter:
    """The encrypted columns of one kind of record (``resource`` names it in the audit)."""

    resource: str
    secrets: tuple[Secret, ...]

    async def show(
        self,
        session: AsyncSession,
        pii: PiiCipher,
        audit: Audit,
        rows: Sequence[Any],
        *,
        masked: bool = False,
    ) -> list[dict[str, Any]]:
        """Each row's fields (``None`` where nothing is stored) and ``masked``: unmasked
        for a holder of ``pii:read`` unless ``masked`` is asked for, and then audited."""
        unmasked = audit.principal.has_scope(PII_READ) and not masked
        out = []
        for row in rows:
            shown: dict[str, Any] = {}
            for secret in self.secrets:
                stored = getattr(row, secret.field + "_enc")
                shown[secret.field] = (
                    pii.decrypt(stored, context=secret.context) if stored else None
                )
            if unmasked:
                await audit.record(
                    session,
                    action=PII_READ_ACTION,
                    resource=f"{self.resource}/{row.id}",
                    detail={"fields": [k for k, v in shown.items() if v is not None]},
                )
            else:
                for secret in self.secrets:
                    if value := shown[secret.field]:
                        shown[secret.field] = secret.mask(value)
            shown["masked"] = not unmasked
            out.append(shown)
        return out
