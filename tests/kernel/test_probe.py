"""`netlab probe` against real labs: declared probes, ad-hoc ones, every probe kind, JUnit and timings."""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, LabFactory
from netlab.cli import main

FLANNEL = ROOT / "topologies" / "flannel-vxlan.yaml"
SERVICES = ROOT / "topologies" / "services-iptables.yaml"
LAB = "test-probe"


def probe(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, Any]]]:
    """Runs `netlab probe --json …` in-process: the exit status and the results."""
    capsys.readouterr()
    status = main(["probe", *args, "--json"])
    out = capsys.readouterr().out
    return status, json.loads(out) if out else []


def test_declared_probes_pass_fast_with_a_junit_report(lab: LabFactory, capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path) -> None:
    topology = lab(FLANNEL, name=LAB)
    report = tmp_path / "probes.xml"
    status, results = probe(capsys, LAB, "--junit", str(report))
    assert status == 0 and [r["ok"] for r in results] == [True] * len(topology.probes)
    assert all(r["seconds"] < 0.1 for r in results), [(r["name"], r["seconds"]) for r in results]
    suite = ET.parse(report).getroot()
    assert suite.get("name") == f"netlab probe {LAB}" and suite.get("failures") == "0"
    assert [c.get("name") for c in suite.iter("testcase")] == [p.name for p in topology.probes]
    assert {c.get("classname") for c in suite.iter("testcase")} == {f"netlab.{LAB}"}


def test_only_runs_the_named_declared_probes(lab: LabFactory, capsys: pytest.CaptureFixture[str]) -> None:
    lab(FLANNEL, name=LAB)
    status, results = probe(capsys, LAB, "--only", "and back", "--only", "udp across the overlay")
    assert status == 0 and [r["name"] for r in results] == ["and back", "udp across the overlay"]  # file order


def test_a_failing_ad_hoc_probe_exits_1_and_the_junit_file_has_the_failure(
        lab: LabFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    lab(FLANNEL, name=LAB)
    report = tmp_path / "probe.xml"
    # Pod to pod is never masqueraded: the far end sees the pod, not node1.
    status, (r,) = probe(capsys, LAB, "--from", "client1", "--to", "web2:80", "--protocol", "http",
                         "--source-seen", "node", "--name", "masqueraded?", "--junit", str(report))
    assert status == 1 and r["reachable"] and r["seen_source"] == "10.244.0.4" and not r["ok"]
    (case,) = ET.parse(report).getroot().iter("testcase")
    failure = case.find("failure")
    assert case.get("name") == "masqueraded?" and failure is not None
    assert failure.get("message") == ("expected reachable, source node1's address, "
                                      "observed reachable (answered by web2), source 10.244.0.4")


@pytest.mark.parametrize(("to", "protocol", "detail"), [
    ("web2:81", "tcp", "Connection refused"),  # RST from the pod
    ("cache1:11212", "udp", "Connection refused"),  # ICMP port unreachable, heard by a connected socket
])
def test_unreachable_expectations_hold_for_closed_ports_at_once(
        lab: LabFactory, capsys: pytest.CaptureFixture[str], to: str, protocol: str, detail: str) -> None:
    lab(FLANNEL, name=LAB)
    status, (r,) = probe(capsys, LAB, "--from", "client1", "--to", to, "--protocol", protocol, "--expect",
                         "unreachable")
    assert status == 0 and not r["reachable"] and r["detail"] == detail and r["seconds"] < 0.1


def test_an_address_nobody_has_is_unreachable_within_the_timeout(lab: LabFactory,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    lab(FLANNEL, name=LAB)
    start = time.monotonic()
    status, (r,) = probe(capsys, LAB, "--from", "client1", "--to", "10.244.1.99:80", "--expect", "unreachable")
    assert status == 0 and r["detail"] == "no answer in 2 s" and time.monotonic() - start < 3


def test_node_to_pod_and_icmp_both_ways(lab: LabFactory, capsys: pytest.CaptureFixture[str]) -> None:
    lab(FLANNEL, name=LAB)
    # A tcp probe to an http port: the silent server is asked over HTTP, so it still says who it saw.
    status, (r,) = probe(capsys, LAB, "--from", "node1", "--to", "web1:80", "--protocol", "tcp",
                         "--source-seen", "10.244.0.1")
    assert status == 0 and r["server"] == "web1" and r["seconds"] < 0.1
    status, (r,) = probe(capsys, LAB, "--from", "node2", "--to", "web1")
    assert status == 0 and r["protocol"] == "icmp" and r["detail"] == "echo reply" and r["seconds"] < 0.1
    status, (r,) = probe(capsys, LAB, "--from", "client2", "--to", "web")
    assert status == 0 and r["detail"] == "echo reply"
    # The internet has no route to pod addresses: its router says so at once.
    status, (r,) = probe(capsys, LAB, "--from", "web", "--to", "client1", "--expect", "unreachable")
    assert status == 0 and r["detail"] == "network unreachable from 203.0.113.1" and r["seconds"] < 0.1


def test_service_and_nodeport_probes_from_the_command_line(lab: LabFactory,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    lab(SERVICES, name="test-probe-svc")
    status, (r,) = probe(capsys, "test-probe-svc", "--from", "client2", "--to", "web:80", "--protocol", "http",
                         "--source-seen", "self")
    assert status == 0 and r["target_ip"] == "10.96.0.11" and r["server"] in {"web1", "web2"}
    status, (r,) = probe(capsys, "test-probe-svc", "--from", "outside", "--to", "node1:30080", "--protocol",
                         "http", "--source-seen", "node")
    assert status == 0 and r["target_ip"] == "192.168.56.11" and r["seconds"] < 0.1
    status, (r,) = probe(capsys, "test-probe-svc", "--from", "outside", "--to", "node1:30081", "--source-seen",
                         "outside")
    assert status == 0 and r["seen_source"] == "203.0.113.10"
