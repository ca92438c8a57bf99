"""Workload controllers: a pod entry with `replicas:` is a Deployment, as a Kubernetes Deployment makes its pods;
with `kind:` it is a StatefulSet, a DaemonSet or a bare ReplicaSet instead.

A Deployment's pods come from a ReplicaSet named after the pod template: `<deployment>-<pod-template-hash>`, each
pod `<replicaset>-<5 characters>` (names.py), with the label `pod-template-hash` as the controller adds it, spread
over the nodes one replica after the other. Changing `replicas` scales it; changing the template (labels, what
it serves, `version`) makes a new ReplicaSet, to which `apply` rolls it over stage by stage (rollout.py).

    pods:
      - name: web
        replicas: 3
        labels: {app: web}
        serve: ["http:80"]
        version: v1                                   # optional: part of the template, put in every reply
        strategy: {maxSurge: 25%, maxUnavailable: 25%}  # Kubernetes' defaults
      - {name: db, kind: StatefulSet, replicas: 2, serviceName: db, labels: {app: db}, serve: ["tcp:5432"]}
      - {name: agent, kind: DaemonSet, labels: {app: agent}}

The others name their pods as their controllers do (pkg/controller/statefulset, daemon, replicaset):
  StatefulSet  `<name>-<ordinal>`, each with its own stable DNS name through the headless Service `serviceName`
               (hostname = pod name, subdomain = serviceName), labelled controller-revision-hash,
               statefulset.kubernetes.io/pod-name and apps.kubernetes.io/pod-index;
  DaemonSet    one pod per node its nodeSelector admits, `<name>-<5 characters>`, labelled
               controller-revision-hash and pod-template-generation;
  ReplicaSet   `<name>-<5 characters>`, with the template's labels only.
When their template changes, `apply` replaces a StatefulSet's pods one at a time from the highest ordinal, and a
DaemonSet's node by node, as their controllers' rolling updates do (rollout.py); a bare ReplicaSet's take it at
once (its controller would leave running pods alone).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from netlab.features.deployments.names import pod_name, template_hash
from netlab.topology.model import Container, Deployment, Serve
from netlab.topology.reader import Path, Reader

FIELDS = ("replicas", "version", "strategy", "kind", "serviceName")
KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet")
MAX_REPLICAS = 250
INT_OR_PERCENT = re.compile(r"^(\d+)(%?)$")
DEFAULT_STRATEGY = ("25%", "25%")  # pkg/apis/apps/v1/defaults.go


@dataclass(frozen=True)
class Spec:
    """What a pod entry says of its Deployment, read before the pods are made."""

    replicas: int
    version: str | None
    max_surge: str
    max_unavailable: str
    kind: str = "Deployment"
    service_name: str = ""  # a StatefulSet's governing headless Service


def read_spec(r: Reader, m: dict[str, object], path: Path) -> Spec | None:
    """The workload fields of a pod entry, or None for a plain pod."""
    if "replicas" not in m and "kind" not in m:
        for key in ("version", "strategy", "serviceName"):
            if key in m:
                r.problem(path + (key,), f"'{key}' is for a Deployment", "give the pod 'replicas:' to make it one")
        return None
    kind = r.one_of(m, "kind", path, list(KINDS), "Deployment")
    if kind == "DaemonSet" and "replicas" in m:
        r.problem(path + ("replicas",), "a DaemonSet runs one pod on each node its nodeSelector admits",
                  "drop 'replicas'")
    if kind != "Deployment" and "strategy" in m:
        r.problem(path + ("strategy",), f"'strategy' is a Deployment's; a {kind} rolls its pods one at a time",
                  "drop 'strategy'")
    if "serviceName" in m and kind != "StatefulSet":
        r.problem(path + ("serviceName",), "serviceName is a StatefulSet's", "kind: StatefulSet")
    service_name = (r.name(m, "serviceName", path, max_len=63) or "") if "serviceName" in m else ""
    replicas = r.integer(m, "replicas", path, 1, 0, MAX_REPLICAS,
                        hint=f"a {kind} runs 0 to {MAX_REPLICAS} pods here") or 0
    version = r.text(m, "version", path, None)
    strategy = r.mapping(m.get("strategy"), path + ("strategy",), ("maxSurge", "maxUnavailable"))
    surge, unavailable = (_int_or_percent(r, strategy, key, path + ("strategy",), default)
                          for key, default in zip(("maxSurge", "maxUnavailable"), DEFAULT_STRATEGY, strict=True))
    if surge is not None and unavailable is not None and _value(surge, 10, True) == 0 \
            and _value(unavailable, 10, False) == 0:
        r.problem(path + ("strategy",), "maxSurge and maxUnavailable cannot both be 0",
                  "a rollout must either add a pod or remove one (as the API server checks)")
    if "ip" in m:
        r.problem(path + ("ip",), "a Deployment's pods get their addresses one by one", "drop 'ip' or 'replicas'")
    return Spec(replicas, version, surge or DEFAULT_STRATEGY[0], unavailable or DEFAULT_STRATEGY[1], kind,
                service_name)


def _int_or_percent(r: Reader, m: dict[str, object], key: str, path: Path, default: str) -> str | None:
    value = str(m.get(key, default))
    if not INT_OR_PERCENT.match(value) or (value.endswith("%") and int(value[:-1]) > 100):
        r.problem(path + (key,), f"'{value}' is not a number of pods or a percentage", "e.g. 1 or 25%")
        return None
    return value


def _value(spec: str, replicas: int, round_up: bool) -> int:
    """intstr.GetScaledValueFromIntOrPercent: a percentage of the replicas, rounded up (surge) or down."""
    if not spec.endswith("%"):
        return int(spec)
    exact = int(spec[:-1]) * replicas / 100
    return math.ceil(exact) if round_up else math.floor(exact)


def fenceposts(spec: Spec, replicas: int) -> tuple[int, int]:
    """ResolveFenceposts: (maxSurge, maxUnavailable) in pods; both 0 makes unavailable 1."""
    surge, unavailable = _value(spec.max_surge, replicas, True), _value(spec.max_unavailable, replicas, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, min(unavailable, replicas)


@dataclass(frozen=True)
class Template:
    """A Deployment as the loader met it: its name, where it was, and its pod template."""

    name: str
    namespace: str
    labels: tuple[tuple[str, str], ...]
    serve: tuple[Serve, ...]
    node: str | None
    spec: Spec
    containers: tuple[Container, ...] = ()


def deployment(t: Template, nodes: int) -> Deployment:
    """The workload; a DaemonSet's replicas are the `nodes` that admit it."""
    count = nodes if t.spec.kind == "DaemonSet" else t.spec.replicas
    surge, unavailable = fenceposts(t.spec, count)
    template = template_hash(t.namespace, t.labels, t.serve, t.spec.version, t.containers)
    return Deployment(t.name, t.namespace, count, t.labels, t.serve, t.spec.version, t.node, surge,
                      unavailable, template, kind=t.spec.kind, service_name=t.spec.service_name,
                      containers=t.containers)


def replicas(d: Deployment, nodes: list[str]) -> list[tuple[str, str | None, tuple[tuple[str, str], ...]]]:
    """(pod name, node or None to spread it, labels) of each pod the controller makes: replica i of a Deployment
    or ReplicaSet goes to nodes[i] round-robin, a DaemonSet's to each of `nodes` (those that admit it)."""
    spread = [nodes[i % len(nodes)] if nodes else None for i in range(d.replicas)]
    if d.kind == "StatefulSet":
        return [(f"{d.name}-{i}", spread[i], _labels(d, ("controller-revision-hash", f"{d.name}-{d.template_hash}"),
                                                       ("statefulset.kubernetes.io/pod-name", f"{d.name}-{i}"),
                                                       ("apps.kubernetes.io/pod-index", str(i))))
                for i in range(d.replicas)]
    if d.kind == "DaemonSet":
        return [(pod_name(d.name, i, node), node, _labels(d, ("controller-revision-hash", d.template_hash),
                                                          ("pod-template-generation", "1")))
                for i, node in enumerate(nodes)]
    if d.kind == "ReplicaSet":
        return [(pod_name(d.name, i), spread[i], d.labels) for i in range(d.replicas)]
    return [(pod_name(d.replica_set, i), spread[i], pod_labels(d)) for i in range(d.replicas)]


def _labels(d: Deployment, *more: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted({**dict(d.labels), **dict(more)}.items()))


def pod_labels(d: Deployment) -> tuple[tuple[str, str], ...]:
    """The template's labels and the one the Deployment controller adds, which a Service may select on too."""
    return tuple(sorted((*d.labels, ("pod-template-hash", d.template_hash))))


__all__ = ["FIELDS", "KINDS", "Spec", "Template", "deployment", "fenceposts", "pod_labels", "read_spec", "replace",
           "replicas"]
