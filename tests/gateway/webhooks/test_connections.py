"""The worker's connections: each endpoint keeps its own, and an endpoint left unused has
none kept open for it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from gateway.webhooks import fanout
from gateway.webhooks.worker import KEEPALIVE
from kit.events.envelope import CloudEvent
from kit.settings import Settings
from kit.testing import eventually

from tests.gateway.webhooks.conftest import (
    Clocked,
    add_endpoint,
    attempted,
    clocked_platform,
    gateway_ctx,
)
from tests.gateway.webhooks.receiver import Receiver


async def fan_out(clocked: Clocked, events: int) -> None:
    """``events`` of 湖北 fanned out at once: every delivery due together."""
    ctx = gateway_ctx(clocked.platform)
    async with ctx.db.sessions() as session, session.begin():
        await fanout.fan_out(session, [_event() for _ in range(events)])


class TestConnectionsPerEndpoint:
    async def test_endpoints_do_not_take_each_others_connections(
        self, settings: Settings, receivers: Callable[[], Awaitable[Receiver]]
    ) -> None:
        # Fewer tries in flight than endpoints: a pool shared by all of them closes one
        # endpoint's idle connection to open another's.
        async with clocked_platform(settings, max_in_flight=2, per_endpoint=1) as clocked:
            hooks = [await receivers() for _ in range(3)]
            for hook in hooks:
                await add_endpoint(clocked.platform, hook)
            await fan_out(clocked, 6)
            await attempted(clocked.platform, 18)
        for hook in hooks:
            assert len(hook.verified) == 6
            assert len({d.client for d in hook.requests}) == 1  # one connection, kept alive

    async def test_an_unused_endpoints_connections_are_closed(
        self, clocked: Clocked, receiver: Receiver
    ) -> None:
        await add_endpoint(clocked.platform, receiver)
        await fan_out(clocked, 1)
        await attempted(clocked.platform, 1)
        assert clocked.worker.pooled_endpoints  # kept for the next try
        clocked.advance(KEEPALIVE * 2)
        await eventually(
            lambda: _is(not clocked.worker.pooled_endpoints), message="its pool closed"
        )
        await fan_out(clocked, 1)  # and a later delivery connects again
        await eventually(lambda: _is(len(receiver.verified) == 2))
        first, second = receiver.requests
        assert first.client != second.client


def _event() -> CloudEvent:
    return CloudEvent.new(
        service="registry",
        aggregate="enterprise",
        event="updated",
        subject="x",
        data={},
        province="42",
        version=2,
    )


async def _is(value: bool) -> bool:
    return value
