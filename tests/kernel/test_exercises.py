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


BROKEN_CHECK = """\
name: checklab
cluster: {cni: host-gw}
pods: [{name: a, serve: ["http:80"]}, {name: b}]
probes: [{name: b to a, from: b, to: "a:80", protocol: http}]
exercise:
  title: "[red]A title with [brackets][/]"
  task: "Look at /etc [x] and fix it."
  break: [{in: node1, run: "ip route del 10.244.0.0/24"}]
  checks:
    - {name: a chain that does not exist lacks nothing, in: node1, run: "iptables -S NOSUCHCHAIN", absent: DROP}
    - {probe: b to a}
  solution: [{in: node1, run: "ip route replace 10.244.0.0/24 dev cni0"}]
"""


def test_a_failing_command_fails_its_check_and_status_does_not_give_the_answer_away(lab: LabFactory) -> None:
    lab(BROKEN_CHECK)
    done = netlab("check", "checklab", "--json")
    checks = {c["name"]: c for c in json.loads(done.stdout)["checks"]}
    failed = checks["a chain that does not exist lacks nothing"]
    assert not failed["ok"] and "failed (exit 1)" in failed["detail"]
    status = json.loads(netlab("status", "checklab", "--json").stdout)
    assert status["drift_checked"] is False and status["drift"] == []  # the deleted route is the task
    shown = netlab("check", "checklab")
    assert "[red]A title with [brackets][/]" in shown.stdout and "Traceback" not in shown.stderr
