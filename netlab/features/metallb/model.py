"""What `cluster.loadBalancer:` says: MetalLB's IPAddressPool (its addresses) and how the addresses are announced
(an L2Advertisement: `layer2`, or a BGPAdvertisement: `bgp`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, summarize_address_range

METALLB = "metallb"
PROVIDERS = (METALLB,)
LAYER2, BGP = "layer2", "bgp"
MODES = (LAYER2, BGP)


def speaker_name(node: str) -> str:
    """The daemon that speaks for a node: the layer 2 speaker, or in BGP mode FRR's bgpd (`fault stop-speaker`)."""
    return f"metallb-speaker-{node}"


@dataclass(frozen=True)
class AddressRange:
    """One entry of an IPAddressPool's `addresses`: a CIDR (192.168.56.240/28) or a range (…240-…250), as written."""

    text: str
    first: IPv4Address
    last: IPv4Address

    def __contains__(self, ip: object) -> bool:
        return isinstance(ip, IPv4Address) and self.first <= ip <= self.last

    def __iter__(self) -> Iterator[IPv4Address]:
        for n in range(int(self.first), int(self.last) + 1):
            yield IPv4Address(n)

    @property
    def networks(self) -> list[IPv4Network]:
        return list(summarize_address_range(self.first, self.last))


@dataclass(frozen=True)
class LoadBalancerConfig:
    provider: str = METALLB
    mode: str = LAYER2
    addresses: tuple[AddressRange, ...] = ()  # one pool, "default", its ranges in the order written
    # bgp mode: a BGPPeer, the internet router, the same for every node (the example ASNs of MetalLB's docs)
    my_asn: int = 64500
    peer_asn: int = 64501
    # BGPPeer.spec.holdTime and keepaliveTime in seconds; None: FRR's own (hold 180 s, keepalive 60 s)
    hold_time: int | None = None
    keepalive_time: int | None = None

    def __contains__(self, ip: object) -> bool:
        return any(ip in r for r in self.addresses)

    def __iter__(self) -> Iterator[IPv4Address]:
        """The pool's addresses in the order MetalLB's allocator tries them: range by range, each ascending."""
        for r in self.addresses:
            yield from r
