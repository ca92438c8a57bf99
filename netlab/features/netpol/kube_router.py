"""kube-router's netpol controller: the filter-table chains and ipsets it writes on every node for its local pods
(pkg/controllers/netpol: npc_iptables.go, pod.go, policy.go; v2.11's rule comments).

How a packet to or from a pod meets these rules (after kube-proxy's DNAT: a policy sees pod addresses):
  INPUT / FORWARD / OUTPUT → KUBE-ROUTER-INPUT/FORWARD/OUTPUT (hooked at the top of each, every sync).
  KUBE-ROUTER-*: per local pod, `-d POD` (to it) and `-s POD` (from it) jump to its KUBE-POD-FW-<hash> chain —
  in FORWARD twice, once more with `-m physdev --physdev-is-bridged` for two pods on one bridge.
  KUBE-POD-FW-<hash>: KUBE-NWPLCY-COMMON first (established and related connections pass: a new policy never
  cuts an open connection; invalid ones drop; pings, unreachables and time-exceeded pass too), then anything
  from the node itself is accepted, then
    * a direction no policy isolates jumps to KUBE-NWPLCY-DEFAULT, which marks it allowed (0x10000);
    * each policy that selects the pod jumps to its KUBE-NWPLCY-<hash> chain, whose rules (one pair per allow:
      MARK 0x10000, then RETURN once marked) match the policy's ipsets of pods, blocks and ports;
    * what carries no 0x10000 mark is logged (NFLOG group 100) and REJECTed (icmp-port-unreachable);
    * the mark is cleared for the next pod chain the packet may meet, and 0x20000 ("netpol-ok") set.
  The end of each KUBE-ROUTER-* chain ACCEPTs what carries 0x20000.
ipsets: KUBE-DST-<hash> / KUBE-SRC-<hash> of the pods a policy selects, and of each rule's peers (hash:ip), or
its ipBlocks (hash:net, an `except` as a nomatch entry).

Names are kube-router's recipe (base32 of sha256, 16 characters). Its chain names also hash the sync's
timestamp, so a real node renames every chain at every sync; netlab hashes a fixed sync version, "1" (as
kube-router's own unit tests do), so that a lab's chains keep their names and `apply` rewrites only what changed.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from ipaddress import IPv4Network

from netlab.features.netpol.evaluate import selected, selects
from netlab.features.netpol.model import EGRESS, INGRESS, NetworkPolicy, PolicyPort, PolicyRule
from netlab.plan import RuleSet, Step
from netlab.topology.model import Node, Pod, Topology

SYNC_VERSION = "1"
FAMILY = "IPv4"
ALLOWED, NETPOL_OK = "0x10000/0x10000", "0x20000/0x20000"
NFLOG_GROUP = 100
COMMENT_LIMIT = 120  # comments.go maxCommentLen
NODE_PORTS = "30000:32767"  # kube-router's --service-node-port-range default, as kube-proxy's
TOP_CHAINS = {"INPUT": "KUBE-ROUTER-INPUT", "FORWARD": "KUBE-ROUTER-FORWARD", "OUTPUT": "KUBE-ROUTER-OUTPUT"}
COMMON, DEFAULT, TAIL = "KUBE-NWPLCY-COMMON", "KUBE-NWPLCY-DEFAULT", "KUBE-NWPLCY-TAIL"
ACCEPT_OK = 'rule to explicitly ACCEPT traffic that comply to network policies'


def b32(text: str) -> str:
    return base64.b32encode(hashlib.sha256(text.encode()).digest()).decode()[:16]


def pod_chain(pod: Pod) -> str:
    return "KUBE-POD-FW-" + b32(pod.namespace + pod.name + SYNC_VERSION)


def policy_chain(p: NetworkPolicy) -> str:
    return "KUBE-NWPLCY-" + b32(p.namespace + p.name + SYNC_VERSION + FAMILY)


def target_set(p: NetworkPolicy, prefix: str) -> str:
    """The pods the policy selects: KUBE-DST- for ingress, KUBE-SRC- for egress (the same hash)."""
    return prefix + b32(p.namespace + p.name + FAMILY)


def rule_set(p: NetworkPolicy, direction: str, index: int, what: str, endpoint: int | None = None) -> str:
    """A rule's peers (what: pod | ipblock) or named-port endpoints (namedport): KUBE-SRC- for an ingress
    rule's sources, KUBE-DST- for everything else."""
    prefix = "KUBE-SRC-" if direction == INGRESS and what != "namedport" else "KUBE-DST-"
    point = "" if endpoint is None else str(endpoint)
    return prefix + b32(f"{p.namespace}{p.name}{direction.lower()}rule{index}{point}{FAMILY}{what}")


def id_comment(namespace: str, name: str, kind: str) -> str:
    """kube-router's comments lead with namespace/name and are cut at 120 bytes (nftables' limit is 128,
    iptables' 255): a 253-character policy name still loads."""
    return f"{namespace}/{name} {kind}"[:COMMENT_LIMIT]


def uuid_comment(chain: str, spec: list[str]) -> str:
    """kube-router's positioned rules carry a hash of themselves in their comment: it finds them by it."""
    return b32(chain + "".join(spec))


class Payloads:
    """One node's filter-table restore payload and ipset restore payload."""

    def __init__(self) -> None:
        self.chains: dict[str, None] = {}
        self.hooks: list[str] = []
        self.lines: list[str] = []
        self.sets: dict[str, tuple[str, list[str]]] = {}  # name → (type, members)

    def chain(self, name: str) -> None:
        self.chains.setdefault(name)

    def add(self, chain: str, rule: str) -> None:
        self.chain(chain)
        self.lines.append(f"-A {chain} {rule}")

    def extend(self, other: Payloads) -> None:
        for name in other.chains:
            self.chain(name)
        self.lines += other.lines
        self.sets.update(other.sets)

    def ipset(self, name: str, kind: str, members: Iterable[str]) -> str:
        """A set holds one entry per address or prefix: the last flags written win (nomatch or not), as with
        `ipset restore -exist`."""
        entries = {m.split()[0]: m for m in members}
        self.sets[name] = (kind, list(entries.values()))
        return name

    def iptables(self) -> str:
        declared = [f":{c} - [0:0]" for c in self.chains]
        return "\n".join(["*filter", *declared, *self.hooks, *self.lines, "COMMIT", ""])

    def ipsets(self) -> str:
        lines = []
        for name, (kind, members) in self.sets.items():
            lines.append(f"create {name} {kind} family inet hashsize 1024 maxelem 65536 timeout 0")
            lines += [f"add {name} {m}" for m in members]
        return "\n".join(lines) + "\n" if lines else ""


class Cluster:
    """What every node writes the same: each policy's chain and sets, and which pods each policy selects."""

    def __init__(self, t: Topology) -> None:
        self.policies = Payloads()
        self.selecting: dict[str, list[NetworkPolicy]] = {}  # pod name → the policies that select it
        for policy in t.policies:  # every node holds every policy's chain, as kube-router syncs them all
            targets = selected(t, policy)
            policy_rules(t, policy, targets, self.policies)
            for pod in targets:
                self.selecting.setdefault(pod.name, []).append(policy)


def compile_node(t: Topology, cluster: Cluster, node: Node, ns: str) -> list[Step]:
    out = Payloads()
    top_level(t, out)
    out.extend(cluster.policies)
    for pod in t.plugged_pods_on(node.name):  # kube-router guards no pod on the host's network
        pod_firewall(pod, cluster.selecting.get(pod.name, []), out)
    for chain in TOP_CHAINS.values():  # ensureTailChainPosition, ensureExplicitAccept: always last
        out.add(chain, '-m comment --comment "rule to explicitly handle traffic for network policies ACCEPT/REJECT '
                       f'decision" -j {TAIL}')
        out.add(chain, f'-m comment --comment "{ACCEPT_OK}" -m mark --mark {NETPOL_OK} -j ACCEPT')
    steps: list[Step] = []
    if out.sets:  # sets before the rules that name them
        steps.append(RuleSet(ns, "ipset", "kube-router", out.ipsets()))
    steps.append(RuleSet(ns, t.cluster.iptables, "kube-router", out.iptables()))
    return steps


def top_level(t: Topology, out: Payloads) -> None:
    """ensureTopLevelChains, ensureCommonPolicyChain, ensureDefaultNetworkPolicyChain, ensureDefaultTailChain."""
    for builtin, chain in TOP_CHAINS.items():
        out.chain(chain)
        spec = ["-m", "comment", "--comment", "kube-router netpol", "-j", chain]
        out.hooks.append(f'-I {builtin} 1 -m comment --comment "kube-router netpol - {uuid_comment(builtin, spec)}" '
                         f"-j {chain}")
    cidr = str(t.cluster.service_cidr)
    comment = "allow traffic to primary/secondary cluster IP range"
    uuid = uuid_comment("KUBE-ROUTER-INPUT", ["-m", "comment", "--comment", comment, "-d", cidr, "-j", "RETURN"])
    out.add("KUBE-ROUTER-INPUT", f'-d {cidr} -m comment --comment "{comment} - {uuid}" -j RETURN')
    for proto in ("tcp", "udp", "sctp"):
        comment = f"allow LOCAL {proto.upper()} traffic to node ports"
        spec = ["-p", proto, "-m", "comment", "--comment", comment, "-m", "addrtype", "--dst-type", "LOCAL",
                "-m", "multiport", "--dports", NODE_PORTS, "-j", "RETURN"]
        out.add("KUBE-ROUTER-INPUT", f'-p {proto} -m comment --comment "{comment} - '
                f'{uuid_comment("KUBE-ROUTER-INPUT", spec)}" -m addrtype --dst-type LOCAL -m multiport --dports '
                f"{NODE_PORTS} -j RETURN")
    # The first two comments keep the literal quotes kube-router passes to iptables without a shell.
    out.add(COMMON, '-m comment --comment "\\"rule to drop invalid state for pod\\"" -m conntrack --ctstate INVALID '
                    "-j DROP")
    out.add(COMMON, '-m comment --comment "\\"rule for stateful firewall for pod\\"" -m conntrack --ctstate '
                    "RELATED,ESTABLISHED -j ACCEPT")
    for kind, why in ((8, "allow icmp echo requests"), (3, "allow icmp destination unreachable messages"),
                      (11, "allow icmp time exceeded messages")):
        out.add(COMMON, f'-p icmp -m comment --comment "{why}" -m icmp --icmp-type {kind} -j ACCEPT')
    out.add(DEFAULT, f'-m comment --comment "rule to mark traffic matching a network policy" -j MARK --set-xmark '
                     f"{ALLOWED}")
    out.add(TAIL, f'-m comment --comment "accept netpol-ok" -m mark --mark {NETPOL_OK} -j ACCEPT')


# -- a policy's chain: policy.go --------------------------------------------------------------------------

def policy_rules(t: Topology, p: NetworkPolicy, targets: list[Pod], out: Payloads) -> None:
    chain = policy_chain(p)
    out.chain(chain)
    ips = [str(pod.ip.ip) for pod in targets]
    if INGRESS in p.policy_types:
        dst = out.ipset(target_set(p, "KUBE-DST-"), "hash:ip", ips)
        for i, rule in enumerate(p.ingress):
            direction_rules(t, p, INGRESS, i, rule, dst, targets, out)
    if EGRESS in p.policy_types:
        src = out.ipset(target_set(p, "KUBE-SRC-"), "hash:ip", ips)
        for i, rule in enumerate(p.egress):
            direction_rules(t, p, EGRESS, i, rule, src, targets, out)


def direction_rules(t: Topology, p: NetworkPolicy, direction: str, i: int, rule: PolicyRule, target: str,
                    targets: list[Pod], out: Payloads) -> None:
    """processIngressRules / processEgressRules for one rule: the policy's own pods on one side, the rule's
    peers (pods, then ipBlocks) on the other, on each of its ports."""
    ingress = direction == INGRESS
    word = "ingress" if ingress else "egress"
    chain = policy_chain(p)
    numeric = [port for port in rule.ports if not isinstance(port.port, str)]
    # Named ports resolve against the pods on the receiving side: the policy's own pods for ingress, the
    # peers for egress (or, with no peers, every pod of the policy's namespace).
    labels = {n.name: dict(n.labels) for n in t.namespaces}
    # a pod on its node's network is no peer either (isNetPolActionable: not hostNetwork)
    plugged = t.plugged_pods
    peer_pods = [pod for pod in plugged if any(selects(peer, p, pod, labels[pod.namespace]) for peer in rule.peers)]
    own = [q for q in plugged if q.namespace == p.namespace]
    receivers = targets if ingress else (peer_pods if rule.peers else own)
    named = named_endpoints(rule.ports, receivers)

    def pair(kind: str, src: str | None, dst: str | None, port: PolicyPort | None) -> None:
        allow(out, chain, id_comment(p.namespace, p.name, f"{word} {kind}"), src, dst, port)

    if peer_pods:
        peers = out.ipset(rule_set(p, direction, i, "pod"), "hash:ip", [str(q.ip.ip) for q in peer_pods])
        src, dst = (peers, target) if ingress else (target, peers)
        for port in numeric:
            pair("pods", src, dst, port)
        for j, (port, pods) in enumerate(named):
            named_set = out.ipset(rule_set(p, direction, i, "namedport", j), "hash:ip", pods)
            pair("pods np", peers if ingress else target, named_set, port)
        if not numeric and not named:  # as kube-router tests it: a named port that resolves to nothing opens all
            pair("pods", src, dst, None)
    if not rule.peers:  # from/to anyone
        if rule.ports:
            for port in numeric:
                pair("any", None if ingress else target, target if ingress else None, port)
            for j, (port, pods) in enumerate(named):  # egress: the numbers, to every destination
                to = out.ipset(rule_set(p, direction, i, "namedport", j), "hash:ip", pods) if ingress else None
                pair("any np", None if ingress else target, to, port)
        else:
            pair("any", None if ingress else target, target if ingress else None, None)
    blocks = [peer.ip_block for peer in rule.peers if peer.ip_block is not None]
    if blocks:
        members: list[str] = []
        for block in blocks:
            members += [str(n) for n in split_zero(block.cidr)]
            members += [f"{n} nomatch" for e in block.excepted for n in split_zero(e)]
        cidrs = out.ipset(rule_set(p, direction, i, "ipblock"), "hash:net", members)
        src, dst = (cidrs, target) if ingress else (target, cidrs)
        for port in numeric:
            pair("cidr", src, dst, port)
        if ingress:
            for j, (port, pods) in enumerate(named):
                pair("cidr np", cidrs, out.ipset(rule_set(p, direction, i, "namedport", j), "hash:ip", pods), port)
        # (kube-router writes no rule for an egress ipBlock with named ports: they are left out here too)
        if not rule.ports:
            pair("cidr", src, dst, None)


def allow(out: Payloads, chain: str, comment: str, src: str | None, dst: str | None, port: PolicyPort | None) -> None:
    """appendRuleToPolicyChain: mark it allowed, then return once marked — as iptables-save prints them."""
    proto = f"-p {port.protocol} " if port is not None else ""
    sets = "".join(f" -m set --match-set {name} {side}" for name, side in ((src, "src"), (dst, "dst")) if name)
    dport = ""
    if port is not None and port.port is not None:
        dport = f" -m {port.protocol} --dport {port.port}" + (f":{port.end_port}" if port.end_port else "")
    match = f'{proto}-m comment --comment "{comment}"{sets}{dport}'
    out.add(chain, f"{match} -j MARK --set-xmark {ALLOWED}")
    out.add(chain, f"{match} -m mark --mark {ALLOWED} -j RETURN")


def named_endpoints(ports: tuple[PolicyPort, ...], pods: list[Pod]) -> list[tuple[PolicyPort, list[str]]]:
    """Each named port as the numbers it stands for on `pods`: (the port as a number, the pods' addresses)."""
    found: list[tuple[PolicyPort, list[str]]] = []
    for port in ports:
        if not isinstance(port.port, str):
            continue
        by_number: dict[int, list[str]] = {}
        for pod in pods:
            for s in pod.serve:
                if s.name == port.port and s.kind.transport == port.protocol:
                    by_number.setdefault(s.port, []).append(str(pod.ip.ip))
        found += [(PolicyPort(port.protocol, number), ips) for number, ips in sorted(by_number.items())]
    return found


def split_zero(net: IPv4Network) -> list[IPv4Network]:
    """hash:net cannot hold a /0: kube-router stores 0.0.0.0/0 as its two halves."""
    return list(net.subnets(1)) if net.prefixlen == 0 else [net]


# -- a local pod's chain: pod.go --------------------------------------------------------------------------

def pod_firewall(pod: Pod, policies: list[NetworkPolicy], out: Payloads) -> None:
    chain, ip = pod_chain(pod), f"{pod.ip.ip}/32"

    def who(kind: str) -> str:
        return id_comment(pod.namespace, pod.name, kind)

    out.chain(chain)
    # Jumps: traffic to the pod (FORWARD, OUTPUT) and from it (INPUT, FORWARD, OUTPUT), bridged too.
    for address, way in ((f"-d {ip}", "in"), (f"-s {ip}", "out")):
        out.add("KUBE-ROUTER-FORWARD", f'{address} -m comment --comment "{who(way)}" -j {chain}')
        out.add("KUBE-ROUTER-FORWARD", f'{address} -m physdev --physdev-is-bridged -m comment --comment "{who(way)}" '
                                       f"-j {chain}")
    out.add("KUBE-ROUTER-INPUT", f'-s {ip} -m comment --comment "{who("out")}" -j {chain}')
    out.add("KUBE-ROUTER-OUTPUT", f'-d {ip} -m comment --comment "{who("in")}" -j {chain}')
    out.add("KUBE-ROUTER-OUTPUT", f'-s {ip} -m comment --comment "{who("out")}" -j {chain}')

    out.add(chain, f'-m comment --comment "common netpol rules" -j {COMMON}')
    out.add(chain, f'-d {ip} -m comment --comment "from local node" -m addrtype --src-type LOCAL -j ACCEPT')
    if not any(EGRESS in p.policy_types for p in policies):
        out.add(chain, f'-s {ip} -m comment --comment "default egress" -j {DEFAULT}')
    if not any(INGRESS in p.policy_types for p in policies):
        out.add(chain, f'-d {ip} -m comment --comment "default ingress" -j {DEFAULT}')
    for p in reversed(policies):  # inserted at the top one after another: the last policy comes first
        side = "" if len(p.policy_types) == 2 else (f"-d {ip} " if p.policy_types == (INGRESS,) else f"-s {ip} ")
        out.add(chain, f'{side}-m comment --comment "{id_comment(p.namespace, p.name, "policy")}" '
                       f"-j {policy_chain(p)}")
    out.add(chain, f'-m comment --comment "{who("log-drop")}" -m mark ! --mark {ALLOWED} -m limit --limit 10/min '
                   f"--limit-burst 10 -j NFLOG --nflog-group {NFLOG_GROUP}")
    out.add(chain, f'-m comment --comment "{who("reject")}" -m mark ! --mark {ALLOWED} -j REJECT --reject-with '
                   "icmp-port-unreachable")
    out.add(chain, "-j MARK --set-xmark 0x0/0x10000")
    out.add(chain, f'-m comment --comment "set netpol-ok mark" -j MARK --set-xmark {NETPOL_OK}')
