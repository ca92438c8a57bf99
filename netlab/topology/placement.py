"""Where each pod runs: the nodes its nodeSelector admits (as kube-scheduler filters them), and whose network
namespace it gets — its own, its node's (hostNetwork, Docker's host mode), none to speak of (Docker's none), or
another container's (container:NAME) — with what Docker refuses of those modes, in its words."""

from __future__ import annotations

from ipaddress import IPv4Interface

from netlab.topology.loader import Drafts, NodeDraft, PodDraft
from netlab.topology.model import Cluster, Node, Pod, joined_container
from netlab.topology.reader import Path, Reader

NO_BRIDGE_MODES = ("host", "none")  # Docker's network modes with no bridge (container:<name> too)


def check_networks(r: Reader, d: Drafts, cluster: Cluster) -> None:
    """A container's `network:` is a network the lab's Docker hosts have, or a mode; what Docker refuses of a
    mode, refused in its words (daemon/internal/runconfig/hostconfig.go, daemon_unix.go)."""
    known = {n.name for n in cluster.docker_networks}
    pods = {p.name: p for p in d.pods}
    for p in d.pods:
        where = p.path + ("network",)
        joined = joined_container(p.network)
        if p.network == "host" and not d.cluster.cni.publishes:
            continue  # hostNetwork: true, a Kubernetes pod on its node's network
        if p.network and not d.cluster.cni.publishes:
            r.problem(where, "a Docker container's network; this is a Kubernetes lab",
                      "pods join the pod network; drop 'network' (hostNetwork: true puts a pod on its node's)")
        elif joined is not None:
            if joined == p.name:
                r.problem(where, "cannot join own network namespace")
            elif joined not in pods:
                r.problem(where, f"No such container: {joined}", "container:<name> joins a container of the lab")
            elif pods[joined].network.startswith("container:") or pods[joined].network == "host":
                r.problem(where, f"{joined} shares another's network namespace itself",
                          f"join the one it shares: container:{pods[joined].network.partition(':')[2] or 'host'}")
            if p.publish:
                r.problem(p.path + ("publish",), "conflicting options: port publishing and the container type "
                          "network mode")
            if p.hostname:
                r.problem(p.path + ("hostname",), "conflicting options: hostname and the network mode")
            if p.node is not None and joined in pods and pods[joined].node not in (None, p.node):
                r.problem(p.path + ("node",), f"{joined} runs on node '{pods[joined].node}'",
                          "a container joins a namespace on its own host")
        elif p.network == "host" and p.publish:
            r.problem(p.path + ("publish",), "Published ports are discarded when using host network mode",
                      "Docker only warns; netlab refuses: a container in the host's namespace listens on the "
                      "host's ports itself")
        elif p.network == "none" and p.publish:
            r.problem(p.path + ("publish",), "a container with --network none has no address to publish to")
        elif p.network and p.network not in NO_BRIDGE_MODES and p.network not in known:
            r.problem(where, f"network {p.network} not found",
                      "declare it under docker.networks" + (f" (the lab has: {', '.join(sorted(known))})"
                                                             if known else ""))


def make_pod(p: PodDraft, node: str, ip: IPv4Interface) -> Pod:
    """The pod a draft becomes on its node with its address, with what its owner (a Deployment…) gave it."""
    owner = p.owner
    return Pod(p.name, node, ip, p.namespace, p.labels, p.serve, p.publish, owner.name if owner else "",
               owner.template_hash if owner else "", owner.version if owner else None, p.hostname, p.subdomain,
               p.dns_policy, p.dns_config, p.workload, p.containers, p.network)


def mode_pods(r: Reader, placed: list[tuple[PodDraft, Node]], resolved: dict[str, Pod]) -> list[tuple[Path, Pod]]:
    """Containers without an interface of their own: host mode has its node's address, container:X has X's (and
    X's node), none has lo alone (shown as 127.0.0.1, which no other namespace reaches)."""
    found = []
    # the containers that join another's namespace last: the one they join has its address by then
    for p, node in sorted(placed, key=lambda item: item[0].network.startswith("container:")):
        joined = joined_container(p.network)
        if joined is not None:
            target = resolved.get(joined)
            if target is None:  # its own problem (no such container, itself sharing) was reported
                continue
            node_name, ip = target.node, target.ip
            taken = {(s.kind.transport, s.port): target.name for s in target.serve}
            taken.update({(s.kind.transport, s.port): name for name, other in resolved.items()
                          if other.joined == joined for s in other.serve})
            for i, s in enumerate(p.serve):
                if (s.kind.transport, s.port) in taken:
                    r.problem(p.path + ("serve", i), f"{s.kind.transport} port {s.port} is taken in {joined}'s "
                              f"namespace (by {taken[(s.kind.transport, s.port)]}): the containers share it")
        elif p.network == "host":
            node_name, ip = node.name, IPv4Interface(node.ip)
            held = {(s.kind.transport, s.port): other.name for other in resolved.values()
                    if other.network == "host" and other.node == node.name for s in other.serve}
            clash = next((held[(s.kind.transport, s.port)] for s in p.serve if (s.kind.transport, s.port) in held),
                         None)
            if clash is not None:
                r.problem(p.path + ("serve",), f"{clash} listens on these ports in node '{node.name}'s namespace "
                          "already", "two on the host's network of one node cannot listen on one port (a "
                          "scheduler would keep the second Pending: didn't have free ports)")
        else:
            node_name, ip = node.name, IPv4Interface("127.0.0.1/8")
        pod = make_pod(p, node_name, ip)
        resolved[p.name] = pod
        found.append((p.path, pod))
    return found


def schedulable(r: Reader, p: PodDraft, nodes: tuple[NodeDraft, ...]) -> list[NodeDraft]:
    """The nodes a pod may run on: those with every label of its nodeSelector. A pod pinned to a node (nodeName)
    must fit it too, as kubelet admits it; with none that fits, it is a problem in kube-scheduler's words."""
    fitting = [n for n in nodes if set(p.node_selector) <= set(n.labels)]
    if p.node_selector and p.node is not None and p.node not in {n.name for n in fitting}:
        r.problem(p.path + ("nodeSelector",), f"node '{p.node}' does not have the labels of the pod's nodeSelector",
                  "kubelet refuses it (Predicate NodeAffinity failed): fix the node's labels or the selector")
    elif not fitting and nodes and not (p.deployment and p.deployment.kind == "DaemonSet"):  # a DaemonSet: 0 pods
        r.problem(p.path + ("nodeSelector",), f"0/{len(nodes)} nodes are available: {len(nodes)} node(s) didn't "
                  "match Pod's node affinity/selector", "give a node the labels (nodes[].labels), or change the "
                  "selector")
    return fitting


__all__ = ["NO_BRIDGE_MODES", "check_networks", "make_pod", "mode_pods", "schedulable"]
