"""kube-proxy: how Services are implemented on each node. One module per --proxy-mode, listed in MODES.

service_ports.py is what every mode knows of a Service port before it writes a rule (its endpoints and the
names kube-proxy hashes for its chains); iptables.py, nftables.py and ipvs.py write each mode's rules, and
userspace.py the first mode's, where kube-proxy relays every connection itself; healthcheck.py runs the health
check server of externalTrafficPolicy Local load balancers in every mode but userspace, which had none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from netlab import naming
from netlab.features.kube_proxy import healthcheck, iptables, ipvs, nftables, userspace
from netlab.features.kube_proxy.service_ports import ServicePortInfo, service_ports
from netlab.plan import Note, Step
from netlab.topology.model import Node, Topology

NONE = "none"  # no kube-proxy: a Docker host or a plain LAN


@dataclass(frozen=True)
class ProxyMode:
    """One --proxy-mode: the rules it writes on one node for every Service port."""

    name: str
    summary: str
    compile: Callable[[Topology, list[ServicePortInfo], Node, str], list[Step]]


MODES = {m.name: m for m in (
    ProxyMode("iptables", "a KUBE-SVC chain per Service port, endpoints picked by statistic rules",
              iptables.compile_services),
    ProxyMode("nftables", "one nftables table, Services looked up in verdict maps", nftables.compile_services),
    ProxyMode("ipvs", "IPVS virtual servers on kube-ipvs0, a few iptables rules matching ipsets",
              ipvs.compile_services),
    ProxyMode("userspace", "kube-proxy relays each connection itself, iptables REDIRECTs to its port (removed in "
              "1.26)", userspace.compile_services),
)}
USERSPACE = "userspace"


def compile_kube_proxy(t: Topology) -> list[Step]:
    if t.cluster.proxy == NONE:
        return []
    mode = MODES[t.cluster.proxy]  # the loader accepts only these
    steps: list[Step] = []
    ports = service_ports(t)  # endpoints and chain names, the same on every node
    for node in t.nodes:
        steps.append(Note(f"node {node.name}: kube-proxy ({mode.name} mode) programs {len(t.services)} services"))
        steps += mode.compile(t, ports, node, naming.netns(t.name, node.name))
        if mode.name != USERSPACE:
            steps += healthcheck.compile_health_checks(t, node, naming.netns(t.name, node.name))
    return steps
