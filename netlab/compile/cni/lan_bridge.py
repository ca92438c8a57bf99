"""A plain LAN behind each node, like a home router's: bridge `br-lan` holding the gateway address, hosts
on it, forwarding on — and nothing else. No NAT and no filter rule: the lab's own `rules:` decide
whether the LAN reaches the internet (POSTROUTING SNAT/MASQUERADE) and what the internet reaches on
the LAN (PREROUTING DNAT). It is the blank page for raw NAT exercises (topologies/home-router.yaml).
"""

from __future__ import annotations

from netlab import naming
from netlab.compile.links import attached_namespace, bridge
from netlab.plan import Note, Step, Sysctl
from netlab.topology.model import Topology

BRIDGE = "br-lan"  # OpenWrt's name for a home router's LAN bridge
VETH_HEX_DIGITS = 8


def compile_pod_network(t: Topology) -> list[Step]:
    steps: list[Step] = []
    for node in t.nodes:
        ns = naming.netns(t.name, node.name)
        steps += [Note(f"node {node.name}: LAN {node.pod_subnet} on {BRIDGE} ({node.bridge_ip.ip}); it routes, "
                       "and translates nothing unless its rules say so")]
        steps += bridge(t.name, ns, BRIDGE, 1500, str(node.bridge_ip))
        steps += [Sysctl(ns, "net.ipv4.ip_forward", "1")]
        taken: set[str] = set()
        for host in t.pods_on(node.name):
            veth = naming.hashed_veth(t.name, node.name, host.name, hex_digits=VETH_HEX_DIGITS, taken=taken)
            steps += [Note(f"LAN host {host.name}: {host.ip} on {BRIDGE} through {veth}")]
            steps += attached_namespace(t.name, netns=naming.netns(t.name, host.name), role="pod", outer_netns=ns,
                                        outer_name=veth, master=BRIDGE, address=str(host.ip),
                                        gateway=str(node.bridge_ip.ip), mtu=1500)
    return steps
