"""What a pod network (a CNI, or Docker's bridge driver) is to the rest of netlab: one record per mode, listed in
netlab/features/__init__.py. The loader reads `cluster.cni` against that list, addressing asks it how to
number nodes, the compiler calls its `compile`, and `doctor` builds its smallest lab to see if it can run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from netlab.plan import Step
from netlab.topology.model import Cluster, Topology


def no_extra_addresses(cluster: Cluster, subnet: IPv4Network) -> tuple[IPv4Address, ...]:
    return ()


@dataclass(frozen=True)
class Cni:
    """A way of wiring pods: on a node, and from node to node."""

    name: str  # the value of cluster.cni
    summary: str
    kubernetes: bool  # a Kubernetes pod network: kube-proxy runs, and Services exist
    default_pod_cidr: str
    shared_subnet: bool  # every node holds the whole pod network (separate Docker hosts), else one subnet each
    compile: Callable[[Topology], list[Step]]
    doctor_lab: str  # the smallest lab of this mode, as YAML after `name:` (doctor checks what `up` needs for it)
    publishes: bool = False  # pods may publish ports (Docker's -p)
    # Addresses the network gives a node beyond eth0 and the bridge's (flannel.1's /32), from its pod subnet.
    extra_node_addresses: Callable[[Cluster, IPv4Network], tuple[IPv4Address, ...]] = no_extra_addresses
    # Pods on a bridge whose gateway is the subnet's .1, addressed from .2 as host-local IPAM does; else (Calico)
    # routed pods, addressed from the node's IPAM block, every address of it, .0 included: a block is no subnet.
    bridged: bool = True
    # What the network's agent loads once kube-proxy's rules are in (felix keeps its jumps above kube-proxy's).
    after_services: Callable[[Topology], list[Step]] | None = None
