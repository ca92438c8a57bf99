"""kube-proxy: how Services are implemented on each node. One module per --proxy-mode, behind one registry."""

from __future__ import annotations

from collections.abc import Callable

from netlab import naming
from netlab.compile.proxy import kube_iptables, kube_ipvs, kube_nftables
from netlab.compile.proxy.services import ServicePortInfo, service_ports
from netlab.plan import Note, Step
from netlab.topology.model import Node, ProxyMode, Topology

ProxyCompiler = Callable[[Topology, list[ServicePortInfo], Node, str], list[Step]]

PROXY_COMPILERS: dict[ProxyMode, ProxyCompiler] = {
    ProxyMode.IPTABLES: kube_iptables.compile_services,
    ProxyMode.IPVS: kube_ipvs.compile_services,
    ProxyMode.NFTABLES: kube_nftables.compile_services,
}


def compile_kube_proxy(t: Topology) -> list[Step]:
    mode = t.cluster.proxy
    if mode is ProxyMode.NONE:
        return []
    compiler = PROXY_COMPILERS.get(mode)
    if compiler is None:  # the loader rejects these first; this guards the registry
        raise ValueError(f"no compiler for proxy mode {mode}")
    steps: list[Step] = []
    ports = service_ports(t)  # endpoints and chain names, the same on every node
    for node in t.nodes:
        steps.append(Note(f"node {node.name}: kube-proxy ({mode} mode) programs {len(t.services)} services"))
        steps += compiler(t, ports, node, naming.netns(t.name, node.name))
    return steps
