"""Getting traffic in (the LoadBalancer issue): a `type: LoadBalancer` Service with no provider, as kubectl and
kube-proxy see it — its external IP <pending>, its node ports working —, a Service's externalIPs, which kube-proxy
captures in every mode, and MetalLB giving LoadBalancer Services addresses in layer 2 mode (ARP) and BGP mode."""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import time
from collections.abc import Iterator

import pytest

from netlab import naming, state
from netlab.lifecycle import apply as apply_mod
from netlab.lifecycle import faults
from netlab.lifecycle.status import lab_status
from netlab.probe import run_probes
from netlab.topology import Topology

from netlab.trace.session import trace_once

from .conftest import built, renamed, skip_without_ipvs
from .netutil import http_get, ns_socket, run_in

LAB = """
name: lb-pending
cluster: {cni: flannel-vxlan, proxy: iptables, dns: none}
nodes: [{name: node1}, {name: node2}]
pods:
  - {name: web1, node: node1, labels: {app: web}, serve: ["http:80"]}
internet:
  hosts: [{name: client}]
services:
  - {name: web, type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}
  - {name: bare, type: LoadBalancer, allocateLoadBalancerNodePorts: false, selector: {app: web}, ports: [{port: 81,
     targetPort: 80}]}
"""


@pytest.fixture(scope="module")
def pending() -> Iterator[Topology]:
    yield from built(LAB)


def test_a_loadbalancer_with_no_provider_is_pending_and_its_node_port_works(pending: Topology) -> None:
    services = {s["name"]: s for s in lab_status("lb-pending").as_dict()["services"]}
    assert services["web"]["external_ip"] == "<pending>" and services["web"]["node_ports"] == [30000]
    # allocateLoadBalancerNodePorts false: the kernel has no node port rule for it, only its ClusterIP's
    nat = run_in("lb-pending", "node1", "iptables-save", "-t", "nat").stdout.splitlines()
    node_ports = [line for line in nat if line.startswith("-A KUBE-NODEPORTS ")]
    assert any('"default/web"' in line for line in node_ports)
    assert not any("default/bare" in line for line in node_ports)
    assert any('"default/bare cluster IP"' in line for line in nat)
    # from the internet to node2, which has no endpoint: forwarded to web1 on node1, the client masqueraded away
    answer = http_get("lb-pending", "client", "192.168.56.12", 30000)
    assert answer["server"] == "web1"


# -- externalIPs: kube-proxy captures them; routing them to a node is the network's business ----------------

EXTERNAL = """
name: ext-{mode}
cluster: {{cni: flannel-vxlan, proxy: {mode}, dns: none}}
nodes: [{{name: node1}}, {{name: node2}}]
pods:
  - {{name: web1, node: node1, labels: {{app: web}}, serve: ["http:80"]}}
  - {{name: client, node: node2}}
services:
  - {{name: web, selector: {{app: web}}, ports: [{{port: 80}}], externalIPs: [198.51.100.7]}}
  - {{name: gone, selector: {{app: nothing}}, ports: [{{port: 80}}], externalIPs: [198.51.100.8]}}
"""


@pytest.fixture(scope="module", params=["iptables", "nftables", "ipvs"])
def external(request: pytest.FixtureRequest) -> Iterator[Topology]:
    if request.param == "ipvs":
        skip_without_ipvs()
    yield from built(EXTERNAL.format(mode=request.param))


def test_a_pod_reaches_a_service_by_its_external_ip_as_predicted(external: Topology) -> None:
    assert http_get(external.name, "client", "198.51.100.7")["server"] == "web1"
    result, departures = trace_once(external.name, "client", "198.51.100.7:80", "tcp", timeout=3)
    assert result.trace.verdict.status == "delivered" and departures == []
    refused, departures = trace_once(external.name, "client", "198.51.100.8:80", "tcp", timeout=3)
    assert refused.trace.verdict.status == "rejected" and departures == []
    services = {s["name"]: s for s in lab_status(external.name).as_dict()["services"]}
    assert services["web"]["external_ip"] == "198.51.100.7"


# -- externalTrafficPolicy Local: the health check node port ---------------------------------------------

LOCAL = """
name: lb-local
cluster: {cni: flannel-vxlan, proxy: iptables, dns: none}
nodes: [{name: node1}, {name: node2}]
pods:
  - {name: web1, node: node1, labels: {app: web}, serve: ["http:80"]}
internet:
  hosts: [{name: client}]
services:
  - {name: web, type: LoadBalancer, externalTrafficPolicy: Local, selector: {app: web}, ports: [{port: 80}]}
"""


def health(lab: str, node_ip: str, port: int) -> tuple[int, dict[str, object], str]:
    """GET / on a node's health check node port, from the internet host: (status, JSON body, raw head)."""
    with ns_socket(lab, "client", socket.SOCK_STREAM) as s:
        s.settimeout(3)
        s.connect((node_ip, port))
        s.sendall(b"GET / HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(4096):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body), head.decode()


def test_the_health_check_node_port_says_which_nodes_have_an_endpoint() -> None:
    with contextlib.closing(built(LOCAL)) as lab:
        next(lab)
        port = next(s for s in lab_status("lb-local").as_dict()["services"] if s["name"] == "web")[
            "health_check_node_port"]
        status, answer, head = health("lb-local", "192.168.56.11", port)
        assert (status, answer["localEndpoints"], answer["service"]) == (200, 1, {"namespace": "default",
                                                                                  "name": "web"})
        assert "X-Load-Balancing-Endpoint-Weight: 1" in head
        status, answer, _ = health("lb-local", "192.168.56.12", port)
        assert (status, answer["localEndpoints"]) == (503, 0)


# -- MetalLB in layer 2 mode: topologies/loadbalancer-l2.yaml ----------------------------------------------

L2 = "lb-l2"
VIP, LOCAL_VIP = "192.168.56.240", "192.168.56.250"


@pytest.fixture(scope="module")
def l2() -> Iterator[Topology]:
    yield from built(renamed("loadbalancer-l2", L2))


def test_the_labs_probes_pass_and_nftables_mode_captures_the_addresses_too(l2: Topology) -> None:
    """The topology's own probes (the address from outside and from a pod, Local's client address, the scanner
    kept out), in iptables mode and, on a second lab, in nftables mode."""
    assert all(r.ok for r in run_probes(l2))
    text = renamed("loadbalancer-l2", "lb-l2n").replace("proxy: iptables", "proxy: nftables")
    with contextlib.closing(built(text)) as lab:
        t = next(lab)
        results = run_probes(t)
        assert all(r.ok for r in results), [r for r in results if not r.ok]
        ruleset = run_in("lb-l2n", "node1", "nft", "list", "map", "ip", "kube-proxy", "firewall-ips").stdout
        assert f"{LOCAL_VIP} . tcp . 80 : goto firewall-" in ruleset


def router_mac(ip: str) -> str | None:
    """The MAC the internet router's neighbour table holds for `ip` (what it sends the address's packets to)."""
    entries = json.loads(run_in(L2, naming.INTERNET, "ip", "-j", "neigh", "show", ip).stdout or "[]")
    return next((e.get("lladdr") for e in entries if e.get("state") != ["FAILED"]), None)


def node_macs() -> dict[str, str]:
    return {node: json.loads(run_in(L2, node, "ip", "-j", "link", "show", "eth0").stdout)[0]["address"]
            for node in ("node1", "node2", "node3")}


def elected(ip: str, nodes: list[str]) -> str:
    """MetalLB's election, computed here from its definition: the lowest sha256(node#ip)."""
    return min(nodes, key=lambda n: hashlib.sha256(f"{n}#{ip}".encode()).digest())


def test_the_elected_node_answers_arp_for_the_address_and_no_interface_holds_it(l2: Topology) -> None:
    services = {s["name"]: s for s in lab_status(L2).as_dict()["services"]}
    assert (services["web"]["external_ip"], services["web-local"]["external_ip"]) == (VIP, LOCAL_VIP)
    assert http_get(L2, "client", VIP)["server"] in ("web1", "web2")
    macs = node_macs()
    assert router_mac(VIP) == macs[elected(VIP, ["node1", "node2", "node3"])]
    # externalTrafficPolicy Local: only the nodes with an endpoint stand, and the client's address arrives
    answer = http_get(L2, "client", LOCAL_VIP)
    assert answer["client"] == "203.0.113.10"
    assert router_mac(LOCAL_VIP) == macs[elected(LOCAL_VIP, ["node1", "node2"])]
    for node in macs:
        assert VIP not in run_in(L2, node, "ip", "-br", "addr").stdout


def test_source_ranges_let_only_the_listed_clients_in(l2: Topology) -> None:
    with pytest.raises(OSError):  # the scanner is outside loadBalancerSourceRanges: KUBE-PROXY-FIREWALL drops it
        http_get(L2, "scanner", LOCAL_VIP, timeout=1.5)
    save = run_in(L2, elected(LOCAL_VIP, ["node1", "node2"]), "iptables-save").stdout
    drops = [line for line in save.splitlines() if line.startswith("-A KUBE-PROXY-FIREWALL")]
    assert len(drops) == 1 and f"-d {LOCAL_VIP}/32" in drops[0] and drops[0].endswith("-j DROP")
    assert '"default/web-local traffic not accepted by KUBE-FW-' in drops[0]


def test_a_dead_speaker_hands_the_address_to_the_next_node_and_clear_takes_it_back(l2: Topology) -> None:
    nodes = ["node1", "node2", "node3"]
    first = elected(VIP, nodes)
    second = elected(VIP, [n for n in nodes if n != first])
    macs = node_macs()
    http_get(L2, "client", VIP)  # a client: the router has an entry for the address (gratuitous ARP only updates one)
    assert router_mac(VIP) == macs[first]
    faults.inject(L2, "stop-speaker", first)
    try:
        deadline = time.monotonic() + 12  # memberlist: a missed probe, then 4 s of suspicion
        while router_mac(VIP) != macs[second] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert router_mac(VIP) == macs[second]  # the new winner's gratuitous ARP updated the router
        assert http_get(L2, "client", VIP)["server"] in ("web1", "web2")
        drift = {d.key: d.problem for d in lab_status(L2).drift}
        assert drift[f"arp-answer {naming.netns(L2, first)} {VIP}"] == \
            f"metallb-speaker-{first} does not announce {VIP}"
    finally:
        cleared, problems = faults.clear(L2)
    assert [f.kind for f in cleared] == ["stop-speaker"] and problems == []
    deadline = time.monotonic() + 5
    while router_mac(VIP) != macs[first] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert router_mac(VIP) == macs[first]
    assert lab_status(L2).drift == []


def test_a_node_cut_off_hands_the_address_over_and_takes_it_back_when_its_link_returns(l2: Topology) -> None:
    """The elected node's uplink goes down: its speaker outlives that (ENETDOWN on its socket), the next node
    announces after the heartbeats stop; the link back, memberlist's join makes the first node spam gratuitous
    ARP for the address it never stopped announcing, and the router's entry comes back to it."""
    nodes = ["node1", "node2", "node3"]
    first = elected(VIP, nodes)
    second = elected(VIP, [n for n in nodes if n != first])
    macs = node_macs()
    http_get(L2, "client", VIP)
    faults.inject(L2, "link-down", first)
    try:
        deadline = time.monotonic() + 12
        while router_mac(VIP) != macs[second] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert router_mac(VIP) == macs[second]
    finally:
        faults.clear(L2)
    deadline = time.monotonic() + 5
    while router_mac(VIP) != macs[first] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert router_mac(VIP) == macs[first]
    assert lab_status(L2).drift == []  # the speaker did not die on the way


def test_the_trace_goes_to_the_elected_node_as_the_model_predicts(l2: Topology) -> None:
    result, departures = trace_once(L2, "client", f"{VIP}:80", "tcp", timeout=3)
    assert result.trace.verdict.status == "delivered" and departures == []
    winner = elected(VIP, ["node1", "node2", "node3"])
    assert any((hop.netns, hop.interface, hop.direction) == (winner, "eth0", "in") for hop in result.trace.hops)


# -- IPVS mode: the address is on every node's kube-ipvs0, so strict ARP decides who answers (the VM tier) ----

def arp_answers(lab: str, ip: str, wait: float = 1.0) -> set[str]:
    """The MACs that answer one ARP request for `ip` sent from the internet router's underlay leg."""
    from scapy.layers.l2 import ARP, Ether

    from netlab.kernel import netns as kernel_netns
    with kernel_netns.inside(naming.netns(lab, naming.INTERNET)):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
    with contextlib.closing(s):
        s.bind(("eth0", 0x0806))
        mac = ":".join(f"{b:02x}" for b in s.getsockname()[4][:6])
        router = str(lab_status(lab).as_dict()["nodes"][0]["ip"]).rsplit(".", 1)[0] + ".1"
        s.send(bytes(Ether(dst="ff:ff:ff:ff:ff:ff", src=mac) / ARP(op=1, hwsrc=mac, psrc=router, pdst=ip)))
        s.settimeout(0.2)
        found: set[str] = set()
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                frame = Ether(s.recv(2048))
            except TimeoutError:
                continue
            if ARP in frame and frame[ARP].op == 2 and frame[ARP].psrc == ip:
                found.add(frame[ARP].hwsrc)
        return found


@pytest.mark.parametrize("strict", [True, False], ids=["strict-arp", "no-strict-arp"])
def test_in_ipvs_mode_only_strict_arp_leaves_the_answer_to_metallb(strict: bool) -> None:
    """MetalLB's requirement: with kube-proxy in IPVS mode the address sits on every node's kube-ipvs0, and with
    arp_ignore 0 every node answers ARP for it; strictARP (arp_ignore 1) leaves only the elected speaker."""
    skip_without_ipvs()
    name = "lb-ipvs-strict" if strict else "lb-ipvs-loose"
    text = renamed("loadbalancer-l2", name).replace("proxy: iptables", "proxy: ipvs" + (
        "\n  ipvsStrictARP: true" if strict else ""))
    with contextlib.closing(built(text)) as lab:
        next(lab)
        macs = {node: json.loads(run_in(name, node, "ip", "-j", "link", "show", "eth0").stdout)[0]["address"]
                for node in ("node1", "node2", "node3")}
        answers = arp_answers(name, VIP)
        if strict:
            assert answers == {macs[elected(VIP, list(macs))]}
            assert http_get(name, "client", VIP)["server"] in ("web1", "web2")
            assert http_get(name, "client", LOCAL_VIP)["client"] == "203.0.113.10"
        else:
            assert answers == set(macs.values())  # the kernel of every node, and the speaker, answer


# -- MetalLB in BGP mode: FRR's bgpd on every node, the router's route with a next hop per announcing node ------

BGP = "lb-bgp"
BGP_VIP, BGP_LOCAL_VIP = "198.51.100.10", "198.51.100.11"
NODE_IPS = {"node1": "192.168.56.11", "node2": "192.168.56.12", "node3": "192.168.56.13"}


@pytest.fixture(scope="module")
def bgp() -> Iterator[Topology]:
    yield from built(renamed("loadbalancer-bgp", BGP))


def router_hops(ip: str) -> set[str]:
    """The next hops of the route zebra installed on the internet router for `ip` (one, or ECMP's several)."""
    routes = json.loads(run_in(BGP, naming.INTERNET, "ip", "-j", "route", "show", ip).stdout or "[]")
    hops: set[str] = set()
    for route in routes:
        if route.get("protocol") == "bgp":
            hops |= {h["gateway"] for h in route.get("nexthops", [])}
            hops |= {route["gateway"]} if "gateway" in route else set()
    return hops


def speaker_connection(node: str) -> str:
    """The TCP connection of a node's BGP session with the router: a session that was reset has a new one."""
    out = run_in(BGP, node, "ss", "-Htn", "state", "established").stdout
    return next(" ".join(line.split()[-2:]) for line in out.splitlines() if ":179" in line)


def test_every_node_with_a_say_announces_the_address_and_the_router_spreads_flows(bgp: Topology) -> None:
    results = run_probes(bgp)
    assert all(r.ok for r in results), [r for r in results if not r.ok]
    assert router_hops(BGP_VIP) == set(NODE_IPS.values())
    assert router_hops(BGP_LOCAL_VIP) == {NODE_IPS["node1"], NODE_IPS["node2"]}  # Local: node3 holds no endpoint
    # Cluster: a pod sees the address of the node the flow came in by; the router's L4 hash spreads the flows
    seen = {http_get(BGP, "client", BGP_VIP)["client"] for _ in range(24)}
    assert len(seen) >= 2, seen
    # bgpd's own view of what it announces and what it lets in (vtysh), not the file netlab wrote
    running = run_in(BGP, "node1", "vtysh", "--vty_socket", str(state.LabState(BGP).dir / "metallb" / "node1"),
                     "-c", "show running-config").stdout
    assert " network 198.51.100.10/32" in running and "route-map 192.168.56.1-in deny 20" in running
    for node in NODE_IPS:
        assert BGP_VIP not in run_in(BGP, node, "ip", "-br", "addr").stdout


def test_a_trace_through_whichever_next_hop_the_flow_hashed_to_matches_the_model(bgp: Topology) -> None:
    """The model follows an ECMP route's next hop that the kernel chose for the traced flow (where the packet
    was seen next), as it follows the endpoint kube-proxy chose."""
    for _ in range(5):  # each a new flow, hashed afresh: with 3 next hops, most do not take the route's first
        result, departures = trace_once(BGP, "client", f"{BGP_VIP}:80", "tcp", timeout=3)
        assert result.trace.verdict.status == "delivered" and departures == []


def test_a_dead_speaker_loses_its_next_hop_and_clear_brings_it_back(bgp: Topology) -> None:
    faults.inject(BGP, "stop-speaker", "node3")
    try:
        deadline = time.monotonic() + 5  # bgpd's socket closes with it: the router drops the session at once
        while NODE_IPS["node3"] in router_hops(BGP_VIP) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert router_hops(BGP_VIP) == {NODE_IPS["node1"], NODE_IPS["node2"]}
        assert http_get(BGP, "client", BGP_VIP)["server"] in ("web1", "web2")
        drift = {d.key: d.problem for d in lab_status(BGP).drift}
        assert drift[f"route {naming.netns(BGP, naming.INTERNET)} {BGP_VIP}/32"] == \
            f"route has no next hop via {NODE_IPS['node3']}"
    finally:
        cleared, problems = faults.clear(BGP)
    assert [f.kind for f in cleared] == ["stop-speaker"] and problems == []
    assert router_hops(BGP_VIP) == set(NODE_IPS.values())
    assert lab_status(BGP).drift == []


def test_apply_gives_a_new_service_an_address_and_frr_reload_keeps_the_sessions(bgp: Topology) -> None:
    """MetalLB's way: render frr.conf, frr-reload.py sends bgpd the difference; no session is reset."""
    before = {node: speaker_connection(node) for node in NODE_IPS}
    more = renamed("loadbalancer-bgp", BGP).replace(
        "services:\n", "services:\n  - {name: api, type: LoadBalancer, selector: {app: web}, ports: [{port: 81, "
        "targetPort: 80}]}\n")
    apply_mod.apply(more, "test")
    try:
        assert router_hops("198.51.100.12") == set(NODE_IPS.values())
        assert http_get(BGP, "client", "198.51.100.12", 81)["server"] in ("web1", "web2")
        assert {node: speaker_connection(node) for node in NODE_IPS} == before
    finally:
        apply_mod.apply(renamed("loadbalancer-bgp", BGP), "test")
    deadline = time.monotonic() + 10  # each speaker withdraws it once frr-reload.py has taken its network line out
    while router_hops("198.51.100.12") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert router_hops("198.51.100.12") == set()


def test_a_silent_node_leaves_the_route_when_the_bgppeer_hold_time_runs_out() -> None:
    """A node cut off closes no session: the router drops its next hop only when BGP's hold time runs out —
    FRR's 180 s by default, here the BGPPeer's holdTime, 3 s, as MetalLB renders it (timers 1 3)."""
    text = renamed("loadbalancer-bgp", "lb-hold").replace("    peerASN: 64501      #", "    holdTime: 3s\n"
                                                          "    peerASN: 64501      #")
    with contextlib.closing(built(text)) as lab:
        next(lab)
        # the hold time bgpd negotiated with the router (the lower of the two sides'), as bgpd reports it
        shown = run_in("lb-hold", "node3", "vtysh", "--vty_socket", str(state.LabState("lb-hold").dir / "metallb" /
                                                                          "node3"),
                       "-c", "show bgp neighbor 192.168.56.1 json").stdout
        assert json.loads(shown)["192.168.56.1"]["bgpTimerHoldTimeMsecs"] == 3000

        def hops() -> set[str]:
            routes = json.loads(run_in("lb-hold", naming.INTERNET, "ip", "-j", "route", "show", BGP_VIP).stdout
                                or "[]")
            return {h["gateway"] for r in routes for h in r.get("nexthops", [])} | {r["gateway"] for r in routes
                                                                                   if "gateway" in r}
        assert NODE_IPS["node3"] in hops()
        faults.inject("lb-hold", "link-down", "node3")
        start = time.monotonic()
        while NODE_IPS["node3"] in hops() and time.monotonic() - start < 10:
            time.sleep(0.1)
        waited = time.monotonic() - start
        assert NODE_IPS["node3"] not in hops() and 1.5 < waited < 6, waited  # the hold time, not at once
