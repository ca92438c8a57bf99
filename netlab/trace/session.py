"""One `netlab trace` from start to end: what to load, what to run, what to compare."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from netlab.errors import UsageError
from netlab.plan import Plan
from netlab.topology import Topology
from netlab.trace.model import LookupStep, Trace, Verdict, parse_target


@dataclass(frozen=True)
class Result:
    trace: Trace
    labels: dict[tuple[str, str], str]  # (lab object, interface) → what it leads to
    topology: Topology | None = None  # the lab's model the trace was made with
    predicted: Trace | None = None  # an observed trace's prediction from the plan, when one could be made


def trace_once(lab: str, source: str, target: str, proto: str, *, timeout: float) -> tuple[Result, list[str] | None]:
    """The observed trace, and where it departs from the prediction (None if no prediction could be made)."""
    from netlab.trace.compare import departures
    from netlab.trace.engine import Tracer
    with Tracer(lab) as tracer:
        steps, resolved = looked_up(tracer.topology, source, target, observe=True)
        if steps and resolved is None:  # the name does not resolve: there is no packet to follow
            return Result(unresolved(lab, "observed", source, target, proto, steps),
                          tracer.plan.index().interface_labels(), tracer.topology), None
        observed = tracer.trace(source, target, proto, timeout=timeout, resolved=resolved)
        observed = replace(observed, lookup=steps,
                           policy=policy_lines(tracer.topology, tracer.plan, source, target, proto, resolved))
        labels = tracer.plan.index().interface_labels()
        chosen = next((e.data.get("to") for h in observed.forward for e in h.events if e.kind == "dnat"), None)
        try:
            # The kernel's random choices, followed as it made them: the endpoint kube-proxy picked, and the
            # next hop of an ECMP route the flow was hashed to (where it went next tells which).
            predicted = _predict(tracer.plan, tracer.topology, source, target, proto, endpoint=chosen,
                                 passed=tuple(h.netns for h in observed.forward))
        except UsageError:
            raise
        except Exception as e:  # a gap in the model must not hide what the kernel really did
            return Result(replace(observed, notes=observed.notes + (f"no prediction from the plan: {e}",)),
                          labels, tracer.topology), None
        bridges = frozenset((obj, bridge) for (obj, _), bridge in tracer.masters.items())
    if legacy := legacy_iptables(tracer.plan):
        observed = replace(observed, notes=observed.notes + (
            f"{', '.join(legacy)}: iptables-legacy rules, which nftables tracing cannot see — their rewrites are "
            "shown (from conntrack), not the rules that made them; `iptables-legacy -t nat -S` in the node lists "
            "them, and `netlab trace --predict` names them",))
    return Result(observed, labels, tracer.topology, predicted), departures(observed, predicted, bridges=bridges)


def legacy_iptables(plan: Plan) -> list[str]:
    """The namespaces whose iptables rules are iptables-legacy's (the lab's backend, or the host's `iptables`)."""
    import shutil
    import subprocess
    from netlab.plan import RuleSet
    tools = {s.netns: s.tool for s in plan.steps if isinstance(s, RuleSet) and s.tool.startswith("iptables")}
    if "iptables" in tools.values() and shutil.which("iptables"):
        version = subprocess.run(["iptables", "-V"], capture_output=True, text=True, check=False).stdout
        host = "iptables-legacy" if "legacy" in version else "iptables-nft"
        tools = {ns: host if tool == "iptables" else tool for ns, tool in tools.items()}
    return sorted(ns.rsplit(".", 1)[-1] for ns, tool in tools.items() if tool == "iptables-legacy")


def predict_only(lab_or_file: str, source: str, target: str, proto: str, *,
                 loaded: tuple[Plan, Topology] | None = None) -> Result:
    """The plan's prediction; `loaded`: the lab's plan and model already read (many predictions of one lab)."""
    plan, topology = loaded or _plan_of(lab_or_file)
    predicted = _predict(plan, topology, source, target, proto, endpoint=None)
    resolved = predicted.lookup[-1].answers[0] if predicted.lookup and predicted.lookup[-1].answers else None
    predicted = replace(predicted, policy=policy_lines(topology, plan, source, target, proto, resolved))
    return Result(predicted, plan.index().interface_labels(), topology)


def policy_lines(t: Topology, plan: Plan, source: str, target: str, proto: str,
                 resolved: str | None) -> tuple[str, ...]:
    """What NetworkPolicy says of the connection (features/netpol/explain.py), in a lab that has policies."""
    if not t.policies:
        return ()
    from netlab.features.netpol import explain
    name, sep, port = target.rpartition(":") if ":" in target else (target, "", "")
    asked = (resolved or name) + (sep + port)
    try:
        return tuple(line for e in explain.explain(t, plan, source, asked, proto) for line in explain.lines(e))
    except UsageError:  # not something policies speak of (a Service without endpoints, an unknown source)
        return ()


def _predict(plan: Plan, topology: Topology, source: str, target: str, proto: str, *,
             endpoint: str | None, passed: tuple[str, ...] = ()) -> Trace:
    from netlab.trace.predict import predict
    steps, resolved = looked_up(topology, source, target, observe=False)
    if steps and resolved is None:
        return unresolved(plan.lab, "predicted", source, target, proto, steps)
    parsed = parse_target(topology, target, proto, resolved=resolved)
    name = resolved or target.partition(":")[0]
    predicted = predict(plan, topology, source, name, parsed.port, proto, endpoint=endpoint, passed=passed)
    return replace(predicted, target=target, lookup=steps)


def looked_up(t: Topology, source: str, target: str, *, observe: bool) -> tuple[tuple[LookupStep, ...], str | None]:
    """A target that is a DNS name is looked up first: from the source, for real (observe), or in the lab's
    records (predict). No steps when it is not a name to look up."""
    from netlab.features.dns import lookup
    name = target.partition(":")[0]
    members = {*(p.name for p in t.pods), *(n.name for n in t.nodes), *(h.name for h in t.internet.hosts)}
    if not lookup.is_lookup(t, name) or source not in members:
        return (), None
    steps, address = (lookup.traced if observe else lookup.in_model)(t, source, name)
    return tuple(LookupStep(**asdict(step)) for step in steps), address


def unresolved(lab: str, kind: str, source: str, target: str, proto: str, steps: tuple[LookupStep, ...]) -> Trace:
    name = target.partition(":")[0]
    last = steps[-1].rcode if steps else "no answer"
    return Trace(lab, kind, source, target, proto, (), Verdict("unresolved", source, last,
                 f"{name} does not resolve: {last} after {len(steps)} quer{'y' if len(steps) == 1 else 'ies'}"),
                 lookup=steps)


def _plan_of(lab_or_file: str) -> tuple[Plan, Topology]:
    from netlab import labs
    topology, plan = labs.source(lab_or_file)
    return plan, topology


@dataclass(frozen=True)
class ProxyLeg:
    """What happens past a proxy that ends the connection and opens its own — an ingress controller's nginx, or
    kube-proxy in userspace mode: its decision, then (unless it answered itself) its new connection, traced as a
    probe of its own from where the proxy runs."""

    who: str  # "nginx in <pod> (ingress-nginx)", "kube-proxy (userspace) on <node>"
    decision: tuple[str, ...]
    second: Result | None
    departures: list[str] | None = None


def behind(lab_or_file: str, result: Result, host: str | None, path: str, *, predict: bool,
           timeout: float) -> ProxyLeg | None:
    """The leg behind a proxy the first leg (`result`) was delivered to (None when it was delivered to anything
    else). Through an ingress, the request's Host header is `host`, or what a client sends by default: the
    address it connected to."""
    first = result.trace
    if first.verdict.status != "delivered" or first.verdict.where is None:
        return None
    topology = result.topology or _plan_of(lab_or_file)[1]
    found = _through_ingress(topology, first, host, path) or _through_userspace(topology, first)
    if found is None:
        return None
    who, lines, source, endpoint = found
    if endpoint is None:
        return ProxyLeg(who, tuple(lines), None)
    if predict:
        return ProxyLeg(who, tuple(lines), predict_only(lab_or_file, source, endpoint, first.proto))
    result, departures = trace_once(topology.name, source, endpoint, first.proto, timeout=timeout)
    return ProxyLeg(who, tuple(lines), result, departures)


def _through_ingress(t: Topology, first: Trace, host: str | None,
                     path: str) -> tuple[str, list[str], str, str | None] | None:
    from netlab.features.ingress import controller
    pod = first.verdict.where
    if pod not in controller.controller_pods(t):
        return None
    decision = controller.route(t, host or first.target, path)
    return f"nginx in {pod} (ingress-nginx)", decision.lines(), str(pod), decision.endpoint


def _through_userspace(t: Topology, first: Trace) -> tuple[str, list[str], str, str | None] | None:
    """kube-proxy in userspace mode: delivered to a node, on the port the last REDIRECT (or DNAT) sent it to."""
    from netlab.features.kube_proxy import USERSPACE, userspace
    node = first.verdict.where
    if t.cluster.proxy != USERSPACE or node not in {n.name for n in t.nodes} or not first.forward:
        return None
    redirected = [str(e.data["to"]) for h in first.forward for e in h.events if e.kind == "dnat" and e.data.get("to")]
    port = int(redirected[-1].rsplit(":", 1)[1]) if redirected else first.forward[-1].packet.dport
    found = userspace.relay(t, str(node), port or 0, "tcp" if first.proto == "http" else first.proto)
    if found is None:
        return None
    lines, endpoint = found
    return f"kube-proxy (userspace) on {node}", lines, str(node), endpoint
