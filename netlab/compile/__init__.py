"""Compile: the validated model to a Plan. Pure — no netlink, no subprocess, no output — and deterministic.

The order of a plan is the order a real machine is set up in: the wires (underlay switch, internet
router, hosts), the nodes on them, then each node's pod network as its CNI (or dockerd) builds it,
then kube-proxy's Service rules, then the instructor's extra rules, then the workloads, and last, for an
exercise, the commands that break it.
"""

from __future__ import annotations

from collections.abc import Callable

from netlab.compile import exercise, skeleton, workloads
from netlab.compile.cni import docker_bridge, flannel, lan_bridge
from netlab.compile.proxy import compile_kube_proxy
from netlab.plan import Plan, Step
from netlab.topology.model import Cni, Topology

CniCompiler = Callable[[Topology], list[Step]]

# One module per CNI mode; the registry is the only place that knows them all.
CNI_COMPILERS: dict[Cni, CniCompiler] = {
    Cni.DOCKER_BRIDGE: docker_bridge.compile_pod_network,
    Cni.FLANNEL_VXLAN: flannel.compile_pod_network,
    Cni.HOST_GW: flannel.compile_pod_network,
    Cni.LAN_BRIDGE: lan_bridge.compile_pod_network,
}


def compile_plan(topology: Topology) -> Plan:
    cni = CNI_COMPILERS.get(topology.cluster.cni)
    if cni is None:  # the loader rejects these first; this guards the registry
        raise ValueError(f"no compiler for cni {topology.cluster.cni}")
    steps: list[Step] = []
    steps += skeleton.compile_underlay_and_internet(topology)
    steps += skeleton.compile_nodes(topology)
    steps += cni(topology)
    steps += compile_kube_proxy(topology)
    steps += skeleton.compile_user_rules(topology)
    steps += workloads.compile_workloads(topology)
    steps += exercise.compile_breaks(topology)
    return Plan(topology.name, tuple(steps))
