"""The serving process's garbage-collector settings (``kit.cli.settle_heap``)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from kit.cli import settle_heap


@pytest.fixture
def restored_gc() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_loaded_objects_are_frozen_and_young_collections_are_rarer(restored_gc: None) -> None:
    loaded = [[] for _ in range(10)]
    settle_heap()
    assert gc.get_freeze_count() >= len(loaded)
    assert gc.get_threshold()[0] == 7000
