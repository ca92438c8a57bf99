"""Concurrency: labs with the same addresses side by side, and racing commands on one lab."""

from __future__ import annotations

from pathlib import Path

import pytest

from netlab.compile import compile_plan
from netlab.lifecycle import down, status
from netlab.plan import PYTHON, Daemon
from netlab.topology import load_topology

from .conftest import netlab, netlab_popen, renamed_file
from .netutil import workloads_in


def assert_kernel_holds_exactly_the_plan(lab: str, path: Path) -> None:
    """Read from the kernel: the lab's namespaces are the plan's, and each runs exactly the plan's daemons
    (a second `up` that slipped through would have added namespaces or started daemons twice)."""
    plan = compile_plan(load_topology(path))
    assert sorted(down.lab_namespaces(lab)) == sorted(n.name for n in plan.namespaces())
    running = [(name, word) for name in down.lab_namespaces(lab) for command in workloads_in(name)
               for word in command.split()[:3] if word.startswith("netlab.workloads.") or word == "unbound"]
    assert sorted(running) == sorted((s.netns, s.argv[2] if s.argv[0] == PYTHON else s.argv[0])
                                     for s in plan.steps if isinstance(s, Daemon))


def test_two_labs_with_the_same_cidrs_run_side_by_side(tmp_path: Path) -> None:
    labs = ["twin-a", "twin-b"]
    try:
        started = [netlab_popen("up", str(renamed_file(tmp_path, "services-iptables", lab))) for lab in labs]  # at once
        for proc in started:
            assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
        for lab in labs:  # every declared probe of both: the same addresses, each in its own lab
            done = netlab("probe", lab)
            assert done.returncode == 0, done.stdout + done.stderr
            assert_kernel_holds_exactly_the_plan(lab, tmp_path / f"{lab}.yaml")
        assert netlab("down", "twin-a").returncode == 0
        assert down.lab_namespaces("twin-a") == []
        assert_kernel_holds_exactly_the_plan("twin-b", tmp_path / "twin-b.yaml")  # untouched by twin-a's down
        done = netlab("probe", "twin-b")
        assert done.returncode == 0, done.stdout + done.stderr
    finally:
        for lab in labs:
            down.down(lab)


@pytest.mark.parametrize("attempt", range(3))
def test_two_ups_of_one_lab_at_once_one_wins_the_other_is_refused(tmp_path: Path, attempt: int) -> None:
    path = renamed_file(tmp_path, "docker-bridge", "race")
    try:
        racers = [netlab_popen("up", str(path)) for _ in range(2)]
        results = [(proc.wait(timeout=120), proc.stderr.read() if proc.stderr else "") for proc in racers]
        assert sorted(code for code, _ in results) == [0, 3], results
        loser = next(err for code, err in results if code == 3)
        assert ("another netlab" in loser and "is working on lab 'race'" in loser) or "is already up" in loser
        assert "Traceback" not in loser
        assert status.lab_status("race").ready
        assert_kernel_holds_exactly_the_plan("race", path)
        assert netlab("probe", "race").returncode == 0
    finally:
        down.down("race")
