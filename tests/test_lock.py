"""The locks pin every dependency pyproject.toml names, exactly, with hashes, and agree."""

from __future__ import annotations

import re
import tomllib

from kit.settings import REPO_ROOT
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)")


def _pins(name: str) -> dict[str, str]:
    text = (REPO_ROOT / name).read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
    pins = {}
    for block in blocks:
        match = PIN.match(block)
        if match:
            assert "--hash=sha256:" in block, f"{match[1]} has no hash in {name}"
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    names = project["project"]["dependencies"] + project["project"]["optional-dependencies"]["dev"]
    return [Requirement(r) for r in names + project["dependency-groups"]["build"]]


def test_every_declared_dependency_is_pinned_within_its_range() -> None:
    pins = _pins("requirements.lock")
    for req in _declared():
        version = pins.get(canonicalize_name(req.name))
        assert version is not None, f"{req.name} is not in requirements.lock: run make lock"
        assert req.specifier.contains(version, prereleases=True), f"{req} vs {version}"


def test_the_image_lock_is_the_runtime_part_of_the_same_versions() -> None:
    everything, runtime = _pins("requirements.lock"), _pins("deploy/requirements.lock")
    assert runtime and all(everything.get(name) == v for name, v in runtime.items())
    assert "pytest" not in runtime and "mypy" not in runtime
