"""`netlab get`: a lab seen as `kubectl get` shows a cluster — the same columns, the same words, the same shapes —
so that what a student reads here is what a real cluster will print.

The columns follow kubectl's printers (k8s.io/kubernetes/pkg/printers/internalversion/printers.go): pods NAME
READY STATUS RESTARTS AGE (-o wide: IP NODE NOMINATED NODE READINESS GATES), services NAME TYPE CLUSTER-IP
EXTERNAL-IP PORT(S) AGE (-o wide: SELECTOR), endpoints NAME ENDPOINTS AGE (three addresses, then "+ N more..."),
networkpolicies NAME POD-SELECTOR AGE, ingresses NAME CLASS HOSTS ADDRESS PORTS AGE, and the workloads'.
`-o json` prints a v1 List of the objects, with the status a cluster would report (podIP, hostIP, phase, the load
balancer's ingress).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from netlab import naming
from netlab.errors import UsageError
from netlab.features.netpol.model import LabelSelector, NetworkPolicy
from netlab.topology.model import Deployment, Pod, Serve, Service, Topology

RESOURCES = {  # every name kubectl accepts for a kind, singular, plural and short
    "pods": ("pod", "pods", "po"), "services": ("service", "services", "svc"),
    "endpoints": ("endpoints", "ep"), "networkpolicies": ("networkpolicy", "networkpolicies", "netpol"),
    "ingresses": ("ingress", "ingresses", "ing"), "deployments": ("deployment", "deployments", "deploy"),
    "statefulsets": ("statefulset", "statefulsets", "sts"), "daemonsets": ("daemonset", "daemonsets", "ds"),
    "replicasets": ("replicaset", "replicasets", "rs"), "nodes": ("node", "nodes", "no"),
    "namespaces": ("namespace", "namespaces", "ns"),
}
CLUSTER_SCOPED = ("nodes", "namespaces")
MAX_SHOWN_ENDPOINTS = 3  # formatEndpoints


@dataclass(frozen=True)
class Cluster:
    """What `get` reads: the lab's model, which pods' daemons run, and when it was built."""

    topology: Topology
    failing: frozenset[str] | None  # the namespaces where a daemon died; None for a topology file that is not up
    created: float

    def age(self, now: float | None = None) -> str:
        if self.failing is None:
            return "<unknown>"
        return human_duration((now or time.time()) - self.created)


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]

    def text(self) -> str:
        """kubectl's plain columns: left-aligned, three spaces apart, no rules."""
        if not self.rows:
            return ""
        widths = [max(len(r[i]) for r in [self.headers, *self.rows]) for i in range(len(self.headers))]
        lines = ["   ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                 for row in [self.headers, *self.rows]]
        return "\n".join(lines) + "\n"


def resource(name: str) -> str:
    for kind, names in RESOURCES.items():
        if name.lower() in names:
            return kind
    raise UsageError(f'the server doesn\'t have a resource type "{name}"',
                     hint="one of: " + ", ".join(RESOURCES))


def human_duration(seconds: float) -> str:
    """apimachinery's duration.HumanDuration, as kubectl's AGE column shows it."""
    s = int(seconds)  # toward zero, as Go's conversion
    if s < -1:  # a clock a little behind still shows 0s
        return "<invalid>"
    s = max(s, 0)
    if s < 60 * 2:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        return f"{minutes}m{s % 60}s" if s % 60 else f"{minutes}m"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 8:
        return f"{hours}h{minutes % 60}m" if minutes % 60 else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        return f"{hours // 24}d{hours % 24}h" if hours % 24 else f"{hours // 24}d"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    years, days = hours // 24 // 365, hours // 24 % 365
    if hours < 24 * 365 * 8:
        return f"{years}y{days}d" if days else f"{years}y"
    return f"{years}y"


def cluster(source: str, manifests: str | None = None) -> Cluster:
    """A lab that is up, with which of its namespaces hold a dead process and when it was built; or a topology
    file (with the manifests of `manifests`), as `up` would make it."""
    from netlab import labs, state
    from netlab.lifecycle.status import daemon_status
    topology, plan = labs.source(source, manifests)
    if labs.is_file(source) or os.path.isfile(source):
        return Cluster(topology, None, 0.0)
    lab_state = state.LabState(topology.name)
    failing = frozenset(p.netns for p in daemon_status(lab_state, plan) if not p.running)
    return Cluster(topology, failing, lab_state.meta().get("created", 0.0))


def table(c: Cluster, kind: str, namespace: str | None, wide: bool) -> Table:
    """The rows `kubectl get KIND` prints; namespace None: every namespace, with a NAMESPACE column first."""
    headers, rows = PRINTERS[kind](c, wide)
    rows = sorted(rows, key=lambda item: (item[0], item[1][0]))  # the API server lists by namespace, then name
    if kind in CLUSTER_SCOPED:
        return Table(headers, [row for _, row in rows])
    if namespace is None:
        return Table(("NAMESPACE", *headers), [(ns, *row) for ns, row in rows])
    return Table(headers, [row for ns, row in rows if ns == namespace])


def objects(c: Cluster, kind: str, namespace: str | None) -> dict[str, Any]:
    """`kubectl get KIND -o json`: a v1 List of the objects."""
    found = sorted((o for o in OBJECTS[kind](c) if namespace is None or kind in CLUSTER_SCOPED
                    or o["metadata"].get("namespace") == namespace),
                   key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))
    return {"apiVersion": "v1", "kind": "List", "items": found, "metadata": {"resourceVersion": ""}}


RowList = list[tuple[str, tuple[str, ...]]]  # (namespace, cells)
Rows = tuple[tuple[str, ...], RowList]


# -- pods ------------------------------------------------------------------------------------------------------

def pod_phase(c: Cluster, pod: Pod) -> tuple[int, str]:
    """(ready containers, STATUS): a pod one of whose processes died (its echo server, coredns, nginx) is in
    Error; one that runs none is Running as soon as it exists."""
    if c.failing is None:
        return 0, "Pending"
    home = naming.netns(c.topology.name, c.topology.home_of(pod.name))
    return (0, "Error") if home in c.failing else (containers(pod), "Running")


def containers(pod: Pod) -> int:
    return max(1, len(pod.containers))


def pods(c: Cluster, wide: bool) -> Rows:
    headers: tuple[str, ...] = ("NAME", "READY", "STATUS", "RESTARTS", "AGE")
    if wide:
        headers += ("IP", "NODE", "NOMINATED NODE", "READINESS GATES")
    rows: RowList = []
    for p in c.topology.pods:
        ready, phase = pod_phase(c, p)
        row: tuple[str, ...] = (p.name, f"{ready}/{containers(p)}", phase, "0", c.age())
        if wide:
            row += ("<none>" if p.network == "none" else str(p.ip.ip), p.node, "<none>", "<none>")
        rows.append((p.namespace, row))
    return headers, rows


def pod_object(c: Cluster, p: Pod) -> dict[str, Any]:
    ready, phase = pod_phase(c, p)
    def ports(serve: tuple[Serve, ...]) -> dict[str, Any]:
        found = [{"containerPort": s.port, "protocol": "UDP" if s.kind == "udp" else "TCP",
                  **({"name": s.name} if s.name else {})} for s in serve]
        return {"ports": found} if found else {}
    owner = next((d for d in c.topology.deployments if d.name == p.deployment and d.namespace == p.namespace), None)
    meta: dict[str, Any] = {"name": p.name, "namespace": p.namespace, "labels": dict(p.labels)}
    if owner is not None:
        kind = "ReplicaSet" if owner.kind in ("Deployment", "ReplicaSet") else owner.kind
        meta["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": kind, "controller": True,
                                    "name": owner.replica_set if owner.kind == "Deployment" else owner.name}]
    spec: dict[str, Any] = {"nodeName": p.node, "dnsPolicy": p.dns_policy,
                            "containers": [{"name": c.name, **ports(c.serve)} for c in p.containers]
                            or [{"name": "app", **ports(p.serve)}]}
    if p.hostname:
        spec["hostname"] = p.hostname
    if p.subdomain:
        spec["subdomain"] = p.subdomain
    if p.network == "host":
        spec["hostNetwork"] = True
    node = c.topology.node(p.node)
    addresses = {} if p.network == "none" else {"podIP": str(p.ip.ip), "podIPs": [{"ip": str(p.ip.ip)}]}
    status = {"phase": "Running" if phase in ("Running", "Error") else phase, "hostIP": str(node.ip), **addresses,
              "conditions": [{"type": "Ready", "status": "True" if ready else "False"}]}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}


# -- services and endpoints ------------------------------------------------------------------------------------

def ports_text(svc: Service) -> str:
    """makePortString: port[:nodePort]/PROTOCOL, comma-separated; <none> without ports."""
    parts = [f"{p.port}" + (f":{p.node_port}" if p.node_port else "") + f"/{p.protocol.upper()}" for p in svc.ports]
    return ",".join(parts) or "<none>"


def selector_text(pairs: Sequence[tuple[str, str]]) -> str:
    return ",".join(f"{k}={v}" for k, v in pairs) or "<none>"


def services(c: Cluster, wide: bool) -> Rows:
    headers = ("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE") + (("SELECTOR",) if wide else ())
    rows = []
    for s in c.topology.services:
        cluster_ip = "None" if s.cluster_ip is None and s.type != "ExternalName" else str(s.cluster_ip or "")
        external = s.external_name if s.type == "ExternalName" else s.external_ip_text or "<none>"
        row = (s.name, s.type, cluster_ip or "<none>", external or "<none>", ports_text(s), c.age())
        rows.append((s.namespace, row + ((selector_text(s.selector),) if wide else ())))
    return headers, rows


def service_object(c: Cluster, s: Service) -> dict[str, Any]:
    spec: dict[str, Any] = {"type": s.type, "sessionAffinity": s.session_affinity}
    if s.type == "ExternalName":
        spec["externalName"] = s.external_name
    else:
        ip = str(s.cluster_ip) if s.cluster_ip else "None"
        spec.update({"clusterIP": ip, "clusterIPs": [ip], "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack"})
    if s.selector:
        spec["selector"] = dict(s.selector)
    spec["ports"] = [{**({"name": p.name} if p.name else {}), "port": p.port, "protocol": p.protocol.upper(),
                      "targetPort": p.target_name or p.target_port, **({"nodePort": p.node_port} if p.node_port
                                                                        else {})} for p in s.ports]
    if s.type in ("NodePort", "LoadBalancer"):
        spec["externalTrafficPolicy"] = s.external_traffic_policy
    if s.external_ips:
        spec["externalIPs"] = [str(ip) for ip in s.external_ips]
    status: dict[str, Any] = {"loadBalancer": {"ingress": [{"ip": str(ip), "ipMode": "VIP"}
                                                           for ip in s.ingress_ips]} if s.ingress_ips else {}}
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": s.name, "namespace": s.namespace},
            "spec": spec, "status": status}


def endpoints(c: Cluster, wide: bool) -> Rows:
    rows: RowList = []
    for s in c.topology.services:
        if not s.selector and not s.subsets:
            continue
        shown = [e.address for port in s.ports for e in c.topology.endpoints(s, port)]
        text = ",".join(shown[:MAX_SHOWN_ENDPOINTS])
        if len(shown) > MAX_SHOWN_ENDPOINTS:
            text += f" + {len(shown) - MAX_SHOWN_ENDPOINTS} more..."
        rows.append((s.namespace, (s.name, text or "<none>", c.age())))
    return ("NAME", "ENDPOINTS", "AGE"), rows


def endpoints_object(c: Cluster, s: Service) -> dict[str, Any]:
    subsets = []
    for port in s.ports:
        found = c.topology.endpoints(s, port)
        if found:
            subsets.append({"addresses": [{"ip": str(e.ip), **({"nodeName": e.node, "targetRef": {
                                           "kind": "Pod", "name": e.pod, "namespace": s.namespace}} if e.pod else {})}
                                          for e in found],
                            "ports": [{**({"name": port.name} if port.name else {}), "port": found[0].port,
                                       "protocol": port.protocol.upper()}]})
    return {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": s.name, "namespace": s.namespace},
            **({"subsets": subsets} if subsets else {})}


# -- policies, ingresses, workloads, nodes, namespaces ---------------------------------------------------------

def label_selector_text(selector: LabelSelector) -> str:
    """metav1.FormatLabelSelector: <none> for the empty selector."""
    parts = [f"{k}={v}" for k, v in selector.match_labels]
    for r in selector.match_expressions:
        op = {"In": "in", "NotIn": "notin"}.get(r.operator)
        parts.append(f"{r.key} {op} ({','.join(r.values)})" if op else r.key if r.operator == "Exists"
                     else f"!{r.key}")
    return ",".join(parts) or "<none>"


def policies(c: Cluster, wide: bool) -> Rows:
    return ("NAME", "POD-SELECTOR", "AGE"), [(p.namespace, (p.name, label_selector_text(p.pod_selector), c.age()))
                                            for p in c.topology.policies]


def policy_object(c: Cluster, p: NetworkPolicy) -> dict[str, Any]:
    selector = {"matchLabels": dict(p.pod_selector.match_labels)} if p.pod_selector.match_labels else {}
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": p.name, "namespace": p.namespace},
            "spec": {"podSelector": selector, "policyTypes": list(p.policy_types)}}


def ingresses(c: Cluster, wide: bool) -> Rows:
    from netlab.features.ingress.controller import status_address
    address = status_address(c.topology) or ""
    rows: RowList = []
    for i in c.topology.ingresses:
        hosts = ",".join(dict.fromkeys(rule.host for rule in i.rules if rule.host)) or "*"
        rows.append((i.namespace, (i.name, i.class_name or "<none>", hosts, address, "80", c.age())))
    return ("NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"), rows


def workloads(kind: str) -> Callable[[Cluster, bool], Rows]:
    def rows(c: Cluster, wide: bool) -> Rows:
        found: list[tuple[str, tuple[str, ...]]] = []
        for d in (d for d in c.topology.deployments if d.kind == kind):
            mine = [p for p in c.topology.pods if (p.deployment, p.namespace) == (d.name, d.namespace)]
            ready = sum(pod_phase(c, p)[0] for p in mine)
            current = sum(1 for p in mine if p.template == d.template_hash)
            row: tuple[str, ...]
            if kind == "Deployment":
                row = (d.name, f"{ready}/{d.replicas}", str(current), str(ready), c.age())
            elif kind == "StatefulSet":
                row = (d.name, f"{ready}/{d.replicas}", c.age())
            elif kind == "DaemonSet":
                row = (d.name, str(d.replicas), str(len(mine)), str(ready), str(current), str(ready),
                       selector_text(()), c.age())
            else:
                row = (d.name, str(d.replicas), str(len(mine)), str(ready), c.age())
            found.append((d.namespace, row))
        return WORKLOAD_HEADERS[kind], found
    return rows


WORKLOAD_HEADERS = {
    "Deployment": ("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"),
    "StatefulSet": ("NAME", "READY", "AGE"),
    "DaemonSet": ("NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"),
    "ReplicaSet": ("NAME", "DESIRED", "CURRENT", "READY", "AGE"),
}


def replica_sets(c: Cluster, wide: bool) -> Rows:
    """A Deployment's current ReplicaSet is listed as kubectl lists it, beside the bare ones."""
    headers, rows = workloads("ReplicaSet")(c, wide)
    for d in (d for d in c.topology.deployments if d.kind == "Deployment"):
        mine = [p for p in c.topology.pods if (p.deployment, p.template) == (d.name, d.template_hash)]
        ready = sum(pod_phase(c, p)[0] for p in mine)
        rows.append((d.namespace, (d.replica_set, str(d.replicas), str(len(mine)), str(ready), c.age())))
    return headers, rows


def workload_object(c: Cluster, d: Deployment) -> dict[str, Any]:
    spec: dict[str, Any] = {"selector": {"matchLabels": dict(d.labels)},
                            "template": {"metadata": {"labels": dict(d.labels)}}}
    if d.kind != "DaemonSet":
        spec = {"replicas": d.replicas, **spec}
    if d.service_name:
        spec["serviceName"] = d.service_name
    return {"apiVersion": "apps/v1", "kind": d.kind, "metadata": {"name": d.name, "namespace": d.namespace},
            "spec": spec}


def nodes(c: Cluster, wide: bool) -> Rows:
    headers = ("NAME", "STATUS", "ROLES", "AGE", "VERSION") + (("INTERNAL-IP", "EXTERNAL-IP") if wide else ())
    rows = [("", (n.name, "Ready", "<none>", c.age(), "netlab") + ((str(n.ip), "<none>") if wide else ()))
            for n in c.topology.nodes]
    return headers, rows


def namespaces(c: Cluster, wide: bool) -> Rows:
    return ("NAME", "STATUS", "AGE"), [("", (ns.name, "Active", c.age())) for ns in c.topology.namespaces]


PRINTERS: dict[str, Callable[[Cluster, bool], Rows]] = {
    "pods": pods, "services": services, "endpoints": endpoints, "networkpolicies": policies,
    "ingresses": ingresses, "deployments": workloads("Deployment"), "statefulsets": workloads("StatefulSet"),
    "daemonsets": workloads("DaemonSet"), "replicasets": replica_sets, "nodes": nodes, "namespaces": namespaces,
}


def _workload_objects(kind: str, c: Cluster) -> list[dict[str, Any]]:
    return [workload_object(c, d) for d in c.topology.deployments if d.kind == kind]


def _ingress_objects(c: Cluster) -> list[dict[str, Any]]:
    from netlab.features.ingress.controller import status_address
    address = status_address(c.topology)
    return [{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
             "metadata": {"name": i.name, "namespace": i.namespace},
             "spec": {**({"ingressClassName": i.class_name} if i.class_name else {}),
                      "rules": [{**({"host": r.host} if r.host else {}),
                                 "http": {"paths": [{"path": p.path, "pathType": p.path_type,
                                                     "backend": {"service": {"name": p.backend.service, "port": (
                                                         {"number": p.backend.port_number}
                                                         if p.backend.port_number is not None
                                                         else {"name": p.backend.port_name})}}}
                                                    for p in r.paths]}} for r in i.rules]},
             "status": {"loadBalancer": {"ingress": [{"ip": address}]} if address else {}}}
            for i in c.topology.ingresses]


OBJECTS: dict[str, Callable[[Cluster], list[dict[str, Any]]]] = {
    "pods": lambda c: [pod_object(c, p) for p in c.topology.pods],
    "services": lambda c: [service_object(c, s) for s in c.topology.services],
    "endpoints": lambda c: [endpoints_object(c, s) for s in c.topology.services if s.selector or s.subsets],
    "networkpolicies": lambda c: [policy_object(c, p) for p in c.topology.policies],
    "ingresses": _ingress_objects,
    **{f"{kind.lower()}s": partial(_workload_objects, kind) for kind in WORKLOAD_HEADERS},
    "nodes": lambda c: [{"apiVersion": "v1", "kind": "Node", "metadata": {"name": n.name, "labels": dict(n.labels)},
                         "spec": {"podCIDR": str(n.pod_subnet)},
                         "status": {"addresses": [{"type": "InternalIP", "address": str(n.ip)},
                                                  {"type": "Hostname", "address": n.name}]}}
                        for n in c.topology.nodes],
    "namespaces": lambda c: [{"apiVersion": "v1", "kind": "Namespace",
                              "metadata": {"name": ns.name, "labels": dict(ns.labels)},
                              "status": {"phase": "Active"}} for ns in c.topology.namespaces],
}


def empty_message(kind: str, namespace: str | None) -> str:
    """What kubectl says when there is nothing to list."""
    if namespace is None or kind in CLUSTER_SCOPED:
        return "No resources found"
    return f"No resources found in {namespace} namespace."


__all__ = ["Cluster", "Table", "empty_message", "human_duration", "objects", "resource", "table"]
