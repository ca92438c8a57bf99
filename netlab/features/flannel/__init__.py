"""flannel with the CNI bridge plugin: the Kubernetes pod network, over a VXLAN overlay or host-gw routes."""

from __future__ import annotations

from functools import partial
from ipaddress import IPv4Address, IPv4Network

from netlab.features.cni import Cni
from netlab.features.flannel import network
from netlab.topology.model import Cluster

POD_CIDR = "10.244.0.0/16"  # kube-flannel.yml's net-conf.json
TWO_NODES = "nodes: [{name: node1}, {name: node2}]\npods: [{name: web, labels: {app: web}}]\n"


def vtep_address(cluster: Cluster, subnet: IPv4Network) -> tuple[IPv4Address, ...]:
    return (subnet.network_address,)  # flannel.1 holds <subnet>.0/32


VXLAN = Cni(
    name="flannel-vxlan",
    summary="flannel's vxlan backend: cni0 bridges and a flannel.1 VXLAN overlay between nodes",
    kubernetes=True,
    default_pod_cidr=POD_CIDR,
    shared_subnet=False,
    compile=partial(network.compile_pod_network, vxlan=True),
    doctor_lab="cluster: {cni: flannel-vxlan}\n" + TWO_NODES,
    extra_node_addresses=vtep_address,
)
HOST_GW = Cni(
    name="host-gw",
    summary="flannel's host-gw backend: cni0 bridges and one route per remote node, no tunnel",
    kubernetes=True,
    default_pod_cidr=POD_CIDR,
    shared_subnet=False,
    compile=partial(network.compile_pod_network, vxlan=False),
    doctor_lab="cluster: {cni: host-gw}\n" + TWO_NODES,
)
