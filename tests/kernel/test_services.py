"""Services on a real kernel, in every kube-proxy mode: the behaviour issue 4 asks for, with real traffic.

Each mode builds the shipped topologies/services-<mode>.yaml (two flannel-vxlan nodes, web1 on node1, web2
on node2). IPVS needs ip_vs and dummy, which this development kernel lacks: those tests skip here and run
in the VM tier (scripts/vm-test), where Debian's stock kernel has them.
"""

from __future__ import annotations

import base64
import hashlib
import re
import socket
import time
from collections import Counter
from collections.abc import Iterator

import pytest

from netlab.lifecycle import status
from netlab.probe import run_probes
from netlab.topology import Topology
from netlab.trace.session import trace_once

from .conftest import built, renamed, skip_without_ipvs
from .netutil import http_get, ns_socket, run_in, udp_query

MODES = ("iptables", "iptables-legacy", "nftables", "ipvs")  # iptables-legacy: iptables mode, the other backend
CLUSTER_IP, STICKY_IP, LOCAL_IP, NOTHING_IP = "10.96.0.11", "10.96.0.12", "10.96.0.13", "10.96.0.14"
NODE1, NODE2 = "192.168.56.11", "192.168.56.12"
CLIENT1, CLIENT2, OUTSIDE = "10.244.0.3", "10.244.1.3", "203.0.113.10"
NODE1_ADDRESSES = {NODE1, "10.244.0.1", "10.244.0.0"}  # eth0, cni0, flannel.1: whichever MASQUERADE picks
NODE2_ADDRESSES = {NODE2, "10.244.1.1", "10.244.1.0"}


@pytest.fixture(scope="module", params=MODES)
def lab(request: pytest.FixtureRequest) -> Iterator[Topology]:
    mode = request.param
    if mode == "ipvs":
        skip_without_ipvs()
    if mode == "iptables-legacy":
        text = renamed("services-iptables", "test-svc-legacy").replace("  proxy: iptables\n", "  proxy: iptables\n"
                                                                       "  iptablesBackend: legacy\n")
        yield from built(text)
        return
    yield from built(renamed(f"services-{mode}", f"test-svc-{mode}"))


def servers(lab: Topology, where: str, host: str, port: int, count: int) -> Counter[str]:
    return Counter(http_get(lab.name, where, host, port)["server"] for _ in range(count))


def test_the_lab_matches_its_plan(lab: Topology) -> None:
    s = status.lab_status(lab.name)
    assert s.ready and s.drift_checked and s.drift == []


def test_cluster_ip_reaches_endpoints_on_both_nodes_and_keeps_the_pod_address(lab: Topology) -> None:
    answers = [http_get(lab.name, "client1", CLUSTER_IP) for _ in range(30)]
    assert {a["server"] for a in answers} == {"web1", "web2"}  # same node and across the overlay
    assert {a["client"] for a in answers} == {CLIENT1}  # no masquerade for a client inside the cluster


def test_requests_spread_over_both_endpoints(lab: Topology) -> None:
    counts = servers(lab, "client2", CLUSTER_IP, 80, 200)
    assert set(counts) == {"web1", "web2"}
    assert all(60 <= n <= 140 for n in counts.values()), counts  # each between 30% and 70%


def test_client_ip_affinity_sticks_to_one_endpoint(lab: Topology) -> None:
    assert len(servers(lab, "client2", STICKY_IP, 8080, 50)) == 1
    assert len(servers(lab, "client1", STICKY_IP, 8080, 50)) == 1


def test_a_pod_reaches_itself_through_its_own_service(lab: Topology) -> None:
    answers = [http_get(lab.name, "web1", CLUSTER_IP) for _ in range(30)]
    mine = [a for a in answers if a["server"] == "web1"]
    assert mine, "web1 never reached itself through the ClusterIP"
    # Hairpin: the pod sees its node, not itself, or its reply would skip the un-DNAT.
    assert all(a["client"] in NODE1_ADDRESSES for a in mine), mine


def test_udp_service(lab: Topology) -> None:
    answers = [udp_query(lab.name, "client1", CLUSTER_IP, 53) for _ in range(10)]
    assert {a["proto"] for a in answers} == {"udp"} and {a["client"] for a in answers} == {CLIENT1}


@pytest.mark.parametrize(("node", "addresses"), [(NODE1, NODE1_ADDRESSES), (NODE2, NODE2_ADDRESSES)])
def test_node_port_from_the_internet_is_masqueraded_by_the_node(lab: Topology, node: str,
                                                                 addresses: set[str]) -> None:
    answers = [http_get(lab.name, "outside", node, 30080) for _ in range(10)]
    assert {a["server"] for a in answers} <= {"web1", "web2"}
    assert {a["client"] for a in answers} <= addresses, answers


def test_external_traffic_policy_local_keeps_the_caller_and_stays_on_the_node(lab: Topology) -> None:
    for node, pod in ((NODE1, "web1"), (NODE2, "web2")):
        answers = [http_get(lab.name, "outside", node, 30081) for _ in range(10)]
        assert {a["server"] for a in answers} == {pod}
        assert {a["client"] for a in answers} == {OUTSIDE}


def test_a_service_without_endpoints_is_refused_not_left_hanging(lab: Topology) -> None:
    with ns_socket(lab.name, "client1", socket.SOCK_STREAM) as s:
        s.settimeout(3)
        started = time.monotonic()
        with pytest.raises(ConnectionRefusedError):
            s.connect((NOTHING_IP, 80))
    assert time.monotonic() - started < 1.5


def test_the_declared_probes_hold(lab: Topology) -> None:
    failed = [(r.probe.name, r.detail, r.seen_source) for r in run_probes(lab) if not r.ok]
    assert failed == []


# -- what the kernel holds, checked against kubernetes-dataplane.md (names recomputed here from its recipe) ----

def b32(text: str) -> str:
    return base64.b32encode(hashlib.sha256(text.encode()).digest()).decode()


def chain_rules(save: str, chain: str) -> list[str]:
    return [line for line in save.splitlines() if line.startswith(f"-A {chain} ")]


def test_iptables_save_matches_the_reference_chain_by_chain(lab: Topology) -> None:
    if lab.cluster.proxy != "iptables":
        pytest.skip("iptables mode only")
    save = f"{lab.cluster.iptables}-save"  # the lab's backend
    nat = run_in(lab.name, "node1", save, "-t", "nat").stdout
    svc = "KUBE-SVC-" + b32("default/web:httptcp")[:16]
    sep1 = "KUBE-SEP-" + b32("default/web:httptcp10.244.0.2:80")[:16]
    sep2 = "KUBE-SEP-" + b32("default/web:httptcp10.244.1.2:80")[:16]
    # iptables-save's normal form of what kube-proxy restores (§1.7): /32, 11 decimals, --set-xmark.
    assert chain_rules(nat, svc) == [
        f'-A {svc} ! -s 10.244.0.0/16 -d 10.96.0.11/32 -p tcp -m comment --comment "default/web:http cluster IP" '
        "-m tcp --dport 80 -j KUBE-MARK-MASQ",
        f'-A {svc} -m comment --comment "default/web:http -> 10.244.0.2:80" -m statistic --mode random '
        f"--probability 0.50000000000 -j {sep1}",
        f'-A {svc} -m comment --comment "default/web:http -> 10.244.1.2:80" -j {sep2}']
    assert chain_rules(nat, sep1) == [
        f'-A {sep1} -s 10.244.0.2/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ',
        f'-A {sep1} -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.0.2:80']
    assert chain_rules(nat, "KUBE-MARK-MASQ") == ["-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000"]
    assert chain_rules(nat, "KUBE-POSTROUTING") == [
        "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
        "-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0",
        '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" '
        "-j MASQUERADE --random-fully"]
    assert chain_rules(nat, "KUBE-SERVICES")[-1].endswith("-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS")
    for hook in ("PREROUTING", "OUTPUT"):
        assert chain_rules(nat, hook)[0].endswith('"kubernetes service portals" -j KUBE-SERVICES')
    sticky = "KUBE-SVC-" + b32("default/web-stickytcp")[:16]
    assert "-m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-" in chain_rules(nat, sticky)[1]
    # No endpoints: no nat chain at all, a REJECT in filter.
    assert "default/nothing" not in nat
    filt = run_in(lab.name, "node1", save, "-t", "filter").stdout
    assert '-A KUBE-SERVICES -d 10.96.0.14/32 -p tcp -m comment --comment "default/nothing has no endpoints" ' \
        "-m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable" in filt
    # A real node's FORWARD order: kube-proxy's hooks above flannel's (§1.2).
    assert [r.split(" -j ")[-1] for r in chain_rules(filt, "FORWARD")] == [
        "KUBE-PROXY-FIREWALL", "KUBE-FORWARD", "KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "FLANNEL-FWD"]


def test_a_legacy_lab_has_no_rules_in_the_nft_backend_and_its_trace_says_what_it_cannot_see(lab: Topology) -> None:
    if lab.cluster.iptables_backend != "legacy":
        pytest.skip("iptables-legacy only")
    for node in ("node1", "node2"):
        assert "-A " not in run_in(lab.name, node, "iptables-nft-save").stdout, f"{node}: rules in the nft backend"
        assert run_in(lab.name, node, "nft", "list", "ruleset").stdout.strip() == ""
    result, departures = trace_once(lab.name, "client1", "web:80", "tcp", timeout=1.0)
    assert any(e.kind == "dnat" for h in result.trace.forward for e in h.events), "conntrack shows the DNAT"
    assert any("iptables-legacy rules, which nftables tracing cannot see" in n for n in result.trace.notes)
    assert departures == []


def test_ipvs_table_addresses_and_ipsets_are_in_the_kernel(lab: Topology) -> None:
    if lab.cluster.proxy != "ipvs":
        pytest.skip("IPVS mode only")
    web = run_in(lab.name, "node1", "ipvsadm", "-Ln", "-t", f"{CLUSTER_IP}:80").stdout
    assert f"TCP  {CLUSTER_IP}:80 rr" in web, web
    assert sorted(re.findall(r"-> (\S+)\s+Masq\s+1\b", web)) == ["10.244.0.2:80", "10.244.1.2:80"], web
    sticky = run_in(lab.name, "node1", "ipvsadm", "-Ln", "-t", f"{STICKY_IP}:8080").stdout
    assert "persistent 10800" in sticky, sticky
    nothing = run_in(lab.name, "node1", "ipvsadm", "-Ln", "-t", f"{NOTHING_IP}:80").stdout
    assert f"TCP  {NOTHING_IP}:80 rr" in nothing and "->" not in nothing.split("Forward")[-1], nothing
    # Every ClusterIP is local on the never-up dummy kube-ipvs0, so packets to it reach IPVS in INPUT.
    bound = run_in(lab.name, "node1", "ip", "-4", "-o", "addr", "show", "dev", "kube-ipvs0").stdout
    assert all(f"{ip}/32" in bound for ip in (CLUSTER_IP, STICKY_IP, LOCAL_IP, NOTHING_IP)), bound
    members = run_in(lab.name, "node1", "ipset", "list", "KUBE-CLUSTER-IP").stdout
    assert f"{CLUSTER_IP},tcp:80" in members and f"{CLUSTER_IP},udp:53" in members, members


def test_nftables_table_matches_the_reference(lab: Topology) -> None:
    if lab.cluster.proxy != "nftables":
        pytest.skip("nftables mode only")
    ruleset = run_in(lab.name, "node1", "nft", "list", "table", "ip", "kube-proxy").stdout
    base = "default/web/tcp/http"
    service = f"service-{b32(base)[:8]}-{base}"
    ep1 = f"endpoint-{b32(base + '__10.244.0.2/80')[:8]}-{base}__10.244.0.2/80"
    ep2 = f"endpoint-{b32(base + '__10.244.1.2/80')[:8]}-{base}__10.244.1.2/80"
    assert 'comment "rules for kube-proxy"' in ruleset
    assert f'chain {service} {{' in ruleset.replace('"', "")
    assert "numgen random mod 2 vmap" in ruleset and ep1 in ruleset and ep2 in ruleset
    assert "ip daddr . meta l4proto . th dport vmap @service-ips" in ruleset
    assert "masquerade fully-random" in ruleset and "meta mark set meta mark | 0x00004000" in ruleset
    assert "type nat hook prerouting priority dstnat" in ruleset
    # Nothing of kube-proxy in iptables in this mode.
    assert "KUBE-" not in run_in(lab.name, "node1", "iptables-save").stdout
