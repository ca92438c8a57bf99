"""User-defined Docker networks (features/docker): their subnets and bridges as dockerd chooses them, the rules
for several networks, and the embedded DNS server's answers."""

from __future__ import annotations

from pathlib import Path

import dns.message
import dns.rcode
import pytest

from netlab.compile import compile_plan
from netlab.errors import TopologyError
from netlab.features.docker.embedded_dns import nat_rules
from netlab.plan import Daemon, NetnsFile, RuleSet
from netlab.topology import load_topology, load_topology_text
from netlab.workloads.docker_dns import Network, answer

ROOT = Path(__file__).parents[2]
LAB = "name: d\ncluster: {cni: docker-bridge}\n"


def problems(text: str) -> list[str]:
    with pytest.raises(TopologyError) as caught:
        load_topology_text(text)
    return [str(p) for p in caught.value.problems]


def test_networks_take_dockers_default_pools_in_order_and_skip_what_is_used() -> None:
    t = load_topology_text(LAB + "underlay: {subnet: 172.19.0.0/24}\ndocker:\n  networks: [{name: a}, {name: b}, "
                           "{name: c, subnet: 10.10.0.0/24}, {name: e}]\n")
    assert [(n.name, str(n.subnet), str(n.gateway)) for n in t.cluster.docker_networks] == [
        ("a", "172.18.0.0/16", "172.18.0.1/16"), ("b", "172.20.0.0/16", "172.20.0.1/16"),  # 172.19: the underlay
        ("c", "10.10.0.0/24", "10.10.0.1/24"), ("e", "172.21.0.0/16", "172.21.0.1/16")]
    assert all(n.bridge.startswith("br-") and len(n.bridge) == 15 for n in t.cluster.docker_networks)


def test_what_docker_refuses_is_refused_in_its_words() -> None:
    found = problems(LAB + "docker:\n  networks: [{name: host}, {name: a, subnet: 172.17.0.0/24}, {name: b}, "
                           "{name: b}]\npods: [{name: x, network: c}]\n")
    assert any("pre-defined network host cannot be created" in p for p in found)
    assert any("Pool overlaps with other one on this address space (172.17.0.0/16)" in p for p in found)
    assert any("network with name b already exists" in p for p in found)
    assert any("network c not found" in p for p in found)


def test_a_container_joins_its_networks_bridge_and_gets_the_embedded_server() -> None:
    t = load_topology(ROOT / "topologies" / "docker-networks.yaml")
    plan = compile_plan(t)
    web = next(p for p in t.pods if p.name == "web")
    assert (web.network, str(web.ip)) == ("shop", "172.18.0.2/16")
    files = {s.netns.split(".")[-1]: s.content for s in plan.steps if isinstance(s, NetnsFile)}
    assert files["web"].splitlines()[4:6] == ["nameserver 127.0.0.11", "options ndots:0"]
    assert "127.0.0.11" not in files["legacy"]  # the default bridge: the host's resolv.conf
    rules = {s.netns.split(".")[-1] for s in plan.steps if isinstance(s, RuleSet) and "DOCKER_OUTPUT" in s.payload}
    assert rules == {"web", "db", "invoices"}
    resolver = next(s for s in plan.steps if isinstance(s, Daemon) and s.name == "docker-dns-node1")
    assert "--record" in resolver.argv and "shop,db,172.18.0.3" in resolver.argv


def test_dockerd_rules_in_the_container_send_port_53_to_the_resolvers_ports() -> None:
    rules = [line for line in nat_rules(42190, 43990).splitlines() if line.startswith("-A")]
    assert rules == [
        "-A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT", "-A POSTROUTING -d 127.0.0.11/32 -j DOCKER_POSTROUTING",
        "-A DOCKER_OUTPUT -d 127.0.0.11/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 127.0.0.11:43990",
        "-A DOCKER_OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:42190",
        "-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p tcp -m tcp --sport 43990 -j SNAT --to-source :53",
        "-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p udp -m udp --sport 42190 -j SNAT --to-source :53"]


def test_the_embedded_server_answers_its_networks_names_and_forwards_the_rest() -> None:
    shop = Network({"db": "172.18.0.3", "db.shop": "172.18.0.3"}, {"3.0.18.172.in-addr.arpa.": "db.shop."})
    a = answer(dns.message.make_query("DB.", "A"), shop)
    assert a is not None and [(r.ttl, r.to_text()) for rrset in a.answer for r in [rrset]][0][0] == 600
    assert str(a.answer[0][0]) == "172.18.0.3"
    empty = answer(dns.message.make_query("db.shop.", "AAAA"), shop)
    assert empty is not None and empty.rcode() == dns.rcode.NOERROR and not empty.answer  # known, no AAAA
    ptr = answer(dns.message.make_query("3.0.18.172.in-addr.arpa.", "PTR"), shop)
    assert ptr is not None and str(ptr.answer[0][0]) == "db.shop."
    assert answer(dns.message.make_query("example.com.", "A"), shop) is None  # forwarded


def test_network_modes_share_a_namespace_or_have_none() -> None:
    t = load_topology(ROOT / "topologies" / "docker-modes.yaml")
    by = {p.name: p for p in t.pods}
    assert [t.home_of(n) for n in ("web", "sidecar", "tool", "sealed")] == ["web", "web", "node1", "sealed"]
    assert (str(by["sidecar"].ip), by["sidecar"].node) == (str(by["web"].ip), "node1")  # web's address
    assert str(by["tool"].ip.ip) == str(t.node("node1").ip)
    assert t.address_of("sealed") is None  # lo alone: nothing reaches it
    plan = compile_plan(t)
    echo = {s.name: s.netns for s in plan.steps if isinstance(s, Daemon) and s.name.startswith("echo-")}
    assert echo == {"echo-web": "netlab.docker-modes.web", "echo-sidecar": "netlab.docker-modes.web",
                    "echo-tool": "netlab.docker-modes.node1"}
    namespaces = {s.name.split(".")[-1] for s in plan.steps if type(s).__name__ == "Netns"}
    assert "sealed" in namespaces and not {"sidecar", "tool"} & namespaces


def test_what_docker_refuses_of_a_mode_is_refused_in_its_words() -> None:
    found = problems(LAB + """pods:
  - {name: web, serve: ['http:80']}
  - {name: a, network: host, publish: ['8080:80']}
  - {name: b, network: 'container:web', publish: ['8081:80']}
  - {name: c, network: 'container:c'}
  - {name: d, network: 'container:nope'}
  - {name: e, network: 'container:web', serve: ['http:80']}
  - {name: f, network: 'container:Bad_Name'}
""")
    assert any("Published ports are discarded when using host network mode" in p for p in found)
    assert any("conflicting options: port publishing and the container type network mode" in p for p in found)
    assert any("cannot join own network namespace" in p for p in found)
    assert any("No such container: nope" in p for p in found)
    assert any("tcp port 80 is taken in web's namespace (by web)" in p for p in found)
    assert any("invalid network mode: invalid container format container:<name|id>" in p for p in found)
