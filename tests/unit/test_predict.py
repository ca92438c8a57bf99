"""The model trace (no root): each shipped topology's paths predicted from its plan, hop by hop and NAT by NAT.

A hop is (lab object, interface, direction), as a capture on every interface of every namespace sees it; the
node-side veth names are hashed, so the tests look them up in the plan like a student reading `netlab plan`.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import time
from pathlib import Path

import pytest

from netlab import naming
from netlab.compile import compile_plan
from netlab.errors import UsageError
from netlab.plan import Plan, Veth
from netlab.topology import Topology, load_topology, load_topology_text
from netlab.topology.model import Probe
from netlab.trace.model import Event, Hop, Trace
from netlab.probe import address_of
from netlab.features.dns import lookup
from netlab.trace import session
from netlab.trace.predict import predict
from netlab.trace.rules_sim import Tables, View

ROOT = Path(__file__).parents[2]
Place = tuple[str, str, str]


@functools.cache
def lab(name: str) -> tuple[Plan, Topology]:
    t = load_topology(ROOT / "topologies" / f"{name}.yaml")
    return compile_plan(t), t


def trace(name: str, source: str, target: str, port: int | None, proto: str = "tcp",
          endpoint: str | None = None) -> Trace:
    plan, t = lab(name)
    return predict(plan, t, source, target, port, proto, endpoint=endpoint)


def veth(name: str, pod: str) -> str:
    """The node-side end of a pod's veth (docker0/cni0 port), as the plan names it."""
    plan, _ = lab(name)
    ns = naming.netns(plan.lab, pod)
    return next(s.name for s in plan.steps if isinstance(s, Veth) and s.peer_netns == ns)


def places(hops: tuple[Hop, ...]) -> list[Place]:
    return [(h.netns, h.interface, h.direction) for h in hops]


def events(tr: Trace, kind: str, *, reply: bool = False) -> list[tuple[Hop, Event]]:
    """The events of one kind on the request's hops (or the answer's)."""
    return [(h, e) for h in (tr.reply if reply else tr.forward) for e in h.events if e.kind == kind]


def only(tr: Trace, kind: str, *, reply: bool = False) -> tuple[Hop, Event]:
    found = events(tr, kind, reply=reply)
    assert len(found) == 1, f"{kind}: {found}"
    return found[0]


def reversed_places(forward: list[Place]) -> list[Place]:
    """The same wires walked back: every out becomes an in and the order turns round."""
    flip = {"in": "out", "out": "in"}
    return [(ns, dev, flip[d]) for ns, dev, d in reversed(forward)]


UNDERLAY_1_TO_2 = [("underlay", "node1", "in"), ("underlay", "node2", "out")]
INTERNET_TO_NODE1 = [("internet", "br0", "in"), ("internet", "eth0", "out"), ("underlay", "internet", "in"),
                     ("underlay", "node1", "out"), ("node1", "eth0", "in")]


# -- docker-bridge ------------------------------------------------------------------------------------------

def test_docker_container_to_container_is_switched_by_docker0() -> None:
    tr = trace("docker-bridge", "app2", "app1", 80, "http")
    forward = [("app2", "eth0", "out"), ("node1", veth("docker-bridge", "app2"), "in"),
               ("node1", veth("docker-bridge", "app1"), "out"), ("app1", "eth0", "in")]
    assert places(tr.forward) == forward
    assert places(tr.reply) == reversed_places(forward)
    assert tr.kind == "predicted" and tr.verdict.status == "delivered" and tr.verdict.where == "app1"
    assert tr.verdict.reason is None
    assert not events(tr, "dnat") and not events(tr, "masquerade")
    hop, bridge = events(tr, "bridge")[0]
    assert bridge.text == f"docker0 forwards to {veth('docker-bridge', 'app1')}" and hop.direction == "out"
    assert all(h.packet.sport is None for h in tr.forward)  # the kernel picks the source port


def test_docker_container_to_internet_is_masqueraded_by_dockers_rule() -> None:
    tr = trace("docker-bridge", "app2", "web", 80, "http")
    assert places(tr.forward) == [
        ("app2", "eth0", "out"), ("node1", veth("docker-bridge", "app2"), "in"), ("node1", "docker0", "in"),
        ("node1", "eth0", "out"), ("underlay", "node1", "in"), ("underlay", "internet", "out"),
        ("internet", "eth0", "in"), ("internet", "br0", "out"), ("internet", "web", "out"), ("web", "eth0", "in")]
    hop, masq = only(tr, "masquerade")
    assert (hop.netns, hop.interface) == ("node1", "eth0") and hop.packet.src == "192.168.56.11"
    assert masq.rule is not None and masq.rule.table == "nat" and masq.rule.chain == "POSTROUTING"
    assert masq.rule.text == "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE"
    route = next(e for e in hop.events if e.kind == "route")
    assert route.text == "default via 192.168.56.1 dev eth0"
    # The answer comes back to the node's address; conntrack gives it back to the container.
    back, unnat = only(tr, "unnat", reply=True)
    assert (back.netns, back.interface, back.reply) == ("node1", "docker0", True)
    assert back.packet.dst == "172.17.0.3"
    assert tr.reply[-1].netns == "app2" and tr.verdict.status == "delivered"
    node1 = next(c for c in tr.conntrack if c.netns == "node1")
    assert "SRC_NAT" in node1.status and node1.reply.endswith("192.168.56.11:*")


def test_docker_published_port_is_dnated_by_the_docker_chain() -> None:
    tr = trace("docker-bridge", "web", "node1", 8080, "http")
    assert places(tr.forward) == [("web", "eth0", "out"), ("internet", "web", "in"), *INTERNET_TO_NODE1,
                                  ("node1", "docker0", "out"), ("node1", veth("docker-bridge", "app1"), "out"),
                                  ("app1", "eth0", "in")]
    hop, dnat = only(tr, "dnat")
    assert (hop.netns, hop.interface, hop.packet.dst, hop.packet.dport) == ("node1", "docker0", "172.17.0.2", 80)
    assert dnat.rule is not None and dnat.rule.chain == "DOCKER"
    assert dnat.rule.text.endswith("-j DNAT --to-destination 172.17.0.2:80")
    assert dnat.data["choices"] == ["172.17.0.2:80"]
    assert tr.verdict.where == "app1" and tr.verdict.status == "delivered"
    assert tr.reply[-1].packet.src == "192.168.56.11" and tr.reply[-1].packet.sport == 8080


# -- flannel-vxlan and host-gw --------------------------------------------------------------------------------

def test_flannel_pods_on_one_node_are_switched_by_cni0() -> None:
    tr = trace("flannel-vxlan", "client1", "web1", 80, "http")
    assert places(tr.forward) == [("client1", "eth0", "out"), ("node1", veth("flannel-vxlan", "client1"), "in"),
                                  ("node1", veth("flannel-vxlan", "web1"), "out"), ("web1", "eth0", "in")]
    assert not events(tr, "encap") and not events(tr, "masquerade")


def test_flannel_across_the_overlay_is_encapsulated_between_the_node_ips() -> None:
    tr = trace("flannel-vxlan", "client1", "web2", 80, "http")
    forward = [("client1", "eth0", "out"), ("node1", veth("flannel-vxlan", "client1"), "in"), ("node1", "cni0", "in"),
               ("node1", "flannel.1", "out"), ("node1", "eth0", "out"), *UNDERLAY_1_TO_2,
               ("node2", "eth0", "in"), ("node2", "flannel.1", "in"), ("node2", "cni0", "out"),
               ("node2", veth("flannel-vxlan", "web2"), "out"), ("web2", "eth0", "in")]
    assert places(tr.forward) == forward
    assert places(tr.reply) == reversed_places(forward)
    vtep, encap = only(tr, "encap")
    assert (vtep.netns, vtep.interface, vtep.packet.outer) == ("node1", "flannel.1", None)
    assert encap.data["src"] == "192.168.56.11" and encap.data["dst"] == "192.168.56.12"
    assert encap.data["dport"] == 8472 and encap.data["vni"] == 1
    route = next(e for e in vtep.events if e.kind == "route")
    assert route.text == "10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink"
    wire = [h for h in tr.forward if h.packet.outer is not None]
    assert places(tuple(wire)) == [("node1", "eth0", "out"), *UNDERLAY_1_TO_2, ("node2", "eth0", "in")]
    for h in wire:  # the inner addresses stay; the envelope is node to node
        assert (h.packet.src, h.packet.dst) == ("10.244.0.4", "10.244.1.2")
        assert h.packet.outer is not None and (h.packet.outer.src, h.packet.outer.dst) == ("192.168.56.11",
                                                                                             "192.168.56.12")
    decap_hop, _ = only(tr, "decap")
    assert (decap_hop.netns, decap_hop.interface) == ("node2", "flannel.1")
    assert not events(tr, "masquerade") and not events(tr, "dnat")


def test_flannel_pod_to_internet_is_masqueraded_by_flanneld() -> None:
    tr = trace("flannel-vxlan", "client2", "web", 80, "http")
    hop, masq = only(tr, "masquerade")
    assert (hop.netns, hop.interface, hop.packet.src) == ("node2", "eth0", "192.168.56.12")
    assert masq.rule is not None and masq.rule.chain == "FLANNEL-POSTRTG" and "flanneld masq" in masq.rule.text
    assert tr.verdict.status == "delivered" and tr.verdict.where == "web"
    assert tr.reply[-1] == Hop("client2", "eth0", "in", tr.reply[-1].packet, True, events=tr.reply[-1].events)
    assert tr.reply[-1].packet.dst == "10.244.1.4"


def test_host_gw_routes_via_the_other_nodes_address_without_a_tunnel() -> None:
    tr = trace("host-gw", "client1", "web2", 80, "http")
    assert places(tr.forward) == [
        ("client1", "eth0", "out"), ("node1", veth("host-gw", "client1"), "in"), ("node1", "cni0", "in"),
        ("node1", "eth0", "out"), *UNDERLAY_1_TO_2, ("node2", "eth0", "in"), ("node2", "cni0", "out"),
        ("node2", veth("host-gw", "web2"), "out"), ("web2", "eth0", "in")]
    out = tr.forward[3]
    assert [e.text for e in out.events if e.kind == "route"] == ["10.244.1.0/24 via 192.168.56.12 dev eth0"]
    assert all(h.packet.outer is None for h in tr.hops) and not events(tr, "encap")
    assert {h.packet.src for h in tr.forward} == {"10.244.0.4"}  # pod addresses on the wire


# -- Services ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("endpoint", ["10.244.0.2:80", "10.244.1.2"])
def test_iptables_cluster_ip_is_dnated_by_a_kube_sep_chain(endpoint: str) -> None:
    tr = trace("services-iptables", "client1", "web", 80, "http", endpoint=endpoint)
    hop, dnat = only(tr, "dnat")
    assert dnat.rule is not None and dnat.rule.chain.startswith("KUBE-SEP-") and dnat.rule.table == "nat"
    assert dnat.data["choices"] == ["10.244.0.2:80", "10.244.1.2:80"]
    assert dnat.data["to"].startswith(endpoint) and hop.packet.dst == endpoint.partition(":")[0]
    assert dnat.rule.text.endswith(f"-j DNAT --to-destination {dnat.data['to']}")
    head = [("client1", "eth0", "out"), ("node1", veth("services-iptables", "client1"), "in")]
    if endpoint.startswith("10.244.0."):  # web1, on the same cni0: br_netfilter DNATs, the bridge switches it
        assert places(tr.forward) == head + [("node1", "cni0", "out"), ("node1", veth("services-iptables", "web1"),
                                                                          "out"), ("web1", "eth0", "in")]
    else:  # web2: DNATed in the bridge's PREROUTING, then routed into the overlay
        assert places(tr.forward)[:5] == head + [("node1", "cni0", "in"), ("node1", "flannel.1", "out"),
                                                 ("node1", "eth0", "out")]
        assert tr.verdict.where == "web2"
    assert (hop.netns, hop.interface) == places(tr.forward)[2][:2]
    # The answer leaves conntrack with the ClusterIP as its source again.
    assert tr.reply[-1].packet.src == "10.96.0.11" and tr.reply[-1].packet.sport == 80
    assert only(tr, "unnat", reply=True)[0].netns == "node1"


def test_iptables_cluster_ip_follows_the_first_endpoint_unless_told() -> None:
    tr = trace("services-iptables", "client2", "web", 53, "udp")
    _, dnat = only(tr, "dnat")
    assert dnat.data["to"] == "10.244.0.2:53" and tr.verdict.where == "web1"
    assert any("at random" in n for n in tr.notes)


def test_iptables_nodeport_from_the_internet_is_dnated_and_masqueraded() -> None:
    tr = trace("services-iptables", "outside", "node2", 30080, "http")
    dnat_hop, dnat = only(tr, "dnat")
    assert (dnat_hop.netns, dnat_hop.interface) == ("node2", "flannel.1")  # to web1, across the overlay
    assert dnat.rule is not None and dnat.rule.chain.startswith("KUBE-SEP-")
    _, masq = only(tr, "masquerade")
    assert masq.rule is not None and masq.rule.chain == "KUBE-POSTROUTING"
    assert dnat_hop.packet.src == "10.244.1.0"  # MASQUERADE takes flannel.1's address
    assert tr.verdict.status == "delivered" and tr.verdict.where == "web1"
    last = tr.reply[-1]
    assert (last.netns, last.packet.src, last.packet.sport, last.packet.dst) == ("outside", "192.168.56.12", 30080,
                                                                                  "203.0.113.10")


def test_iptables_local_traffic_policy_keeps_the_callers_address() -> None:
    tr = trace("services-iptables", "outside", "node1", 30081, "http")
    assert not events(tr, "masquerade")
    assert tr.verdict.where == "web1" and tr.forward[-1].packet.src == "203.0.113.10"


def test_iptables_service_without_endpoints_is_rejected() -> None:
    tr = trace("services-iptables", "client1", "nothing", 80)
    assert tr.verdict.status == "rejected" and tr.verdict.where == "node1"
    assert tr.verdict.rule is not None and tr.verdict.rule.table == "filter"
    assert tr.verdict.rule.chain == "KUBE-SERVICES" and "has no endpoints" in tr.verdict.rule.text
    assert places(tr.hops)[-1] == ("node1", "cni0", "in") and not tr.reply
    assert only(tr, "reject")[0].interface == "cni0"


def test_node_to_cluster_ip_is_marked_and_masqueraded() -> None:
    tr = trace("services-iptables", "node1", "web", 80, "http")
    assert places(tr.forward)[:2] == [("node1", "cni0", "out"), ("node1", veth("services-iptables", "web1"), "out")]
    _, masq = only(tr, "masquerade")  # KUBE-MARK-MASQ: the node is not in the pod network
    assert masq.rule is not None and masq.rule.chain == "KUBE-POSTROUTING"
    assert tr.forward[-1].packet.src == "10.244.0.1"


def test_nftables_cluster_ip_is_dnated_by_an_endpoint_chain() -> None:
    tr = trace("services-nftables", "client1", "web", 80, "http", endpoint="10.244.1.2:80")
    hop, dnat = only(tr, "dnat")
    assert dnat.rule is not None and (dnat.rule.family, dnat.rule.table) == ("ip", "kube-proxy")
    assert dnat.rule.chain.startswith("endpoint-") and dnat.rule.chain.endswith("__10.244.1.2/80")
    assert dnat.rule.text == "meta l4proto tcp dnat to 10.244.1.2:80"
    assert dnat.data["choices"] == ["10.244.0.2:80", "10.244.1.2:80"]
    assert (hop.interface, hop.packet.dst) == ("cni0", "10.244.1.2") and tr.verdict.where == "web2"
    rejected = trace("services-nftables", "client1", "nothing", 80)
    assert rejected.verdict.status == "rejected" and rejected.verdict.rule is not None
    # As the kernel's trace shows it: the reject in kube-proxy's reject-chain, reached from @no-endpoint-services.
    assert rejected.verdict.rule.chain == "reject-chain" and "@no-endpoint-services" in rejected.verdict.rule.text


def test_nftables_nodeport_masquerades_in_the_masquerading_chain() -> None:
    tr = trace("services-nftables", "outside", "node2", 30080, "http", endpoint="10.244.1.2")
    _, masq = only(tr, "masquerade")
    assert masq.rule is not None and masq.rule.chain == "masquerading" and tr.forward[-1].packet.src == "10.244.1.1"


def test_ipvs_cluster_ip_is_translated_by_a_virtual_server() -> None:
    tr = trace("services-ipvs", "client1", "web", 80, "http")
    hop, dnat = only(tr, "dnat")
    assert dnat.text.endswith("IPVS virtual server 10.96.0.11:80 → 10.244.0.2:80")
    assert dnat.rule is not None and dnat.rule.family == "ipvs" and dnat.data["choices"] == ["10.244.0.2:80",
                                                                                           "10.244.1.2:80"]
    # The ClusterIP is the node's own (kube-ipvs0): up to the node, then IPVS sends it back out of cni0.
    assert places(tr.forward) == [("client1", "eth0", "out"), ("node1", veth("services-ipvs", "client1"), "in"),
                                  ("node1", "cni0", "in"), ("node1", "cni0", "out"),
                                  ("node1", veth("services-ipvs", "web1"), "out"), ("web1", "eth0", "in")]
    assert (hop.netns, hop.interface, hop.direction) == ("node1", "cni0", "out")
    _, unnat = only(tr, "unnat", reply=True)
    assert unnat.data["by"] == "IPVS" and tr.reply[-1].packet.src == "10.96.0.11"
    rejected = trace("services-ipvs", "client1", "nothing", 80)
    assert (rejected.verdict.status, rejected.verdict.reason) == ("rejected", "PORT_UNREACHABLE")


def test_ipvs_nodeport_is_marked_by_ipset_and_masqueraded() -> None:
    tr = trace("services-ipvs", "outside", "node2", 30080, "http", endpoint="10.244.1.2:80")
    _, masq = only(tr, "masquerade")
    assert masq.rule is not None and masq.rule.chain == "KUBE-POSTROUTING" and tr.verdict.where == "web2"


# -- raw NAT, failures ----------------------------------------------------------------------------------------

def test_home_router_port_forward_and_snat() -> None:
    tr = trace("home-router", "web", "router", 8080, "http")
    hop, dnat = only(tr, "dnat")
    assert dnat.rule is not None and dnat.rule.chain == "PREROUTING"
    assert dnat.rule.text == "-A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 192.168.1.3:80"
    assert (hop.netns, hop.interface) == ("router", "br-lan")
    assert tr.verdict.where == "nas" and tr.forward[-1].packet.src == "203.0.113.10"  # only the destination moved
    out = trace("home-router", "laptop", "web", 80, "http")
    _, snat = only(out, "snat")
    assert snat.rule is not None and snat.rule.text.endswith("-j SNAT --to-source 192.168.56.11")
    assert out.verdict.status == "delivered"


def test_a_target_with_no_route_is_dropped_where_the_route_is_missing() -> None:
    tr = trace("flannel-vxlan", "web", "web2", None, "icmp")  # the internet router knows no pod network
    assert tr.verdict.status == "dropped" and tr.verdict.reason == "NO_ROUTE" and tr.verdict.where == "internet"
    assert places(tr.hops) == [("web", "eth0", "out"), ("internet", "web", "in"), ("internet", "br0", "in")]
    assert only(tr, "drop")[0] == tr.hops[-1]


def test_home_router_without_snat_is_unanswered() -> None:
    text = (ROOT / "topologies" / "home-router.yaml").read_text()
    t = load_topology_text(text.replace("        -A POSTROUTING -s 192.168.1.0/24 -o eth0 -j SNAT --to-source "
                                        "192.168.56.11\n", ""))
    tr = predict(compile_plan(t), t, "laptop", "web", 80, "http")
    assert tr.verdict.status == "unanswered" and tr.verdict.where == "internet" and tr.verdict.reason == "NO_ROUTE"
    assert tr.forward[-1].netns == "web"  # the request arrived; only its answer has no way back


@pytest.mark.parametrize(("proto", "reason"), [("tcp", "NO_LISTENER"), ("udp", "PORT_UNREACHABLE")])
def test_a_port_nobody_serves_is_rejected(proto: str, reason: str) -> None:
    tr = trace("flannel-vxlan", "client1", "web2", 81, proto)
    assert (tr.verdict.status, tr.verdict.reason, tr.verdict.where) == ("rejected", reason, "web2")
    assert not tr.reply


def test_icmp_is_answered_by_any_namespace() -> None:
    tr = trace("host-gw", "client2", "node1", None, "icmp")
    assert tr.verdict.status == "delivered" and tr.verdict.where == "node1"
    assert tr.forward[0].packet.flags == "echo-request" and tr.reply[0].packet.flags == "echo-reply"
    assert tr.reply[-1].netns == "client2" and tr.target == "node1"


def test_hairpin_to_its_own_service_is_masqueraded_to_the_bridge() -> None:
    tr = trace("services-iptables", "web1", "web", 80, "http", endpoint="10.244.0.2")
    port = veth("services-iptables", "web1")
    assert places(tr.forward) == [("web1", "eth0", "out"), ("node1", port, "in"), ("node1", "cni0", "out"),
                                  ("node1", port, "out"), ("web1", "eth0", "in")]
    assert tr.forward[-1].packet.src == "10.244.0.1"  # KUBE-SEP's -s <itself> -j KUBE-MARK-MASQ
    assert "hairpin" in only(tr, "bridge")[1].text


def test_unknown_names_are_usage_errors() -> None:
    with pytest.raises(UsageError):
        trace("flannel-vxlan", "nobody", "web1", 80)
    with pytest.raises(UsageError):
        trace("flannel-vxlan", "client1", "nowhere", 80)


# -- the interpreter, and the promise of no root ---------------------------------------------------------------

def view(**kw: object) -> View:
    base: dict[str, object] = dict(proto="tcp", src="10.0.0.1", dst="10.0.0.2", sport=None, dport=80, in_dev="eth0",
                                   out_dev=None, mark=0, ctstate=frozenset({"NEW"}), local=frozenset({"10.0.0.2"}))
    base.update(kw)
    return View(**base)  # type: ignore[arg-type]


def test_rules_insert_flush_negate_goto_and_mark() -> None:
    tables = Tables()
    tables.restore("*nat\n:A - [0:0]\n-A A -j DNAT --to-destination 1.1.1.1\nCOMMIT\n")
    tables.restore("*nat\n:A - [0:0]\n:B - [0:0]\n-A PREROUTING -j B\n-I PREROUTING 1 ! -s 10.0.0.0/8 -j A\n"
                   "-A B -j MARK --set-xmark 0x4000/0x4000\n-A B -m mark --mark 0x4000/0x4000 -g A\n"
                   "-A A -p tcp -m tcp --dport 80 -m addrtype --dst-type LOCAL -j DNAT --to-destination 2.2.2.2:8080\n"
                   "COMMIT\n")
    assert [r.text for r in tables.chains[("nat", "PREROUTING")]][0] == "-A PREROUTING ! -s 10.0.0.0/8 -j A"
    v = view()
    outcome = tables.run("nat", "PREROUTING", v, None)
    assert (outcome.nat, outcome.to) == ("DNAT", "2.2.2.2:8080")  # A was flushed by its redeclaration
    assert outcome.rule is not None and outcome.rule.chain == "A" and v.mark == 0x4000
    assert tables.run("nat", "PREROUTING", view(dport=81), None).nat is None


def test_statistic_cascade_follows_the_endpoint_asked_for() -> None:
    tables = Tables()
    tables.restore("*nat\n:S - [0:0]\n:E1 - [0:0]\n:E2 - [0:0]\n-A PREROUTING -j S\n"
                   "-A S -m statistic --mode random --probability 0.5 -j E1\n-A S -j E2\n"
                   "-A E1 -p tcp -j DNAT --to-destination 10.1.0.1:80\n"
                   "-A E2 -p tcp -j DNAT --to-destination 10.1.0.2:80\nCOMMIT\n")
    assert tables.run("nat", "PREROUTING", view(), None).to == "10.1.0.1:80"
    chosen = tables.run("nat", "PREROUTING", view(), "10.1.0.2")
    assert chosen.to == "10.1.0.2:80" and chosen.choices == ("10.1.0.1:80", "10.1.0.2:80")


def test_prediction_needs_no_root_no_pyroute2_and_no_subprocess() -> None:
    code = f"""
import subprocess, sys
def refuse(*a, **k): raise AssertionError("the predictor ran a subprocess")
subprocess.Popen = refuse
from netlab.compile import compile_plan
from netlab.topology import load_topology
from netlab.probe import address_of
from netlab.features.dns import lookup
from netlab.trace import session
from netlab.trace.predict import predict
t = load_topology({str(ROOT / 'topologies' / 'services-iptables.yaml')!r})
assert predict(compile_plan(t), t, "outside", "node2", 30080, "http").verdict.status == "delivered"
assert "pyroute2" not in sys.modules, "the predictor imported pyroute2"
"""
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_predictions_are_fast() -> None:
    cases = [("services-iptables", "outside", "node2", 30080), ("services-nftables", "client1", "web", 80),
             ("services-ipvs", "client1", "web", 80), ("flannel-vxlan", "client1", "web2", 80),
             ("docker-bridge", "web", "node1", 8080)]
    for name, source, target, port in cases:
        lab(name)
        best = min(_timed(name, source, target, port) for _ in range(3))
        assert best < 0.05, f"{name}: {best * 1000:.1f} ms"


def _timed(name: str, source: str, target: str, port: int) -> float:
    start = time.perf_counter()
    trace(name, source, target, port, "http")
    return time.perf_counter() - start


SHIPPED_PROBES = [(path.stem, probe) for path in sorted((ROOT / "topologies").glob("*.yaml"))
                  for probe in load_topology(path).probes]


@pytest.mark.parametrize(("name", "probe"), SHIPPED_PROBES, ids=[f"{n}: {p.name}" for n, p in SHIPPED_PROBES])
def test_every_shipped_probe_is_predicted_as_its_topology_expects(name: str, probe: Probe) -> None:
    """What `netlab probe` checks against the kernel, the model trace must expect from the plan alone (and a dns
    probe's answer, the lab's records)."""
    plan, t = lab(name)
    if probe.protocol == "dns":
        steps, _ = lookup.in_model(t, probe.source, probe.target, probe.query or "A")
        final = steps[-1]
        assert final.rcode == (probe.expect.rcode or "NOERROR")
        if probe.expect.answer is not None:
            # an A answer after a CNAME lists the CNAME's target too; the probe compares the addresses
            data = [a for a in final.answers if probe.query != "A" or not a.endswith(".")]
            assert sorted(data) == sorted(probe.expect.answer)
        return
    target = f"{probe.target}:{probe.port}" if probe.port else probe.target
    tr = session._predict(plan, t, probe.source, target, probe.protocol, endpoint=None)
    assert (tr.verdict.status == "delivered") == probe.expect.reachable, tr.verdict.text
    # through a proxy (an ingress controller, kube-proxy in userspace mode) the far end is the one the proxy's
    # own connection reaches
    leg = session.behind(str(ROOT / "topologies" / f"{name}.yaml"), session.Result(tr, {}, t), probe.host,
                         probe.path, predict=True, timeout=1)
    if leg is not None and leg.second is not None:
        tr = leg.second.trace
        assert tr.verdict.status == "delivered", tr.verdict.text
    seen = probe.expect.source_seen
    if seen is None or not probe.expect.reachable:
        return
    if seen == "node":  # the node that masqueraded: the source pod's, or the one the probe was sent to
        pod = next((p for p in t.pods if p.name == probe.source), None)
        accepted = {str(a) for a in t.node(pod.node if pod else probe.target).addresses}
    else:
        accepted = {address_of(t, probe.source if seen == "self" else seen)}
    assert tr.forward[-1].packet.src in accepted
