"""Raw NAT on a lan-bridge node (topologies/home-router.yaml): the lab's own SNAT and DNAT rules, and nothing
else, decide what crosses the router — take a rule away and that traffic stops."""

from __future__ import annotations

from pathlib import Path

import pytest

from netlab.probe import run_probes
from netlab.topology import Topology

from .conftest import LabFactory
from .netutil import http_get, run_in

TOPOLOGY = Path(__file__).parents[2] / "topologies" / "home-router.yaml"
WAN, WEB, LAPTOP = "192.168.56.11", "203.0.113.10", "192.168.1.2"


@pytest.fixture
def home(lab: LabFactory) -> Topology:
    return lab(TOPOLOGY, name="test-home")


def test_snat_and_dnat_do_what_a_home_router_does(home: Topology) -> None:
    assert [(r.probe.name, r.ok) for r in run_probes(home)] == [(p.name, True) for p in home.probes]
    assert http_get(home.name, "laptop", WEB)["client"] == WAN  # SNAT
    forwarded = http_get(home.name, "web", WAN, 8080)
    assert forwarded["server"] == "nas" and forwarded["client"] == WEB  # DNAT keeps the caller's address
    nat = run_in(home.name, "router", "iptables", "-t", "nat", "-S").stdout
    # Nothing but the lab's two rules: no MASQUERADE, no DOCKER or KUBE chain came with the LAN.
    assert [line for line in nat.splitlines() if line.startswith("-A")] == [
        "-A PREROUTING -i eth0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192.168.1.3:80",
        "-A POSTROUTING -s 192.168.1.0/24 -o eth0 -j SNAT --to-source 192.168.56.11"]


def test_without_the_snat_rule_the_lan_loses_the_internet(home: Topology) -> None:
    assert run_in(home.name, "router", "iptables", "-t", "nat", "-D", "POSTROUTING", "1").returncode == 0
    with pytest.raises(TimeoutError):  # the internet router has no route back to 192.168.1.0/24
        http_get(home.name, "laptop", WEB, timeout=1.0)
    assert http_get(home.name, "laptop", "192.168.1.3")["client"] == LAPTOP  # the LAN itself still works
