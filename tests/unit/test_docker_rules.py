"""dockerd's rules in each layout (netlab/features/docker/rules.py), held to moby's own integration-test goldens
(tests/data/moby) for the same networks and port mapping, and the classic layout to the v27.5.1 code."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network
from pathlib import Path

import pytest

from netlab.features.docker.rules import Network, tables
from netlab.topology.model import Protocol, PublishedPort

MOBY = Path(__file__).parents[2] / "tests" / "data" / "moby"
BUILTIN = {"INPUT", "FORWARD", "OUTPUT", "PREROUTING", "POSTROUTING"}
DOCKER0 = Network("docker0", IPv4Network("172.17.0.0/16"), (), ())
C1 = IPv4Address("192.0.2.2")
BRIDGE1 = Network("bridge1", IPv4Network("192.0.2.0/24"), (C1,), ((C1, PublishedPort(8080, 80, Protocol.TCP)),))


def golden(path: Path) -> dict[str, tuple[set[str], list[str]]]:
    """{table: (the chains it creates, its -A rules in order)} from each 'iptables commands' block of a generated
    document; the policies (-P) say which table a block is: nat has POSTROUTING, filter FORWARD, raw neither."""
    found = {}
    for block in path.read_text().split("<summary>iptables commands</summary>")[1:]:
        lines = [line.strip() for line in block.split("</details>")[0].splitlines()]
        table = "nat" if "-P POSTROUTING ACCEPT" in lines else "filter" if "-P FORWARD ACCEPT" in lines else "raw"
        found[table] = ({line[3:] for line in lines if line.startswith("-N ")},
                        [line for line in lines if line.startswith("-A ")])
    return found


def ours(payload: str) -> tuple[set[str], list[str]]:
    chains = {line[1:].split()[0] for line in payload.splitlines() if line.startswith(":")} - BUILTIN
    return chains, [line for line in payload.splitlines() if line.startswith("-A ")]


@pytest.mark.parametrize(("version", "layout"), [("v28.5.2", "28"), ("v29", "current")])
@pytest.mark.parametrize(("document", "networks"), [("new-daemon", [DOCKER0]), ("usernet-portmap", [DOCKER0, BRIDGE1])])
def test_a_layout_makes_what_mobys_golden_shows(version: str, layout: str, document: str,
                                                networks: list[Network]) -> None:
    expected = golden(MOBY / version / f"{document}.md")
    payloads = tables(layout, networks)
    assert set(expected) == {"filter", "nat"} | ({"raw"} if document == "usernet-portmap" else set())
    for table, (chains, rules) in expected.items():
        assert ours(payloads[table]) == (chains, rules), f"{version} {document}: {table}"


def test_the_classic_layout_is_v27s_for_two_networks() -> None:
    """Docker ≤ 27 has no goldens: the order its code leaves (setupIPChains inserts a newer network's FORWARD rules
    above an older one's, setINC its isolation rules at the top, setPerPortNAT a hairpin MASQUERADE per port)."""
    payloads = tables("classic", [DOCKER0, BRIDGE1])
    assert ours(payloads["filter"])[1] == [
        "-A FORWARD -j DOCKER-USER", "-A FORWARD -j DOCKER-ISOLATION-STAGE-1",
        "-A FORWARD -o bridge1 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", "-A FORWARD -o bridge1 -j DOCKER",
        "-A FORWARD -i bridge1 ! -o bridge1 -j ACCEPT", "-A FORWARD -i bridge1 -o bridge1 -j ACCEPT",
        "-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", "-A FORWARD -o docker0 -j DOCKER",
        "-A FORWARD -i docker0 ! -o docker0 -j ACCEPT", "-A FORWARD -i docker0 -o docker0 -j ACCEPT",
        "-A DOCKER -d 192.0.2.2/32 ! -i bridge1 -o bridge1 -p tcp -m tcp --dport 80 -j ACCEPT",
        "-A DOCKER-ISOLATION-STAGE-1 -i bridge1 ! -o bridge1 -j DOCKER-ISOLATION-STAGE-2",
        "-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2",
        "-A DOCKER-ISOLATION-STAGE-1 -j RETURN",
        "-A DOCKER-ISOLATION-STAGE-2 -o bridge1 -j DROP", "-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP",
        "-A DOCKER-ISOLATION-STAGE-2 -j RETURN", "-A DOCKER-USER -j RETURN"]
    assert ours(payloads["nat"])[1] == [
        "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
        "-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER",
        "-A POSTROUTING -s 192.0.2.0/24 ! -o bridge1 -j MASQUERADE",
        "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
        "-A POSTROUTING -s 192.0.2.2/32 -d 192.0.2.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE",
        "-A DOCKER -i bridge1 -j RETURN", "-A DOCKER -i docker0 -j RETURN",
        "-A DOCKER ! -i bridge1 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192.0.2.2:80"]
    assert "raw" not in payloads


def test_docker_28_and_later_drop_direct_access_to_every_container() -> None:
    quiet = Network("docker0", IPv4Network("172.17.0.0/16"), (IPv4Address("172.17.0.2"), IPv4Address("172.17.0.3")),
                    ())
    assert ours(tables("current", [quiet])["raw"])[1] == [
        "-A PREROUTING -d 172.17.0.2/32 ! -i docker0 -j DROP", "-A PREROUTING -d 172.17.0.3/32 ! -i docker0 -j DROP"]


def test_the_layout_is_chosen_in_the_lab_and_checked() -> None:
    from netlab.errors import TopologyError
    from netlab.topology import load_topology_text
    lab = "name: d\npods: [{name: a, publish: ['8080:80']}]\n"
    assert load_topology_text(lab).cluster.docker_layout == "current"
    assert load_topology_text(lab + "docker: {layout: classic}\n").cluster.docker_layout == "classic"
    with pytest.raises(TopologyError) as bad:
        load_topology_text(lab + "docker: {layout: '27'}\n")
    assert "'27' is not a Docker rule layout" in str(bad.value.problems[0])
    with pytest.raises(TopologyError) as k8s:
        load_topology_text("name: k\ncluster: {cni: flannel-vxlan}\ndocker: {layout: classic}\n")
    assert "Docker settings in a Kubernetes lab" in str(k8s.value.problems[0])
