"""A plain LAN behind each node, like a home router's: bridge `br-lan` holding the gateway address, hosts
on it, forwarding on — and nothing else. No NAT and no filter rule: the lab's own `rules:` decide
whether the LAN reaches the internet (POSTROUTING SNAT/MASQUERADE) and what the internet reaches on
the LAN (PREROUTING DNAT). It is the blank page for raw NAT exercises (topologies/home-router.yaml).
"""

from __future__ import annotations

from netlab import naming
from netlab.compile.links import bridge, containers_on_bridge
from netlab.plan import Note, Step, Sysctl
from netlab.topology.model import Topology

BRIDGE = "br-lan"  # OpenWrt's name for a home router's LAN bridge
VETH_HEX_DIGITS = 8


def compile_pod_network(t: Topology) -> list[Step]:
    steps: list[Step] = []
    for node in t.nodes:
        ns = naming.netns(t.name, node.name)
        steps += [Note(f"node {node.name}: LAN {node.pod_subnet} on {BRIDGE} ({node.bridge.ip}); it routes, "
                       "and translates nothing unless its rules say so")]
        steps += bridge(t.name, ns, BRIDGE, 1500, str(node.bridge))
        steps += [Sysctl(ns, "net.ipv4.ip_forward", "1")]
        steps += containers_on_bridge(t, node, BRIDGE, hex_digits=VETH_HEX_DIGITS, label="LAN host")
    return steps
