"""A small iptables interpreter: one namespace's iptables-restore payloads, and a packet walked through a hook.

It reads exactly the subset of iptables that netlab's payloads use (dockerd's, flanneld's and kube-proxy's
rules, and the instructor's `rules:`), the way kube-proxy's own packet-flow tests (proxier_test.go
tracePacket) walk a packet through iptables-save text: chains are lists of rules, a rule is a list of
matches and one target, and a jump walks another chain and comes back on RETURN or at its end.

What no single packet can tell is decided the way the brief of a prediction needs it: a `statistic` cascade
(kube-proxy's random endpoint choice) follows the endpoint asked for, or the first; `recent --rcheck`
(ClientIP affinity) never matches, as for a client seen the first time.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network

# The tables each hook walks, in priority order (raw -300, mangle -150, nat -100/100, filter 0).
HOOK_TABLES = {
    "PREROUTING": ("raw", "mangle", "nat"),
    "INPUT": ("mangle", "filter", "nat"),
    "FORWARD": ("mangle", "filter"),
    "OUTPUT": ("raw", "mangle", "nat", "filter"),
    "POSTROUTING": ("mangle", "nat"),
}
BUILTIN = frozenset(HOOK_TABLES)
NAT_TARGETS = frozenset({"DNAT", "SNAT", "MASQUERADE", "REDIRECT"})
QUIET_TARGETS = frozenset({"LOG", "TRACE", "NFLOG", "CT", "NOTRACK", "CONNMARK", "CHECKSUM", "TCPMSS"})


@dataclass
class View:
    """The packet as a rule sees it at one hook."""

    proto: str
    src: str
    dst: str
    sport: int | None
    dport: int | None
    in_dev: str | None
    out_dev: str | None
    mark: int
    ctstate: frozenset[str]  # NEW for a connection's first packet, ESTABLISHED for its replies (+ DNAT/SNAT)
    local: frozenset[str]  # the namespace's own addresses, for `-m addrtype --*-type LOCAL`
    ipsets: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)  # for `-m set`


@dataclass(frozen=True)
class Rule:
    table: str
    chain: str
    text: str  # as iptables-save prints it: "-A CHAIN ..."
    matches: tuple[Test, ...]
    target: str
    goto: bool = False
    options: tuple[tuple[str, str], ...] = ()  # the target's options (--to-destination …)
    random: bool = False  # `-m statistic`: one step of a random choice
    unsupported: str | None = None  # an option this interpreter does not know: the rule never matches

    def option(self, name: str) -> str | None:
        return next((v for k, v in self.options if k == name), None)


@dataclass(frozen=True)
class Outcome:
    """How one table (or one hook) let the packet go: ACCEPT, DROP or REJECT, and any NAT it asked for."""

    verdict: str
    rule: Rule | None = None  # the rule that decided (DROP, REJECT, or the NAT rule)
    nat: str | None = None  # DNAT | SNAT | MASQUERADE | REDIRECT
    to: str | None = None  # the --to-destination / --to-source argument
    choices: tuple[str, ...] = ()  # the endpoints a statistic cascade chose among on the way


@dataclass
class Tables:
    """Every iptables chain of one namespace, after all its payloads were restored in plan order."""

    chains: dict[tuple[str, str], list[Rule]] = field(default_factory=dict)
    policies: dict[tuple[str, str], str] = field(default_factory=dict)
    ipsets: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)  # name → (type, members)
    unsupported: list[str] = field(default_factory=list)

    def restore(self, payload: str) -> None:
        """`iptables-restore --noflush`: built-in chains keep their rules, a declared user chain is flushed."""
        table = ""
        for raw in payload.splitlines():
            line = raw.strip()
            if not line or line.startswith("#") or line == "COMMIT":
                continue
            if line.startswith("*"):
                table = line[1:]
            elif line.startswith(":"):
                name, policy = line[1:].split()[:2]
                if name in BUILTIN:
                    self.chains.setdefault((table, name), [])
                    if policy != "-":
                        self.policies[(table, name)] = policy
                else:
                    self.chains[(table, name)] = []
            else:
                self._add(table, line)

    def _add(self, table: str, line: str) -> None:
        op, chain, *rest = shlex.split(line)
        position = None
        if op in ("-I", "--insert"):
            position, rest = (int(rest[0]) - 1, rest[1:]) if rest and rest[0].isdigit() else (0, rest)
        elif op not in ("-A", "--append"):
            return  # -N, -F, -X, -P: not used in netlab's payloads
        # The rule as iptables-save would print it: always -A, the words as written.
        text = re.sub(r"^\S+\s+\S+(\s+\d+(?=\s))?", f"-A {chain}", line, count=1)
        rule = parse_rule(table, chain, rest, text)
        if rule.unsupported:
            self.unsupported.append(f"{rule.text} (unknown {rule.unsupported}: treated as not matching)")
        rules = self.chains.setdefault((table, chain), [])
        rules.insert(position, rule) if position is not None else rules.append(rule)

    def load_ipsets(self, payload: str) -> None:
        for line in payload.splitlines():
            words = line.split()
            if len(words) >= 3 and words[0] == "create":
                self.ipsets[words[1]] = (words[2], frozenset())
            elif len(words) >= 3 and words[0] == "add" and words[1] in self.ipsets:
                kind, members = self.ipsets[words[1]]
                member = words[2] + (" nomatch" if "nomatch" in words[3:] else "")
                kept = {m for m in members if m.split()[0] != words[2]}  # one entry per prefix: the last add wins
                self.ipsets[words[1]] = (kind, frozenset(kept | {member}))

    # -- walking ---------------------------------------------------------------------------------------

    def run(self, table: str, hook: str, view: View, endpoint: str | None) -> Outcome:
        """One table's part of a hook: the built-in chain, its jumps, then the policy."""
        if (table, hook) not in self.chains:
            return Outcome("ACCEPT")
        walk = _Walk(self, view, endpoint)
        found = walk.chain(table, hook, 0)
        if found is not None:
            return found
        return Outcome(self.policies.get((table, hook), "ACCEPT"), choices=walk.choices)

    def has(self, table: str, hook: str) -> bool:
        return bool(self.chains.get((table, hook)))



def set_match(name: str, flags: str, view: View) -> bool:
    """`-m set --match-set NAME dst,dst`: the packet's fields, in the set's order, form the member looked up."""
    kind, members = view.ipsets.get(name, ("", frozenset()))
    parts = kind.partition(":")[2].split(",")
    key = []
    if kind == "hash:net":  # the longest prefix holding the address decides; a nomatch entry excludes it
        address = IPv4Address(view.src if flags.split(",")[0] == "src" else view.dst)
        held = [(IPv4Network(m.split()[0]), m.endswith(" nomatch")) for m in members]
        best = max((h for h in held if address in h[0]), key=lambda h: h[0].prefixlen, default=None)
        return best is not None and not best[1]
    for part, flag in zip(parts, flags.split(","), strict=False):
        ip, port = (view.src, view.sport) if flag == "src" else (view.dst, view.dport)
        if part == "ip":
            key.append(ip)
        elif part == "port":
            key.append(str(port) if kind.startswith("bitmap") else f"{view.proto}:{port}")
        else:
            return False  # hash:net and the rest: not used in netlab's sets
    return ",".join(key) in members


class _Walk:
    """One traversal: the mark it changes and the random choices it made."""

    def __init__(self, tables: Tables, view: View, endpoint: str | None) -> None:
        self.tables, self.view, self.endpoint = tables, view, endpoint
        self.choices: tuple[str, ...] = ()

    def chain(self, table: str, name: str, depth: int) -> Outcome | None:
        """None when the chain ends or RETURNs: the caller goes on with its next rule."""
        rules = self.tables.chains.get((table, name), [])
        skip: set[int] = set()
        for i, rule in enumerate(rules):
            if i in skip:
                continue
            if rule.random:
                group = self._random_group(rules, i)
                chosen = self._choose(table, [rules[k] for k in group])
                skip.update(k for k in group if k != group[chosen])
                if group[chosen] != i:
                    continue
            if rule.unsupported or not all(m(self.view) for m in rule.matches):
                continue
            found = self.target(rule, depth)
            if found == "RETURN":
                return None
            if found is not None:
                return found if isinstance(found, Outcome) else None
        return None

    def target(self, rule: Rule, depth: int) -> Outcome | str | None:
        t, v = rule.target, self.view
        if t in ("ACCEPT", "DROP", "REJECT"):
            return Outcome(t, rule if t != "ACCEPT" else None, choices=self.choices)
        if t == "RETURN":
            return "RETURN"
        if t in NAT_TARGETS:
            to = rule.option("--to-destination") or rule.option("--to-source") or rule.option("--to-ports")
            return Outcome("ACCEPT", rule, nat=t, to=to, choices=self.choices)
        if t == "MARK":
            v.mark = apply_mark(v.mark, rule)
            return None
        if t in QUIET_TARGETS or not t or depth > 32:
            return None
        found = self.chain(rule.table, t, depth + 1)
        if found is None and rule.goto:
            return "RETURN"  # -g: the end of the chain gone to returns from the one that went there
        return found

    @staticmethod
    def _random_group(rules: list[Rule], start: int) -> list[int]:
        """kube-proxy's cascade: rules with `statistic --probability`, then the one without that ends it."""
        group = [start]
        for k in range(start + 1, len(rules)):
            group.append(k)
            if not rules[k].random:
                break
        return group

    def _choose(self, table: str, group: list[Rule]) -> int:
        destinations = [self._destination(table, r.target, 0) or r.target for r in group]
        self.choices = tuple(destinations)
        wanted = self.endpoint
        for i, d in enumerate(destinations):
            if wanted and (d == wanted or d.partition(":")[0] == wanted):
                return i
        return 0

    def _destination(self, table: str, chain: str, depth: int) -> str | None:
        for rule in self.tables.chains.get((table, chain), []):
            if rule.target == "DNAT":
                return rule.option("--to-destination")
            if depth < 4 and (table, rule.target) in self.tables.chains:
                found = self._destination(table, rule.target, depth + 1)
                if found:
                    return found
        return None


def apply_mark(mark: int, rule: Rule) -> int:
    for name, value in rule.options:
        bits, _, mask_text = value.partition("/")
        v, mask = int(bits, 0), int(mask_text, 0) if mask_text else 0xFFFFFFFF
        if name == "--set-xmark":
            mark = (mark & ~mask) ^ v
        elif name == "--set-mark":
            mark = (mark & ~mask) | v
        elif name == "--or-mark":
            mark |= v
        elif name == "--xor-mark":
            mark ^= v
        elif name == "--and-mark":
            mark &= v
    return mark & 0xFFFFFFFF


# -- parsing one rule ------------------------------------------------------------------------------------

# Each match option, by what it compares: `-s 10.0.0.0/8` becomes Test("src", "10.0.0.0/8").
MATCH_OPTIONS = {
    "-s": "src", "--source": "src", "-d": "dst", "--destination": "dst",
    "-i": "in", "--in-interface": "in", "-o": "out", "--out-interface": "out", "-p": "proto", "--protocol": "proto",
    "--dport": "dport", "--destination-port": "dport", "--dports": "dport", "--destination-ports": "dport",
    "--sport": "sport", "--source-port": "sport", "--sports": "sport", "--source-ports": "sport",
    "--dst-type": "dst-type", "--src-type": "src-type", "--mark": "mark", "--ctstate": "ctstate", "--state": "ctstate",
    "--match-set": "set", "--icmp-type": "icmp-type",
}
TARGET_OPTIONS = frozenset({"--to-destination", "--to-source", "--to-ports", "--reject-with", "--set-xmark",
                            "--set-mark", "--or-mark", "--xor-mark", "--and-mark", "--log-prefix", "--log-level",
                            "--nflog-group", "--nflog-prefix", "--zone", "--set-mss"})
FLAG_OPTIONS = frozenset({"--random-fully", "--random", "--persistent", "--notrack", "--checksum-fill",
                          "--clamp-mss-to-pmtu"})
# Module options that cannot change the verdict for the one packet predicted (with or without an argument).
IGNORED = frozenset({"--seconds", "--hitcount", "--mask", "--every", "--packet", "--mode", "--probability",
                     "--name", "--comment", "--limit", "--limit-burst"})
PROTOCOL_NUMBERS = {"1": "icmp", "4": "ipip", "6": "tcp", "17": "udp"}
# --limit-iface-out narrows an addrtype match to the outgoing interface's addresses: the predictor checks it
# against all of the namespace's (it only decides felix's tunnel masquerade, which source selection makes moot).
IGNORED_FLAGS = frozenset({"--limit-iface-out", "--reap", "--rsource", "--rdest", "--set", "--remove",
                           "--physdev-is-in",
                           "--physdev-is-out", "--physdev-is-bridged"})


@dataclass(frozen=True)
class Test:
    """One match of a rule: what it compares, with what, and whether `!` turns it round."""

    kind: str
    arg: str
    negate: bool = False
    extra: str = ""  # the flags of `--match-set NAME FLAGS`

    def __call__(self, v: View) -> bool:
        return self.check(v) != self.negate

    def check(self, v: View) -> bool:
        k, a = self.kind, self.arg
        if k in ("src", "dst"):
            return IPv4Address(v.src if k == "src" else v.dst) in IPv4Network(a, strict=False)
        if k in ("in", "out"):
            return _dev_match(v.in_dev if k == "in" else v.out_dev, a)
        if k == "proto":  # by name, or by number as felix writes it (-p 17)
            return a == "all" or v.proto == PROTOCOL_NUMBERS.get(a, a)
        if k in ("dport", "sport"):
            return _port_match(v.dport if k == "dport" else v.sport, a)
        if k in ("dst-type", "src-type"):
            return a == "LOCAL" and (v.src if k == "src-type" else v.dst) in v.local
        if k == "mark":
            return _mark_match(v.mark, a)
        if k == "ctstate":
            return bool(set(a.split(",")) & v.ctstate)
        if k == "set":
            return set_match(a, self.extra, v)
        if k == "icmp-type":  # the probes netlab predicts are pings: an echo request, answered by a reply
            return v.proto == "icmp" and a == ("8" if "NEW" in v.ctstate else "0")
        return False  # "never": `recent --rcheck`, a client seen the first time has no entry yet


def parse_rule(table: str, chain: str, words: list[str], text: str) -> Rule:
    tests: list[Test] = []
    options: list[tuple[str, str]] = []
    target, goto, random, unsupported = "", False, False, None
    negate, i = False, 0
    while i < len(words):
        w = words[i]
        arg = words[i + 1] if i + 1 < len(words) else ""
        i += 1
        if w == "!":
            negate = True
            continue
        if target:  # everything after -j belongs to the target
            if w in FLAG_OPTIONS:
                options.append((w, ""))
            elif w in TARGET_OPTIONS:
                options.append((w, arg))
                i += 1
            else:
                unsupported = unsupported or w
            continue
        if w in MATCH_OPTIONS:
            extra = words[i + 1] if MATCH_OPTIONS[w] == "set" and i + 1 < len(words) else ""
            tests.append(Test(MATCH_OPTIONS[w], arg, negate, extra))
            i += 2 if extra else 1
        elif w in ("-m", "--match"):
            random = random or arg == "statistic"
            i += 1
        elif w in ("--rcheck", "--update"):
            tests.append(Test("never", "", negate))
        elif w in ("-j", "--jump", "-g", "--goto"):
            target, goto = arg, w in ("-g", "--goto")
            i += 1
        elif w in IGNORED or (w.startswith("--physdev") and w not in IGNORED_FLAGS):
            i += 1
        elif w not in IGNORED_FLAGS:
            unsupported = unsupported or w
        negate = False
    return Rule(table, chain, text, tuple(tests), target, goto, tuple(options), random, unsupported)


def _dev_match(dev: str | None, pattern: str) -> bool:
    if dev is None:
        return False
    return dev.startswith(pattern[:-1]) if pattern.endswith("+") else dev == pattern


def _port_match(port: int | None, spec: str) -> bool:
    if port is None:
        return False
    for part in spec.split(","):
        low, _, high = part.partition(":")
        if int(low or 0) <= port <= int(high or low or 65535):
            return True
    return False


def _mark_match(mark: int, spec: str) -> bool:
    value, _, mask = spec.partition("/")
    return (mark & (int(mask, 0) if mask else 0xFFFFFFFF)) == int(value, 0)
