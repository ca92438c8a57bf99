"""Every shipped exercise is really broken when it comes up, and its own solution really fixes it: graded by
`netlab check` from real traffic and real kernel state."""

from __future__ import annotations

import http.client
import json
import re
import socket
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from netlab.topology import Topology
from netlab.topology.model import Probe

from .conftest import ROOT, LabFactory, netlab
from .netutil import http_get, ns_socket, run_in, tcp_line, udp_query

EXERCISES = sorted((ROOT / "topologies" / "exercises").glob("*.yaml"))


def answered(t: Topology, p: Probe) -> bool:
    """The probe's traffic sent by the test itself (sockets in the namespace, or ping), not by netlab."""
    host = t.address_of(p.target) or p.target
    if p.protocol == "dns":  # the pod's own resolver (its resolv.conf, search list and all), by dig
        done = run_in(t.name, p.source, "dig", "+search", "+short", "-t", p.query or "A", p.target)
        want = p.expect.answer or ()
        return done.returncode == 0 and bool(done.stdout.split()) and all(a in done.stdout.split() for a in want)
    if p.protocol == "icmp":
        size = ["-M", "dont", "-s", str(p.size - 28)] if p.size else []
        return run_in(t.name, p.source, "ping", "-c1", "-W2", *size, host).returncode == 0
    if p.protocol == "http" and (p.host or p.path != "/" or p.expect.status or p.expect.served_by):
        return http_routed(t, p, host)
    send = {"http": http_get, "tcp": tcp_line, "udp": udp_query}[p.protocol]
    try:
        send(t.name, p.source, host, p.port or 0, timeout=2.0)
        return True
    except (OSError, AssertionError, ValueError):
        return False


def http_routed(t: Topology, p: Probe, host: str) -> bool:
    """An HTTP request with the probe's Host and path (what an ingress routes by), judged by its status and the
    echo server that answered."""
    try:
        with ns_socket(t.name, p.source, socket.SOCK_STREAM) as s:
            s.settimeout(2.0)
            s.connect((host, p.port or 80))
            conn = http.client.HTTPConnection(p.host or host)
            conn.sock = s
            conn.request("GET", p.path, headers={"Host": p.host or host})
            response = conn.getresponse()
            body = response.read()
    except OSError:
        return False
    if p.expect.status is not None:
        return response.status == p.expect.status
    server = json.loads(body).get("server") if response.status == 200 else None
    return server is not None and (not p.expect.served_by or server in p.expect.served_by)


def words(text: str) -> str:
    """Output as a run of space-separated words (quotes and commas are not part of a word), padded."""
    return " " + " ".join(re.sub(r"[\"',;()\[\]{}<>=]", " ", text).split()) + " "


def witness(t: Topology) -> dict[str, bool]:
    """Each check of the exercise, judged from the kernel by the test: its command run with `ip netns exec` (the
    text looked for as whole words), BIRD's `show protocols` for a BGP session, or its probe's traffic sent."""
    assert t.exercise is not None
    probes = {p.name: p for p in t.probes}
    seen = {}
    for c in t.exercise.checks:
        if c.command is not None:
            done = run_in(t.name, c.command.where, *c.command.argv)
            shown = words(done.stdout)
            seen[c.name] = done.returncode == 0 and (c.contains is None or words(c.contains) in shown) and (
                c.absent is None or words(c.absent) not in shown)
        elif c.bgp is not None:
            node, peer = c.bgp
            shown = run_in(t.name, node, "birdc", "-s", f"/run/netlab/{t.name}/calico/{node}/bird.ctl", "show",
                           "protocols").stdout
            protocol = "_" + str(t.node(peer).ip).replace(".", "_") + " "
            seen[c.name] = any(protocol in line and "Established" in line for line in shown.splitlines())
        else:  # the probe's expectation met: an answer, or none for one expected unreachable
            probe = probes[c.probe or ""]
            seen[c.name] = answered(t, probe) == probe.expect.reachable
    return seen


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.stem)
def test_the_exercise_fails_its_check_until_its_solution_is_applied(lab: LabFactory, path: Path,
                                                                    tmp_path: Path) -> None:
    """Each check about the fault fails on the lab as it comes up and passes once solved; each guard (what the
    fault leaves working) passes both times."""
    t = lab(path)
    assert t.exercise is not None
    guards = {c.name for c in t.exercise.checks if c.guard}
    before = witness(t)
    assert before == {name: name in guards for name in before}, "a fault check passed, or a guard failed"
    broken = netlab("check", t.name, "--json")
    assert broken.returncode == 1, broken.stderr
    report = json.loads(broken.stdout)
    assert {c["name"]: c["ok"] for c in report["checks"]} == before  # netlab grades as the kernel says
    assert not report["passed"] and report["solution_applied"] == []
    junit = tmp_path / "check.xml"
    solved = netlab("check", t.name, "--solution", "--json", "--junit", str(junit))
    assert solved.returncode == 0, solved.stdout + solved.stderr
    report = json.loads(solved.stdout)
    assert report["passed"] and report["solution_applied"]
    assert {c["name"]: c["ok"] for c in report["checks"]} == witness(t) == dict.fromkeys(before, True)
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
