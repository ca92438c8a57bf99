"""Kernel-test fixtures: build a real lab, hand it to the test, and always tear it down."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from netlab.compile import compile_plan
from netlab.lifecycle import down, up
from netlab.topology import Topology, load_topology_text

ROOT = Path(__file__).parents[2]
LabFactory = Callable[..., Topology]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/kernel/" in str(item.fspath):
            item.add_marker(pytest.mark.kernel)


@pytest.fixture
def lab() -> Iterator[LabFactory]:
    """lab(text_or_path, name=None) builds a lab; every lab built is torn down when the test ends."""
    built: list[str] = []

    def build(source: str | Path, *, name: str | None = None) -> Topology:
        text = Path(source).read_text() if isinstance(source, Path) else textwrap.dedent(source)
        if name:
            text = "\n".join(f"name: {name}" if line.startswith("name:") else line for line in text.splitlines())
        topology = load_topology_text(text)
        built.append(topology.name)
        up.up(compile_plan(topology), source=str(source)[:60], topology_text=text)
        return topology

    yield build
    for name in built:
        down.down(name)
