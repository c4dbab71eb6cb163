"""The platform's services and their local ports (DESIGN.md §7)."""

from __future__ import annotations

import importlib.util

from kit.settings import REPO_ROOT

PORTS = {
    "gateway": 8000,
    "registry": 8001,
    "training": 8002,
    "diagnosis": 8003,
    "innovation": 8004,
    "evaluation": 8005,
}


def available() -> list[str]:
    """Services present in this checkout (the rest are not built yet)."""
    return [
        name
        for name in PORTS
        if importlib.util.find_spec(name) is not None and (REPO_ROOT / "migrations" / name).is_dir()
    ]
