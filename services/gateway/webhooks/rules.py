"""The delivery rules of shared/API.md (gateway: Webhooks), as Svix schedules them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from kit.retention import Rule

# Delays after the 1st, 2nd, … failed try; the try after the last delay is the last one.
RETRY_DELAYS = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
MAX_TRIES = len(RETRY_DELAYS) + 1
TIMEOUT_SECONDS = 15.0  # a whole try: connect, send, status and the excerpt read
# An endpoint whose every try failed for this long is disabled.
FAILING_DISABLES_AFTER = timedelta(days=5)
ROTATED_SECRET_SIGNS_FOR = timedelta(hours=24)
# Statuses whose Retry-After is honoured, and the longest wait it may ask for.
RETRY_AFTER_STATUSES = frozenset({429, 503})
LONGEST_RETRY_AFTER = timedelta(days=1)
GONE = 410  # the receiver says the endpoint is no more: it is disabled
EXCERPT_BYTES = 1024

# Kept ``webhooks_retention_days`` (90, as Svix keeps messages): a delivery once settled and
# not tried since, with its attempts; then an event no delivery refers to any more. A replay
# reaches back as far.
RETENTION = (
    Rule(
        "{schema}.webhook_deliveries",
        "coalesce(t.last_attempt_at, t.created_at)",
        lambda s: s.webhooks_retention_days,
        "t.status <> 'pending'",
    ),
    Rule(
        "{schema}.webhook_events",
        "t.received_at",
        lambda s: s.webhooks_retention_days,
        "NOT EXISTS (SELECT FROM {schema}.webhook_deliveries d WHERE d.event_id = t.id)",
    ),
)


def next_try(tries: int, now: datetime, retry_after: timedelta | None) -> datetime | None:
    """When to try again after the ``tries``-th failed try (None: it was the last); a
    Retry-After the receiver gave replaces the schedule's delay."""
    if tries >= MAX_TRIES:
        return None
    delay = RETRY_DELAYS[tries - 1] if retry_after is None else retry_after
    return now + delay


def retry_after(value: str | None, now: datetime) -> timedelta | None:
    """A ``Retry-After`` header (RFC 9110 §10.2.3: seconds, or an HTTP date) as a delay
    from ``now``, within ``LONGEST_RETRY_AFTER``; None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        delay = timedelta(seconds=int(value))
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # an HTTP date is GMT
            when = when.replace(tzinfo=UTC)
        delay = max(when - now, timedelta(0))
    return min(delay, LONGEST_RETRY_AFTER)
