"""User-defined Docker networks on a real kernel (topologies/docker-networks.yaml), in each of dockerd's layouts:
names through the embedded DNS server, networks kept apart, the default bridge without names."""

from __future__ import annotations

import pytest

from netlab.probe import run_probes

from .conftest import LabFactory, netlab, renamed
from .netutil import run_in


@pytest.mark.parametrize("layout", ["current", "28", "classic"])
def test_the_labs_probes_hold_in_every_layout(lab: LabFactory, layout: str) -> None:
    text = renamed("docker-networks", f"dn-{layout}").replace("docker:\n", f"docker:\n  layout: '{layout}'\n")
    t = lab(text)
    failed = [r.probe.name for r in run_probes(t) if not r.ok]
    assert failed == []


def test_the_embedded_server_answers_over_tcp_and_sits_in_the_containers_namespace(lab: LabFactory) -> None:
    t = lab(renamed("docker-networks", "dn-tcp"))
    over_tcp = run_in(t.name, "web", "dig", "+tcp", "+short", "+time=2", "+tries=1", "db")
    assert over_tcp.stdout.split() == ["172.18.0.3"], over_tcp.stdout + over_tcp.stderr
    listening = run_in(t.name, "web", "ss", "-Hlnu").stdout
    assert "127.0.0.11:" in listening  # the resolver's UDP socket, bound inside the container's namespace
    nat = run_in(t.name, "web", "iptables", "-t", "nat", "-S", "DOCKER_OUTPUT").stdout
    assert "--dport 53 -j DNAT --to-destination 127.0.0.11:" in nat
    outside = run_in(t.name, "web", "dig", "+short", "+time=2", "+tries=1", "customer.example.com")
    assert outside.stdout.split() == ["203.0.113.10"]  # not one of the network's: forwarded to the host's server


def test_each_network_mode_sees_the_namespace_docker_gives_it(lab: LabFactory) -> None:
    """topologies/docker-modes.yaml: container:web in web's namespace, host mode in the node's, none with lo alone;
    `netlab exec` enters the one each runs in."""
    t = lab(renamed("docker-modes", "dm-test"))
    assert [r.probe.name for r in run_probes(t) if not r.ok] == []
    addresses = {name: netlab("exec", t.name, name, "--", "ip", "-4", "-br", "addr").stdout
                 for name in ("web", "sidecar", "tool", "sealed")}
    assert addresses["sidecar"] == addresses["web"] and "172.17.0.2/16" in addresses["web"]
    assert "192.168.56.11/24" in addresses["tool"] and "docker0" in addresses["tool"]
    assert addresses["sealed"].split() == ["lo", "UNKNOWN", "127.0.0.1/8"]
