"""CloudEvents 1.0 envelope with the platform's extensions (DESIGN.md §3)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from uuid6 import uuid7


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def event_type(service: str, aggregate: str, event: str) -> str:
    return f"cn.zjtx.{service}.{aggregate}.{event}.v1"


def nats_subject(service: str, aggregate: str, event: str) -> str:
    return f"zjtx.{service}.{aggregate}.{event}"


def stream_name(service: str) -> str:
    return f"ZJTX_{service.upper()}"


@dataclass(frozen=True)
class CloudEvent:
    id: uuid.UUID
    type: str
    source: str
    subject: str
    time: str
    data: dict[str, Any]
    province: str | None
    aggregateversion: int
    traceparent: str | None = None
    # The JSON as received (``from_json``): what a webhook delivers and signs, byte for byte.
    raw: bytes | None = field(default=None, compare=False, repr=False)

    @classmethod
    def new(
        cls,
        *,
        service: str,
        aggregate: str,
        event: str,
        subject: str,
        data: dict[str, Any],
        province: str | None,
        version: int,
        traceparent: str | None = None,
        time: str | None = None,
    ) -> CloudEvent:
        return cls(
            id=uuid7(),
            type=event_type(service, aggregate, event),
            source=f"/services/{service}",
            subject=subject,
            time=time or now(),
            data=data,
            province=province,
            aggregateversion=version,
            traceparent=traceparent,
        )

    @property
    def route(self) -> str:
        """``<aggregate>.<event>``: what a subscription routes on (``kit.events.consumer``)."""
        return ".".join(self.type.split(".")[3:5])

    @property
    def nats_subject(self) -> str:
        # cn.zjtx.<svc>.<aggregate>.<event>.v1 → zjtx.<svc>.<aggregate>.<event>
        return self.type.removeprefix("cn.").rsplit(".", 1)[0]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "specversion": "1.0",
            "id": str(self.id),
            "type": self.type,
            "source": self.source,
            "subject": self.subject,
            "time": self.time,
            "datacontenttype": "application/json",
            "data": self.data,
            "aggregateversion": self.aggregateversion,
        }
        if self.province:
            out["province"] = self.province
        if self.traceparent:
            out["traceparent"] = self.traceparent
        return out

    @classmethod
    def from_dict(cls, raw: dict[str, Any], payload: bytes | None = None) -> CloudEvent:
        if raw.get("specversion") != "1.0":
            raise ValueError("not a CloudEvents 1.0 event")
        return cls(
            id=uuid.UUID(raw["id"]),
            type=str(raw["type"]),
            source=str(raw["source"]),
            subject=str(raw["subject"]),
            time=str(raw["time"]),
            data=dict(raw.get("data") or {}),
            province=raw.get("province"),
            aggregateversion=int(raw.get("aggregateversion", 0)),
            traceparent=raw.get("traceparent"),
            raw=payload,
        )

    @classmethod
    def from_json(cls, payload: bytes) -> CloudEvent:
        return cls.from_dict(orjson.loads(payload), bytes(payload))

    def to_json(self) -> bytes:
        """The event as received, or serialised anew when it was built here."""
        return self.raw if self.raw is not None else orjson.dumps(self.to_dict())
