"""Calico: routed pods, IPAM blocks, BGP between the nodes with BIRD, and VXLAN — as a real node holds them.

model.py and schema.py are `cluster.calico:` (the IPPool and BGPConfiguration fields); cni_plugin.py puts a pod
on its node as Calico's CNI plugin does (a cali veth, a /32, proxy ARP for 169.254.1.1, no bridge); felix.py is
what felix programs for the pool (forwarding, vxlan.calico and its routes); bgp.py and bird.py run BIRD on every
node with the configuration calico-node's confd renders. Addresses come from one IPAM block per node
(blockSize, /26 by default), the tunnel address first when the pool is encapsulated.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

from netlab.features.calico import bgp, cni_plugin, felix
from netlab.features.calico.model import NO_ENCAPSULATION
from netlab.features.cni import Cni
from netlab.plan import Step
from netlab.topology.model import Cluster, Topology

NAME = "calico"


def tunnel_address(cluster: Cluster, block: IPv4Network) -> tuple[IPv4Address, ...]:
    """An encapsulated pool gives each node a tunnel address, the first of its block."""
    encapsulated = cluster.calico is not None and cluster.calico.mode != NO_ENCAPSULATION
    return (block.network_address,) if encapsulated else ()


def compile_pod_network(t: Topology) -> list[Step]:
    steps: list[Step] = []
    for node in t.nodes:
        steps += felix.node_routing(t, node)
    for node in t.nodes:
        steps += cni_plugin.pods_on(t, node, felix.pod_mtu(t))
    for node in t.nodes:
        steps += felix.rules(t, node)
    return steps + bgp.compile_bgp(t)


CALICO = Cni(
    name=NAME,
    summary="Calico: routed pods on cali veths, BGP between the nodes with BIRD, VXLAN or no encapsulation",
    kubernetes=True,
    default_pod_cidr="192.168.0.0/16",  # the loader moves it where it would hold the underlay (schema.py)
    shared_subnet=False,
    compile=compile_pod_network,
    doctor_lab="cluster: {cni: calico, calico: {encapsulation: VXLAN}}\n"
               "nodes: [{name: node1}, {name: node2}]\npods: [{name: web, labels: {app: web}}]\n",
    extra_node_addresses=tunnel_address,
    bridged=False,
    after_services=felix.hooks,
)
