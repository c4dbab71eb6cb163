"""Prometheus metrics shared by every service (labelled by service)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Counter(
    "zjtx_http_requests_total", "HTTP requests", ["service", "method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "zjtx_http_request_seconds",
    "HTTP request latency",
    ["service", "method", "route"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
OUTBOX_PUBLISHED = Counter("zjtx_outbox_published_total", "Events published", ["schema"])
OUTBOX_BACKLOG = Gauge("zjtx_outbox_backlog", "Events waiting in the outbox", ["schema"])
EVENTS_PROCESSED = Counter("zjtx_events_processed_total", "Events applied", ["consumer"])
EVENTS_DEAD_LETTERED = Counter(
    "zjtx_events_dead_lettered_total", "Events sent to the dead-letter stream", ["consumer"]
)
