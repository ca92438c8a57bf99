"""Every shipped exercise is really broken when it comes up, and its own solution really fixes it: graded by
`netlab check` from real traffic and real kernel state."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .conftest import ROOT, LabFactory, netlab

EXERCISES = sorted((ROOT / "topologies" / "exercises").glob("*.yaml"))


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.stem)
def test_the_exercise_fails_its_check_until_its_solution_is_applied(lab: LabFactory, path: Path,
                                                                    tmp_path: Path) -> None:
    t = lab(path)
    broken = netlab("check", t.name, "--json")
    assert broken.returncode == 1, broken.stderr
    report = json.loads(broken.stdout)
    failing = [c for c in report["checks"] if not c["ok"]]
    assert failing and not report["passed"] and report["solution_applied"] == []
    junit = tmp_path / "check.xml"
    solved = netlab("check", t.name, "--solution", "--json", "--junit", str(junit))
    assert solved.returncode == 0, solved.stdout + solved.stderr
    report = json.loads(solved.stdout)
    assert report["passed"] and report["solution_applied"] and all(c["ok"] for c in report["checks"])
    suite = ET.parse(junit).getroot()
    assert suite.get("failures") == "0" and int(suite.get("tests") or 0) == len(report["checks"])


def test_check_prints_the_failures_with_their_hints(lab: LabFactory) -> None:
    lab(ROOT / "topologies" / "exercises" / "missing-route.yaml")
    done = netlab("check", "missing-route")
    assert done.returncode == 1
    assert "✗ node2 routes node1's pods through node1" in done.stdout
    assert "hint: host-gw writes: ip route add 10.244.0.0/24 via 192.168.56.11 dev eth0" in done.stdout
    assert "not yet: 0 of 4 checks pass" in done.stdout and "4 of 4 check(s) failed" in done.stderr


def test_a_lab_that_is_no_exercise_is_named(lab: LabFactory) -> None:
    lab("name: plainlab\npods: [{name: a}]\n")
    done = netlab("check", "plainlab")
    assert done.returncode == 2 and "lab 'plainlab' is not an exercise" in done.stderr
