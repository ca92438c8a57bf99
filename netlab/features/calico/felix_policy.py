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
from netlab.features.netpol.model import LabelSelector, Peer

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
