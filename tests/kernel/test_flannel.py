"""flannel (vxlan, host-gw) + CNI bridge on real kernels: each fact of kubernetes-dataplane.md §4/§5/§8 read
back from the kernel, and traffic that must really flow — VXLAN seen on the wire, not trusted from config."""

from __future__ import annotations

import json
import socket
import struct
import subprocess
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from netlab import naming, state
from netlab.kernel import inspect, netns
from netlab.probe import run_probes
from netlab.topology import Topology

from .conftest import built
from .netutil import http_get, run_in

THREE_NODES = """
name: {name}
cluster: {{cni: {cni}}}
nodes: [{{name: node1}}, {{name: node2}}, {{name: node3}}]
pods:
  - {{name: a1, node: node1, serve: ["http:80", "udp:53"]}}
  - {{name: a2, node: node1, serve: ["http:80"]}}
  - {{name: b1, node: node2, serve: ["http:80"]}}
  - {{name: c1, node: node3, serve: ["http:80"]}}
internet:
  hosts: [{{name: web, serve: ["http:80"]}}]
probes:
  - {{from: a1, to: "a2:80", protocol: http, expect: {{sourceSeen: self}}}}
  - {{from: a1, to: "c1:80", protocol: http, expect: {{sourceSeen: self}}}}
  - {{from: b1, to: "web:80", protocol: http, expect: {{sourceSeen: node}}}}
"""


def build(name: str, cni: str) -> Iterator[Topology]:
    yield from built(THREE_NODES.format(name=name, cni=cni))


@pytest.fixture(scope="module")
def vxlan() -> Iterator[Topology]:
    yield from build("fv", "flannel-vxlan")


@pytest.fixture(scope="module")
def hostgw() -> Iterator[Topology]:
    yield from build("hg", "host-gw")


def ipj(lab: str, where: str, *args: str) -> Any:
    out = subprocess.run(["ip", "-n", naming.netns(lab, where), "-j", "-d", *args], capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out or "[]")


def bridge_j(lab: str, where: str, *args: str) -> Any:
    out = subprocess.run(["bridge", "-n", naming.netns(lab, where), "-j", "-d", *args], capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out or "[]")


# -- flannel.1 -------------------------------------------------------------------------------------------

def test_vtep_is_flannel_1_with_vni_1_port_8472_nolearning_local_node_ip(vxlan: Topology) -> None:
    (link,) = ipj("fv", "node1", "link", "show", "flannel.1")
    data = link["linkinfo"]["info_data"]
    assert link["linkinfo"]["info_kind"] == "vxlan"
    assert data["id"] == 1 and data["port"] == 8472 and data["learning"] is False
    assert data["local"] == "192.168.56.11" and data["link"] == "eth0"


def test_vtep_mtu_is_uplink_minus_50(vxlan: Topology) -> None:
    (link,) = ipj("fv", "node1", "link", "show", "flannel.1")
    (uplink,) = ipj("fv", "node1", "link", "show", "eth0")
    assert link["mtu"] == uplink["mtu"] - 50 == 1450


def test_vtep_holds_a_single_slash_32_of_the_node_subnet(vxlan: Topology) -> None:
    (addr,) = ipj("fv", "node2", "-4", "addr", "show", "flannel.1")
    assert [(a["local"], a["prefixlen"]) for a in addr["addr_info"]] == [("10.244.1.0", 32)]


def test_one_permanent_neighbour_per_remote_vtep(vxlan: Topology) -> None:
    neighbours = ipj("fv", "node1", "neigh", "show", "dev", "flannel.1")
    assert sorted(n["dst"] for n in neighbours) == ["10.244.1.0", "10.244.2.0"]
    assert all(n["state"] == ["PERMANENT"] for n in neighbours)


def test_one_fdb_entry_per_remote_node_pointing_at_its_underlay_ip(vxlan: Topology) -> None:
    macs = {n["dst"]: n["lladdr"] for n in ipj("fv", "node1", "neigh", "show", "dev", "flannel.1")}
    fdb = [e for e in bridge_j("fv", "node1", "fdb", "show", "dev", "flannel.1") if "dst" in e]
    assert {(e["mac"], e["dst"]) for e in fdb} == {(macs["10.244.1.0"], "192.168.56.12"),
                                                   (macs["10.244.2.0"], "192.168.56.13")}
    assert all("self" in e["flags"] and e["state"] == "permanent" for e in fdb)


def test_remote_vtep_macs_are_the_remote_flannel_1_addresses(vxlan: Topology) -> None:
    macs = {n["dst"]: n["lladdr"] for n in ipj("fv", "node1", "neigh", "show", "dev", "flannel.1")}
    (remote,) = ipj("fv", "node2", "link", "show", "flannel.1")
    assert macs["10.244.1.0"] == remote["address"]


def test_one_onlink_route_per_remote_subnet_and_no_podcidr_route(vxlan: Topology) -> None:
    routes = ipj("fv", "node1", "route", "show", "dev", "flannel.1")
    assert sorted((r["dst"], r["gateway"]) for r in routes) == [("10.244.1.0/24", "10.244.1.0"),
                                                               ("10.244.2.0/24", "10.244.2.0")]
    assert all("onlink" in r["flags"] for r in routes)
    assert not [r for r in ipj("fv", "node1", "route", "show") if r["dst"] == "10.244.0.0/16"]


def test_flannel_postrtg_rules_in_flannels_order(vxlan: Topology) -> None:
    nat = inspect.iptables_save(naming.netns("fv", "node2"), "nat").splitlines()
    rules = [line for line in nat if line.startswith("-A FLANNEL-POSTRTG")]
    masq = '-m comment --comment "flanneld masq"'
    assert rules == [
        f"-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 {masq} -j RETURN",
        f"-A FLANNEL-POSTRTG -s 10.244.1.0/24 -d 10.244.0.0/16 {masq} -j RETURN",
        f"-A FLANNEL-POSTRTG -s 10.244.0.0/16 -d 10.244.1.0/24 {masq} -j RETURN",
        f"-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.1.0/24 {masq} -j RETURN",
        f"-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 {masq} -j MASQUERADE --random-fully",
        f"-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/16 {masq} -j MASQUERADE --random-fully",
    ]
    assert f"-A POSTROUTING {masq} -j FLANNEL-POSTRTG" in nat


def test_flannel_fwd_accepts_the_pod_network(vxlan: Topology) -> None:
    rules = inspect.iptables_save(naming.netns("fv", "node1"), "filter").splitlines()
    fwd = '-m comment --comment "flanneld forward"'
    assert [r for r in rules if "FLANNEL-FWD" in r and r.startswith("-A")] == [
        f"-A FORWARD {fwd} -j FLANNEL-FWD",
        f"-A FLANNEL-FWD -s 10.244.0.0/16 {fwd} -j ACCEPT",
        f"-A FLANNEL-FWD -d 10.244.0.0/16 {fwd} -j ACCEPT",
    ]


def test_subnet_env_per_node(vxlan: Topology) -> None:
    env = (state.LabState("fv").dir / "flannel" / "node3" / "subnet.env").read_text()
    assert env == ("FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.2.1/24\nFLANNEL_MTU=1450\n"
                   "FLANNEL_IPMASQ=true\n")


# -- the CNI bridge plugin -------------------------------------------------------------------------------

def test_cni0_holds_the_gateway_and_forwarding_is_on(vxlan: Topology) -> None:
    (cni0,) = ipj("fv", "node1", "-4", "addr", "show", "cni0")
    assert [(a["local"], a["prefixlen"]) for a in cni0["addr_info"]] == [("10.244.0.1", 24)]
    assert cni0["mtu"] == 1450 and "UP" in cni0["flags"]
    ns = naming.netns("fv", "node1")
    assert inspect.read_sysctl(ns, "net.ipv4.ip_forward") == "1"
    assert inspect.read_sysctl(ns, "net.bridge.bridge-nf-call-iptables") == "1"


def test_pod_veths_are_cni_named_with_hairpin_on(vxlan: Topology) -> None:
    ports = [p for p in bridge_j("fv", "node1", "link", "show") if p.get("master") == "cni0"]
    assert len(ports) == len([p for p in vxlan.pods if p.node == "node1"])  # the file's pods and coredns's
    for port in ports:
        assert port["ifname"].startswith("veth") and len(port["ifname"]) == 12  # veth + 8 hex
        assert port["hairpin"] is True


def test_pods_get_addresses_from_2_mtu_1450_and_flannels_routes(vxlan: Topology) -> None:
    (eth0,) = ipj("fv", "a1", "-4", "addr", "show", "eth0")
    assert [(a["local"], a["prefixlen"]) for a in eth0["addr_info"]] == [("10.244.0.2", 24)]
    assert eth0["mtu"] == 1450
    routes = {(r["dst"], r.get("gateway")) for r in ipj("fv", "a1", "route", "show")}
    assert routes == {("10.244.0.0/24", None), ("10.244.0.0/16", "10.244.0.1"), ("default", "10.244.0.1")}


# -- traffic ---------------------------------------------------------------------------------------------

def test_pod_to_pod_on_one_node_and_across_nodes_both_ways(vxlan: Topology) -> None:
    assert http_get("fv", "a2", "10.244.0.2")["client"] == "10.244.0.3"
    assert http_get("fv", "a1", "10.244.1.2")["client"] == "10.244.0.2"
    assert http_get("fv", "c1", "10.244.0.2")["client"] == "10.244.2.2"
    assert http_get("fv", "b1", "10.244.2.2")["server"] == "c1"


def test_pod_to_internet_is_masqueraded_to_the_node(vxlan: Topology) -> None:
    assert http_get("fv", "b1", "203.0.113.10")["client"] == "192.168.56.12"


def test_node_to_pod(vxlan: Topology) -> None:
    assert http_get("fv", "node1", "10.244.0.2")["server"] == "a1"
    assert http_get("fv", "node3", "10.244.0.2")["server"] == "a1"


ETH_P_ALL = 0x0003


def capture_vxlan(lab: str, port: str, send: Any) -> list[dict[str, Any]]:
    """Captures on the underlay switch port `port` while `send()` runs; returns the VXLAN frames decoded."""
    with netns.inside(naming.netns(lab, naming.UNDERLAY)):
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.bind((port, ETH_P_ALL))
    sock.settimeout(0.2)
    frames: list[bytes] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                frames.append(sock.recv(65535))
            except TimeoutError:
                continue

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        send()
    finally:
        stop.set()
        thread.join()
        sock.close()
    decoded = []
    for frame in frames:
        if frame[12:14] != b"\x08\x00":  # IPv4 only (ARP shares the wire)
            continue
        ip = frame[14:]
        ihl = (ip[0] & 0x0F) * 4
        packet: dict[str, Any] = {"proto": ip[9], "outer_src": socket.inet_ntoa(ip[12:16]),
                                  "outer_dst": socket.inet_ntoa(ip[16:20]), "dport": None}
        if ip[9] == 17:
            packet["dport"] = struct.unpack("!H", ip[ihl + 2:ihl + 4])[0]
        if packet["dport"] == 8472:
            vxlan_header = ip[ihl + 8:ihl + 16]
            inner_ip = ip[ihl + 16 + 14:]
            packet.update(flags=vxlan_header[0], vni=int.from_bytes(vxlan_header[4:7], "big"),
                          inner_src=socket.inet_ntoa(inner_ip[12:16]), inner_dst=socket.inet_ntoa(inner_ip[16:20]))
        decoded.append(packet)
    return decoded


def test_cross_node_traffic_is_vxlan_on_the_wire(vxlan: Topology) -> None:
    frames = capture_vxlan("fv", "node1", lambda: http_get("fv", "a1", "10.244.1.2"))
    out = [f for f in frames if f["outer_src"] == "192.168.56.11" and f["proto"] == 17]
    assert out, f"no VXLAN frames seen leaving node1: {frames}"
    for f in out:
        assert f["dport"] == 8472 and f["flags"] == 0x08 and f["vni"] == 1
        assert f["outer_dst"] == "192.168.56.12"
        assert (f["inner_src"], f["inner_dst"]) == ("10.244.0.2", "10.244.1.2")
    back = [f for f in frames if f["outer_src"] == "192.168.56.12" and f["proto"] == 17]
    assert back and all((f["inner_src"], f["inner_dst"]) == ("10.244.1.2", "10.244.0.2") for f in back)


def ping_df(lab: str, where: str, target: str, payload: int) -> bool:
    return run_in(lab, where, "ping", "-c1", "-W2", "-M", "do", "-s", str(payload), target).returncode == 0


def test_overlay_mtu_is_real_1422_crosses_1423_does_not(vxlan: Topology) -> None:
    assert ping_df("fv", "a1", "10.244.2.2", 1422)
    assert not ping_df("fv", "a1", "10.244.2.2", 1423)


def test_declared_probes_hold_on_the_overlay(vxlan: Topology) -> None:
    results = run_probes(vxlan)
    assert len(results) == 3 and all(r.ok for r in results), [r.as_dict() for r in results]


# -- host-gw ---------------------------------------------------------------------------------------------

def test_host_gw_has_only_routes_via_the_remote_node_ips(hostgw: Topology) -> None:
    routes = [r for r in ipj("hg", "node2", "route", "show") if r["dst"].startswith("10.244.")]
    assert sorted((r["dst"], r.get("gateway"), r["dev"]) for r in routes) == [
        ("10.244.0.0/24", "192.168.56.11", "eth0"),
        ("10.244.1.0/24", None, "cni0"),
        ("10.244.2.0/24", "192.168.56.13", "eth0"),
    ]


def test_host_gw_has_no_tunnel_and_full_mtu(hostgw: Topology) -> None:
    kinds = {link["ifname"]: link.get("linkinfo", {}).get("info_kind") for link in ipj("hg", "node1", "link", "show")}
    assert "vxlan" not in kinds.values() and "flannel.1" not in kinds
    (eth0,) = ipj("hg", "a1", "link", "show", "eth0")
    assert eth0["mtu"] == 1500
    assert ping_df("hg", "a1", "10.244.2.2", 1472)


def test_host_gw_carries_pod_addresses_on_the_underlay(hostgw: Topology) -> None:
    assert http_get("hg", "a1", "10.244.1.2")["client"] == "10.244.0.2"
    assert http_get("hg", "c1", "10.244.0.3")["client"] == "10.244.2.2"
    assert http_get("hg", "b1", "203.0.113.10")["client"] == "192.168.56.12"
    frames = capture_vxlan("hg", "node1", lambda: http_get("hg", "a1", "10.244.1.2"))
    assert not [f for f in frames if f["dport"] == 8472]
    # The pods' own addresses are on the wire: routed by the nodes, not wrapped.
    assert [f for f in frames if (f["outer_src"], f["outer_dst"], f["proto"]) == ("10.244.0.2", "10.244.1.2", 6)]
