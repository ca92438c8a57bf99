"""NetworkPolicy: who may talk to whom, enforced in the kernel as kube-router's netpol controller enforces it.

model.py is the API (after the API server's defaulting), schema.py reads and validates it from a topology,
evaluate.py answers for one connection what the API says (the model for `netlab policy`, the predictor and
the tests), and kube_router.py writes the iptables chains and ipsets that kube-router writes on every node for
its local pods. Neither flannel nor the bridge plugin enforces policies: on a real cluster kube-router (or
Calico's felix, or kube-network-policies) runs beside the CNI for that; `cluster.networkPolicy` says which.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netlab.features.netpol.model import Namespace, NetworkPolicy

if TYPE_CHECKING:  # the lab's model holds this feature's API objects: it is imported first
    from netlab.plan import Step
    from netlab.topology.model import Topology
    from netlab.topology.reader import Path, Reader

KUBE_ROUTER, NONE = "kube-router", "none"


def namespaces(r: Reader, declared: tuple[tuple[Path, Namespace], ...], used: list[str],
               policies: tuple[NetworkPolicy, ...]) -> tuple[Namespace, ...]:
    """Every namespace of the lab: the declared ones with their labels, then each one a pod, Service or policy
    names."""
    from netlab.features.netpol.schema import namespace

    found: dict[str, Namespace] = {}
    for path, ns in declared:
        if ns.name in found:
            r.problem(path + ("name",), f"namespace '{ns.name}' is declared twice")
        found[ns.name] = ns
    for name in ["default", *used, *(p.namespace for p in policies)]:  # default: every cluster has it
        found.setdefault(name, namespace(name))
    return tuple(sorted(found.values(), key=lambda n: n.name))


def compile_network_policies(t: Topology) -> tuple[list[Step], list[Step]]:
    """kube-router's ipsets on every node, then its rules: (sets, rules). The sets go into the plan before
    kube-proxy's rules, so that whatever order `apply` re-syncs a node's iptables in, a set exists before a rule
    names it (they hold addresses only, and need no pod to run)."""
    from netlab import naming
    from netlab.features.netpol import kube_router
    from netlab.plan import Note, RuleSet

    if t.cluster.network_policy != KUBE_ROUTER:
        return [], []
    sets: list[Step] = []
    rules: list[Step] = []
    cluster = kube_router.Cluster(t)
    for node in t.nodes:
        rules.append(Note(f"node {node.name}: kube-router's netpol controller enforces {len(t.policies)} "
                          f"network policies for its {len(t.pods_on(node.name))} pods"))
        for step in kube_router.compile_node(t, cluster, node, naming.netns(t.name, node.name)):
            (sets if isinstance(step, RuleSet) and step.tool == "ipset" else rules).append(step)
    return sets, rules
