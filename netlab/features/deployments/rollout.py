"""A rolling update, as the Deployment controller makes it: the stages an apply goes through.

When a Deployment's pod template changed, its pods move from the old ReplicaSet to the new one in steps
(pkg/controller/deployment/rolling.go), each one a lab `apply` makes and finishes before the next:
  scale up the new ReplicaSet, so that old + new pods stay within replicas + maxSurge;
  scale down the old one, so that at least replicas - maxUnavailable pods are available;
until every pod is the new template's. Every pod of a finished stage answers (apply waits for its daemon), so
all of them count as available. Each stage is the desired lab with the rolling Deployments' pods as they are
at that moment; anything else the file changes happens in the first stage. Without a template change there
is one stage, the desired lab itself.

A StatefulSet's or DaemonSet's pods keep their names, so there is no second set to scale up: their controllers
replace the pods one at a time, and so does `apply`, a stage per pod. A bare ReplicaSet's pods take the new
template in the last stage (its controller would leave running pods alone: netlab does not keep two templates of
one ReplicaSet).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from netlab.topology.model import Deployment, Pod, Topology


@dataclass
class Rolling:
    deployment: Deployment
    old: list[Pod]  # still running, from earlier templates
    new: list[Pod]  # the new ReplicaSet's pods, in replica order
    started: int  # how many of `new` run

    @property
    def done(self) -> bool:
        return not self.old and self.started == len(self.new)

    def text(self) -> str:
        d = self.deployment
        return (f"deployment {d.name}: {self.started} of {d.replicas} pods from ReplicaSet {d.replica_set}, "
                f"{len(self.old)} old pod(s) left")


def stages(current: Topology, desired: Topology) -> list[tuple[Topology, str]]:
    """(the lab at each stage, what that stage does); the last is the desired lab. Deployments roll first; then
    the StatefulSets' and DaemonSets' pods are replaced one at a time, each pod keeping its name (one_by_one)."""
    swaps = one_by_one(current, desired)
    rolled = deployment_stages(current, desired)
    if not swaps:
        return rolled
    old = {before.name: before for before, _, _ in swaps}

    def keeping(t: Topology, names: set[str]) -> Topology:
        return dataclasses.replace(t, pods=tuple(old[p.name] if p.name in names else p for p in t.pods))
    result = [(keeping(t, set(old)), text) for t, text in rolled[:-1]]
    for k in range(1, len(swaps) + 1):
        _, after, d = swaps[k - 1]
        text = f"{d.kind.lower()} {d.name}: {after.name} runs revision {d.replica_set}"
        result.append((keeping(desired, {before.name for before, _, _ in swaps[k:]}), text))
    result[-1] = (desired, result[-1][1])
    return result


def one_by_one(current: Topology, desired: Topology) -> list[tuple[Pod, Pod, Deployment]]:
    """(old pod, its replacement, the workload) for each pod of a StatefulSet or DaemonSet whose template changed,
    in the order the controller replaces them, one at a time: a StatefulSet from its highest ordinal down
    (RollingUpdate, pkg/controller/statefulset), a DaemonSet node by node (maxUnavailable 1)."""
    swaps = []
    for d in desired.deployments:
        if d.kind not in ("StatefulSet", "DaemonSet"):
            continue
        olds = {p.name: p for p in current.pods
                if (p.deployment, p.namespace) == (d.name, d.namespace) and p.template != d.template_hash}
        news = [p for p in desired.pods if (p.deployment, p.namespace) == (d.name, d.namespace) and p.name in olds]
        if d.kind == "StatefulSet":
            news.sort(key=lambda p: int(p.name.rpartition("-")[2]), reverse=True)
        swaps += [(olds[p.name], p, d) for p in news]
    return swaps


def deployment_stages(current: Topology, desired: Topology) -> list[tuple[Topology, str]]:
    """The Deployments' rolling updates: (the lab at each stage, what it does), the last the desired lab."""
    running = {p.name for p in current.pods}
    rolling = []
    for d in desired.deployments:
        if d.kind != "Deployment":  # the others replace their pods one by one (one_by_one)
            continue
        old = [p for p in current.pods if (p.deployment, p.namespace) == (d.name, d.namespace)
               and p.template != d.template_hash]
        if old:
            new = [p for p in desired.pods if (p.deployment, p.template) == (d.name, d.template_hash)]
            rolling.append(Rolling(d, old, new, sum(1 for p in new if p.name in running)))
    if not rolling:
        return [(desired, "")]
    moving = {p.name for r in rolling for p in r.new}
    others = [p for p in desired.pods if p.name not in moving]
    result: list[tuple[Topology, str]] = []

    def stage() -> None:
        pods = others + [p for r in rolling for p in r.old + r.new[:r.started]]
        result.append((dataclasses.replace(desired, pods=tuple(pods)), "; ".join(r.text() for r in rolling)))

    while not all(r.done for r in rolling):
        grew = False
        for r in rolling:  # reconcileNewReplicaSet
            d = r.deployment
            up = min(d.replicas + d.max_surge - len(r.old) - r.started, d.replicas - r.started)
            if up > 0:
                r.started += up
                grew = True
        if grew:
            stage()
        shrank = False
        for r in rolling:  # reconcileOldReplicaSets: every pod of a finished stage is available
            d = r.deployment
            down = min(len(r.old), len(r.old) + r.started - (d.replicas - d.max_unavailable))
            if down > 0:
                r.old = r.old[:-down]  # the newest old pods go first
                shrank = True
        if shrank:
            stage()
        if not grew and not shrank:
            break
    final = "; ".join(r.text() for r in rolling)
    if result and {p.name for p in result[-1][0].pods} == {p.name for p in desired.pods}:
        result[-1] = (desired, final)  # the same pods: the desired lab itself, in the file's order
    else:
        result.append((desired, final))
    return result
