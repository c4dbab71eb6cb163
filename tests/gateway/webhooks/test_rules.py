"""The delivery rules and signatures alone, and the kit pieces the fan-out stands on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import orjson
import pytest
from gateway.webhooks import fanout, rules, signing
from kit.events.consumer import Subscription, durable_name, route
from kit.events.envelope import CloudEvent
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


class TestSchedule:
    def test_retries_follow_the_schedule_then_stop(self) -> None:
        waits = [rules.next_try(n, NOW, None) for n in range(1, rules.MAX_TRIES + 1)]
        assert [w - NOW for w in waits[:-1] if w] == [
            timedelta(seconds=5),
            timedelta(minutes=5),
            timedelta(minutes=30),
            timedelta(hours=2),
            timedelta(hours=5),
            timedelta(hours=10),
            timedelta(hours=10),
        ]
        assert waits[-1] is None  # the 8th try was the last

    def test_a_retry_after_replaces_the_schedules_delay(self) -> None:
        assert rules.next_try(1, NOW, timedelta(minutes=7)) == NOW + timedelta(minutes=7)

    @pytest.mark.parametrize(
        ("header", "delay"),
        [
            ("120", timedelta(seconds=120)),
            (format_datetime(NOW + timedelta(hours=2), usegmt=True), timedelta(hours=2)),
            (format_datetime(NOW - timedelta(hours=2), usegmt=True), timedelta(0)),
            ("999999", rules.LONGEST_RETRY_AFTER),
            ("soon", None),
            (None, None),
        ],
    )
    def test_retry_after_is_seconds_or_a_date(
        self, header: str | None, delay: timedelta | None
    ) -> None:
        assert rules.retry_after(header, NOW) == delay


class TestSignature:
    def test_the_reference_library_verifies_every_secret_of_a_signature(self) -> None:
        old, new = signing.new_secret(), signing.new_secret()
        body = orjson.dumps({"id": "x", "data": {"名称": "测试"}})
        stamp = int(datetime.now(UTC).timestamp())
        headers = {
            "webhook-id": "msg_1",
            "webhook-timestamp": str(stamp),
            "webhook-signature": signing.signature_header([new, old], "msg_1", stamp, body),
        }
        for secret in (old, new):
            assert Webhook(secret).verify(body, headers) == orjson.loads(body)
        with pytest.raises(WebhookVerificationError):
            Webhook(signing.new_secret()).verify(body, headers)
        with pytest.raises(WebhookVerificationError):  # a body changed in transit
            Webhook(new).verify(body + b" ", headers)


def _event(province: str | None, data: dict[str, object] | None = None) -> CloudEvent:
    return CloudEvent.new(
        service="registry",
        aggregate="enterprise",
        event="registered",
        subject="x",
        data=data or {},
        province=province,
        version=1,
    )


class TestEvents:
    def test_an_event_keeps_the_json_it_came_as(self) -> None:
        sent = b'{"specversion": "1.0", "id": "0190a0b4-7f1c-7000-8000-000000000001",' + (
            b' "type": "cn.zjtx.registry.enterprise.registered.v1", "source": "/services/'
            b'registry", "subject": "x", "time": "2026-12-01T00:00:00Z", "data": {}}'
        )
        event = CloudEvent.from_json(sent)
        assert event.to_json() == sent
        assert orjson.loads(_event("42").to_json())["province"] == "42"  # built here

    def test_a_catch_all_route_takes_what_nothing_else_does(self) -> None:
        event = _event("42")
        assert route({"*": 1}, event) == 1
        assert route({"*": 1, "enterprise.*": 2}, event) == 2
        assert route({"enterprise.registered": 3, "*": 1}, event) == 3
        assert route({"contact.*": 2}, event) is None

    def test_a_named_subscription_is_a_durable_consumer_of_its_own(self) -> None:
        assert durable_name("gateway", "registry") == "gateway--registry"
        assert durable_name("gateway", "registry", "webhooks") == "gateway-webhooks--registry"
        names = {s.source for s in fanout.subscriptions()}
        assert "registry" in names and "training" in names and "gateway" not in names
        assert all(isinstance(s, Subscription) and s.name for s in fanout.subscriptions())
        assert fanout.occurred_at(_event("42")).tzinfo is not None
