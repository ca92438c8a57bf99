"""sig-network's NetworkPolicy model (test/e2e/network/netpol): namespaces x, y, z with pods a, b, c each, serving
TCP and UDP on 80 and 81 (container ports named serve-80-tcp…), a Service s-<ns>-<pod> in front of each, and the
reachability the e2e suite expects after each policy — read from the suite into tests/data/netpol_e2e.json, not
from netlab's evaluator. A few cases of netlab's own cover what the suite does not probe (matchExpressions with
Exists and DoesNotExist, endPort). The unit tests check netlab's evaluator against all of them; the kernel tests
send real traffic through kube-router's rules.

netlab's pod names are unique in a lab, so pod a of namespace x is `x-a` (label pod: a, as in the suite)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import IPv4Network
from pathlib import Path

NAMESPACES = ("x", "y", "z")
PODS = ("a", "b", "c")
ALL = tuple(f"{ns}-{p}" for ns in NAMESPACES for p in PODS)
E2E = json.loads((Path(__file__).parent / "data" / "netpol_e2e.json").read_text())


def base(name: str = "netpol-e2e", nodes: int = 2) -> str:
    """The model as a netlab topology: two nodes, pods spread over them (same-node and cross-node pairs), and
    kube-router enforcing policies even before there is one."""
    lines = [f"name: {name}", "cluster: {cni: flannel-vxlan, proxy: iptables, networkPolicy: kube-router}",
             "nodes:"]
    lines += [f"  - name: node{i + 1}" for i in range(nodes)]
    lines += ["pods:"]
    serve = ", ".join(f"{{name: serve-{port}-{proto}, port: {port}, protocol: {proto}}}"
                      for port in (80, 81) for proto in ("tcp", "udp"))
    ports = ", ".join(f"{{name: {proto}-{port}, port: {port}, protocol: {proto.upper()}}}"
                      for port in (80, 81) for proto in ("tcp", "udp"))
    for ns in NAMESPACES:
        for p in PODS:
            lines.append(f"  - {{name: {ns}-{p}, namespace: {ns}, labels: {{pod: {p}}}, serve: [{serve}]}}")
    lines += ["services:"]
    for ns in NAMESPACES:
        for p in PODS:
            lines.append(f"  - {{name: s-{ns}-{p}, namespace: {ns}, selector: {{pod: {p}}}, ports: [{ports}]}}")
    return "\n".join(lines) + "\n"


Reach = Callable[[str, str], bool]  # (source pod, destination pod) -> allowed; a pod to itself is never asked


@dataclass(frozen=True)
class Case:
    title: str  # the e2e suite's It(...), or what one of netlab's own cases checks
    policies: str  # YAML: the items of networkPolicies:
    reach: Reach
    port: int = 80
    protocol: str = "tcp"


def e2e_cases(ips: dict[str, str]) -> list[Case]:
    """The suite's cases, each probe with the policies in place then; `ips` fills in the pod addresses that
    ipBlock cases name (pod name → address)."""
    found = []
    for case in E2E["cases"]:
        for n, probe in enumerate(case["probes"]):
            text = json.dumps(probe["policies"])
            for pod, ip in ips.items():
                if pod not in ALL:
                    continue
                ns, name = pod.split("-")
                text = text.replace(f"${{IP({ns}/{name})}}", ip)
                text = text.replace(f"${{LARGE_CIDR({ns}/{name})}}", str(IPv4Network(f"{ip}/4", strict=False)))
            protocol, _, port = probe["probe"].partition("/")
            denied = {tuple(pair.replace("/", "-").split("->")) for pair in probe["denied"]}
            title = case["title"] + (f" (probe {n + 1})" if len(case["probes"]) > 1 else "")
            found.append(Case(title, "".join(f"\n  - {json.dumps(p)}" for p in json.loads(text)) + "\n",
                              lambda s, d, denied=denied: (s, d) not in denied, int(port), protocol.lower()))
    return found


def ns(pod: str) -> str:
    return pod.split("-")[0]


OWN = [
    Case("matchExpressions Exists and DoesNotExist (not probed by the e2e suite)", """
  - name: allow-pods-with-label-pod
    namespace: x
    podSelector: {matchLabels: {pod: a}}
    ingress: [{from: [{podSelector: {matchExpressions: [{key: pod, operator: Exists}]}}]}]
  - name: nothing-without-label-pod
    namespace: y
    podSelector: {matchExpressions: [{key: pod, operator: DoesNotExist}]}
    policyTypes: [Ingress]
""", lambda s, d: d != "x-a" or ns(s) == "x"),
    Case("a port range with endPort (the e2e suite only validates it)", """
  - name: allow-80-to-81-from-y
    namespace: x
    podSelector: {}
    ingress: [{ports: [{port: 80, endPort: 81, protocol: TCP}],
               from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}]}]
""", lambda s, d: ns(d) != "x" or ns(s) == "y", port=81),
    Case("an egress rule on a named port of the destination pods", """
  - name: x-a-egress-named
    namespace: x
    podSelector: {matchLabels: {pod: a}}
    policyTypes: [Egress]
    egress: [{to: [{namespaceSelector: {}}], ports: [{port: serve-81-tcp}]}]
""", lambda s, d: s != "x-a", port=80),
]


DENY_X = Case("namespace x denies all ingress", """
  - {name: deny-ingress, namespace: x, podSelector: {}, policyTypes: [Ingress]}
""", lambda s, d: ns(d) != "x")


def with_policies(text: str, case: Case) -> str:
    return text + "networkPolicies:" + case.policies if case.policies.strip() else text


# Cases that reach the harder parts of a policy implementation (a tier's default deny over TCP and UDP, two
# policies on one selector, a named port of the destination pods, an ipBlock's except): the ones the unit tests
# walk through felix's rules with the predictor (each takes seconds there; the kernel runs every case).
CORE = ("should support a 'default-deny-ingress' policy",
        "should enforce multiple, stacked policies with overlapping podSelectors (probe 1)",
        "should allow egress access on one named port (probe 1)",
        "should enforce except clause while egress access to server in CIDR block")


def calico(text: str) -> str:
    """The model on Calico (VXLAN), its policies enforced by felix."""
    return text.replace("{cni: flannel-vxlan, proxy: iptables, networkPolicy: kube-router}",
                        "{cni: calico, proxy: iptables, calico: {encapsulation: VXLAN}}")
