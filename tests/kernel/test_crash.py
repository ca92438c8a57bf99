"""Crash anywhere, clean after. `up` gets a signal at a chosen step of the plan:
- SIGKILL: then `down` (or `down --all`) must leave nothing of the lab — no namespace (and so no interface,
  rule, nft table, ipset or IPVS service, which all live in the lab's namespaces), no state, no process;
- SIGINT (Ctrl-C): `up` must roll back by itself and exit 4.
What is left is read from the kernel and /proc, and from the leak detector."""

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

from .conftest import netlab, renamed, renamed_file
from .netutil import leaks_of

# Runs `netlab up FILE` in-process and sends itself SIGNAL when the kernel layer is handed step number AT
# (1-based) or, with AT = 0, while `up` waits for the lab's daemons to start. After a SIGKILL, requests
# queued for a batched netlink write die with the process, as they would in a real crash.
DRIVER = """
import os, signal, sys
from netlab import cli
from netlab.kernel.apply import Kernel
sig, at, calls = getattr(signal, sys.argv[1]), int(sys.argv[2]), 0
apply, wait_started = Kernel.apply, Kernel.wait_started
def counted(self, step):
    global calls
    calls += 1
    if calls == at:
        os.kill(os.getpid(), sig)
    return apply(self, step)
def waiting(self):
    os.kill(os.getpid(), sig)
    return wait_started(self)
Kernel.apply = counted
if at == 0:
    Kernel.wait_started = waiting
sys.exit(cli.main(["up", sys.argv[3]]))
"""

TOPOLOGIES = ["docker-bridge", "services-iptables", "services-nftables", "host-gw"]
SEEDS = 4  # per topology: the steps are drawn from the plan, plus one while daemons start


def crash_points(seeds: int) -> list[tuple[str, int]]:
    points = []
    for name in TOPOLOGIES:
        steps = [s for s in compile_plan(load_topology_text(renamed(name, "x"))).steps if not isinstance(s, Note)]
        rng = random.Random(name)
        points += [(name, rng.randint(1, len(steps))) for _ in range(seeds)] + [(name, 0)]
    return points


def interrupted_up(tmp_path: Path, topology: str, lab: str, sig: str, step: int) -> subprocess.CompletedProcess[str]:
    path = renamed_file(tmp_path, topology, lab)
    return subprocess.run([sys.executable, "-c", DRIVER, sig, str(step), str(path)], capture_output=True, text=True,
                          timeout=60)


def workloads() -> set[int]:
    """netlab daemons alive on the machine, from /proc."""
    return {pid for pid in leaks.processes.network_namespaces() if leaks.is_workload(pid)}


def nothing_left(lab: str, daemons_before: set[int]) -> None:
    assert down.lab_namespaces(lab) == []  # /run/netns
    assert not state.LabState(lab).exists()
    assert workloads() <= daemons_before  # /proc: no daemon of this lab still runs
    assert leaks_of(lab) == []  # nor an unnamed namespace holding its links


@pytest.mark.parametrize("topology,step", crash_points(SEEDS), ids=str)
def test_sigkill_at_a_step_then_down_leaves_nothing(tmp_path: Path, topology: str, step: int) -> None:
    lab = f"crash-{topology}"[:15].rstrip("-")
    daemons_before = workloads()
    done = interrupted_up(tmp_path, topology, lab, "SIGKILL", step)
    try:
        assert done.returncode == -signal.SIGKILL, done.stderr
        assert down.lab_namespaces(lab), "the crash left nothing to clean up: the test did not test anything"
        cleaned = netlab(*(["down", "--all"] if step % 2 else ["down", lab]))
        assert cleaned.returncode == 0, cleaned.stderr
        nothing_left(lab, daemons_before)
    finally:
        down.down(lab)


@pytest.mark.parametrize("topology,step", crash_points(1), ids=str)
def test_ctrl_c_at_a_step_rolls_back_by_itself(tmp_path: Path, topology: str, step: int) -> None:
    lab = f"intr-{topology}"[:15].rstrip("-")
    daemons_before = workloads()
    done = interrupted_up(tmp_path, topology, lab, "SIGINT", step)
    try:
        assert done.returncode == 4, done.stderr
        assert "interrupted (Ctrl-C)" in done.stderr and "Traceback" not in done.stderr
        nothing_left(lab, daemons_before)  # without any `down`
    finally:
        down.down(lab)
