"""The topology keys `namespaces:` and `networkPolicies:`, read and validated as the API server validates a
NetworkPolicy (pkg/apis/networking/validation) and defaulted as it defaults one (policyTypes, protocol TCP)."""

from __future__ import annotations

import re
from collections.abc import Callable
from ipaddress import IPv4Network, ip_network

from netlab import naming
from netlab.features.netpol.model import (
    EGRESS, INGRESS, NAMESPACE_NAME_LABEL, OPERATORS, IPBlock, Labels, LabelSelector, Namespace, NetworkPolicy,
    Peer, PolicyPort, PolicyRule, Requirement,
)
from netlab.topology.reader import Path, Reader

POLICY_FIELDS = ("name", "namespace", "podSelector", "policyTypes", "ingress", "egress")
PROTOCOLS = ("TCP", "UDP", "SCTP")  # netlab's pods serve no SCTP, but a policy may name it
LABEL_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
PORT_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?")  # IANA_SVC_NAME, with the checks below
LABEL_HINT = "a label is [prefix/]name: name at most 63 of letters, digits, '-', '_', '.', starting and ending " \
             "with a letter or digit; prefix a DNS subdomain"


def read_namespaces(r: Reader, value: object) -> tuple[tuple[Path, Namespace], ...]:
    """`namespaces: [{name, labels}]`: the namespaces that need labels (any other one a pod or Service names
    exists too, with only its kubernetes.io/metadata.name)."""
    found = []
    for i, item in enumerate(r.sequence(value, ("namespaces",))):
        path: Path = ("namespaces", i)
        m = r.mapping(item, path, ("name", "labels"))
        name = r.name(m, "name", path, max_len=63)
        labels = read_labels(r, m.get("labels"), path + ("labels",))
        if name:
            found.append((path, namespace(name, labels)))
    return tuple(found)


def namespace(name: str, labels: Labels = ()) -> Namespace:
    """The API server sets kubernetes.io/metadata.name on every namespace, over whatever was written."""
    return Namespace(name, tuple(sorted({**dict(labels), NAMESPACE_NAME_LABEL: name}.items())))


def read_labels(r: Reader, value: object, path: Path) -> Labels:
    labels = r.string_map(value, path)
    for key, item in labels:
        check_label_key(r, key, path + (key,))
        check_label_value(r, item, path + (key,))
    return labels


def check_label_key(r: Reader, key: str, path: Path) -> bool:
    prefix, slash, name = key.rpartition("/")
    ok = bool(LABEL_NAME.fullmatch(name)) and len(name) <= 63 and (
        not slash or (len(prefix) <= 253 and naming.is_domain(prefix)))
    if not ok:
        r.problem(path, f"'{key}' is not a valid label key", LABEL_HINT)
    return ok


def check_label_value(r: Reader, value: str, path: Path) -> bool:
    ok = value == "" or (len(value) <= 63 and bool(LABEL_NAME.fullmatch(value)))
    if not ok:
        r.problem(path, f"'{value}' is not a valid label value",
                  "at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit")
    return ok


def read_selector(r: Reader, value: object, path: Path) -> LabelSelector:
    m = r.mapping(value, path, ("matchLabels", "matchExpressions"))
    labels = read_labels(r, m.get("matchLabels"), path + ("matchLabels",))
    expressions = []
    for i, item in enumerate(r.sequence(m.get("matchExpressions"), path + ("matchExpressions",))):
        epath = path + ("matchExpressions", i)
        em = r.mapping(item, epath, ("key", "operator", "values"))
        key, operator = r.text(em, "key", epath), r.text(em, "operator", epath)
        values = []
        for j, v in enumerate(r.sequence(em.get("values"), epath + ("values",))):
            if isinstance(v, bool) or not isinstance(v, (str, int)):
                r.problem(epath + ("values", j), "a value is a string")
            elif check_label_value(r, str(v), epath + ("values", j)):
                values.append(str(v))
        if operator is not None and operator not in OPERATORS:
            r.problem(epath + ("operator",), f"'{operator}' is not a valid selector operator", ", ".join(OPERATORS))
            continue
        if operator in ("In", "NotIn") and not values:
            r.problem(epath + ("values",), f"operator {operator} needs at least one value")
        if operator in ("Exists", "DoesNotExist") and values:
            r.problem(epath + ("values",), f"operator {operator} takes no values")
        if key is not None and operator is not None and check_label_key(r, key, epath + ("key",)):
            expressions.append(Requirement(key, operator, tuple(values)))
    return LabelSelector(labels, tuple(expressions))


def policy_reader() -> Callable[[Reader, object, Path], NetworkPolicy | None]:
    """read_policy for one file's list: a name used twice in a namespace is a problem at the second item."""
    seen: set[tuple[str, str]] = set()

    def read(r: Reader, value: object, path: Path) -> NetworkPolicy | None:
        policy = read_policy(r, value, path)
        if policy is not None:
            if (policy.namespace, policy.name) in seen:
                r.problem(path + ("name",), f"policy {policy.full_name} is defined twice")
            seen.add((policy.namespace, policy.name))
        return policy
    return read


def read_policy(r: Reader, value: object, path: Path) -> NetworkPolicy | None:
    m = r.mapping(value, path, POLICY_FIELDS)
    name = r.text(m, "name", path)
    if name is not None and not (len(name) <= 253 and naming.is_domain(name)):
        r.problem(path + ("name",), f"'{name}' is not a valid policy name",
                  "a DNS subdomain: lower-case letters, digits, '-' and '.'")
        name = None
    namespace_name = r.name(m, "namespace", path, max_len=63, default="default") or "default"
    if "podSelector" not in m:
        r.problem(path, "'podSelector' is required", "podSelector: {} selects every pod of the namespace")
    selector = read_selector(r, m.get("podSelector"), path + ("podSelector",))
    ingress = read_rules(r, m.get("ingress"), path + ("ingress",), "from")
    egress = read_rules(r, m.get("egress"), path + ("egress",), "to")
    types = []
    for i, item in enumerate(r.sequence(m.get("policyTypes"), path + ("policyTypes",))):
        if item not in (INGRESS, EGRESS):
            r.problem(path + ("policyTypes", i), f"'{item}' is not a policy type", "Ingress or Egress")
        elif item in types:
            r.problem(path + ("policyTypes", i), f"{item} is listed twice")
        else:
            types.append(str(item))
    if "policyTypes" not in m or not types:  # the API server's default (networking/v1 defaults.go)
        types = [INGRESS] + ([EGRESS] if egress else [])
    if name is None:
        return None
    return NetworkPolicy(name, namespace_name, selector, tuple(t for t in (INGRESS, EGRESS) if t in types),
                         ingress, egress)


def read_rules(r: Reader, value: object, path: Path, peers_key: str) -> tuple[PolicyRule, ...]:
    rules = []
    for i, item in enumerate(r.sequence(value, path)):
        rpath = path + (i,)
        m = r.mapping(item, rpath, (peers_key, "ports"))
        peers = [read_peer(r, v, rpath + (peers_key, j))
                 for j, v in enumerate(r.sequence(m.get(peers_key), rpath + (peers_key,)))]
        ports = [read_port(r, v, rpath + ("ports", j))
                 for j, v in enumerate(r.sequence(m.get("ports"), rpath + ("ports",)))]
        rules.append(PolicyRule(tuple(p for p in peers if p is not None), tuple(p for p in ports if p is not None)))
    return tuple(rules)


def read_peer(r: Reader, value: object, path: Path) -> Peer | None:
    # A null selector is an absent one, as the API server decodes it (not {}: every pod).
    m = {k: v for k, v in r.mapping(value, path, ("podSelector", "namespaceSelector", "ipBlock")).items()
         if v is not None}
    if not m:
        r.problem(path, "a peer must say who it is",
                  "give podSelector, namespaceSelector (or both), or ipBlock")
        return None
    if "ipBlock" in m and len(m) > 1:
        r.problem(path, "an ipBlock cannot be combined with a selector in one peer",
                  "make them two peers (two items of the list), which allows either")
        return None
    if "ipBlock" in m:
        block = read_ip_block(r, m["ipBlock"], path + ("ipBlock",))
        return Peer(ip_block=block) if block else None
    pods = read_selector(r, m["podSelector"], path + ("podSelector",)) if "podSelector" in m else None
    spaces = read_selector(r, m["namespaceSelector"], path + ("namespaceSelector",)) \
        if "namespaceSelector" in m else None
    return Peer(pods, spaces)


def read_ip_block(r: Reader, value: object, path: Path) -> IPBlock | None:
    m = r.mapping(value, path, ("cidr", "except"))
    cidr = cidr_of(r, m.get("cidr"), path + ("cidr",))
    if "cidr" not in m:
        r.problem(path, "'cidr' is required")
    excepted = []
    for i, item in enumerate(r.sequence(m.get("except"), path + ("except",))):
        net = cidr_of(r, item, path + ("except", i))
        if net is None or cidr is None:
            continue
        if not (net.subnet_of(cidr) and net != cidr):
            r.problem(path + ("except", i), f"{net} is not inside {cidr}",
                      "each except must be a strict subset of the block's cidr")
            continue
        excepted.append(net)
    return IPBlock(cidr, tuple(excepted)) if cidr is not None else None


def cidr_of(r: Reader, value: object, path: Path) -> IPv4Network | None:
    """A CIDR as the API server takes it: host bits are allowed (10.0.0.1/8 is 10.0.0.0/8)."""
    if value is None:
        return None
    try:
        net = ip_network(value, strict=False) if isinstance(value, str) else None
    except ValueError:
        net = None
    if net is None:
        r.problem(path, f"'{value}' is not a valid CIDR", "write ADDRESS/PREFIX, e.g. 10.0.0.0/8")
        return None
    if not isinstance(net, IPv4Network):
        r.problem(path, f"'{value}' is IPv6; netlab labs are IPv4")
        return None
    return net


def read_port(r: Reader, value: object, path: Path) -> PolicyPort | None:
    m = r.mapping(value, path, ("protocol", "port", "endPort"))
    protocol = r.text(m, "protocol", path, "TCP") or "TCP"
    if protocol not in PROTOCOLS:
        r.problem(path + ("protocol",), f"'{protocol}' is not a valid protocol", "TCP, UDP or SCTP")
        return None
    port = m.get("port")
    if isinstance(port, str) and not port.isdigit():
        if not is_port_name(port):
            r.problem(path + ("port",), f"'{port}' is not a port number or a valid port name",
                      "a name is at most 15 lower-case letters, digits and '-', with at least one letter")
            return None
    elif port is not None:
        port = r.integer(m, "port", path, None, 1, 65535)
        if port is None:
            return None
    end_port = r.integer(m, "endPort", path, None, 1, 65535)
    if end_port is not None:
        if not isinstance(port, int):
            r.problem(path + ("endPort",), "endPort needs a numeric port", "port: FIRST, endPort: LAST")
            return None
        if end_port < port:
            r.problem(path + ("endPort",), f"endPort {end_port} is below port {port}")
            return None
    return PolicyPort(protocol.lower(), port, end_port)


def is_port_name(text: str) -> bool:
    """IANA_SVC_NAME: at most 15 characters, lower-case letters, digits and single hyphens, one letter at least."""
    return (len(text) <= 15 and bool(PORT_NAME.fullmatch(text)) and "--" not in text
            and any(c.isalpha() for c in text))
