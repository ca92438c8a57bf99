"""The topology key `cluster.calico:`, read and checked as Calico checks its IPPool and BGPConfiguration."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

from netlab.features.calico.model import ENCAPSULATIONS, BgpPeer, CalicoConfig
from netlab.topology.reader import Path, Reader

FIELDS = ("encapsulation", "natOutgoing", "blockSize", "asNumber", "nodeToNodeMesh", "routeReflectors", "peers")
PEER_FIELDS = ("peerIP", "asNumber", "node", "keepOriginalNextHop")  # a BGPPeer's spec
DEFAULT_POOL = IPv4Network("192.168.0.0/16")  # manifests/calico.yaml's CALICO_IPV4POOL_CIDR
# kubeadm's documented --pod-network-cidr, for when Calico's default would swallow the nodes' own network
# (netlab's default underlay, 192.168.56.0/24, is inside 192.168.0.0/16, as a Vagrant host-only network is).
FALLBACK_POOL = IPv4Network("10.244.0.0/16")


def read_calico(r: Reader, value: object, path: Path) -> CalicoConfig:
    m = r.mapping(value, path, FIELDS)
    default = CalicoConfig()
    reflectors = []
    for i, item in enumerate(r.sequence(m.get("routeReflectors"), path + ("routeReflectors",))):
        if isinstance(item, str) and item:
            reflectors.append(item)
        else:
            r.problem(path + ("routeReflectors", i), "expected a node's name")
    mesh = r.boolean(m, "nodeToNodeMesh", path, default.node_to_node_mesh if not reflectors else False)
    if mesh and reflectors:
        r.problem(path + ("nodeToNodeMesh",), "a node-to-node mesh and route reflectors at once",
                  "Calico's route reflector set-up turns the mesh off (nodeToNodeMeshEnabled: false)")
    return CalicoConfig(
        encapsulation=r.one_of(m, "encapsulation", path, list(ENCAPSULATIONS), default.encapsulation),
        nat_outgoing=r.boolean(m, "natOutgoing", path, default.nat_outgoing),
        # Calico accepts 20-32 for IPv4; a block must hold a node's tunnel address and at least one pod.
        block_size=r.integer(m, "blockSize", path, default.block_size, 20, 30) or default.block_size,
        as_number=r.integer(m, "asNumber", path, default.as_number, 1, 4294967295) or default.as_number,
        node_to_node_mesh=mesh,
        route_reflectors=tuple(reflectors),
        peers=read_peers(r, m.get("peers"), path + ("peers",)),
    )


def read_peers(r: Reader, value: object, path: Path) -> tuple[BgpPeer, ...]:
    peers: list[BgpPeer] = []
    for i, item in enumerate(r.sequence(value, path)):
        m = r.mapping(item, path + (i,), PEER_FIELDS)
        ip = r.address(m, "peerIP", path + (i,))
        as_number = r.integer(m, "asNumber", path + (i,), None, 1, 4294967295)
        if "peerIP" not in m or "asNumber" not in m:
            r.problem(path + (i,), "a BGP peer needs peerIP and asNumber", "as Calico's BGPPeer spec does")
            continue
        if ip is None or as_number is None:
            continue
        node = r.text(m, "node", path + (i,), None)
        peer = BgpPeer(ip, as_number, node, r.boolean(m, "keepOriginalNextHop", path + (i,), False))
        if any(p.peer_ip == ip and p.node == node for p in peers):
            r.problem(path + (i, "peerIP"), f"a second peering with {ip}" + (f" from node '{node}'" if node else ""))
        peers.append(peer)
    return tuple(peers)


def check_nodes(r: Reader, config: CalicoConfig | None, nodes: list[str], router: list[IPv4Address]) -> None:
    """The nodes that reflect routes or peer outside exist; the one outside speaker is the internet router."""
    if config is None:
        return
    for i, name in enumerate(config.route_reflectors):
        if name not in nodes:
            r.problem(("cluster", "calico", "routeReflectors", i), f"unknown node '{name}'",
                      "known nodes: " + ", ".join(nodes))
    for i, peer in enumerate(config.peers):
        path = ("cluster", "calico", "peers", i)
        if peer.peer_ip not in router:
            r.problem(path + ("peerIP",), f"no BGP speaker at {peer.peer_ip}",
                      f"the one outside the nodes is the internet router, {', '.join(map(str, router))} (it runs FRR)")
        if peer.as_number != config.peers[0].as_number:
            r.problem(path + ("asNumber",), f"the internet router is in AS {config.peers[0].as_number}",
                      "one router, one AS: give every peering with it the same asNumber")
        if peer.node is not None and peer.node not in nodes:
            r.problem(path + ("node",), f"unknown node '{peer.node}'", "known nodes: " + ", ".join(nodes))


def default_pool(underlay: IPv4Network | None) -> IPv4Network:
    """Calico's default pool, unless the nodes' network lies in it."""
    if underlay is not None and underlay.overlaps(DEFAULT_POOL):
        return FALLBACK_POOL
    return DEFAULT_POOL
