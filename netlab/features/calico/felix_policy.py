"""felix's chains for Kubernetes NetworkPolicy (work in progress on branch felix-policy, not wired in yet).

What a real node holds (Calico v3.32; /work/research-notes/felix_iptables.md §4 has the details):
* libcalico-go's conversion turns a NetworkPolicy into a Calico policy in tier `default`, order 1000, whose
  selector is `projectcalico.org/orchestrator == 'k8s' && <labels>`; each (protocol × peer) of a rule becomes
  an Allow rule whose peer selector is rewritten by the syncer: `(projectcalico.org/namespace == '<ns>') &&
  (<podSelector>)`, or with a namespaceSelector `(<its labels, prefixed pcns.>) && (<podSelector>)`.
* felix writes a chain per policy and direction, `cali-pi-`/`cali-po-` + the policy's ID `knp/<ns>/<name>`
  (hashed when too long), and an ipset per peer selector, `cali40s:` + the selector's unique ID, holding the
  addresses of every pod it matches; an endpoint chain selected by a policy calls the policy chains in a
  tier block ("Start of tier default" … "End of tier default. Drop if no policies passed packet") before
  its profiles.
Names here are felix's: the unit tests hold them to values from Calico's own tests.
"""

from __future__ import annotations

import base64
import hashlib

from netlab.features.calico.felix_rules import chain_name
from netlab.features.netpol.model import INGRESS, LabelSelector, NetworkPolicy, Peer

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
        for port in k8s_rule.ports:
            if isinstance(port.port, str):
                raise NotImplementedError("named ports: cali40n ipsets (felix_iptables.md §4, Named ports)")
            numbers = by_protocol.setdefault(port.protocol, [])
            if port.port is not None:
                numbers.append(f"{port.port}:{port.end_port}" if port.end_port else str(port.port))
        for protocol, numbers in (by_protocol.items() if by_protocol else [(None, [])]):
            for peer in k8s_rule.peers or (None,):
                rules += allow(policy, peer, protocol, numbers, ingress)
    if rules and rules[-1] == f"-m mark --mark {ACCEPT_MARK} --jump RETURN":
        rules.pop()
    comment = f'-m comment --comment "KubernetesNetworkPolicy {policy.full_name} {direction.lower()}"'
    if not rules:
        return [comment]
    return [f"{comment} {rules[0]}", *rules[1:]]


def allow(policy: NetworkPolicy, peer: Peer | None, protocol: str | None, ports: list[str],
          ingress: bool) -> list[str]:
    side, flag = ("src", "--source") if ingress else ("dst", "--destination")
    prelude: list[str] = []
    match = [f"-p {protocol}"] if protocol else []
    if peer is not None and peer.ip_block is not None:
        match.append(f"{flag} {peer.ip_block.cidr}")
        if peer.ip_block.excepted:  # a negated match block: start passed, each excepted net clears it
            prelude.append(f"--jump MARK --set-mark {ALL_BLOCKS:#x}/{ALL_BLOCKS | THIS_BLOCK:#x}")
            prelude += [f"{flag} {net} --jump MARK --set-mark 0/{ALL_BLOCKS:#x}" for net in peer.ip_block.excepted]
    elif peer is not None:
        match.append(f"-m set --match-set {selector_set(peer_selector(peer, policy.namespace) or 'all()')} {side}")
    if ports:
        match.append(f"-m multiport --destination-ports {','.join(sorted(ports, key=lambda p: int(p.split(':')[0])))}")
    if prelude:
        match.append(f"-m mark --mark {ALL_BLOCKS:#x}/{ALL_BLOCKS:#x}")
    head = " ".join(match)
    return [*prelude, f"{head} --jump MARK --set-mark {ACCEPT_MARK}".strip(),
            f"-m mark --mark {ACCEPT_MARK} --jump RETURN"]
