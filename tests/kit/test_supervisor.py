"""``zjtx run`` restarts a service that exits instead of stopping the platform."""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable, Iterator

import pytest
from kit.supervisor import Child, Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


@pytest.fixture
def tended() -> Iterator[tuple[Supervisor, io.StringIO]]:
    log = io.StringIO()
    children = [Child("registry", SLEEPER, {}), Child("gateway", SLEEPER, {})]
    running = Supervisor(children, log, first_delay=0.05)
    running.start()
    yield running, log
    running.stop()


def _tend_until(running: Supervisor, done: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        running.tend()
        if done():
            return
        time.sleep(0.01)
    raise AssertionError("condition not met in time")


class TestRestart:
    def test_a_killed_service_is_restarted_and_the_others_keep_running(
        self, tended: tuple[Supervisor, io.StringIO]
    ) -> None:
        running, log = tended
        registry, gateway = running.children
        assert registry.proc and gateway.proc
        first, untouched = registry.proc.pid, gateway.proc.pid
        registry.proc.kill()
        _tend_until(running, lambda: registry.restarts == 1)
        assert registry.proc.pid != first and registry.proc.poll() is None
        assert gateway.proc.pid == untouched and gateway.proc.poll() is None
        assert "registry exited with code -9; restarting" in log.getvalue()
        assert "registry restarted (1)" in log.getvalue()

    def test_a_service_that_keeps_crashing_waits_longer_each_time(self) -> None:
        log = io.StringIO()
        crasher = Child("training", [sys.executable, "-c", "raise SystemExit(3)"], {})
        running = Supervisor([crasher], log, first_delay=0.05)
        running.start()
        try:
            _tend_until(running, lambda: log.getvalue().count("exited with code 3") == 3)
        finally:
            running.stop()
        assert crasher.restarts == 2
        waits = [
            line.rsplit(" in ", 1)[1] for line in log.getvalue().splitlines() if " in " in line
        ]
        assert waits == ["0.05 s", "0.1 s", "0.2 s"] and crasher.delay == pytest.approx(0.4)
