"""Compile: the validated model to a Plan. Pure — no netlink, no subprocess, no output — and deterministic.

The order of a plan is the order a real machine is set up in: the wires (underlay switch, internet router, hosts),
the nodes on them, then each node's pod network as its CNI (or dockerd) builds it, then the workloads (a pod runs
before it is anyone's endpoint), the DNS servers and every namespace's resolv.conf, then kube-proxy's Service rules
(after the network policies' ipsets) and the load balancer's speakers, then the network policies' rules
(kube-router), then what the pod network's agent puts back on top (felix's jumps into the built-in chains), then the
instructor's extra rules, and last, for an exercise, the commands that break it.
"""

from __future__ import annotations

from netlab import features
from netlab.compile import exercise, skeleton, workloads
from netlab.features.dns import compile_dns
from netlab.features.ingress.nginx import compile_ingress
from netlab.features.kube_proxy import compile_kube_proxy
from netlab.features.metallb.bgp import compile_bgp_speakers
from netlab.features.metallb.layer2 import compile_layer2_speakers
from netlab.features.netpol import compile_network_policies
from netlab.plan import Note, Plan, Step
from netlab.topology.model import Topology


def compile_plan(topology: Topology) -> Plan:
    cni = features.CNIS[topology.cluster.cni]  # the loader accepts only these
    steps: list[Step] = []
    steps += skeleton.compile_underlay_and_internet(topology)
    steps += skeleton.compile_nodes(topology)
    steps += cni.compile(topology)
    steps += workloads.compile_workloads(topology)
    steps += compile_dns(topology)
    steps += compile_ingress(topology)
    policy_sets, policy_rules = compile_network_policies(topology)
    steps += policy_sets
    steps += compile_kube_proxy(topology)
    steps += compile_layer2_speakers(topology)
    steps += compile_bgp_speakers(topology)
    steps += policy_rules
    steps += cni.after_services(topology) if cni.after_services else []
    steps += skeleton.compile_user_rules(topology)
    steps += exercise.compile_breaks(topology)
    return Plan(topology.name, once(steps))


def once(steps: list[Step]) -> tuple[Step, ...]:
    """Two components may ask for the same setting (flanneld and kube-proxy both turn on ip_forward): the plan
    holds it once, where it is first asked for. Two different wishes for one object are a compiler bug."""
    seen: dict[str, Step] = {}
    kept: list[Step] = []
    for step in steps:
        if isinstance(step, Note):
            kept.append(step)
            continue
        first = seen.setdefault(step.key, step)
        if first is step:
            kept.append(step)
        elif first != step:
            raise ValueError(f"two different steps for '{step.key}': {first} and {step}")
    return tuple(kept)
