"""netlab trace on a real kernel: every kind of path issue 5 names, asserted on hops, NAT events and verdicts.

The services labs (flannel-vxlan, two nodes, kube-proxy in iptables or nftables mode) carry most paths;
host-gw has its own lab. Each trace is one real probe, captured in every namespace.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from netlab.topology import Topology
from netlab.trace import nftrace
from netlab.trace.engine import Tracer
from netlab.trace.model import Hop, Trace
from netlab.trace.session import trace_once

from .conftest import built, renamed
from .netutil import run_in

NODE1, NODE2 = "192.168.56.11", "192.168.56.12"


@pytest.fixture(scope="module", params=("iptables", "nftables"))
def svc(request: pytest.FixtureRequest) -> Iterator[Topology]:
    yield from built(renamed(f"services-{request.param}", f"test-trace-{request.param[:3]}"))


@pytest.fixture(scope="module")
def hostgw() -> Iterator[Topology]:
    yield from built(renamed("host-gw", "test-trace-hgw"))


def places(hops: tuple[Hop, ...]) -> list[tuple[str, str, str]]:
    return [(h.netns, h.interface, h.direction) for h in hops]


def events(trace: Trace, kind: str) -> list[tuple[Hop, object]]:
    return [(h, e) for h in trace.hops for e in h.events if e.kind == kind]


def trace(lab: str, source: str, target: str, proto: str) -> Trace:
    with Tracer(lab) as tracer:
        return tracer.trace(source, target, proto)


def test_pod_to_pod_on_one_node_is_switched_by_cni0(svc: Topology) -> None:
    t = trace(svc.name, "client1", "web1:80", "tcp")
    assert t.verdict.status == "delivered" and t.verdict.where == "web1"
    assert places(t.forward)[0] == ("client1", "eth0", "out") and places(t.forward)[-1] == ("web1", "eth0", "in")
    assert [h.netns for h in t.forward] == ["client1", "node1", "node1", "web1"]
    bridge = events(t, "bridge")
    assert bridge and "cni0" in bridge[0][1].text  # type: ignore[attr-defined]
    assert not events(t, "dnat") and not events(t, "encap")
    assert [h.netns for h in t.reply] == ["web1", "node1", "node1", "client1"]


def test_pod_to_pod_across_the_vxlan_overlay(svc: Topology) -> None:
    t = trace(svc.name, "client1", "web2:80", "tcp")
    assert t.verdict.status == "delivered" and t.verdict.where == "web2"
    path = places(t.forward)
    assert ("node1", "flannel.1", "out") in path and ("node2", "flannel.1", "in") in path
    assert path.index(("node1", "flannel.1", "out")) < path.index(("node1", "eth0", "out")) < \
        path.index(("underlay", "node2", "out")) < path.index(("node2", "flannel.1", "in"))
    (hop, encap), = [(h, e) for h, e in events(t, "encap") if not h.reply]
    assert (hop.netns, hop.interface) == ("node1", "eth0")
    assert encap.data["outer_dport"] == 8472 and encap.data["vni"] == 1  # type: ignore[attr-defined]
    assert (encap.data["outer_src"], encap.data["outer_dst"]) == (NODE1, NODE2)  # type: ignore[attr-defined]
    assert hop.packet.outer is not None and hop.packet.dst == "10.244.1.2"  # the inner packet is still there
    assert [h.netns for h, _ in events(t, "decap") if not h.reply] == ["node2"]
    route = [e.text for h in t.forward if h.netns == "node1" for e in h.events if e.kind == "route"]
    assert route == ["10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink"]
    assert {e.netns for e in t.conntrack} == {"node1", "node2"}


def test_pod_to_cluster_ip_is_dnat_by_the_endpoint_chain(svc: Topology) -> None:
    t = trace(svc.name, "client1", "web:80", "tcp")
    assert t.verdict.status == "delivered" and t.verdict.where in ("web1", "web2")
    (hop, dnat), = events(t, "dnat")
    assert hop.netns == "node1"
    rule = dnat.rule  # type: ignore[attr-defined]
    endpoint = "10.244.0.2:80" if t.verdict.where == "web1" else "10.244.1.2:80"
    assert dnat.data == {"from": "10.96.0.11:80", "to": endpoint}  # type: ignore[attr-defined]
    if svc.cluster.proxy == "iptables":
        assert rule.table == "nat" and rule.chain.startswith("KUBE-SEP-")
        assert rule.text.startswith(f"-A {rule.chain} ") and f"--to-destination {endpoint}" in rule.text
    else:
        assert rule.table == "kube-proxy" and rule.chain.startswith("endpoint-")
        assert rule.chain.endswith(endpoint.replace(":", "/"))
        assert f"dnat to {endpoint}" in rule.text
    unnat = [e for h, e in events(t, "unnat") if h.netns == "node1"]
    assert unnat and unnat[0].data["to"] == "10.96.0.11:80"  # type: ignore[attr-defined]
    assert t.reply[-1].packet.src == "10.96.0.11"  # the client hears from the ClusterIP, never the pod
    (entry,) = [e for e in t.conntrack if e.netns == "node1"]
    assert entry.original.endswith("10.96.0.11:80") and entry.reply.startswith(endpoint) and "DST_NAT" in entry.status
    # The kernel agrees: node1's conntrack table holds this very connection, DNATed to that endpoint.
    sport = t.forward[0].packet.sport
    listing = run_in(svc.name, "node1", "conntrack", "-L", "-p", "tcp", "--orig-port-src", str(sport)).stdout
    assert "dst=10.96.0.11" in listing and f"src={endpoint.split(':')[0]} dst=10.244.0.3" in listing


def test_pod_to_internet_is_masqueraded_to_the_node(svc: Topology) -> None:
    t = trace(svc.name, "client1", "outside", "icmp")
    assert t.verdict.status == "delivered" and t.verdict.where == "outside"
    (hop, masq), = events(t, "masquerade")
    assert hop.netns == "node1" and hop.packet.src == NODE1
    assert "MASQUERADE" in masq.rule.text or "masquerade" in masq.rule.text  # type: ignore[attr-defined]
    assert t.reply[-1].packet.dst == "10.244.0.3"  # un-masqueraded on the way back


def test_internet_to_nodeport_is_dnat_and_masqueraded(svc: Topology) -> None:
    t = trace(svc.name, "outside", "node2:30080", "tcp")
    assert t.verdict.status == "delivered" and t.verdict.where in ("web1", "web2")
    assert places(t.forward)[:2] == [("outside", "eth0", "out"), ("internet", "outside", "in")]
    (hop, dnat), = events(t, "dnat")
    assert hop.netns == "node2" and dnat.data["from"] == f"{NODE2}:30080"  # type: ignore[attr-defined]
    (hop, _), = events(t, "masquerade")
    assert hop.netns == "node2" and hop.packet.src != "203.0.113.10"
    assert t.reply[-1].packet.src == NODE2 and t.reply[-1].packet.sport == 30080


def test_a_service_without_endpoints_is_rejected_by_kube_proxy(svc: Topology) -> None:
    t = trace(svc.name, "client1", "nothing:80", "tcp")
    assert (t.verdict.status, t.verdict.reason, t.verdict.where) == ("rejected", "FW_RULE", "node1")
    assert t.verdict.rule is not None
    if svc.cluster.proxy == "iptables":  # the rule's comment names the service
        assert t.verdict.rule.chain == "KUBE-SERVICES" and "default/nothing has no endpoints" in t.verdict.rule.text
    else:  # the no-endpoint-services verdict map sent it to kube-proxy's reject-chain
        assert t.verdict.rule.chain == "reject-chain" and "@no-endpoint-services" in t.verdict.text
    assert t.reply and t.reply[-1].packet.flags == "port-unreachable"


def test_udp_to_a_closed_port_is_refused_by_the_pod(svc: Topology) -> None:
    t = trace(svc.name, "client1", "web2:54", "udp")
    assert (t.verdict.status, t.verdict.reason, t.verdict.where) == ("rejected", "PORT_UNREACHABLE", "web2")
    assert t.reply[0].netns == "web2" and t.reply[0].packet.flags == "port-unreachable"


def test_no_route_is_reported_where_the_packet_stopped(svc: Topology) -> None:
    t = trace(svc.name, "client1", "198.51.100.7", "icmp")
    assert (t.verdict.status, t.verdict.reason, t.verdict.where) == ("dropped", "NO_ROUTE", "internet")
    assert places(t.forward)[-1] == ("internet", "eth0", "in")
    assert "198.51.100.7" in t.verdict.text


def test_a_node_without_a_route_drops_it_and_says_so(svc: Topology) -> None:
    run_in(svc.name, "node1", "ip", "route", "del", "default")
    try:
        t = trace(svc.name, "client1", "outside", "icmp")
    finally:
        run_in(svc.name, "node1", "ip", "route", "add", "default", "via", "192.168.56.1", "dev", "eth0")
    assert (t.verdict.status, t.verdict.reason, t.verdict.where) == ("dropped", "NO_ROUTE", "node1")


def test_a_custom_drop_rule_is_named_and_departs_from_the_plan(svc: Topology) -> None:
    rule = ["FORWARD", "-d", "10.244.1.2/32", "-p", "tcp", "--dport", "80", "-m", "comment", "--comment",
            "lesson: block web2", "-j", "DROP"]
    assert run_in(svc.name, "node1", "iptables", "-I", *rule).returncode == 0
    try:
        result, departures = trace_once(svc.name, "client1", "web2:80", "tcp", timeout=0.5)
        # The kernel agrees: the rule the trace names counted the probe's packets.
        counters = run_in(svc.name, "node1", "iptables", "-L", "FORWARD", "-v", "-n", "-x").stdout
        (line,) = [x for x in counters.splitlines() if "lesson: block web2" in x]
        assert int(line.split()[0]) >= 1
    finally:
        run_in(svc.name, "node1", "iptables", "-D", *rule)
    t = result.trace
    assert (t.verdict.status, t.verdict.reason, t.verdict.where) == ("dropped", "FW_RULE", "node1")
    assert t.verdict.rule is not None and t.verdict.rule.chain == "FORWARD"
    assert t.verdict.rule.text.startswith("-A FORWARD") and "lesson: block web2" in t.verdict.rule.text
    assert not [h for h in t.forward if h.netns == "web2"] and not t.reply
    drops = events(t, "drop")
    assert drops and drops[0][0].netns == "node1"
    # The plan has no such rule: the trace must say that reality departed from it.
    assert departures is not None and any("verdict" in d or "last seen" in d for d in departures)


@pytest.mark.parametrize(("source", "target", "proto"), [
    ("client1", "web1:80", "tcp"), ("client1", "web2:80", "tcp"), ("client1", "web:80", "tcp"),
    ("client2", "web-sticky:8080", "tcp"), ("client1", "web:53", "udp"), ("client1", "outside", "icmp"),
    ("outside", "node1:30080", "tcp"), ("outside", "node1:30081", "tcp"), ("client1", "nothing:80", "tcp"),
    ("client1", "web2:54", "udp"), ("client1", "198.51.100.7", "icmp")])
def test_the_plans_prediction_matches_what_the_kernel_did(svc: Topology, source: str, target: str, proto: str) -> None:
    result, departures = trace_once(svc.name, source, target, proto, timeout=1.0)
    assert departures == [], f"{result.trace.verdict.text}: {departures}"


def test_host_gw_routes_via_the_other_node_without_encapsulation(hostgw: Topology) -> None:
    web2 = next(p for p in hostgw.pods if p.node == "node2" and p.serve)
    client = next(p for p in hostgw.pods if p.node == "node1" and not p.serve)
    port = web2.serve[0].port
    t = trace(hostgw.name, client.name, f"{web2.name}:{port}", "tcp")
    assert t.verdict.status == "delivered" and t.verdict.where == web2.name
    assert not events(t, "encap") and all(h.packet.outer is None for h in t.hops)
    route = [e.text for h in t.forward if h.netns == "node1" for e in h.events if e.kind == "route"]
    assert route and f"via {NODE2} dev eth0" in route[0]
    assert ("underlay", "node2", "out") in places(t.forward)


def test_tracing_leaves_no_trace_even_when_interrupted(svc: Topology, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("netlab.trace.engine.send_probe", interrupted)
    with pytest.raises(KeyboardInterrupt), Tracer(svc.name) as tracer:
        table = nftrace.table_name(min(tracer.keys_all))
        assert table in run_in(svc.name, "node1", "nft", "list", "tables").stdout
        tracer.trace("client1", "web2:80", "tcp")
    for node in ("node1", "node2"):
        assert nftrace.TABLE_PREFIX not in run_in(svc.name, node, "nft", "list", "tables").stdout


def test_a_killed_tracer_leaves_no_trace_table(svc: Topology) -> None:
    """SIGKILL runs no clean-up code; the tables go because their owner (an `nft -i` child) sees its input
    close and exits, and the kernel deletes an owner-flagged table with its socket."""
    script = (f"from netlab.trace.engine import Tracer\nt = Tracer({svc.name!r}).__enter__()\n"
              "print('ready', flush=True)\nimport time\ntime.sleep(60)\n")
    tracer = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert tracer.stdout is not None and tracer.stdout.readline().strip() == "ready"
        for node in ("node1", "node2"):
            assert nftrace.TABLE_PREFIX in run_in(svc.name, node, "nft", "list", "tables").stdout
    finally:
        tracer.kill()
        tracer.wait()
    deadline = time.monotonic() + 5
    for node in ("node1", "node2"):
        while nftrace.TABLE_PREFIX in run_in(svc.name, node, "nft", "list", "tables").stdout:
            assert time.monotonic() < deadline, f"the trace table in {node} outlived a killed tracer"
            time.sleep(0.05)


def test_an_answer_lost_on_its_way_back_is_not_delivered(svc: Topology) -> None:
    # Without node1's MASQUERADE the request leaves with the pod's own address; outside answers it, and the
    # internet router has no route back to 10.244.0.0/16.
    rule = ["POSTROUTING", "-s", "10.244.0.0/16", "-d", "203.0.113.0/24", "-j", "ACCEPT"]
    assert run_in(svc.name, "node1", "iptables", "-t", "nat", "-I", *rule).returncode == 0
    try:
        t = trace(svc.name, "client1", "outside", "icmp")
    finally:
        run_in(svc.name, "node1", "iptables", "-t", "nat", "-D", *rule)
    assert (t.verdict.status, t.verdict.reason, t.verdict.where) == ("unanswered", "NO_ROUTE", "internet")
    assert "answered, but the answer never reached client1" in t.verdict.text
    assert "internet has no route to 10.244.0." in t.verdict.text  # from the router's ICMP net-unreachable
    assert [h.netns for h in t.forward][-1] == "outside" and [h.netns for h in t.reply][:2] == ["outside", "internet"]
    assert [h.netns for h, _ in events(t, "drop")] == ["internet"]
