"""One namespace's netfilter as the model trace sees it: every rule set the plan loads there, interpreted.

iptables payloads go to rules_sim, nftables payloads to nft_sim, ipset payloads give `-m set` its members, and
an ipvsadm payload its virtual servers. At each hook the kernel runs every base chain registered there in
priority order — iptables' tables at their fixed priorities (raw -300, mangle -150, nat -100 or 100, filter 0),
nftables chains at the priority they declare — and, at equal priority, in the order they were registered. So
does `Netfilter.chains`: nothing here knows what kube-proxy, dockerd or flanneld meant, only what they loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from netlab.plan.index import Space
from netlab.trace import nft_sim, rules_sim
from netlab.trace.model import RuleRef
from netlab.trace.rules_sim import View

IPTABLES_PRIORITY = {"raw": -300, "mangle": -150, "filter": 0}
NAT_PRIORITY = {"PREROUTING": -100, "OUTPUT": -100, "INPUT": 100, "POSTROUTING": 100}  # dstnat | srcnat


@dataclass(frozen=True)
class Decision:
    """What one rule (or virtual server) did to the packet: dnat | masquerade | snat | drop | reject."""

    kind: str
    rule: RuleRef | None
    to: str | None = None  # the new address (ip or ip:port) for a NAT
    choices: tuple[str, ...] = ()  # every endpoint the random choice could have taken
    by: str = ""  # the chain, or "IPVS": what a student looks up


@dataclass(frozen=True)
class BaseChain:
    """One base chain on one hook: an iptables table's built-in chain or an nftables base chain."""

    priority: int
    registered: int  # which rule set brought it in: the tie-break between equal priorities
    nat: bool  # a NAT chain sees only a connection's first packet, and only until one of them translates it
    run: Callable[[View, str | None], Decision | None]
    table: str


class Netfilter:
    def __init__(self, space: Space) -> None:
        self.space = space
        self.iptables = rules_sim.Tables()
        self.nft = nft_sim.Tables()
        self.ipvs: dict[tuple[str, str, int], list[str]] = {}
        self.registered: dict[tuple[str, str], int] = {}  # ("iptables", table) or ("nft", family/table/chain) → n
        for n, ruleset in enumerate(space.rulesets):
            if ruleset.is_iptables:
                self.iptables.restore(ruleset.payload)
                for table in sections(ruleset.payload):
                    self.registered.setdefault(("iptables", table), n)
            elif ruleset.tool == "nft":
                self.nft.load(ruleset.payload)
                for family, table, chain in self.nft.order:
                    self.registered.setdefault(("nft", f"{family}/{table}/{chain}"), n)
            elif ruleset.tool == "ipset":
                self.iptables.load_ipsets(ruleset.payload)
            elif ruleset.tool == "ipvsadm":
                self.ipvs.update(ipvs_services(ruleset.payload))

    @property
    def unsupported(self) -> list[str]:
        return self.iptables.unsupported + self.nft.unsupported

    def chains(self, hook: str) -> list[BaseChain]:
        found = []
        for table in rules_sim.HOOK_TABLES[hook]:
            if not self.iptables.has(table, hook) and (table, hook) not in self.iptables.policies:
                continue
            prio = NAT_PRIORITY[hook] if table == "nat" else IPTABLES_PRIORITY[table]
            found.append(BaseChain(prio, self.registered.get(("iptables", table), 0), table == "nat",
                                   self._iptables(table, hook), table))
        for chain in self.nft.base_chains(hook):
            n = self.registered.get(("nft", f"{chain.family}/{chain.table}/{chain.name}"), 0)
            found.append(BaseChain(chain.priority, n, chain.type == "nat", self._nft(chain), chain.table))
        return sorted(found, key=lambda c: (c.priority, c.registered))

    def _iptables(self, table: str, hook: str) -> Callable[[View, str | None], Decision | None]:
        def run(view: View, endpoint: str | None) -> Decision | None:
            outcome = self.iptables.run(table, hook, view, endpoint)
            rule = outcome.rule
            if outcome.verdict == "ACCEPT" and outcome.nat is None:
                return None
            if rule is None:  # the built-in chain's policy
                ref = RuleRef(self.space.obj, "ip", table, hook, None, f":{hook} {outcome.verdict}")
                return Decision("drop", ref, by=f"the policy of {table}/{hook}")
            ref = RuleRef(self.space.obj, "ip", rule.table, rule.chain, None, rule.text)
            kind = {"DROP": "drop", "REJECT": "reject"}.get(outcome.verdict) or (outcome.nat or "").lower()
            to = outcome.to
            if kind == "redirect":  # a DNAT to the incoming interface's first address (from the node itself: lo's)
                to = f"{(self.space.primary(view.in_dev) if view.in_dev else None) or '127.0.0.1'}:{to}"
            by = f"{rule.table}/{rule.chain}" + (" (REDIRECT: to the incoming interface's address)"
                                                 if kind == "redirect" else "")
            return Decision("dnat" if kind == "redirect" else kind, ref, to, outcome.choices, by)
        return run

    def _nft(self, chain: nft_sim.Chain) -> Callable[[View, str | None], Decision | None]:
        def run(view: View, endpoint: str | None) -> Decision | None:
            outcome = self.nft.run(chain, view, endpoint)
            if outcome.verdict == "accept" and outcome.nat is None:
                return None
            where = outcome.path[-1] if outcome.path else chain.name
            text = outcome.rule.text if outcome.rule else f"policy {outcome.verdict}"
            if outcome.via.startswith("#"):  # the map's element is the verdict
                text += "  " + outcome.via
            elif outcome.via and outcome.verdict in ("drop", "reject"):  # a map lookup elsewhere sent it here
                text += f"  (from: {outcome.via})"
            ref = RuleRef(self.space.obj, chain.family, chain.table, where, None, text)
            by = " → ".join(outcome.path[-2:]) if len(outcome.path) > 2 else where
            if outcome.verdict in ("drop", "reject"):
                return Decision(outcome.verdict, ref, by=where)
            return Decision(outcome.nat or "", ref, outcome.to, outcome.choices, by)
        return run

    def ipvs_decision(self, view: View, endpoint: str | None) -> Decision | None:
        """IPVS in LOCAL_IN: a virtual server on the destination picks a real server (masquerading forwarding);
        one without real servers answers ICMP port unreachable (ip_vs_leave)."""
        if view.dport is None:
            return None
        reals = self.ipvs.get((view.proto, view.dst, view.dport))
        if reals is None:
            return None
        flag = "-t" if view.proto == "tcp" else "-u"
        vip = f"{view.dst}:{view.dport}"
        obj = self.space.obj
        if not reals:
            ref = RuleRef(obj, "ipvs", "ipvs", vip, None, f"-A {flag} {vip} -s rr")
            return Decision("reject", ref, by=f"IPVS virtual server {vip} has no real servers")
        real = reals[pick(reals, endpoint)]
        ref = RuleRef(obj, "ipvs", "ipvs", vip, None, f"-a {flag} {vip} -r {real} -m -w 1")
        return Decision("dnat", ref, real, tuple(reals), f"IPVS virtual server {vip} → {real}")


def sections(payload: str) -> list[str]:
    """The iptables tables a restore payload writes (`*nat`, `*filter`…), in order."""
    return [line[1:].strip() for line in payload.splitlines() if line.startswith("*")]


def pick(choices: list[str], wanted: str | None) -> int:
    """The endpoint asked for (what the kernel really chose), else the first in kube-proxy's order."""
    for i, c in enumerate(choices):
        if wanted and (c == wanted or c.partition(":")[0] == wanted):
            return i
    return 0


def ipvs_services(payload: str) -> dict[tuple[str, str, int], list[str]]:
    """`ipvsadm -S -n` text to {(proto, vip, port): [real servers in order]}."""
    services: dict[tuple[str, str, int], list[str]] = {}
    for line in payload.splitlines():
        words = line.split()
        if len(words) < 3 or words[1] not in ("-t", "-u"):
            continue
        vip, _, port = words[2].rpartition(":")
        key = ("tcp" if words[1] == "-t" else "udp", vip, int(port))
        if words[0] == "-A":
            services.setdefault(key, [])
        elif words[0] == "-a" and "-r" in words:
            services.setdefault(key, []).append(words[words.index("-r") + 1])
    return services

