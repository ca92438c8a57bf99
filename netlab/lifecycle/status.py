"""`netlab status`: what a lab is made of, and whether the kernel still matches what `up` built."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from netlab import state
from netlab.compile.workloads import daemon_names
from netlab.errors import UsageError
from netlab.kernel import inspect, netns, processes
from netlab.kernel.inspect import NetnsSnapshot
from netlab.plan import (
    Address, ArpAnswer, BgpSessions, Bridge, Dummy, IpipTunnel, LinkSet, Netns, NetnsFile, Plan, Route, RuleSet, Step,
    Sysctl, Veth, Vxlan,
)
from netlab.topology import Topology


@dataclass(frozen=True)
class Drift:
    key: str
    problem: str


@dataclass
class ProcessStatus:
    name: str
    netns: str
    pid: int
    running: bool


@dataclass
class DeploymentStatus:
    """As `kubectl get deployments` counts: pods that answer, pods of the current template, of all of them."""

    name: str
    namespace: str
    desired: int
    ready: int  # pods whose daemon runs
    up_to_date: int  # pods of the current ReplicaSet
    total: int  # pods of any of its ReplicaSets (more than desired while a rollout runs)
    replica_set: str
    kind: str = "Deployment"


@dataclass
class LabStatus:
    lab: str
    ready: bool
    source: str
    created: float
    topology: Topology | None
    drift: list[Drift] = field(default_factory=list)
    processes: list[ProcessStatus] = field(default_factory=list)
    deployments: list[DeploymentStatus] = field(default_factory=list)
    drift_checked: bool = False  # not for an exercise: what differs from the plan is what the student must find

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"lab": self.lab, "ready": self.ready, "source": self.source, "created": self.created,
                                "drift": [asdict(d) for d in self.drift], "drift_checked": self.drift_checked,
                                "processes": [asdict(p) for p in self.processes],
                                "deployments": [asdict(d) for d in self.deployments]}
        t = self.topology
        if t is not None:
            data["nodes"] = [{"name": n.name, "ip": str(n.ip), "pod_subnet": str(n.pod_subnet)} for n in t.nodes]
            data["pods"] = [{"name": p.name, "node": p.node, "ip": str(p.ip.ip)} for p in t.pods]
            data["hosts"] = [{"name": h.name, "ip": str(h.ip.ip)} for h in t.internet.hosts]
            data["services"] = [{"name": x.name, "namespace": x.namespace, "type": x.type,
                                 "cluster_ip": str(x.cluster_ip),
                                 "node_ports": [p.node_port for p in x.ports if p.node_port is not None],
                                 **({"external_ip": x.external_ip_text} if x.external_ip_text else {}),
                                 **({"events": [x.load_balancer_event]} if x.load_balancer_event else {}),
                                 **({"health_check_node_port": x.health_check_node_port}
                                    if x.health_check_node_port is not None else {})}
                                for x in t.services]
            from netlab.features.ingress.controller import status_address
            data["ingresses"] = [{"name": i.name, "namespace": i.namespace, "class": i.class_name,
                                  "hosts": [rule.host for rule in i.rules], "address": status_address(t)}
                                 for i in t.ingresses]
            from netlab.features.netpol.evaluate import selected
            data["network_policies"] = [{"name": p.name, "namespace": p.namespace, "types": list(p.policy_types),
                                         "pod_selector": str(p.pod_selector),
                                         "selects": [pod.name for pod in selected(t, p)]} for p in t.policies]
        return data


def lab_status(lab: str) -> LabStatus:
    lab_state = state.LabState(lab)
    if not lab_state.exists():
        raise UsageError(f"lab '{lab}' is not up", hint="`netlab status` lists the labs that are")
    meta = lab_state.meta()
    topology = lab_state.built_topology() if (lab_state.dir / "model.json").exists() else None
    result = LabStatus(lab, lab_state.is_ready(), meta.get("source", "?"), meta.get("created", 0.0), topology)
    plan = lab_state.plan()
    if plan is not None and result.ready and not (topology and topology.exercise):
        result.drift = find_drift(plan)
        result.drift_checked = True
    result.processes = daemon_status(lab_state, plan)
    for p in result.processes:
        if not p.running:
            result.drift.append(Drift(f"daemon {p.name}", f"pid {p.pid} is not running" if p.pid else "never started"))
    if topology is not None:
        result.deployments = deployment_status(topology, {p.name for p in result.processes if p.running})
    return result


def daemon_status(lab_state: state.LabState, plan: Plan | None) -> list[ProcessStatus]:
    """Each daemon the plan starts, and whether the process `up` (or `fault --clear`) started for it still runs."""
    latest = {p.name: p for p in lab_state.processes()}  # a daemon started again (fault --clear) is recorded again
    found = []
    for d in plan.index().daemons() if plan is not None else []:
        p = latest.get(d.name)
        found.append(ProcessStatus(d.name, d.netns, p.pid if p else 0,
                                   p is not None and processes.still_ours(p.pid, p.start_time)))
    return found


def deployment_status(t: Topology, running: set[str]) -> list[DeploymentStatus]:
    found = []
    for d in t.deployments:
        pods = [p for p in t.pods if (p.deployment, p.namespace) == (d.name, d.namespace)]
        # A pod that serves nothing runs no daemon: it is ready as soon as it exists, as a pod without probes.
        ready = sum(1 for p in pods if all(name in running for name in daemon_names(p)))
        current = sum(1 for p in pods if p.template == d.template_hash)
        found.append(DeploymentStatus(d.name, d.namespace, d.replicas, ready, current, len(pods), d.replica_set,
                                      d.kind))
    return found


def find_drift(plan: Plan) -> list[Drift]:
    drift: list[Drift] = []
    snapshots: dict[str, NetnsSnapshot | None] = {}
    for step in plan.steps:
        if isinstance(step, Netns):
            snapshots[step.name] = inspect.snapshot(step.name) if netns.exists(step.name) else None
            if snapshots[step.name] is None:
                drift.append(Drift(step.key, "namespace is missing"))
    for step in plan.steps:
        ns = getattr(step, "netns", None)
        snap = snapshots.get(ns) if ns else None
        if snap is None:
            continue
        if isinstance(step, BgpSessions):
            problem = session_drift(plan.lab, step)
        elif isinstance(step, ArpAnswer):
            problem = None if step.answered(state.LabState(plan.lab).dir) else \
                f"{step.daemon} does not announce {step.ip}"
        else:
            problem = step_drift(step, snap)
        if problem:
            drift.append(Drift(step.key, problem))
    drift += rule_drift(plan, {n for n, s in snapshots.items() if s is not None})
    return drift


def session_drift(lab: str, step: BgpSessions) -> str | None:
    """BGP sessions that are not Established, as their daemon says (a dead one: its socket does not answer)."""
    from netlab.features import bgp_speakers
    down = bgp_speakers.sessions_down(step, state.LabState(lab).dir)
    if down is None:
        return f"{step.daemon} does not answer on its control socket"
    return "; ".join(down) or None


def step_drift(step: Step, snap: NetnsSnapshot) -> str | None:
    match step:
        case Bridge(name=name) | Dummy(name=name) | Veth(name=name) | Vxlan(name=name) | IpipTunnel(name=name):
            link = snap.links.get(name)
            if link is None:
                return "interface is missing"
            if link.kind != step.kind:
                return f"interface is a {link.kind}, not a {step.kind}"
        case LinkSet(name=name, master=master, alias=alias, up=up):
            link = snap.links.get(name)
            if link is None:
                return None  # reported by the step that creates it
            if link.up != up:
                return "interface is down" if up else "interface is up (it should stay down)"
            if master and link.master != master:
                return f"interface is attached to {link.master or 'nothing'}, not {master}"
            if alias and link.alias != alias:
                return f"interface lost its mark (alias is {link.alias!r})"
        case Address(dev=dev, cidr=cidr):
            if (dev, cidr) not in snap.addresses:
                return "address is missing"
        case Route(dst=dst, via=via, dev=dev, nexthops=nexthops):
            missing = [hop for hop in nexthops or (via,) if (dst, hop, dev or None) not in snap.routes]
            if len(missing) == len(nexthops or (via,)):
                return "route is missing"
            if missing:
                return f"route has no next hop via {', '.join(str(m) for m in missing)}"
        case Sysctl(netns=ns, key_name=key, value=value):
            actual = inspect.read_sysctl(ns, key)
            if actual != value:
                return f"is {actual}, expected {value}"
        case NetnsFile(content=content):
            try:
                with open(step.full_path) as f:
                    return None if f.read() == content else "file was changed"
            except OSError:
                return "file is missing"
    return None


APPEND = re.compile(r"^-[AI] (\S+) ")  # -I in a user payload adds a rule too


def rule_drift(plan: Plan, live: set[str]) -> list[Drift]:
    """Counts rules per chain: a flushed, deleted or added rule shows as a different count."""
    drift: list[Drift] = []
    expected: dict[tuple[str, str], Counter[str]] = {}
    tools: dict[str, str] = {}
    for step in plan.steps:
        if isinstance(step, RuleSet) and step.is_iptables and step.netns in live:
            tools[step.netns] = step.tool
            table = None
            for line in step.payload.splitlines():
                if line.startswith("*"):
                    table = line[1:].strip()
                elif (m := APPEND.match(line)) and table:
                    expected.setdefault((step.netns, table), Counter())[m.group(1)] += 1
    for (ns, table), chains in sorted(expected.items()):
        actual: Counter[str] = Counter()
        for line in inspect.iptables_save(ns, table, tools[ns]).splitlines():
            if m := APPEND.match(line):
                actual[m.group(1)] += 1
        for chain in sorted(set(chains) | set(actual)):
            if chains[chain] != actual[chain]:
                drift.append(Drift(f"rules {ns} {table} {chain}",
                                   f"{actual[chain]} rules, expected {chains[chain]}"))
    return drift
