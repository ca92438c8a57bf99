"""Crash anywhere, clean after: `up` is killed with SIGKILL at a chosen step of the plan, then `down` (or
`down --all`) must leave nothing of the lab — no namespace (and so no interface, rule, nft table, ipset or
IPVS service, which all live in the lab's namespaces), no state, no process — as the leak detector sees it."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from netlab import state
from netlab.compile import compile_plan
from netlab.lifecycle import down, leaks
from netlab.plan import Note
from netlab.topology import load_topology_text

from .conftest import ROOT

# Runs `netlab up FILE` in-process, and SIGKILLs itself when the kernel layer is handed step number AT
# (1-based), or, with AT = 0, while it waits for the lab's daemons to start. Steps queued for a batched
# netlink write are lost with the process, as they would be in a real crash.
DRIVER = """
import os, signal, sys
from netlab import cli
from netlab.kernel.apply import Kernel
at, calls = int(sys.argv[1]), 0
apply, wait_started = Kernel.apply, Kernel.wait_started
def crash():
    os.kill(os.getpid(), signal.SIGKILL)
def counted(self, step):
    global calls
    calls += 1
    if calls == at:
        crash()
    return apply(self, step)
Kernel.apply = counted
if at == 0:
    Kernel.wait_started = lambda self: (crash(), wait_started(self))
sys.exit(cli.main(["up", sys.argv[2]]))
"""

TOPOLOGIES = ["docker-bridge", "services-iptables", "services-nftables", "host-gw"]
SEEDS = 4  # per topology: the crash points are drawn from the plan's steps, plus one while daemons start


def crash_points() -> list[tuple[str, int]]:
    points = []
    for name in TOPOLOGIES:
        text = (ROOT / "topologies" / f"{name}.yaml").read_text()
        steps = [s for s in compile_plan(load_topology_text(text)).steps if not isinstance(s, Note)]
        rng = random.Random(name)
        points += [(name, rng.randint(1, len(steps))) for _ in range(SEEDS)] + [(name, 0)]
    return points


def lab_leaks(lab: str) -> list[leaks.Leak]:
    return [leak for leak in leaks.find() if leak.lab == lab]


@pytest.mark.parametrize("topology,step", crash_points(), ids=lambda v: str(v))
def test_sigkill_at_a_step_then_down_leaves_nothing(tmp_path: Path, topology: str, step: int) -> None:
    lab = f"crash-{topology}"[:15].rstrip("-")
    text = (ROOT / "topologies" / f"{topology}.yaml").read_text().replace(f"name: {topology}", f"name: {lab}")
    path = tmp_path / "lab.yaml"
    path.write_text(text)
    done = subprocess.run([sys.executable, "-c", DRIVER, str(step), str(path)], capture_output=True, text=True,
                          timeout=60)
    try:
        assert done.returncode == -signal.SIGKILL, done.stderr
        assert lab_leaks(lab), "the crash left nothing to clean up: the test did not test anything"
        command = ["down", "--all"] if step % 2 else ["down", lab]
        cleaned = subprocess.run([sys.executable, "-m", "netlab", *command], capture_output=True, text=True,
                                 timeout=60)
        assert cleaned.returncode == 0, cleaned.stderr
        assert lab_leaks(lab) == []
        assert not state.LabState(lab).exists() and down.lab_namespaces(lab) == []
    finally:
        down.down(lab)
