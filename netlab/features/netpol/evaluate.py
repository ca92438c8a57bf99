"""What the NetworkPolicy API says of one connection: allowed or not, and which policy and rule decide it.

The semantics every implementation must agree on (the API reference; sig-network's kube-network-policies
evaluator reads the same way):
  * A pod is isolated for a direction when at least one policy of its namespace selects it with that policy
    type. A pod no policy isolates accepts (or sends) anything.
  * An isolated pod accepts only what at least one rule of one of those policies allows: rules add up, in no
    order, and none can deny.
  * A connection needs both: egress allowed at its source pod, ingress allowed at its destination pod.
  * Policies see pod addresses after kube-proxy's DNAT (a Service is allowed or denied by its endpoints'
    policies) and before any SNAT; replies of an allowed connection always pass.
  * Traffic from the pod's own node (kubelet's probes) is always allowed in (kube-router's "from local node").
kube-router's rules depart from these in a few places (pings, policies with both types, egress named ports):
explain.py asks the predictor what the plan's rules do and says where the two part (docs/netpol.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import IPv4Address

from netlab.features.netpol.model import EGRESS, INGRESS, NetworkPolicy, Peer, PolicyPort, PolicyRule
from netlab.topology.model import Pod, Topology

PeerTest = Callable[[Peer, NetworkPolicy], bool]  # is the far end of the connection this peer of that policy


@dataclass(frozen=True)
class Side:
    """One direction's verdict: the egress of the source pod, or the ingress of the destination pod."""

    direction: str  # Ingress | Egress
    pod: str  # namespace/name
    policies: tuple[str, ...]  # the policies that isolate it in this direction (namespace/name)
    allowed_by: str | None = None  # "namespace/name rule N" (N from 1), or "its own node"
    matched: str = ""  # how the allowing rule matched, in kube-router's words: pods | any | cidr, + " np"

    @property
    def allowed(self) -> bool:
        return not self.policies or self.allowed_by is not None

    def __str__(self) -> str:
        if not self.policies:
            return f"{self.direction.lower()} of {self.pod}: no policy selects it, so anything is allowed"
        if self.allowed_by:
            return f"{self.direction.lower()} of {self.pod}: allowed by {self.allowed_by}"
        return (f"{self.direction.lower()} of {self.pod}: isolated by {', '.join(self.policies)}"
                "; no rule of theirs allows it")


@dataclass(frozen=True)
class Decision:
    egress: Side | None  # None: the source is no pod (a node, an internet host)
    ingress: Side | None  # None: the destination is no pod
    loopback: bool = False  # a pod to its own address: the packet never leaves the pod, no policy sees it

    @property
    def allowed(self) -> bool:
        return self.loopback or all(s is None or s.allowed for s in (self.egress, self.ingress))

    @property
    def deciding(self) -> Side | None:
        """The side that refuses it (egress first: the packet never leaves), or None when allowed."""
        return next((s for s in (self.egress, self.ingress) if s is not None and not s.allowed), None)


class Evaluator:
    """The policies of one lab, indexed for asking about many connections."""

    def __init__(self, t: Topology) -> None:
        self.t = t
        self.pods = {p.ip.ip: p for p in t.plugged_pods}  # a node's address is the node's, not a pod's
        self.namespace_labels = {n.name: dict(n.labels) for n in t.namespaces}
        self.node_addresses = {n.name: {n.ip, *n.addresses} for n in t.nodes}

    def decide(self, src: IPv4Address, dst: IPv4Address, port: int | None, protocol: str) -> Decision:
        """`protocol`: tcp | udp | icmp; `port`: the destination port (after DNAT), None for icmp."""
        src_pod, dst_pod = self.pods.get(src), self.pods.get(dst)
        if src_pod is not None and src_pod is dst_pod:
            return Decision(None, None, loopback=True)
        egress = ingress = None
        if src_pod is not None:
            egress = self.side(src_pod, EGRESS, lambda peer, pol: self.peer_matches(peer, pol, dst, dst_pod),
                               port, protocol, dst_pod)
        if dst_pod is not None:
            if src in self.node_addresses.get(dst_pod.node, ()):
                ingress = Side(INGRESS, qualified(dst_pod), self.isolating(dst_pod, INGRESS), "its own node")
            else:
                ingress = self.side(dst_pod, INGRESS, lambda peer, pol: self.peer_matches(peer, pol, src, src_pod),
                                    port, protocol, dst_pod)
        return Decision(egress, ingress)

    def isolating(self, pod: Pod, direction: str) -> tuple[str, ...]:
        return tuple(p.full_name for p in self.selecting(pod, direction))

    def selecting(self, pod: Pod, direction: str) -> list[NetworkPolicy]:
        """The policies of the pod's namespace that select it with this policy type."""
        return [p for p in self.t.policies if p.namespace == pod.namespace and direction in p.policy_types
                and p.pod_selector.matches(pod.labels)]

    def side(self, pod: Pod, direction: str, peer_matches: PeerTest, port: int | None, protocol: str,
             dst_pod: Pod | None) -> Side:
        policies = self.selecting(pod, direction)
        for policy in policies:
            for i, rule in enumerate(policy.rules(direction), 1):
                matched = rule_match(rule, policy, peer_matches, port, protocol, dst_pod)
                if matched is not None:
                    return Side(direction, qualified(pod), tuple(p.full_name for p in policies),
                                f"{policy.full_name} rule {i}", matched)
        return Side(direction, qualified(pod), tuple(p.full_name for p in policies))

    def peer_matches(self, peer: Peer, policy: NetworkPolicy, ip: IPv4Address, pod: Pod | None) -> bool:
        """Whether the far end (address `ip`, the pod `pod` if it is one) is this peer of `policy`."""
        if peer.ip_block is not None:
            return peer.ip_block.matches(ip)
        return pod is not None and selects(peer, policy, pod, self.namespace_labels.get(pod.namespace, {}))


def rule_match(rule: PolicyRule, policy: NetworkPolicy, peer_matches: PeerTest, port: int | None, protocol: str,
               dst_pod: Pod | None) -> str | None:
    """None if the rule does not allow it; else how it matched: by a selector peer (pods), an ipBlock (cidr) or
    anyone (any), and " np" when through a named port."""
    peer = next((peer for peer in rule.peers if peer_matches(peer, policy)), None)
    if rule.peers and peer is None:
        return None
    kind = "any" if peer is None else "cidr" if peer.ip_block is not None else "pods"
    if not rule.ports:
        return kind
    by = next((p for p in rule.ports if port_matches(p, port, protocol, dst_pod)), None)
    if by is None:
        return None
    return kind + (" np" if isinstance(by.port, str) else "")


def port_matches(p: PolicyPort, port: int | None, protocol: str, dst_pod: Pod | None) -> bool:
    if p.protocol != protocol:
        return False  # icmp never matches a rule that lists ports
    if p.port is None:
        return True
    if port is None:
        return False
    if isinstance(p.port, str):  # a named port: the destination pod's port of that name and protocol
        return dst_pod is not None and any(s.name == p.port and s.kind.transport == protocol and s.port == port
                                           for s in dst_pod.serve)
    return p.port <= port <= (p.end_port or p.port)


def qualified(pod: Pod) -> str:
    return f"{pod.namespace}/{pod.name}"


def selected(t: Topology, policy: NetworkPolicy) -> list[Pod]:
    """The pods a policy applies to: its namespace's pods its podSelector matches, but none on the host's network
    (the API leaves them to the implementation, and kube-router and felix guard none)."""
    return [pod for pod in t.plugged_pods if pod.namespace == policy.namespace
            and policy.pod_selector.matches(pod.labels)]


def selects(peer: Peer, policy: NetworkPolicy, pod: Pod, namespace_labels: dict[str, str]) -> bool:
    """Whether a selector peer of `policy` chooses `pod` (whose namespace has these labels): a podSelector
    alone in the policy's own namespace, a namespaceSelector alone every pod of the namespaces it matches,
    both together only the pods that both match. An ipBlock peer chooses no pod."""
    if peer.ip_block is not None:
        return False
    if peer.namespace_selector is None:
        in_namespace = pod.namespace == policy.namespace
    else:
        in_namespace = peer.namespace_selector.matches(namespace_labels)
    return in_namespace and (peer.pod_selector is None or peer.pod_selector.matches(pod.labels))
