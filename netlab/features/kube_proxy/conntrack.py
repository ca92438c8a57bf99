"""kube-proxy's conntrack cleanup after a sync (pkg/proxy/conntrack/cleanup.go, every proxy mode).

A UDP "connection" is only a conntrack entry: nothing ends it, and each datagram a client sends from the same
port follows the entry's DNAT for as long as it keeps the entry alive (30 s, 120 s once it has been answered both
ways). So when an endpoint of a UDP Service goes, kube-proxy deletes the flows still DNATed to it: those whose
original destination is the Service's ClusterIP:port, or any address with its NodePort, and whose reply comes from
an address that is no longer an endpoint. The client's next datagram is a new flow, and the rules pick a live
endpoint. A Service left with no endpoints is not cleaned (upstream: its REJECT rule answers new flows only).

TCP flows are left alone, as kube-proxy leaves them: an established connection keeps its DNAT to the pod that
went, and ends when the pod closes it on the way out (netlab's echo server drains on SIGTERM) or when the
client gives up (docs/apply.md).
"""

from __future__ import annotations

from netlab import naming
from netlab.topology.model import Protocol, Topology


def stale_udp_flows(before: Topology, after: Topology) -> list[tuple[str, list[str]]]:
    """(node namespace, `conntrack -D` argv) for every filter of flows to delete on every node of `after`."""
    if after.cluster.proxy == "none":
        return []
    was = {(s.namespace, s.name): s for s in before.services}
    filters: list[list[str]] = []
    for service in after.services:
        old = was.get((service.namespace, service.name))
        if old is None or service.cluster_ip is None:
            continue
        old_ports = {(p.port, p.protocol): p for p in old.ports}
        for port in service.ports:
            old_port = old_ports.get((port.port, port.protocol))
            if port.protocol != Protocol.UDP or old_port is None:
                continue
            serving = {e.ip for e in after.endpoints(service, port)}
            if not serving:
                continue
            for ip in sorted({e.ip for e in before.endpoints(old, old_port)} - serving):
                filters.append(["--orig-dst", str(service.cluster_ip), "--orig-port-dst", str(port.port),
                                "--reply-src", str(ip)])
                if port.node_port:
                    filters.append(["--orig-port-dst", str(port.node_port), "--reply-src", str(ip)])
    return [(naming.netns(after.name, node.name), ["conntrack", "-D", "-p", "udp", *f])
            for node in after.nodes for f in filters]
