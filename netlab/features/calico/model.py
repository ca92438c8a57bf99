"""What `cluster.calico:` says: the IP pool's encapsulation and NAT, IPAM's block size, and BGP's shape (the
fields of Calico's IPPool and BGPConfiguration resources, with their defaults)."""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address

IPIP, VXLAN, NO_ENCAPSULATION = "IPIP", "VXLAN", "None"
CROSS_SUBNET = "CrossSubnet"  # IPIPCrossSubnet, VXLANCrossSubnet: the tunnel only to a node on another subnet
ENCAPSULATIONS = (IPIP, VXLAN, NO_ENCAPSULATION, IPIP + CROSS_SUBNET, VXLAN + CROSS_SUBNET)
TUNL0, VXLAN_DEVICE = "tunl0", "vxlan.calico"


@dataclass(frozen=True)
class BgpPeer:
    """A BGPPeer resource: a BGP speaker outside the cluster (here, the internet router) the nodes peer with —
    every node (a global peer, `Global_<ip>` in bird.cfg), or one (`node:`, `Node_<ip>`)."""
    peer_ip: IPv4Address
    as_number: int
    node: str | None = None
    keep_original_next_hop: bool = False  # announce another node's block with that node as next hop, not itself

    def peers_with(self, node: str) -> bool:
        return self.node in (None, node)


@dataclass(frozen=True)
class CalicoConfig:
    # the IPPool's ipipMode Always (manifests/calico.yaml) or CrossSubnet, vxlanMode Always or CrossSubnet, or none
    encapsulation: str = IPIP
    nat_outgoing: bool = True  # IPPool.natOutgoing: pods reach beyond the pool from their node's address
    block_size: int = 26  # IPPool.blockSize: IPAM gives each node blocks of this length
    as_number: int = 64512  # BGPConfiguration.asNumber: one iBGP AS for the whole cluster
    node_to_node_mesh: bool = True  # BGPConfiguration.nodeToNodeMeshEnabled
    route_reflectors: tuple[str, ...] = ()  # nodes with a routeReflectorClusterID; the others peer only with them
    peers: tuple[BgpPeer, ...] = ()  # BGPPeer resources: the outside speakers the nodes announce their blocks to

    @property
    def mode(self) -> str:
        """IPIP, VXLAN or None: the tunnel the pool uses, always or across subnets."""
        return self.encapsulation.removesuffix(CROSS_SUBNET)

    @property
    def cross_subnet(self) -> bool:
        """To a node on the same subnet, no tunnel: a plain route via its address (felix's "no-encap" route)."""
        return self.encapsulation.endswith(CROSS_SUBNET)

    @property
    def tunnel(self) -> str | None:
        """The device a node's cluster routes leave through, and the one holding its tunnel address."""
        return {IPIP: TUNL0, VXLAN: VXLAN_DEVICE}.get(self.mode)
