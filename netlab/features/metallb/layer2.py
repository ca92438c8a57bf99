"""MetalLB's layer 2 mode: a speaker per node (netlab/workloads/metallb_speaker.py), with the addresses it may
announce, and the ARP answer netlab waits for from the node the election picks."""

from __future__ import annotations

import dataclasses
import json

from netlab import naming
from netlab.features.metallb.controller import usable_nodes
from netlab.features.metallb.model import LAYER2, speaker_name
from netlab.plan import PYTHON, STATE, ArpAnswer, Daemon, Note, Step
from netlab.topology.model import Node, Service, Topology
from netlab.workloads.metallb_speaker import Balanced, winner

PROGRAM = "netlab.workloads.metallb_speaker"


def config_path(node: Node) -> str:
    return f"metallb/{node.name}.json"


def announced_path(node: Node) -> str:
    """What the speaker announces now, as it writes it (the workload's <node>.announcing.json)."""
    return f"metallb/{node.name}.announcing.json"


def candidates(t: Topology, svc: Service) -> tuple[str, ...]:
    """The nodes that may answer ARP for a Service's address: the usable ones on the pool's segment."""
    on_segment = [n for n in t.nodes if t.underlay.segment_of(n.ip) == 0]
    return tuple(n.name for n in usable_nodes(t, svc, on_segment))


def compile_layer2_speakers(t: Topology) -> list[Step]:
    config = t.cluster.load_balancer
    if config is None or config.mode != LAYER2:
        return []
    balanced = [s for s in t.services if s.type == "LoadBalancer" and s.ingress_ips]
    services = [Balanced(f"{s.namespace}/{s.name}", str(ip), candidates(t, s)) for s in balanced
                for ip in s.ingress_ips]
    steps: list[Step] = []
    if t.cluster.proxy == "ipvs" and not t.cluster.ipvs_strict_arp and services:
        steps.append(Note("kube-proxy in IPVS mode without strict ARP (cluster.ipvsStrictARP): every node answers "
                          "ARP itself for " + ", ".join(b.ip for b in services) + ", which is on its kube-ipvs0; "
                          "MetalLB's election decides nothing (its docs require strictARP in IPVS mode)"))
    announcing = {b.ip: winner(b.ip, list(b.candidates)) for b in services}
    for node in t.nodes:
        if t.underlay.segment_of(node.ip) != 0:
            continue
        ns = naming.netns(t.name, node.name)
        members = {other.name: str(other.ip) for other in t.nodes if other != node
                   and t.underlay.segment_of(other.ip) == 0}
        content = json.dumps({"node": node.name, "ip": str(node.ip), "interface": naming.UPLINK,
                              "members": members, "services": [dataclasses.asdict(b) for b in services]},
                             indent=1) + "\n"
        path = config_path(node)
        steps += [Note(f"node {node.name}: MetalLB's speaker (layer 2) on {naming.UPLINK}, for "
                       + (", ".join(f"{b.ip} ({b.name})" for b in services) or "no address yet")),
                  Daemon(ns, speaker_name(node.name), (PYTHON, "-m", PROGRAM, "--config", f"{STATE}/{path}"),
                         files=((path, content),),
                         reload=(PYTHON, "-m", PROGRAM, "--reload", "--config", f"{STATE}/{path}"))]
        # With every speaker alive, the election's winner for each address: the node whose MAC the router learns.
        steps += [ArpAnswer(ns, naming.UPLINK, ip, speaker_name(node.name), announced_path(node))
                  for ip, chosen in announcing.items() if chosen == node.name]
    return steps
