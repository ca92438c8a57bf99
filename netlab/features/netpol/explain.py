"""`netlab policy LAB SRC DST[:PORT]`: what the policies say of a connection, without sending a packet — which
policies select each end, the verdict, and the kube-router rule in the plan that carries it out."""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, ip_address

from netlab.errors import UsageError
from netlab.features.netpol import kube_router
from netlab.features.netpol.evaluate import Decision, Evaluator, Side
from netlab.features.netpol.model import INGRESS
from netlab.plan import Plan, RuleSet
from netlab.topology.model import Pod, Topology
from netlab.trace.model import Trace, Verdict


@dataclass(frozen=True)
class Explanation:
    source: str
    target: str  # as asked: a pod, Service, host or address, with its port
    destination: str  # the address (and port) the policies see: a Service's endpoint, after DNAT
    protocol: str
    decision: Decision
    rules: tuple[tuple[str, str], ...]  # (node, rule as the plan loads it) carrying out each side's verdict
    would_allow: tuple[str, ...] = ()  # refused: what each rule of the isolating policies does allow
    enforced: str | None = None  # where kube-router's rules decide otherwise than the API, what they do

    def as_dict(self) -> dict[str, object]:
        def side(s: Side | None) -> dict[str, object] | None:
            return None if s is None else {"pod": s.pod, "policies": list(s.policies), "allowed": s.allowed,
                                           "allowed_by": s.allowed_by, "explanation": str(s)}
        return {"source": self.source, "target": self.target, "destination": self.destination,
                "protocol": self.protocol, "allowed": self.decision.allowed, "loopback": self.decision.loopback,
                "egress": side(self.decision.egress), "ingress": side(self.decision.ingress),
                "rules": [{"node": n, "rule": r} for n, r in self.rules], "would_allow": list(self.would_allow),
                "enforced_otherwise": self.enforced}


def explain(t: Topology, plan: Plan, source: str, target: str, protocol: str) -> list[Explanation]:
    """One explanation per address the connection may reach (a Service: each endpoint of its port)."""
    src = address_of(t, source)
    name, _, port_text = target.rpartition(":") if ":" in target else (target, "", "")
    if port_text and not port_text.isdigit():
        raise UsageError(f"'{target}' has no valid port", hint="write NAME:PORT, e.g. web:80")
    port = int(port_text) if port_text else None
    if protocol != "icmp" and port is None:
        raise UsageError(f"a {protocol} connection needs a port", hint=f"write {target}:PORT")
    evaluator = Evaluator(t)
    is_pod = any(p.name == source for p in t.pods)
    found = []
    for dst, dst_port in destinations(t, name, port, protocol):
        endpoint = f"{dst}:{dst_port}" if dst_port is not None else str(dst)
        walked = walk(t, plan, source, name, port, protocol, endpoint)
        # A node or host sends from the address of the way out it takes (a flannel node: its VTEP), and that is
        # the address a policy sees; a pod sends from its own.
        seen = src if is_pod or walked is None or not walked.forward else IPv4Address(walked.forward[-1].packet.src)
        decision = evaluator.decide(seen, dst, dst_port, protocol)
        rules = kernel_rules(t, plan, decision, dst_port, protocol)
        refusing = decision.deciding
        allows = rules_of(t, refusing.policies, refusing.direction) if refusing else ()
        otherwise = enforced_otherwise(t, decision, walked.verdict if walked else None, protocol)
        shown = source if seen == src else f"{source} ({seen})"
        found.append(Explanation(shown, target, endpoint, protocol, decision, rules, allows, otherwise))
    return found


def walk(t: Topology, plan: Plan, source: str, name: str, port: int | None, protocol: str,
         endpoint: str) -> Trace | None:
    """The predictor's walk of the plan (no root), or None where it cannot follow (a source given as an
    address)."""
    from netlab.trace.predict import predict
    try:
        return predict(plan, t, source, name, port, protocol, endpoint=endpoint)
    except Exception:
        return None


def enforced_otherwise(t: Topology, decision: Decision, walked: Verdict | None, protocol: str) -> str | None:
    """kube-router's rules do not always do what the API says: its COMMON chain accepts pings to every pod, a
    policy with both types runs its ingress and egress rules in both directions, egress named ports are resolved
    in the policy's own namespace. Where the predictor's walk through the plan's rules and the API part, this
    says what the rules do."""
    if t.cluster.network_policy != "kube-router" or decision.loopback or walked is None:
        return None
    refused = walked.status in ("rejected", "dropped") and walked.rule is not None \
        and walked.rule.chain.startswith(("KUBE-POD-FW-", "KUBE-NWPLCY-"))
    if refused == (not decision.allowed):
        return None
    if refused:
        return f"its rules refuse it: on {walked.where}, {walked.rule.text if walked.rule else walked.text}"
    why = ("KUBE-NWPLCY-COMMON accepts ICMP echo requests, unreachables and time-exceeded to and from every pod, "
           "before any policy") if protocol == "icmp" else f"the walk through its chains ends: {walked.text}"
    return f"its rules let it through: {why}"


def rules_of(t: Topology, policies: tuple[str, ...], direction: str) -> tuple[str, ...]:
    """Each rule of these policies in one direction, as what it allows: "ns/name rule N: from … on …"."""
    found = []
    for p in t.policies:
        if p.full_name not in policies:
            continue
        rules = p.rules(direction)
        if not rules:
            found.append(f"{p.full_name}: no {direction.lower()} rule (it allows nothing)")
        for i, rule in enumerate(rules, 1):
            peers = " or ".join(str(peer) for peer in rule.peers) or "anyone"
            ports = ", ".join(str(port) for port in rule.ports) or "every port"
            way = "from" if direction == INGRESS else "to"
            found.append(f"{p.full_name} rule {i}: {way} {peers}, on {ports}")
    return tuple(found)


def address_of(t: Topology, name: str) -> IPv4Address:
    known = t.address_of(name)
    if known is not None:
        return IPv4Address(known)
    try:
        address = ip_address(name)
    except ValueError:
        members = sorted({*(p.name for p in t.pods), *(n.name for n in t.nodes), *(h.name for h in t.internet.hosts)})
        raise UsageError(f"'{name}' is no pod, node, internet host or address of lab {t.name}",
                         hint="one of: " + ", ".join(members)) from None
    if not isinstance(address, IPv4Address):
        raise UsageError(f"'{name}' is IPv6; netlab labs are IPv4")
    return address


def destinations(t: Topology, name: str, port: int | None, protocol: str) -> list[tuple[IPv4Address, int | None]]:
    """A Service is its endpoints, as kube-proxy's DNAT makes it before any policy looks; anything else is its
    address."""
    for svc in t.services:
        if svc.name == name and svc.cluster_ip is not None:
            ports = [p for p in svc.ports if p.port == port and p.protocol == protocol]
            if not ports:
                raise UsageError(f"Service {svc.namespace}/{name} has no {protocol} port {port}",
                                 hint="its ports: " + ", ".join(f"{p.port}/{p.protocol}" for p in svc.ports))
            endpoints = t.endpoints(svc, ports[0])
            if not endpoints:
                raise UsageError(f"Service {svc.namespace}/{name} has no endpoints: kube-proxy rejects it before "
                                 "any policy is asked")
            return [(e.ip, e.port) for e in endpoints]
    return [(address_of(t, name), port)]


def kernel_rules(t: Topology, plan: Plan, d: Decision, port: int | None,
                 protocol: str) -> tuple[tuple[str, str], ...]:
    """The kube-router rules that carry out the decision: the REJECT of the pod chain that refuses it; or, for
    each side, the rule that marks it allowed (a policy's, the local node's, or the default chain's jump)."""
    if t.cluster.network_policy != "kube-router" or d.loopback:
        return ()
    sides = [d.deciding] if d.deciding else [s for s in (d.egress, d.ingress) if s is not None]
    found = []
    for side in sides:
        assert side is not None
        rule = side_rule(t, plan, side, port, protocol)
        if rule is not None:
            found.append(rule)
    return tuple(found)


def side_rule(t: Topology, plan: Plan, side: Side, port: int | None, protocol: str) -> tuple[str, str] | None:
    pod = next(p for p in t.pods if f"{p.namespace}/{p.name}" == side.pod)
    word = "ingress" if side.direction == INGRESS else "egress"
    if not side.allowed:
        chain, comment = kube_router.pod_chain(pod), f'"{kube_router.id_comment(pod.namespace, pod.name, "reject")}"'
    elif side.allowed_by == "its own node":
        chain, comment = kube_router.pod_chain(pod), '"from local node"'
    elif side.allowed_by is None:
        chain, comment = kube_router.pod_chain(pod), f'"default {word}"'
    else:
        policy_name, _, number = side.allowed_by.rpartition(" rule ")
        policy = next(p for p in t.policies if p.full_name == policy_name)
        chain = kube_router.policy_chain(policy)
        comment = f'"{kube_router.id_comment(policy.namespace, policy.name, f"{word} {side.matched}")}"'
        # Several rules of a policy share a comment: the one meant names the rule's own sets, or its port.
        index = int(number) - 1
        sets = {kube_router.rule_set(policy, side.direction, index, what) for what in ("pod", "ipblock")}
        endpoints = len({(s.name, s.port) for q in t.pods for s in q.serve if s.name})  # a rule's named ports: no more
        sets |= {kube_router.rule_set(policy, side.direction, index, "namedport", j) for j in range(endpoints)}
        for line in lines_of(plan, pod, chain, comment):
            words = line.split()
            if protocol_and_port(words, port, protocol) and (side.matched.startswith("any") or sets & set(words)):
                return pod.node, line
        return None
    rule = next(iter(lines_of(plan, pod, chain, comment)), None)
    return (pod.node, rule) if rule else None


def protocol_and_port(words: list[str], port: int | None, protocol: str) -> bool:
    """Whether a rule's -p and --dport admit the connection."""
    if "-p" in words and words[words.index("-p") + 1] != protocol:
        return False
    if "--dport" not in words:
        return True
    low, _, high = words[words.index("--dport") + 1].partition(":")
    return port is not None and int(low) <= port <= int(high or low)


def lines_of(plan: Plan, pod: Pod, chain: str, comment: str) -> list[str]:
    """The rules of `chain` with `comment` on the pod's node, as the plan loads them."""
    for step in plan.steps:
        if isinstance(step, RuleSet) and step.table == "kube-router" and step.is_iptables \
                and step.netns.endswith(f".{pod.node}"):
            return [line for line in step.payload.splitlines() if line.startswith(f"-A {chain} ") and comment in line]
    return []


def lines(e: Explanation) -> list[str]:
    """The explanation as text, one statement per line."""
    d = e.decision
    out = [f"{e.source} → {e.target} ({e.destination}/{e.protocol})"]
    if d.loopback:
        out.append("  a pod to its own address: the packet never leaves it, no policy sees it")
    for side in (d.egress, d.ingress):
        if side is not None:
            out.append(f"  {side}")
            if side is d.deciding:
                out += [f"    {rule}" for rule in e.would_allow]
    verdict = "allowed" if d.allowed else "refused"
    out.append(f"  verdict: {verdict}" + (" by the API" if e.enforced else ""))
    if e.enforced:
        out.append(f"  but kube-router: {e.enforced}")
    for node, rule in ([] if e.enforced else e.rules):  # the API's rules are not what decides, then
        out.append(f"  kernel: on {node}, {rule}")
    if not e.rules and not d.loopback and (d.egress or d.ingress):
        out.append("  kernel: nothing enforces policies in this lab (cluster.networkPolicy: none)")
    return out
