"""NetworkPolicy as the networking.k8s.io/v1 API defines it, after the API server's defaulting: the objects the
evaluator (evaluate.py) and kube-router's rules (kube_router.py) are made from."""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

INGRESS, EGRESS = "Ingress", "Egress"
OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"  # every namespace carries it (the API server sets it)

Labels = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Requirement:
    """One matchExpressions entry."""

    key: str
    operator: str  # In | NotIn | Exists | DoesNotExist
    values: tuple[str, ...] = ()

    def matches(self, labels: dict[str, str]) -> bool:
        match self.operator:
            case "In":
                return labels.get(self.key) in self.values
            case "NotIn":  # a label that is absent is "not in" (labels.Selector's semantics)
                return labels.get(self.key) not in self.values
            case "Exists":
                return self.key in labels
            case _:
                return self.key not in labels

    def __str__(self) -> str:
        values = f" ({', '.join(self.values)})" if self.values else ""
        return f"{self.key} {self.operator}{values}"


@dataclass(frozen=True)
class LabelSelector:
    """matchLabels AND matchExpressions; the empty selector ({}) selects everything."""

    match_labels: Labels = ()
    match_expressions: tuple[Requirement, ...] = ()

    def matches(self, labels: Labels | dict[str, str]) -> bool:
        have = dict(labels)
        return all(have.get(k) == v for k, v in self.match_labels) and all(
            r.matches(have) for r in self.match_expressions)

    @property
    def everything(self) -> bool:
        return not self.match_labels and not self.match_expressions

    def __str__(self) -> str:
        if self.everything:
            return "{}"
        return ", ".join([f"{k}={v}" for k, v in self.match_labels] + [str(r) for r in self.match_expressions])


@dataclass(frozen=True)
class IPBlock:
    cidr: IPv4Network
    excepted: tuple[IPv4Network, ...] = ()  # `except`, a Python keyword

    def matches(self, ip: IPv4Address) -> bool:
        return ip in self.cidr and not any(ip in e for e in self.excepted)

    def __str__(self) -> str:
        return str(self.cidr) + (f" except {', '.join(map(str, self.excepted))}" if self.excepted else "")


@dataclass(frozen=True)
class Peer:
    """One item of from/to: pods chosen by selectors (both given: AND; podSelector alone: the policy's own
    namespace; namespaceSelector alone: every pod of the chosen namespaces), or an ipBlock."""

    pod_selector: LabelSelector | None = None
    namespace_selector: LabelSelector | None = None
    ip_block: IPBlock | None = None

    def __str__(self) -> str:
        if self.ip_block is not None:
            return f"ipBlock {self.ip_block}"
        parts = []
        if self.namespace_selector is not None:
            parts.append(f"namespaces {self.namespace_selector}")
        if self.pod_selector is not None:
            parts.append(f"pods {self.pod_selector}")
        return " and ".join(parts)


@dataclass(frozen=True)
class PolicyPort:
    protocol: str  # tcp | udp | sctp (the API's TCP default applied)
    port: int | str | None = None  # None: every port; a str: a named port of the destination pod
    end_port: int | None = None  # with a numeric port: the range port..end_port

    def __str__(self) -> str:
        if self.port is None:
            return f"all {self.protocol}"
        return f"{self.protocol}/{self.port}" + (f"-{self.end_port}" if self.end_port else "")


@dataclass(frozen=True)
class PolicyRule:
    """One ingress or egress rule: traffic from/to any of its peers (none: anyone) on any of its ports
    (none: every port) is allowed."""

    peers: tuple[Peer, ...] = ()
    ports: tuple[PolicyPort, ...] = ()


@dataclass(frozen=True)
class NetworkPolicy:
    name: str
    namespace: str
    pod_selector: LabelSelector
    policy_types: tuple[str, ...]  # defaulted: Ingress, and Egress when it has egress rules
    ingress: tuple[PolicyRule, ...] = ()
    egress: tuple[PolicyRule, ...] = ()

    @property
    def full_name(self) -> str:
        return f"{self.namespace}/{self.name}"

    def rules(self, direction: str) -> tuple[PolicyRule, ...]:
        return self.ingress if direction == INGRESS else self.egress


@dataclass(frozen=True)
class Namespace:
    name: str
    labels: Labels  # with kubernetes.io/metadata.name=<name>
