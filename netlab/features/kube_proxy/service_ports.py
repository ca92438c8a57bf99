"""What kube-proxy knows about each service port before it writes a rule: its name, endpoints and chain names.

kube-proxy names every chain after a hash of the service port's name, so that a student who runs
`iptables-save` on a netlab node sees the very names a real node would show for the same Service
(kubernetes-dataplane.md §0.1): KUBE-SVC-/SVL-/EXT-/FW- + base32(sha256(name + protocol))[:16], KUBE-SEP- +
base32(sha256(name + protocol + endpoint))[:16]; nftables mode: <prefix>-base32(sha256(base))[:8]-<base>.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cached_property
from ipaddress import IPv4Address, IPv4Network

from netlab.topology.model import Endpoint, Service, ServicePort, Topology

MASQUERADE_MARK = "0x4000"  # 1 << --iptables-masquerade-bit (default 14)
MASQUERADE_MARK_MATCH = f"{MASQUERADE_MARK}/{MASQUERADE_MARK}"  # iptables `-m mark --mark` of that bit


def _b32_sha256(text: str, chars: int) -> str:
    """The first `chars` (≤ 16) base32 characters of the text's sha256, as kube-proxy names chains. Only the
    digest's first 10 bytes are encoded (16 characters): Python's base32 is slow, and that is all a name uses."""
    return base64.b32encode(hashlib.sha256(text.encode()).digest()[:10]).decode()[:chars]


@dataclass(frozen=True)
class ServicePortInfo:
    """One port of one Service, with everything the proxy modes derive from it."""

    service: Service
    port: ServicePort
    endpoints: tuple[Endpoint, ...]

    @property
    def name(self) -> str:
        """kube-proxy's ServicePortName: `ns/svc:port`, or `ns/svc` for an unnamed port."""
        base = f"{self.service.namespace}/{self.service.name}"
        return f"{base}:{self.port.name}" if self.port.name else base

    @property
    def protocol(self) -> str:
        return str(self.port.protocol)

    @property
    def cluster_ip(self) -> IPv4Address:
        assert self.service.cluster_ip is not None  # headless services never become a ServicePortInfo
        return self.service.cluster_ip

    @property
    def node_port(self) -> int | None:
        return self.port.node_port

    @property
    def external_ips(self) -> tuple[IPv4Address, ...]:
        return self.service.external_ips

    @property
    def load_balancer_ips(self) -> tuple[IPv4Address, ...]:
        """The load balancer's addresses (status.loadBalancer.ingress): what MetalLB gave the Service."""
        return self.service.ingress_ips

    @property
    def source_ranges(self) -> tuple[IPv4Network, ...]:
        """loadBalancerSourceRanges as kube-proxy keeps them: none at all if one is a /0 (everyone is let in)."""
        ranges = self.service.load_balancer_source_ranges
        return () if any(r.prefixlen == 0 for r in ranges) else ranges

    @property
    def externally_accessible(self) -> bool:
        """Reached from outside the cluster (kube-proxy's ExternallyAccessible): through a node port, an external
        IP or a load balancer's address. Such a port has the external chain, where externalTrafficPolicy decides."""
        return self.node_port is not None or bool(self.external_ips) or bool(self.load_balancer_ips)

    @property
    def uses_firewall(self) -> bool:
        """loadBalancerSourceRanges on a load balancer's address: a firewall chain lets only those sources on."""
        return bool(self.endpoints) and bool(self.load_balancer_ips) and bool(self.source_ranges)

    @property
    def affinity(self) -> bool:
        return self.service.session_affinity == "ClientIP"

    @property
    def external_local(self) -> bool:
        """externalTrafficPolicy: Local — outside traffic goes only to this node's endpoints, source kept."""
        return self.service.external_traffic_policy == "Local"

    def local_endpoints(self, node: str) -> tuple[Endpoint, ...]:
        return tuple(e for e in self.endpoints if e.node == node)

    # -- iptables chain names -----------------------------------------------------------------------------

    @cached_property
    def _hash(self) -> str:
        return _b32_sha256(self.name + self.protocol, 16)

    @property
    def svc_chain(self) -> str:
        return "KUBE-SVC-" + self._hash

    @property
    def svl_chain(self) -> str:
        return "KUBE-SVL-" + self._hash

    @property
    def ext_chain(self) -> str:
        return "KUBE-EXT-" + self._hash

    @property
    def fw_chain(self) -> str:
        return "KUBE-FW-" + self._hash

    def sep_chain(self, endpoint: Endpoint) -> str:
        return self._sep_chains[endpoint]

    @cached_property
    def _sep_chains(self) -> dict[Endpoint, str]:  # each name is used three times; sha256 is the cost
        return {e: "KUBE-SEP-" + _b32_sha256(self.name + self.protocol + str(e), 16) for e in self.endpoints}

    # -- nftables chain names -----------------------------------------------------------------------------

    @property
    def nft_base(self) -> str:
        return f"{self.service.namespace}/{self.service.name}/{self.protocol}/{self.port.name}"

    def nft_chain(self, prefix: str) -> str:
        """service-, local-, external-, affinity- + hash + base (kube-proxy's hashAndTruncate)."""
        return f"{prefix}-{_b32_sha256(self.nft_base, 8)}-{self.nft_base}"

    def nft_endpoint_chain(self, endpoint: Endpoint) -> str:
        return self._nft_endpoint_chains[endpoint]

    @cached_property
    def _nft_endpoint_chains(self) -> dict[Endpoint, str]:
        bases = {e: f"{self.nft_base}__{e.ip}/{e.port}" for e in self.endpoints}
        return {e: f"endpoint-{_b32_sha256(base, 8)}-{base}" for e, base in bases.items()}


def service_ports(t: Topology) -> list[ServicePortInfo]:
    """Every port of every Service with a cluster IP, in a stable order (namespace, name, port)."""
    result = [ServicePortInfo(s, p, t.endpoints(s, p)) for s in t.services if s.cluster_ip is not None
              for p in s.ports]
    return sorted(result, key=lambda i: (i.service.namespace, i.service.name, i.port.port, i.protocol))
