"""What every event payload model shares."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, PlainSerializer, ValidationError


class Payload(BaseModel):
    """An event's ``data``: frozen, and tolerant of keys a newer publisher adds."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> Self:
        """The payload of a received event. An event without a key its contract requires
        raises ``KeyError`` (as reading the dict did), one with a bad value ``ValueError``:
        either way the consumer dead-letters it with the reason."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            missing = [".".join(map(str, e["loc"])) for e in exc.errors() if e["type"] == "missing"]
            if missing:
                raise KeyError(", ".join(missing)) from exc
            raise


# The wire spells these as Python does (``isoformat``, ``str``), not as pydantic would
# ("Z" for UTC, floats): the JSON published before the models existed stays the same.
Instant = Annotated[AwareDatetime, PlainSerializer(datetime.isoformat, return_type=str)]
Figure = Annotated[Decimal, PlainSerializer(str, return_type=str)]
