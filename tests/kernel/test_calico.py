"""Calico on real kernels: each fact of kubernetes-dataplane-2.md §3 read back from the kernel and from the real
BIRD, and traffic that must flow — across BGP-learnt routes, through vxlan.calico, through a route reflector."""

from __future__ import annotations

import contextlib
import hashlib
import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from netlab import naming, state
from netlab.features import frr
from netlab.features.calico import bird
from netlab.lifecycle import apply as apply_mod
from netlab.lifecycle import faults
from netlab.lifecycle.status import lab_status
from netlab.probe import run_probes
from netlab.topology import Topology
from netlab.trace.session import trace_once

from .conftest import built, skip_without_ipip
from .netutil import http_get, run_in

LAB = """
name: {name}
cluster: {{cni: calico, dns: none, calico: {calico}}}
nodes: [{{name: node1}}, {{name: node2}}, {{name: node3}}]
pods:
  - {{name: a1, node: node1, serve: ["http:80"]}}
  - {{name: a2, node: node1, serve: ["http:80"]}}
  - {{name: b1, node: node2, serve: ["http:80", "udp:53"]}}
  - {{name: c1, node: node3, serve: ["http:80"]}}
internet:
  hosts: [{{name: web, ip: 203.0.113.10, serve: ["http:80"]}}]
probes:
  - {{from: a1, to: "a2:80", protocol: http, expect: {{sourceSeen: self}}}}
  - {{from: a1, to: "b1:80", protocol: http, expect: {{sourceSeen: self}}}}
  - {{from: c1, to: "b1:53", protocol: udp, expect: {{sourceSeen: self}}}}
  - {{from: node2, to: "c1:80", protocol: http}}
"""


@pytest.fixture(scope="module")
def bgp() -> Iterator[Topology]:
    # the internet router peers with every node (a global BGPPeer): it learns every block from every node
    yield from built(LAB.format(name="cb", calico="{encapsulation: None, "
                                                  "peers: [{peerIP: 192.168.56.1, asNumber: 64500}]}"))


@pytest.fixture(scope="module")
def vxlan() -> Iterator[Topology]:
    yield from built(LAB.format(name="cv", calico="{encapsulation: VXLAN}"))


@pytest.fixture(scope="module")
def reflected() -> Iterator[Topology]:
    # the internet router peers with every node and keeps the next hop: each block's route leads to its node
    peer = "{peerIP: 192.168.56.1, asNumber: 64500, keepOriginalNextHop: true}"
    calico = f"{{encapsulation: None, routeReflectors: [node1], peers: [{peer}]}}"
    yield from built(LAB.format(name="cr", calico=calico))


def pod_ip(t: Topology, name: str) -> str:
    return next(str(p.ip.ip) for p in t.pods if p.name == name)


@pytest.fixture(scope="module")
def ipip() -> Iterator[Topology]:
    skip_without_ipip()
    yield from built(LAB.format(name="ci", calico="{encapsulation: IPIP}"))


def ipj(lab: str, where: str, *args: str) -> Any:
    out = subprocess.run(["ip", "-n", naming.netns(lab, where), "-j", "-d", *args], capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out or "[]")


def birdc(lab: str, node: str, *command: str) -> str:
    done = run_in(lab, node, *bird.control(f"/run/netlab/{lab}/calico/{node}/bird.ctl", *command))
    assert done.returncode == 0, done.stderr
    return done.stdout


def sessions(lab: str, node: str) -> dict[str, str]:
    return {name: state for name, state in bird.protocol_states(birdc(lab, node, "show protocols")).items()
            if name.startswith(("Mesh_", "Node_"))}


# -- the pod side -----------------------------------------------------------------------------------------

def test_a_pod_has_a_slash_32_and_169_254_1_1_as_its_gateway(bgp: Topology) -> None:
    (addr,) = ipj("cb", "a1", "-4", "addr", "show", "eth0")
    assert [(a["local"], a["prefixlen"]) for a in addr["addr_info"]] == [(pod_ip(bgp, "a1"), 32)]
    routes = {(r["dst"], r.get("gateway"), r.get("scope")) for r in ipj("cb", "a1", "route", "show")}
    assert routes == {("default", "169.254.1.1", "global"), ("169.254.1.1", None, "link")}


def test_the_host_end_is_cali_with_ee_mac_proxy_arp_and_a_slash_32_route(bgp: Topology) -> None:
    veth = "cali" + hashlib.sha1(b"default.a1").hexdigest()[:11]
    (link,) = ipj("cb", "node1", "link", "show", veth)
    assert link["address"] == "ee:ee:ee:ee:ee:ee"
    assert run_in("cb", "node1", "sysctl", "-n", f"net.ipv4.conf.{veth}.proxy_arp").stdout.strip() == "1"
    assert run_in("cb", "node1", "sysctl", "-n", f"net.ipv4.neigh.{veth}.proxy_delay").stdout.strip() == "0"
    (route,) = ipj("cb", "node1", "route", "show", "exact", f"{pod_ip(bgp, 'a1')}/32")
    assert (route["dev"], route["scope"], route["metric"]) == (veth, "link", 1024)
    assert not any(link["linkinfo"]["info_kind"] == "bridge" for link in ipj("cb", "node1", "link", "show")
                   if "linkinfo" in link)


def test_the_node_answers_arp_for_169_254_1_1_with_ee_by_proxy(bgp: Topology) -> None:
    assert http_get("cb", "a1", pod_ip(bgp, "b1"))["server"] == "b1"
    (neighbour,) = ipj("cb", "a1", "neigh", "show", "169.254.1.1")
    assert neighbour["lladdr"] == "ee:ee:ee:ee:ee:ee"


# -- BGP with BIRD ------------------------------------------------------------------------------------------

def test_every_node_has_an_established_session_with_every_other(bgp: Topology) -> None:
    assert sessions("cb", "node1") == {"Mesh_192_168_56_12": "Established", "Mesh_192_168_56_13": "Established"}
    assert set(sessions("cb", "node3").values()) == {"Established"}


def test_bird_installs_the_other_blocks_and_a_blackhole_for_its_own(bgp: Topology) -> None:
    routes = {r["dst"]: r for r in ipj("cb", "node1", "route", "show", "proto", "bird")}
    own, b, c = (str(bgp.node(n).pod_subnet) for n in ("node1", "node2", "node3"))
    assert routes[own]["type"] == "blackhole"
    assert (routes[b]["gateway"], routes[b]["dev"], routes[b]["metric"]) == ("192.168.56.12", "eth0", 1024)
    assert routes[c]["gateway"] == "192.168.56.13"
    assert set(routes) == {own, b, c}  # the blocks only: calico_aggr keeps a pod's /32 (metric 1024) at home


def test_the_probes_pass_and_status_matches_the_plan(bgp: Topology) -> None:
    assert all(r.ok for r in run_probes(bgp))
    status = lab_status("cb")
    assert status.drift == [] and status.drift_checked


def test_a_dead_bird_leaves_its_routes_to_graceful_restart_and_clear_brings_it_back(bgp: Topology) -> None:
    """SIGKILL, as when calico-node dies: the peers see the session go, keep node3's block as stale routes for
    graceful restart's time (120 s), and have it Established again once --clear restarts BIRD."""
    c_block = str(bgp.node("node3").pod_subnet)
    faults.inject("cb", "stop-bgp", "node3")
    try:
        deadline = time.monotonic() + 15
        while sessions("cb", "node1")["Mesh_192_168_56_13"] == "Established" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert sessions("cb", "node1")["Mesh_192_168_56_13"] != "Established"
        assert ipj("cb", "node1", "route", "show", "exact", c_block)  # kept: graceful restart
        drift = {d.key: d.problem for d in lab_status("cb").drift}
        assert drift["bgp-sessions bird-node3"] == "bird-node3 does not answer on its control socket"
        assert drift["bgp-sessions bird-node1"].startswith("Mesh_192_168_56_13 is ")
    finally:
        cleared, problems = faults.clear("cb")
    assert [f.kind for f in cleared] == ["stop-bgp"] and problems == []
    assert sessions("cb", "node1")["Mesh_192_168_56_13"] == "Established"
    assert lab_status("cb").drift == []


# -- the internet router as a BGP peer (FRR) ---------------------------------------------------------------

def vtysh(lab: str, command: str) -> str:
    done = run_in(lab, naming.INTERNET, "vtysh", "--vty_socket", f"/run/netlab/{lab}/frr", "-c", command)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_router_peers_with_every_node_and_spreads_each_block_over_them(bgp: Topology) -> None:
    """Towards an eBGP peer BIRD names itself as the next hop: the router hears of every block from every node
    (they all know it over the mesh), and zebra installs each as one route with three next hops (ECMP)."""
    peers = frr.peer_states(vtysh("cb", "show bgp summary json"))
    assert peers == {f"192.168.56.1{i}": "Established" for i in (1, 2, 3)}
    assert {p: s for p, s in bird.protocol_states(birdc("cb", "node2", "show protocols")).items()
            if p.startswith("Global_")} == {"Global_192_168_56_1": "Established"}
    for node in bgp.nodes:
        (route,) = ipj("cb", naming.INTERNET, "route", "show", "exact", str(node.pod_subnet))
        assert (route["protocol"], route["metric"]) == ("bgp", 20)
        assert sorted(hop["gateway"] for hop in route["nexthops"]) == ["192.168.56.11", "192.168.56.12",
                                                                       "192.168.56.13"]


def test_when_the_routers_bgpd_dies_zebra_takes_its_routes_and_clear_brings_them_back(bgp: Topology) -> None:
    block = str(bgp.node("node3").pod_subnet)
    faults.inject("cb", "stop-bgp", naming.INTERNET)
    try:
        deadline = time.monotonic() + 15
        while ipj("cb", naming.INTERNET, "route", "show", "exact", block) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert ipj("cb", naming.INTERNET, "route", "show", "exact", block) == []
        drift = {d.key: d.problem for d in lab_status("cb").drift}
        assert drift["bgp-sessions frr-bgpd"] == "frr-bgpd does not answer on its control socket"
    finally:
        cleared, problems = faults.clear("cb")
    assert [f.kind for f in cleared] == ["stop-bgp"] and problems == []
    (route,) = ipj("cb", naming.INTERNET, "route", "show", "exact", block)
    assert len(route["nexthops"]) == 3
    assert lab_status("cb").drift == []


def test_with_the_next_hop_kept_the_router_reaches_each_pod_through_its_node_without_nat(
        reflected: Topology) -> None:
    """keepOriginalNextHop: the reflector announces its clients' blocks with their own addresses as next hops,
    so the router sends each block's packets to the node holding it; the pod sees the host's own address."""
    for node in reflected.nodes:
        (route,) = ipj("cr", naming.INTERNET, "route", "show", "exact", str(node.pod_subnet))
        assert (route["gateway"], route["protocol"]) == (str(node.ip), "bgp")
    assert http_get("cr", "web", pod_ip(reflected, "c1"))["client"] == "203.0.113.10"
    result, departures = trace_once("cr", "web", "c1:80", "tcp", timeout=5)
    assert result.trace.verdict.status == "delivered" and departures == []
    routes = [e.text for h in result.trace.forward if h.netns == naming.INTERNET for e in h.events
              if e.kind == "route"]
    assert any(r.endswith("via 192.168.56.13 dev eth0 proto bgp metric 20") for r in routes), routes


# -- two racks: the underlay is two subnets with the router between them -----------------------------------

RACKS = LAB.replace("nodes: [{{name: node1}}, {{name: node2}}, {{name: node3}}]",
                    "underlay: {{subnets: [192.168.56.0/24, 192.168.57.0/24]}}\n"
                    "nodes: [{{name: node1}}, {{name: node2}}, {{name: node3, ip: 192.168.57.11}}]")


@pytest.fixture(scope="module")
def racks() -> Iterator[Topology]:
    yield from built(RACKS.format(name="cx", calico="{encapsulation: VXLANCrossSubnet}"))


def test_cross_subnet_wraps_only_what_crosses_the_router(racks: Topology) -> None:
    routes = {r["dst"]: r for r in ipj("cx", "node1", "route", "show", "proto", "80")}
    same, other = routes[str(racks.node("node2").pod_subnet)], routes[str(racks.node("node3").pod_subnet)]
    assert (same["gateway"], same["dev"], same.get("flags", [])) == ("192.168.56.12", "eth0", [])
    assert (other["dev"], other["flags"]) == ("vxlan.calico", ["onlink"])
    assert all(r.ok for r in run_probes(racks))
    result, departures = trace_once("cx", "a1", "c1:80", "tcp", timeout=5)
    assert result.trace.verdict.status == "delivered" and departures == []
    router = [h for h in result.trace.forward if h.netns == naming.INTERNET]
    assert [(h.interface, h.direction) for h in router] == [("eth0", "in"), ("eth1", "out")]
    assert all(h.packet.outer is not None and h.packet.outer.vni == 4096 for h in router)
    result, departures = trace_once("cx", "a1", "b1:80", "tcp", timeout=5)
    assert departures == [] and all(h.packet.outer is None for h in result.trace.forward)


def test_bgp_alone_cannot_cross_a_router_that_knows_no_pod_block() -> None:
    """No encapsulation across racks: BIRD resolves node3's next hop through the default route and installs its
    block via the router, which has no route to it — the packet dies there, as the model says."""
    with contextlib.closing(built(RACKS.format(name="cn", calico="{encapsulation: None}"))) as lab:
        topology = next(lab)
        (route,) = ipj("cn", "node1", "route", "show", "exact", str(topology.node("node3").pod_subnet))
        assert (route["gateway"], route["protocol"]) == ("192.168.56.1", "bird")
        result, departures = trace_once("cn", "a1", "c1:80", "tcp", timeout=2)
        assert (result.trace.verdict.status, result.trace.verdict.where) == ("dropped", naming.INTERNET)
        assert departures == []


# -- VXLAN -----------------------------------------------------------------------------------------------

def test_vxlan_calico_is_vni_4096_port_4789_nolearning_mtu_1450(vxlan: Topology) -> None:
    (link,) = ipj("cv", "node1", "link", "show", "vxlan.calico")
    data = link["linkinfo"]["info_data"]
    assert (data["id"], data["port"], data["learning"], data["local"]) == (4096, 4789, False, "192.168.56.11")
    digest = hashlib.sha1(b"node1").hexdigest()
    assert link["mtu"] == 1450 and link["address"] == "66:" + ":".join(digest[i:i + 2] for i in range(0, 10, 2))


def test_felix_routes_the_blocks_onlink_through_vxlan_calico_proto_80(vxlan: Topology) -> None:
    b = vxlan.node("node2")
    routes = {r["dst"]: r for r in ipj("cv", "node1", "route", "show", "proto", "80")}
    own = str(vxlan.node("node1").pod_subnet)
    assert routes[own]["type"] == "blackhole"
    remote = routes[str(b.pod_subnet)]
    assert (remote["gateway"], remote["dev"], "onlink" in remote["flags"]) == (
        str(b.pod_subnet.network_address), "vxlan.calico", True)
    assert ipj("cv", "node1", "route", "show", "proto", "bird") == []  # "VXLAN routes are handled by Felix"
    neighbours = {n["dst"]: n["lladdr"] for n in ipj("cv", "node1", "neigh", "show", "dev", "vxlan.calico")}
    (remote_link,) = ipj("cv", "node2", "link", "show", "vxlan.calico")
    assert neighbours[str(b.pod_subnet.network_address)] == remote_link["address"]


def test_vxlan_is_seen_on_the_wire_with_vni_4096_and_as_predicted(vxlan: Topology) -> None:
    result, departures = trace_once("cv", "a1", "b1:80", "tcp", timeout=5)
    t = result.trace
    assert t.verdict.status == "delivered" and departures == []
    wire = [h.packet.outer for h in t.forward if h.netns == "underlay"]
    assert wire and all(o is not None and (o.dport, o.vni) == (4789, 4096) for o in wire)
    routes = [e.text for h in t.forward if h.netns == "node1" for e in h.events if e.kind == "route"]
    assert any("dev vxlan.calico proto 80 onlink" in r for r in routes), routes


def test_bgp_routes_show_their_protocol_in_a_trace(bgp: Topology) -> None:
    result, departures = trace_once("cb", "a1", "c1:80", "tcp", timeout=5)
    assert result.trace.verdict.status == "delivered" and departures == []
    routes = [e.text for h in result.trace.forward if h.netns == "node1" for e in h.events if e.kind == "route"]
    assert any("via 192.168.56.13 dev eth0 proto bird metric 1024" in r for r in routes), routes
    (arp,) = [e.text for e in result.trace.forward[0].events if e.kind == "arp"]
    assert arp.startswith("node1 answers ARP for 169.254.1.1") and arp.endswith("is at ee:ee:ee:ee:ee:ee")


def test_vxlan_probes_pass_and_bgp_still_runs(vxlan: Topology) -> None:
    assert all(r.ok for r in run_probes(vxlan))
    assert set(sessions("cv", "node2").values()) == {"Established"}


# -- a route reflector -------------------------------------------------------------------------------------

def test_clients_peer_only_with_the_reflector_and_learn_each_other_through_it(reflected: Topology) -> None:
    assert sessions("cr", "node2") == {"Node_192_168_56_11": "Established"}
    assert sessions("cr", "node1") == {"Node_192_168_56_12": "Established", "Node_192_168_56_13": "Established"}
    c_block = str(reflected.node("node3").pod_subnet)
    (route,) = ipj("cr", "node2", "route", "show", "exact", c_block)
    assert route["gateway"] == "192.168.56.13"  # the next hop stays node3's: the reflector is not on the path
    shown = birdc("cr", "node2", "show", "route", c_block, "all")
    assert "BGP.originator_id: 192.168.56.13" in shown and "BGP.cluster_list: 244.0.0.1" in shown
    assert all(r.ok for r in run_probes(reflected))


# -- felix's rules, against a real felix's iptables-save -----------------------------------------------------

DUMP = Path(__file__).parents[1] / "data" / "calico" / "felix" / "cali-iptables-dump.txt"


def felix_lines(save: str, table: str) -> list[str]:
    """The table's lines that are felix's (its chains and its hooks), but its rules that match an ipset — the
    upstream capture (felix/fv/cali-iptables-dump.txt) had those taken out — and its dispatch chains, which
    list a node's pods (the capture's node had none)."""
    lines, inside = [], False
    for line in save.splitlines():
        if line.startswith("*"):
            inside = line == f"*{table}"
        elif inside and "cali" in line and "--match-set" not in line and "wl-dispatch " not in line:
            lines.append(line)
    return lines


@pytest.mark.parametrize("table", ["nat", "filter"])
def test_felix_rules_are_a_real_felixs_hash_for_hash(vxlan: Topology, table: str) -> None:
    ours = felix_lines(run_in("cv", "node1", "iptables-save", "-t", table).stdout, table)
    theirs = felix_lines(DUMP.read_text(), table)
    assert [line for line in ours if not line.startswith((":cali-fw-", ":cali-tw-", ":cali-pr", "-A cali-fw-",
                                                           "-A cali-tw-", "-A cali-pr"))] == theirs


def test_a_pods_packets_walk_its_endpoint_chains(vxlan: Topology) -> None:
    """From a1 to b1 (another node): a1's cali-fw- chain on node1, b1's cali-tw- chain on node2, each passed
    by its namespace's profile (the accept mark) — counted by the kernel."""
    a1 = "cali" + hashlib.sha1(b"default.a1").hexdigest()[:11]
    b1 = "cali" + hashlib.sha1(b"default.b1").hexdigest()[:11]

    def packets(node: str, chain: str) -> int:
        out = run_in("cv", node, "iptables", "-L", chain, "-v", "-n", "-x").stdout
        return sum(int(line.split()[0]) for line in out.splitlines()[2:] if "cali-pr" in line)

    before = packets("node1", f"cali-fw-{a1}"), packets("node2", f"cali-tw-{b1}")
    assert http_get("cv", "a1", pod_ip(vxlan, "b1"))["server"] == "b1"
    assert packets("node1", f"cali-fw-{a1}") > before[0] and packets("node2", f"cali-tw-{b1}") > before[1]


def test_pods_reach_the_internet_from_their_nodes_address(vxlan: Topology) -> None:
    """natOutgoing: cali-nat-outgoing masquerades what leaves the pool (cali40masq-ipam-pools src, not
    cali40network-ip-pools dst)."""
    assert http_get("cv", "a1", "203.0.113.10")["client"] == "192.168.56.11"
    sets = run_in("cv", "node1", "ipset", "list", "cali40masq-ipam-pools").stdout
    assert "Type: hash:net" in sets and "10.244.0.0/16" in sets


# -- IPIP (the VM tier: this kernel may have no ipip module) ------------------------------------------------

def test_ipip_tunl0_holds_the_tunnel_address_and_felix_routes_onlink_via_the_node(ipip: Topology) -> None:
    a, b = ipip.node("node1"), ipip.node("node2")
    (addr,) = ipj("ci", "node1", "-4", "addr", "show", "tunl0")
    assert [(x["local"], x["prefixlen"]) for x in addr["addr_info"]] == [(str(a.pod_subnet.network_address), 32)]
    assert addr["mtu"] == 1480
    (route,) = ipj("ci", "node1", "route", "show", "exact", str(b.pod_subnet))
    assert (route["gateway"], route["dev"], route["protocol"], "onlink" in route["flags"]) == (
        "192.168.56.12", "tunl0", "80", True)
    assert ipj("ci", "node1", "route", "show", "proto", "bird") == []  # "Cluster routes are handled by Felix"


def test_ipip_probes_pass(ipip: Topology) -> None:
    assert all(r.ok for r in run_probes(ipip))
    assert set(sessions("ci", "node1").values()) == {"Established"}


def test_ipip_is_seen_on_the_wire_as_protocol_4_and_as_predicted(ipip: Topology) -> None:
    result, departures = trace_once("ci", "a1", "b1:80", "tcp", timeout=5)
    t = result.trace
    assert t.verdict.status == "delivered" and departures == []
    wire = [h for h in t.forward if h.netns == "underlay"]
    assert wire and all(h.packet.outer is not None and h.packet.outer.kind == "ipip" for h in wire)
    assert ("node2", "tunl0", "in") in [(h.netns, h.interface, h.direction) for h in t.forward]


def test_an_address_of_a_block_that_no_pod_holds_dies_in_the_blackhole(bgp: Topology) -> None:
    result, departures = trace_once("cb", "a1", "10.244.0.77:80", "tcp", timeout=2)
    assert result.trace.verdict.text == "node2 drops it: blackhole 10.244.0.64/26 proto bird" and departures == []


# -- apply: a node joins ---------------------------------------------------------------------------------------

def bgp_connection(lab: str, node: str, peer: str) -> str:
    """The TCP connection of a node's BGP session with `peer` (its two ends): a session that was reset has a
    new one."""
    out = run_in(lab, node, "ss", "-Htn", "state", "established").stdout
    return next(" ".join(line.split()[-2:]) for line in out.splitlines() if f"{peer}:" in line and ":179" in line)


def bird_pid(lab: str, node: str) -> int:
    return next(p.pid for p in state.LabState(lab).processes() if p.name == f"bird-{node}")


def test_a_node_added_by_apply_joins_the_mesh_and_the_others_reload_bird() -> None:
    """confd's way: new files, `birdc configure`. BIRD keeps running and its old sessions stay up."""
    three = LAB.format(name="ca", calico="{encapsulation: None}").replace("c1, node: node3", "c1, node: node2")
    two = three.replace("nodes: [{name: node1}, {name: node2}, {name: node3}]", "nodes: [{name: node1}, {name: node2}]")
    lab = built(two)
    next(lab)
    try:
        pid, before = bird_pid("ca", "node1"), bgp_connection("ca", "node1", "192.168.56.12")
        apply_mod.apply(three, "test")
        assert sessions("ca", "node1") == {"Mesh_192_168_56_12": "Established", "Mesh_192_168_56_13": "Established"}
        assert bgp_connection("ca", "node1", "192.168.56.12") == before  # the same TCP connection: not reset
        assert bird_pid("ca", "node1") == pid
        third = ipj("ca", "node1", "route", "show", "proto", "bird", "via", "192.168.56.13")
        assert [r["dst"] for r in third] == ["10.244.0.128/26"]
    finally:
        lab.close()
