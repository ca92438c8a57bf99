"""kube-proxy's nftables and IPVS modes as the model trace applies them: which Service rule or virtual server
translates a packet, and which refuses it.

The iptables modes' rules are interpreted from their text (rules_sim). nftables mode's table is made of
sets and verdict maps, so here its decisions are derived from the topology, the same way
compile/proxy/kube_nftables.py writes them, and named after the chains it writes (service-…,
endpoint-…). IPVS mode is read from the plan's `ipvsadm` payload: a virtual server and its real servers.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address

from netlab.compile.proxy.kube_nftables import TABLE
from netlab.compile.proxy.services import MASQUERADE_MARK, ServicePortInfo, service_ports
from netlab.topology.model import Endpoint, Node, Topology
from netlab.trace.model import RuleRef
from netlab.trace.rules_sim import View

MARK = int(MASQUERADE_MARK, 16)
FAMILY, NFT_TABLE = TABLE.split()  # "ip", "kube-proxy"


@dataclass(frozen=True)
class Decision:
    """What one rule (or virtual server) did to the packet: dnat | masquerade | snat | drop | reject."""

    kind: str
    rule: RuleRef | None
    to: str | None = None  # the new address (ip or ip:port) for a NAT
    choices: tuple[str, ...] = ()  # every endpoint the random choice could have taken
    by: str = ""  # the chain, or "IPVS": what a student looks up


def pick(choices: list[str], wanted: str | None) -> int:
    """The endpoint asked for (what the kernel really chose), else the first in kube-proxy's order."""
    for i, c in enumerate(choices):
        if wanted and (c == wanted or c.partition(":")[0] == wanted):
            return i
    return 0


class NftProxy:
    """`table ip kube-proxy` on one node, decided from the topology's Services."""

    def __init__(self, t: Topology, node: Node, obj: str) -> None:
        self.ports = service_ports(t)
        self.node, self.obj = node, obj
        self.cluster_cidr, self.service_cidr = t.cluster.pod_cidr, t.cluster.service_cidr

    def ref(self, chain: str, text: str) -> RuleRef:
        return RuleRef(self.obj, FAMILY, NFT_TABLE, chain, None, text)

    def nat(self, view: View, endpoint: str | None) -> Decision | None:
        """nat-prerouting / nat-output → services: @service-ips, then @service-nodeports."""
        for info in self.ports:
            if view.proto != info.protocol or not info.endpoints:
                continue
            if view.dst == str(info.cluster_ip) and view.dport == info.port.port:
                return self._service(info, view, info.endpoints, info.nft_chain("service"), endpoint)
            if info.node_port is not None and view.dst == str(self.node.ip) and view.dport == info.node_port:
                return self._external(info, view, endpoint)
        return None

    def _external(self, info: ServicePortInfo, view: View, endpoint: str | None) -> Decision | None:
        service = info.nft_chain("service")
        if not info.external_local:
            view.mark |= MARK  # jump mark-for-masquerade
            return self._service(info, view, info.endpoints, service, endpoint)
        if IPv4Address(view.src) in self.cluster_cidr:
            return self._service(info, view, info.endpoints, service, endpoint)
        if view.src in view.local:
            view.mark |= MARK
            return self._service(info, view, info.endpoints, service, endpoint)
        local = info.local_endpoints(self.node.name)
        return self._service(info, view, local, info.nft_chain("local"), endpoint) if local else None

    def _service(self, info: ServicePortInfo, view: View, endpoints: tuple[Endpoint, ...], chain: str,
                 endpoint: str | None) -> Decision:
        if view.dst == str(info.cluster_ip) and IPv4Address(view.src) not in self.cluster_cidr:
            view.mark |= MARK  # off-cluster clients of a ClusterIP are masqueraded
        choices = [str(e) for e in endpoints]
        chosen = endpoints[pick(choices, endpoint)]
        if view.src == str(chosen.ip):
            view.mark |= MARK  # a pod reaching itself through its Service (hairpin)
        sep = info.nft_endpoint_chain(chosen)
        return Decision("dnat", self.ref(sep, f"meta l4proto {info.protocol} dnat to {chosen}"), str(chosen),
                        tuple(choices), f"{chain} → {sep}")

    def filter(self, hook: str, view: View) -> Decision | None:
        """filter-forward / -input / -output (ct state new): the no-endpoint maps and cluster-ips-check."""
        if "NEW" not in view.ctstate:
            return None
        checks = {"FORWARD": (self._no_endpoints, self._cluster_ips), "INPUT": (self._no_nodeport, self._no_endpoints),
                  "OUTPUT": (self._no_endpoints, self._cluster_ips)}.get(hook, ())
        for check in checks:
            found = check(view)
            if found:
                return found
        return None

    def _no_endpoints(self, view: View) -> Decision | None:
        for info in self.ports:
            if (not info.endpoints and view.dst == str(info.cluster_ip) and view.proto == info.protocol
                    and view.dport == info.port.port):
                text = (f"ip daddr . meta l4proto . th dport vmap @no-endpoint-services  # {info.cluster_ip} . "
                        f'{info.protocol} . {info.port.port} comment "{info.name}" : goto reject-chain')
                return Decision("reject", self.ref("service-endpoints-check", text), by="reject-chain")
        return None

    def _no_nodeport(self, view: View) -> Decision | None:
        if view.dst != str(self.node.ip):
            return None
        for info in self.ports:
            if info.node_port is None or view.proto != info.protocol or view.dport != info.node_port:
                continue
            if not info.endpoints or (info.external_local and not info.local_endpoints(self.node.name)):
                verdict = "reject" if not info.endpoints else "drop"
                text = (f"ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports  # "
                        f'{info.protocol} . {info.node_port} comment "{info.name}" : {verdict}')
                return Decision(verdict, self.ref("nodeport-endpoints-check", text), by="nodeport-endpoints-check")
        return None

    def _cluster_ips(self, view: View) -> Decision | None:
        if any(view.dst == str(info.cluster_ip) for info in self.ports):
            text = 'ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"'
            return Decision("reject", self.ref("cluster-ips-check", text), by="cluster-ips-check")
        if IPv4Address(view.dst) in self.service_cidr:
            text = f'ip daddr {{ {self.service_cidr} }} drop comment "Drop traffic to unallocated ClusterIPs"'
            return Decision("drop", self.ref("cluster-ips-check", text), by="cluster-ips-check")
        return None

    def masquerade(self, view: View) -> Decision | None:
        """nat-postrouting → masquerading: what carries the 0x4000 mark leaves with the node's address."""
        if not view.mark & MARK:
            return None
        view.mark ^= MARK
        return Decision("masquerade", self.ref("masquerading", "masquerade fully-random"), by="masquerading")


def ipvs_decision(ipvs: dict[tuple[str, str, int], list[str]], obj: str, view: View,
                  endpoint: str | None) -> Decision | None:
    """IPVS in LOCAL_IN: a virtual server on the destination picks a real server (masquerading forwarding);
    one without real servers answers ICMP port unreachable (ip_vs_leave)."""
    if view.dport is None:
        return None
    reals = ipvs.get((view.proto, view.dst, view.dport))
    if reals is None:
        return None
    flag = "-t" if view.proto == "tcp" else "-u"
    vip = f"{view.dst}:{view.dport}"
    if not reals:
        ref = RuleRef(obj, "ipvs", "ipvs", vip, None, f"-A {flag} {vip} -s rr")
        return Decision("reject", ref, by=f"IPVS virtual server {vip} has no real servers")
    real = reals[pick(reals, endpoint)]
    ref = RuleRef(obj, "ipvs", "ipvs", vip, None, f"-a {flag} {vip} -r {real} -m -w 1")
    return Decision("dnat", ref, real, tuple(reals), f"IPVS virtual server {vip} → {real}")
