"""Concurrency: labs with the same addresses side by side, and racing commands on one lab."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from netlab.lifecycle import down, status

from .conftest import ROOT


def popen(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "netlab", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def netlab(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "netlab", *args], capture_output=True, text=True, timeout=120)


def renamed(tmp_path: Path, topology: str, name: str) -> Path:
    text = (ROOT / "topologies" / f"{topology}.yaml").read_text().replace(f"name: {topology}", f"name: {name}")
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    return path


def test_two_labs_with_the_same_cidrs_run_side_by_side(tmp_path: Path) -> None:
    labs = ["twin-a", "twin-b"]
    try:
        started = [popen("up", str(renamed(tmp_path, "services-iptables", lab))) for lab in labs]  # at once
        for proc in started:
            assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
        for lab in labs:  # every declared probe of both: the same addresses, each in its own lab
            done = netlab("probe", lab)
            assert done.returncode == 0, done.stdout + done.stderr
            assert status.lab_status(lab).drift == []
        assert down.down("twin-a").namespaces
        done = netlab("probe", "twin-b")
        assert done.returncode == 0, done.stdout + done.stderr
        assert status.lab_status("twin-b").drift == []
    finally:
        for lab in labs:
            down.down(lab)


@pytest.mark.parametrize("attempt", range(3))
def test_two_ups_of_one_lab_at_once_one_wins_the_other_is_refused(tmp_path: Path, attempt: int) -> None:
    path = renamed(tmp_path, "docker-bridge", "race")
    try:
        racers = [popen("up", str(path)) for _ in range(2)]
        results = [(proc.wait(timeout=120), proc.stderr.read() if proc.stderr else "") for proc in racers]
        assert sorted(code for code, _ in results) == [0, 3], results
        loser = next(err for code, err in results if code == 3)
        assert ("another netlab" in loser and "is working on lab 'race'" in loser) or "is already up" in loser
        assert "Traceback" not in loser
        assert status.lab_status("race").ready and status.lab_status("race").drift == []
        assert netlab("probe", "race").returncode == 0
    finally:
        down.down("race")
