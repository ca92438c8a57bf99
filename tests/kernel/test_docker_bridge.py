"""The docker0 lab, for real: kernel state as dockerd leaves it, and traffic through its NAT rules."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator

import pytest

from netlab import naming
from netlab.kernel import inspect
from netlab.topology import Topology

from .conftest import ROOT, LabFactory, built, netlab
from .netutil import http_get, run_in, udp_query

LAB = "docker-bridge"
NODE_IP = "192.168.56.11"
WEB_IP = "203.0.113.10"


@pytest.fixture(scope="module")
def docker_lab() -> Iterator[Topology]:
    """One docker-bridge lab for the whole module (read-only tests)."""
    yield from built((ROOT / "topologies" / "docker-bridge.yaml").read_text())


def ns(name: str) -> str:
    return naming.netns(LAB, name)


def test_docker0_holds_the_gateway_and_is_up(docker_lab: Topology) -> None:
    snap = inspect.snapshot(ns("node1"))
    assert snap.links["docker0"].kind == "bridge" and snap.links["docker0"].up
    assert ("docker0", "172.17.0.1/16") in snap.addresses
    assert inspect.read_sysctl(ns("node1"), "net.ipv4.ip_forward") == "1"


def test_containers_are_veth_pairs_into_docker0(docker_lab: Topology) -> None:
    node = inspect.snapshot(ns("node1"))
    ports = [link for link in node.links.values() if link.master == "docker0"]
    assert len(ports) == 2
    for link in ports:
        assert link.kind == "veth" and link.name.startswith("veth") and len(link.name) == 11  # veth + 7 hex
        assert link.alias == "netlab:docker-bridge"
    for pod, ip in (("app1", "172.17.0.2/16"), ("app2", "172.17.0.3/16")):
        snap = inspect.snapshot(ns(pod))
        assert snap.links["eth0"].kind == "veth" and snap.links["eth0"].up
        assert ("eth0", ip) in snap.addresses
        assert ("default", "172.17.0.1", "eth0") in snap.routes


def test_iptables_rules_are_dockerds(docker_lab: Topology) -> None:
    """Docker 29's layout, the default (features/docker/rules.py; moby's goldens hold the rules' text)."""
    nat = inspect.iptables_save(ns("node1"), "nat")
    assert "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE" in nat
    assert "-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80" in nat
    assert "-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER" in nat
    assert "--dport 80 -j MASQUERADE" not in nat  # no hairpin MASQUERADE while the userland proxy is on (28+)
    filt = inspect.iptables_save(ns("node1"), "filter")
    assert ":FORWARD DROP" in filt
    forward = [line for line in filt.splitlines() if line.startswith("-A FORWARD")]
    assert forward == ["-A FORWARD -j DOCKER-USER", "-A FORWARD -j DOCKER-FORWARD"]
    assert "-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT" in filt
    assert "-A DOCKER ! -i docker0 -o docker0 -j DROP" in filt
    raw = inspect.iptables_save(ns("node1"), "raw")
    assert "-A PREROUTING -d 172.17.0.3/32 ! -i docker0 -j DROP" in raw


@pytest.mark.parametrize(("layout", "reaches"), [("classic", True), ("28", False), ("current", False)])
def test_a_route_to_a_containers_address_reaches_it_only_before_docker_28(lab: LabFactory, layout: str,
                                                                        reaches: bool) -> None:
    """A neighbour that routes 172.17.0.0/16 to the host (here: the internet router) reaches a published container
    port directly, by its address and untranslated, on Docker ≤ 27; from Docker 28 raw PREROUTING drops it, and only
    the published host port gets through."""
    text = (ROOT / "topologies" / "docker-bridge.yaml").read_text().replace("name: docker-bridge", "name: dk-" + layout)
    t = lab(text + f"docker: {{layout: '{layout}'}}\n")
    route = run_in(t.name, naming.INTERNET, "ip", "route", "add", "172.17.0.0/16", "via", NODE_IP)
    assert route.returncode == 0, route.stderr
    direct = run_in(t.name, "web", "curl", "-s", "--max-time", "2", "http://172.17.0.2/")
    if reaches:
        assert json.loads(direct.stdout)["client"] == WEB_IP  # no NAT at all: the container sees the neighbour
    else:
        assert direct.returncode == 28, direct.stdout  # timed out: dropped, not refused
    published = http_get(t.name, "web", NODE_IP, 8080)
    assert published["server"] == "app1" and published["client"] == WEB_IP


def test_root_namespace_has_no_lab_objects(docker_lab: Topology) -> None:
    links = json.loads(subprocess.run(["ip", "-j", "link"], capture_output=True, text=True, check=True).stdout)
    assert not [link for link in links if link.get("ifalias", "").startswith("netlab:")]


def test_container_to_container_is_not_translated(docker_lab: Topology) -> None:
    reply = http_get(LAB, "app2", "172.17.0.2")
    assert reply["server"] == "app1" and reply["client"] == "172.17.0.3"


def test_container_to_internet_is_masqueraded_to_the_node(docker_lab: Topology) -> None:
    reply = http_get(LAB, "app2", WEB_IP)
    assert reply["server"] == "web" and reply["client"] == NODE_IP


def test_internet_reaches_the_published_port_and_the_container_sees_the_client(docker_lab: Topology) -> None:
    reply = http_get(LAB, "web", NODE_IP, 8080)
    assert reply["server"] == "app1" and reply["client"] == WEB_IP and reply["local_port"] == 80


def test_published_udp_port(docker_lab: Topology) -> None:
    reply = udp_query(LAB, "web", NODE_IP, 5353)
    assert reply["server"] == "app1" and reply["client"] == WEB_IP and reply["local_port"] == 53


def test_node_localhost_goes_through_docker_proxy(docker_lab: Topology) -> None:
    # nat OUTPUT skips 127.0.0.0/8, so only the userland proxy can answer: the container sees docker0's address.
    reply = http_get(LAB, "node1", "127.0.0.1", 8080)
    assert reply["server"] == "app1" and reply["client"] == "172.17.0.1"


def test_container_to_published_port_goes_through_docker_proxy(docker_lab: Topology) -> None:
    reply = http_get(LAB, "app2", NODE_IP, 8080)
    assert reply["server"] == "app1" and reply["client"] == "172.17.0.1"


def test_internet_cannot_reach_container_addresses(docker_lab: Topology) -> None:
    with pytest.raises(OSError):  # the router has no route to 172.17.0.0/16
        http_get(LAB, "web", "172.17.0.2", timeout=1)


def test_exec_runs_standard_tools_in_a_container(docker_lab: Topology) -> None:
    done = run_in(LAB, "app2", "ip", "-br", "addr", "show", "eth0")
    assert "172.17.0.3/16" in done.stdout
    ping = run_in(LAB, "app1", "ping", "-c1", "-W2", WEB_IP)
    assert ping.returncode == 0, ping.stdout + ping.stderr


def test_a_second_lab_with_the_same_addresses_runs_beside_it(docker_lab: Topology, lab: LabFactory) -> None:
    lab(ROOT / "topologies" / "docker-bridge.yaml", name="docker-twin")
    assert http_get("docker-twin", "web", NODE_IP, 8080)["server"] == "app1"
    assert http_get(LAB, "app2", WEB_IP)["client"] == NODE_IP


def test_declared_probes_hold(docker_lab: Topology) -> None:
    from netlab.probe import run_probes

    results = run_probes(docker_lab)
    assert [r.ok for r in results] == [True, True, True], results
    assert [r.seen_source for r in results] == ["172.17.0.3", NODE_IP, WEB_IP]


def test_probe_command_fails_when_an_expectation_does_not_hold(docker_lab: Topology, lab: LabFactory) -> None:
    from netlab.probe import run_probes

    wrong = lab("""
        name: wrong-expectations
        pods: [{name: a, serve: ["http:80"]}, {name: b}]
        internet: {hosts: [{name: h, serve: ["udp:53"]}]}
        probes:
          - {from: b, to: "h:53", protocol: udp, expect: {sourceSeen: self}}
          - {from: h, to: "a:80", protocol: http, expect: {reachable: true}}
          - {from: h, to: a, protocol: icmp, expect: {reachable: false}}
          - {from: b, to: h, protocol: icmp}
    """)
    results = run_probes(wrong)
    assert [r.ok for r in results] == [False, False, True, True]
    assert results[0].seen_source == NODE_IP and results[0].expected_source == "172.17.0.3"
    done = netlab("probe", "wrong-expectations")
    assert done.returncode == 1 and "2 of 4 probe(s) did not meet their expectation" in done.stderr
