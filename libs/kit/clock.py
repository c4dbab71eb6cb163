"""Dates as the programme counts them: deadlines are Beijing dates (UTC+8, no DST)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Beijing."""
    return datetime.now(BEIJING).date()
