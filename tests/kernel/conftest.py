"""Kernel-test fixtures: build a real lab, hand it to the test, and always tear it down."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from netlab.compile import compile_plan
from netlab.kernel import features
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
        up.up(compile_plan(topology), model=topology, source=str(source)[:60], topology_text=text)
        return topology

    yield build
    for name in built:
        down.down(name)


def built(text: str) -> Iterator[Topology]:
    """For a module-scoped fixture: `yield from built(text)` brings the lab up once and always tears it down."""
    topology = load_topology_text(text)
    up.up(compile_plan(topology), model=topology, source="test", topology_text=text)
    try:
        yield topology
    finally:
        down.down(topology.name)


# -- the command line, as a user runs it ------------------------------------------------------------------

def netlab(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`netlab ARGS` in a process of its own; `env` is added to the environment."""
    return subprocess.run([sys.executable, "-m", "netlab", *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, cwd=str(ROOT))


def netlab_popen(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "netlab", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=str(ROOT))


def renamed(topology: str, name: str) -> str:
    """The text of topologies/TOPOLOGY.yaml with the lab renamed, so a student's own lab may stay up."""
    return (ROOT / "topologies" / f"{topology}.yaml").read_text().replace(f"name: {topology}", f"name: {name}")


def renamed_file(tmp_path: Path, topology: str, name: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(renamed(topology, name))
    return path


# -- IPVS mode: runs where the kernel has it (the VM tier insists) ----------------------------------------

def ipvs_missing() -> str | None:
    failed = [c for c in (features.check_link_kind("dummy", "dummy"), features.check_ipvs()) if not c.ok]
    return "; ".join(f"{c.name}: {c.detail}" for c in failed) or None


def skip_without_ipvs() -> None:
    if why := ipvs_missing():
        if os.environ.get("NETLAB_REQUIRE_IPVS"):  # the VM tier: a skip there would hide a broken kernel set-up
            pytest.fail(f"IPVS mode cannot run: {why}")
        pytest.skip(f"IPVS mode needs a kernel with ip_vs and dummy ({why}); scripts/vm-test runs it")


# -- Calico's IPIP: tunl0 needs the ipip module (the VM tier loads it and insists) ----------------------------

def skip_without_ipip() -> None:
    check = features.check_ipip()
    if not check.ok:
        if os.environ.get("NETLAB_REQUIRE_IPIP"):
            pytest.fail(f"IPIP cannot run: {check.detail}")
        pytest.skip(f"Calico's IPIP needs the ipip module ({check.detail}); scripts/vm-test runs it")
