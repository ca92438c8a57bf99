"""felix's chains for Kubernetes NetworkPolicy, on the nodes of a Calico lab (felix.py calls compile_node).

What a real node holds (Calico v3.32: libcalico-go/lib/backend/k8s/conversion, felix/rules/policy.go,
felix/calc/rule_scanner.go, felix/dataplane/linux/endpoint_mgr.go):
* libcalico-go's conversion turns a NetworkPolicy into a Calico policy in tier `default`, order 1000, whose
  selector is `projectcalico.org/orchestrator == 'k8s' && <labels>`; each (protocol × peer) of a rule becomes
  an Allow rule whose peer selector is rewritten by the syncer: `(projectcalico.org/namespace == '<ns>') &&
  (<podSelector>)`, or with a namespaceSelector `(<its labels, prefixed pcns.>) && (<podSelector>)`.
* felix writes a chain per policy and direction, `cali-pi-`/`cali-po-` + the policy's ID `knp/<ns>/<name>`
  (hashed when too long), and an ipset per peer selector, `cali40s:` + the selector's unique ID, holding the
  addresses of every pod it matches; an endpoint chain selected by a policy calls the policy chains in a
  tier block ("Start of tier default" … "End of tier default. Drop if no policies passed packet") before
  its profiles.
Names here are felix's: the unit tests hold them to values from Calico's own tests where there are some;
docs/calico.md says which are not checked.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from netlab.features.calico.felix_rules import ACCEPT, PASS, Chain, chain_name
from netlab.features.netpol.evaluate import selects
from netlab.features.netpol.model import EGRESS, INGRESS, LabelSelector, NetworkPolicy, Peer
from netlab.topology.model import Pod, Topology

IPSET_NAME_LENGTH = 31  # the kernel's limit, felix/ipsets/ipset_defs.go


def unique_id(prefix: str, content: str) -> str:
    """libcalico-go's hash.MakeUniqueID: `<prefix>:` + base64url(SHA-224(`<prefix>:<content>`)), no padding."""
    digest = hashlib.sha224(f"{prefix}:{content}".encode()).digest()
    return f"{prefix}:" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def selector_set(canonical: str) -> str:
    """The ipset of a selector (canonical form, as libcalico-go's parser re-renders it): `cali40s:…`."""
    return ("cali40" + unique_id("s", canonical))[:IPSET_NAME_LENGTH]


def policy_chain(namespace: str, name: str, *, ingress: bool) -> str:
    """felix/rules/policy.go PolicyChainName for a Kubernetes NetworkPolicy (v3.32: its ID is knp/<ns>/<name>)."""
    return chain_name("cali-pi-" if ingress else "cali-po-", f"knp/{namespace}/{name}")


def equals(key: str, value: str) -> str:
    """A canonical `key == "value"` (the parser's re-render quotes with ", or ' when the value holds a ")."""
    return f"{key} == '{value}'" if '"' in value else f'{key} == "{value}"'


def conjunction(terms: list[str]) -> str:
    """A canonical &&: one term alone, else all in one pair of parentheses."""
    return terms[0] if len(terms) == 1 else "(" + " && ".join(terms) + ")"


# -- selectors, as libcalico-go's conversion writes them and its parser re-renders them -----------------------
# (the conversion's order: matchLabels by key, then matchExpressions; the syncer's rewrite of a rule's peer.
#  Checked: the ID of all() and the example of the research notes; the namespaceSelector-only form is not.)

NAMESPACE, ORCHESTRATOR, NAMESPACE_LABEL = "projectcalico.org/namespace", "projectcalico.org/orchestrator", "pcns."


def terms(selector: LabelSelector, prefix: str = "") -> list[str]:
    found = [equals(prefix + k, v) for k, v in sorted(selector.match_labels)]
    for r in selector.match_expressions:
        key = prefix + r.key
        values = ", ".join(f'"{v}"' for v in sorted(set(r.values)))
        found.append({"In": f"{key} in {{{values}}}", "NotIn": f"{key} not in {{{values}}}", "Exists": f"has({key})",
                      "DoesNotExist": f"!has({key})"}[r.operator])
    return found


def pod_selector(selector: LabelSelector) -> str:
    return conjunction([equals(ORCHESTRATOR, "k8s"), *terms(selector)])


def peer_selector(peer: Peer, namespace: str) -> str | None:
    """The canonical selector of a rule's pod peer (None for an ipBlock)."""
    if peer.ip_block is not None:
        return None
    pods = pod_selector(peer.pod_selector) if peer.pod_selector is not None else None
    if peer.namespace_selector is None:
        return conjunction([equals(NAMESPACE, namespace), pods or pod_selector(LabelSelector())])
    ns_terms = terms(peer.namespace_selector, NAMESPACE_LABEL) or [f"has({NAMESPACE})"]
    return conjunction([conjunction(ns_terms), pods]) if pods else conjunction(ns_terms)


# -- a policy's chain (felix/rules/policy.go: ProtoRulesToIptablesRules, CalculateRuleMatch) -----------------

ACCEPT_MARK = "0x10000/0x10000"
ALL_BLOCKS, THIS_BLOCK = 0x80000, 0x100000  # scratch0: every match block passed; scratch1: this one


def chain_rules(policy: NetworkPolicy, direction: str) -> list[str]:
    """The rules of `cali-pi-`/`cali-po-` for one direction: per (protocol × peer) of each Kubernetes rule an
    Allow — set the accept mark, and RETURN on it — the trailing RETURN dropped, the first rule carrying the
    policy's name. A policy with no rule that way is one comment: nothing is allowed."""
    ingress = direction == INGRESS
    rules: list[str] = []
    for k8s_rule in policy.rules(direction):
        by_protocol: dict[str | None, list[str]] = {}
        named: dict[str, list[str]] = {}
        for port in k8s_rule.ports:
            if isinstance(port.port, str):
                named.setdefault(port.protocol, []).append(port.port)
                continue
            numbers = by_protocol.setdefault(port.protocol, [])
            if port.port is not None:
                numbers.append(f"{port.port}:{port.end_port}" if port.end_port else str(port.port))
        for protocol, numbers in (by_protocol.items() if by_protocol or named else [(None, [])]):
            for peer in k8s_rule.peers or (None,):
                rules += allow(policy, peer, protocol, numbers, ingress)
        # A named port is a set of address,port pairs (felix folds it into match blocks with the numbers of
        # its protocol; netlab writes it as a rule of its own, which allows the same).
        for protocol, names in named.items():
            for name in names:
                for peer in k8s_rule.peers or (None,):
                    rules += allow(policy, peer, protocol, [], ingress, named=name)
    if rules and rules[-1] == f"-m mark --mark {ACCEPT_MARK} --jump RETURN":
        rules.pop()
    comment = f'-m comment --comment "KubernetesNetworkPolicy {policy.full_name} {direction.lower()}"'
    if not rules:
        return [comment]
    return [f"{comment} {rules[0]}", *rules[1:]]


def allow(policy: NetworkPolicy, peer: Peer | None, protocol: str | None, ports: list[str],
          ingress: bool, named: str | None = None) -> list[str]:
    side, flag = ("src", "--source") if ingress else ("dst", "--destination")
    prelude: list[str] = []
    match = [f"-p {protocol}"] if protocol else []
    if peer is not None and peer.ip_block is not None:
        match.append(f"{flag} {peer.ip_block.cidr}")
        if peer.ip_block.excepted:  # a negated match block: start passed, each excepted net clears it
            prelude.append(f"--jump MARK --set-mark {ALL_BLOCKS:#x}/{ALL_BLOCKS | THIS_BLOCK:#x}")
            prelude += [f"{flag} {net} --jump MARK --set-mark 0/{ALL_BLOCKS:#x}" for net in peer.ip_block.excepted]
    elif peer is not None and not (named and not ingress):  # a named port's set holds the peer's pods already
        match.append(f"-m set --match-set {selector_set(peer_selector(peer, policy.namespace) or 'all()')} {side}")
    if ports:
        match.append(f"-m multiport --destination-ports {','.join(sorted(ports, key=lambda p: int(p.split(':')[0])))}")
    if named:
        match.append(f"-m set --match-set {named_port_set(policy, peer, protocol or 'tcp', named, ingress)} dst,dst")
    if prelude:
        match.append(f"-m mark --mark {ALL_BLOCKS:#x}/{ALL_BLOCKS:#x}")
    head = " ".join(match)
    return [*prelude, f"{head} --jump MARK --set-mark {ACCEPT_MARK}".strip(),
            f"-m mark --mark {ACCEPT_MARK} --jump RETURN"]


# -- what a node holds for the policies of its pods ---------------------------------------------------------



@dataclass(frozen=True)
class NodePolicies:
    """The policy chains and selector ipsets of one node, and for each local pod the policies (or group
    chains) its endpoint chains call, in order, per direction."""

    chains: list[Chain]
    sets: dict[str, tuple[str, list[str]]]  # ipset → its type and members
    calls: dict[tuple[str, str], list[str]]  # (pod name, INGRESS|EGRESS) → chain names


def destination_selector(policy: NetworkPolicy, peer: Peer | None, ingress: bool) -> str:
    """The selector of a rule's destination side: the endpoint's own (none: all()) for ingress, the peer's for
    egress (an ipBlock or no peer: all())."""
    if ingress or peer is None:
        return "all()"
    return peer_selector(peer, policy.namespace) or "all()"


def named_port_set(policy: NetworkPolicy, peer: Peer | None, protocol: str, name: str, ingress: bool) -> str:
    """rule_scanner.go: MakeUniqueID("n", <destination selector's ID>,<protocol>,<port name>) → `cali40n:…`."""
    selector = unique_id("s", destination_selector(policy, peer, ingress))
    return ("cali40" + unique_id("n", f"{selector},{protocol},{name}"))[:IPSET_NAME_LENGTH]


def ordered(policies: list[NetworkPolicy]) -> list[NetworkPolicy]:
    """felix's policy order in a tier: by order (1000 for all of them), then by name (PolKVLess)."""
    return sorted(policies, key=lambda p: (p.name, p.namespace))


def policy_selector(policy: NetworkPolicy) -> str:
    """A policy's own selector after the syncer's rewrite: its pods, in its namespace."""
    return conjunction([pod_selector(policy.pod_selector), equals(NAMESPACE, policy.namespace)])


def compile_node(t: Topology, pods: tuple[Pod, ...]) -> NodePolicies:
    ns_labels = {n.name: dict(n.labels) for n in t.namespaces}
    chains: dict[str, Chain] = {}
    sets: dict[str, tuple[str, list[str]]] = {}
    calls: dict[tuple[str, str], list[str]] = {}
    for pod in pods:
        for direction in (INGRESS, EGRESS):
            selecting = ordered([p for p in t.policies if p.namespace == pod.namespace
                                 and direction in p.policy_types and p.pod_selector.matches(pod.labels)])
            if not selecting:
                continue
            names = []
            for policy in selecting:
                name = policy_chain(policy.namespace, policy.name, ingress=direction == INGRESS)
                chains.setdefault(name, Chain(name, tuple(chain_rules(policy, direction))))
                _sets(t, policy, direction, ns_labels, sets)
                names.append(name)
            calls[(pod.name, direction)] = _grouped(selecting, names, direction, chains)
    return NodePolicies(list(chains.values()), sets, calls)


def _grouped(policies: list[NetworkPolicy], names: list[str], direction: str, chains: dict[str, Chain]) -> list[str]:
    """endpoint_mgr.go groupPolicies: consecutive policies with one selector share a group chain when there are
    several (cali-gi-/cali-go- + a hash of the group); a group of one is called directly."""
    out: list[str] = []
    i = 0
    while i < len(policies):
        j = i
        while j < len(policies) and policy_selector(policies[j]) == policy_selector(policies[i]):
            j += 1
        if j - i == 1:
            out.append(names[i])
        else:
            lines = [policy_selector(policies[i]), "inbound" if direction == INGRESS else "outbound", str(j - i)]
            lines += [f"{{Name: {p.name}, Namespace: {p.namespace}, Kind: KubernetesNetworkPolicy}}"
                      for p in policies[i:j]]
            digest = base64.urlsafe_b64encode(hashlib.sha3_224("".join(f"{x}\n" for x in lines).encode()).digest())
            group = ("cali-gi-" if direction == INGRESS else "cali-go-") + digest.decode()[:20]
            rules: list[str] = []
            for k, name in enumerate(names[i:j]):
                if k and k % 5 == 0:
                    rules.append(f'-m comment --comment "Return on verdict" -m mark ! --mark 0/{ACCEPT | PASS:#x} '
                                 "--jump RETURN")
                rules.append(f"--jump {name}" if k == 0 else f"-m mark --mark 0/{ACCEPT | PASS:#x} --jump {name}")
            chains.setdefault(group, Chain(group, tuple(rules)))
            out.append(group)
        i = j
    return out


def _sets(t: Topology, policy: NetworkPolicy, direction: str, ns_labels: dict[str, dict[str, str]],
          sets: dict[str, tuple[str, list[str]]]) -> None:
    """The selector sets (hash:net: the pods a peer chooses) and named-port sets (hash:ip,port: the pods on the
    destination side that serve a port of that name) the policy's rules match."""
    ingress = direction == INGRESS

    def chosen(peer: Peer | None) -> list[Pod]:
        if ingress or peer is None or peer.ip_block is not None:
            return list(t.plugged_pods)  # all(): every workload endpoint of the cluster
        return [p for p in t.plugged_pods if selects(peer, policy, p, ns_labels.get(p.namespace, {}))]

    for k8s_rule in policy.rules(direction):
        for peer in k8s_rule.peers:
            canonical = peer_selector(peer, policy.namespace)
            if canonical is not None:
                members = [p.ip.ip for p in t.plugged_pods if selects(peer, policy, p, ns_labels.get(p.namespace, {}))]
                sets.setdefault(selector_set(canonical), ("hash:net", [str(a) for a in sorted(members)]))
        for port in k8s_rule.ports:
            if not isinstance(port.port, str):
                continue
            for far in k8s_rule.peers or (None,):
                pairs = sorted({(p.ip.ip, s.port) for p in chosen(far) for s in p.serve
                                if s.name == port.port and s.kind.transport == port.protocol})
                sets.setdefault(named_port_set(policy, far, port.protocol, port.port, ingress),
                                ("hash:ip,port", [f"{ip},{port.protocol}:{number}" for ip, number in pairs]))
