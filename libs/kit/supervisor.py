"""``zjtx run``'s services as child processes: one that exits is started again, not fatal.

A service that crashes (killed, out of memory, a bug at start-up) is restarted after a
delay that doubles while it keeps crashing (1 s → 30 s at most) and resets once it has run
for a minute, so a broken service neither stops the others nor spins the machine.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TextIO

FIRST_DELAY = 1.0
MAX_DELAY = 30.0
HEALTHY_AFTER = 60.0  # seconds up after which a crash counts as the first again


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    env: dict[str, str]
    preexec_fn: Callable[[], None] | None = None
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    started_at: float = 0.0
    delay: float = FIRST_DELAY
    restart_at: float | None = None
    restarts: int = 0

    def start(self) -> None:
        # Own session: Ctrl-C reaches only the supervisor, which stops each child once.
        self.proc = subprocess.Popen(
            list(self.argv), env=self.env, start_new_session=True, preexec_fn=self.preexec_fn
        )
        self.started_at, self.restart_at = time.monotonic(), None


@dataclass
class Supervisor:
    children: list[Child]
    log: TextIO = sys.stderr
    first_delay: float = FIRST_DELAY

    def start(self) -> None:
        for child in self.children:
            child.delay = self.first_delay
            child.start()

    def tend(self) -> None:
        """Schedule the restart of every child that exited; start those that are due."""
        now = time.monotonic()
        for child in self.children:
            code = child.proc.poll() if child.proc else None
            if child.restart_at is None and code is not None:
                if now - child.started_at >= HEALTHY_AFTER:
                    child.delay = self.first_delay
                child.restart_at = now + child.delay
                print(
                    f"{child.name} exited with code {code}; restarting in {child.delay:g} s",
                    file=self.log,
                    flush=True,
                )
                child.delay = min(child.delay * 2, MAX_DELAY)
            elif child.restart_at is not None and now >= child.restart_at:
                child.restarts += 1
                child.start()
                print(f"{child.name} restarted ({child.restarts})", file=self.log, flush=True)

    def stop(self, timeout: float = 10.0) -> None:
        running = [c.proc for c in self.children if c.proc and c.proc.poll() is None]
        for proc in running:
            proc.send_signal(signal.SIGTERM)
        for proc in running:
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
