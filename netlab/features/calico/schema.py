"""The topology key `cluster.calico:`, read and checked as Calico checks its IPPool and BGPConfiguration."""

from __future__ import annotations

from ipaddress import IPv4Network

from netlab.features.calico.model import ENCAPSULATIONS, CalicoConfig
from netlab.topology.reader import Path, Reader

FIELDS = ("encapsulation", "natOutgoing", "blockSize", "asNumber", "nodeToNodeMesh", "routeReflectors")
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
    )


def check_reflectors(r: Reader, config: CalicoConfig | None, nodes: list[str]) -> None:
    for i, name in enumerate(config.route_reflectors if config else ()):
        if name not in nodes:
            r.problem(("cluster", "calico", "routeReflectors", i), f"unknown node '{name}'",
                      "known nodes: " + ", ".join(nodes))


def default_pool(underlay: IPv4Network | None) -> IPv4Network:
    """Calico's default pool, unless the nodes' network lies in it."""
    if underlay is not None and underlay.overlaps(DEFAULT_POOL):
        return FALLBACK_POOL
    return DEFAULT_POOL
