"""kube-proxy's health check server, on every node, whatever the mode: for each LoadBalancer Service with
externalTrafficPolicy Local, its healthCheckNodePort answers 200 when this node has an endpoint (with how many)
and 503 when it has none (netlab/workloads/healthcheck.py). A load balancer probes it, and sends outside traffic
only to the nodes that answer 200: those that can deliver it without a second hop, keeping the client's address.
"""

from __future__ import annotations

from netlab.plan import PYTHON, Daemon, Note, Step
from netlab.topology.model import Node, Topology

PROGRAM = "netlab.workloads.healthcheck"


def daemon_name(node: Node) -> str:
    return f"healthcheck-{node.name}"


def compile_health_checks(t: Topology, node: Node, ns: str) -> list[Step]:
    checked = [s for s in t.services if s.health_check_node_port is not None]
    if not checked:
        return []
    argv = [PYTHON, "-m", PROGRAM]
    for svc in checked:
        # kube-proxy counts the node's ready endpoint addresses of the Service (LocalReadyEndpoints)
        local = {e.ip for port in svc.ports for e in t.endpoints(svc, port) if e.node == node.name}
        argv += ["--service", f"{svc.namespace}/{svc.name}:{svc.health_check_node_port}:{len(local)}"]
    return [Note(f"node {node.name}: kube-proxy's health check server on "
                 + ", ".join(str(s.health_check_node_port) for s in checked)),
            Daemon(ns, daemon_name(node), tuple(argv), ports=tuple(f"tcp/{s.health_check_node_port}" for s in checked))]
