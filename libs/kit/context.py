"""What a running service holds: settings, database, bus, token verifier, its kit tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from kit.auth import TokenVerifier
from kit.db import Database
from kit.events.bus import EventBus
from kit.events.outbox import Outbox
from kit.pii import PiiCipher
from kit.settings import Settings
from kit.tables import KitTables


@dataclass
class ServiceContext:
    name: str
    settings: Settings
    db: Database
    bus: EventBus
    verifier: TokenVerifier
    tables: KitTables
    outbox: Outbox = field(init=False)

    def __post_init__(self) -> None:
        self.outbox = Outbox(self.name, self.tables.outbox)

    @property
    def schema(self) -> str:
        return str(self.tables.outbox.schema)

    @cached_property
    def pii(self) -> PiiCipher:
        s = self.settings
        return PiiCipher.from_settings(s.pii_keys, s.pii_index_key, s.data_dir / "keys")
