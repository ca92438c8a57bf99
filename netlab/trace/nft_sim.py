"""A small nftables interpreter: one namespace's `nft -f` payloads, and a packet walked through a base chain.

It reads the statements netlab's payloads use — kube-proxy's nftables mode (kube_proxy/nftables.py) and the
instructor's `rules: {nft: …}` in either spelling (`add rule T C …` lines, or `table T { chain C { … } }`
blocks) — into tables of chains, sets and verdict maps, the way `rules_sim` reads iptables-restore text. A rule
is a run of expressions: matches (`ip daddr 10.0.0.1`, `ip daddr . meta l4proto . th dport vmap @m`,
`ct state new`, `fib saddr type local`…) and statements (`jump`, `goto`, `dnat to`, `masquerade`,
`mark set mark or 0x4000`, `numgen random mod N vmap {…}`…). A rule with a word it does not know never
matches, and is listed as not simulated.

What no single packet can tell is decided as the prediction needs it: `numgen random` follows the endpoint
asked for, or the first; a dynamic set (ClientIP affinity) holds nobody yet.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, replace
from ipaddress import IPv4Address, IPv4Network

from netlab.trace.rules_sim import View

HOOKS = {"prerouting": "PREROUTING", "input": "INPUT", "forward": "FORWARD", "output": "OUTPUT",
         "postrouting": "POSTROUTING"}
PRIORITY_NAMES = {"raw": -300, "mangle": -150, "dstnat": -100, "filter": 0, "security": 50, "srcnat": 100}
MAX_DEPTH = 32


@dataclass
class Chain:
    family: str
    table: str
    name: str
    hook: str | None = None  # PREROUTING … POSTROUTING for a base chain
    type: str = "filter"  # filter | nat | route
    priority: int = 0
    policy: str = "accept"
    rules: list[Rule] = field(default_factory=list)


@dataclass
class Table:
    family: str
    name: str
    chains: dict[str, Chain] = field(default_factory=dict)
    sets: dict[str, dict[str, str | None]] = field(default_factory=dict)  # set/map → {key: verdict or None}


@dataclass(frozen=True)
class Op:
    """One expression of a rule, compiled: a match, a map lookup, or a statement."""

    kind: str  # match | fib | vmap | mark | verdict | nat | numgen | nop
    fields: tuple[tuple[str, ...], ...] = ()
    negate: bool = False
    value: str = ""  # a constant, "@set", or a verdict ("goto X"); "{…}" members are in `members`
    members: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True)
class Rule:
    chain: str
    text: str  # as written (without `add rule FAMILY TABLE CHAIN`)
    ops: tuple[Op, ...]
    unsupported: str | None = None


@dataclass(frozen=True)
class Outcome:
    """How a base chain let the packet go: accept, drop or reject, and any NAT it asked for."""

    verdict: str  # accept | drop | reject
    rule: Rule | None = None
    chain: str = ""
    nat: str | None = None  # dnat | snat | masquerade
    to: str | None = None
    choices: tuple[str, ...] = ()
    path: tuple[str, ...] = ()  # the chains walked to the deciding rule, from the base chain
    via: str = ""  # the map lookup that led here: its rule and the element it found


class Tables:
    """Every nftables table of one namespace (iptables-nft's own tables aside: rules_sim reads those)."""

    def __init__(self) -> None:
        self.tables: dict[tuple[str, str], Table] = {}
        self.unsupported: list[str] = []
        self.order: list[tuple[str, str, str]] = []  # base chains in the order they were registered

    # -- loading --------------------------------------------------------------------------------------

    def load(self, payload: str) -> None:
        for statement in statements(payload):
            self._command(statement)

    def _command(self, words: list[str]) -> None:
        if not words:
            return
        verb = words[0]
        if verb in ("add", "create", "insert"):
            words = words[1:]
        elif verb in ("flush", "delete", "destroy", "list", "reset"):
            self._remove(verb, words[1:])
            return
        if not words:
            return
        what = words[0]
        if what == "table" and len(words) >= 3:
            table = self._table(words[1], words[2])
            if len(words) > 3 and words[3] == "{":
                self._block(table, words[4:])
        elif what == "chain" and len(words) >= 4:
            self._chain(self._table(words[1], words[2]), words[3], words[4:])
        elif what in ("set", "map") and len(words) >= 4:
            self._table(words[1], words[2]).sets.setdefault(words[3], {})
        elif what == "element" and len(words) >= 4:
            self._elements(self._table(words[1], words[2]), words[3], words[4:])
        elif what == "rule" and len(words) >= 4:
            table = self._table(words[1], words[2])
            self._rule(table, words[3], words[4:], front=verb == "insert")

    def _remove(self, verb: str, words: list[str]) -> None:
        if len(words) >= 3 and words[0] == "table":
            name = (words[1], words[2])
            if verb in ("delete", "destroy"):
                self.tables.pop(name, None)
            elif name in self.tables:
                for chain in self.tables[name].chains.values():
                    chain.rules.clear()
        elif len(words) >= 4 and words[0] == "chain" and (words[1], words[2]) in self.tables:
            table = self.tables[(words[1], words[2])]
            if verb == "flush" and words[3] in table.chains:
                table.chains[words[3]].rules.clear()
            elif verb in ("delete", "destroy"):
                table.chains.pop(words[3], None)
        elif len(words) >= 4 and words[0] == "element" and (words[1], words[2]) in self.tables:
            members = self.tables[(words[1], words[2])].sets.get(words[3], {})
            for key, _ in elements(words[4:]):
                members.pop(key, None)

    def _table(self, family: str, name: str) -> Table:
        return self.tables.setdefault((family, name), Table(family, name))

    def _block(self, table: Table, words: list[str]) -> None:
        """`table T { chain C { … } set S { … } }`: the braces of one table, already split into words."""
        i = 0
        while i < len(words):
            if words[i] in ("chain", "set", "map") and i + 2 < len(words) and words[i + 2] == "{":
                end = closing(words, i + 2)
                body = words[i + 3:end]
                if words[i] == "chain":
                    self._chain(table, words[i + 1], [])
                    for line in split_lines(body):
                        if line and line[0] in ("type", "policy"):
                            self._chain(table, words[i + 1], ["{", *line, "}"])
                        elif line:
                            self._rule(table, words[i + 1], line)
                else:
                    table.sets.setdefault(words[i + 1], {})
                    if "elements" in body:
                        start = body.index("elements")
                        self._elements(table, words[i + 1], body[start + 2:])
                i = end + 1
            else:
                i += 1

    def _chain(self, table: Table, name: str, spec: list[str]) -> None:
        chain = table.chains.setdefault(name, Chain(table.family, table.name, name))
        words = [w.rstrip(";") for w in spec if w not in ("{", "}", ";")]
        for i, w in enumerate(words):
            if w == "type" and i + 1 < len(words):
                chain.type = words[i + 1]
            elif w == "hook" and i + 1 < len(words):
                chain.hook = HOOKS.get(words[i + 1])
                if chain.hook and (table.family, table.name, name) not in self.order:
                    self.order.append((table.family, table.name, name))
            elif w == "priority" and i + 1 < len(words):
                chain.priority = priority(words[i + 1:i + 4])
            elif w == "policy" and i + 1 < len(words):
                chain.policy = words[i + 1]

    def _elements(self, table: Table, name: str, words: list[str]) -> None:
        members = table.sets.setdefault(name, {})
        for key, value in elements(words):
            members[key] = value

    def _rule(self, table: Table, chain_name: str, words: list[str], front: bool = False) -> None:
        chain = table.chains.setdefault(chain_name, Chain(table.family, table.name, chain_name))
        text = " ".join(words)
        try:
            rule = Rule(chain_name, text, compile_rule(words))
        except Unsupported as e:
            rule = Rule(chain_name, text, (), str(e))
        if rule.unsupported:
            self.unsupported.append(f"nft rule `{text}` in {table.family} {table.name} {chain_name} (unknown "
                                    f"{rule.unsupported!r}: treated as not matching)")
        chain.rules.insert(0, rule) if front else chain.rules.append(rule)

    # -- walking ----------------------------------------------------------------------------------------

    def base_chains(self, hook: str) -> list[Chain]:
        """The base chains on a hook, in the order the kernel runs them: priority, then registration."""
        found = []
        for position, (family, table, name) in enumerate(self.order):
            chain = self.tables.get((family, table), Table(family, table)).chains.get(name)
            if chain is not None and chain.hook == hook and family in ("ip", "inet"):
                found.append((chain.priority, position, chain))
        return [c for _, _, c in sorted(found, key=lambda item: (item[0], item[1]))]

    def run(self, chain: Chain, view: View, endpoint: str | None) -> Outcome:
        walk = _Walk(self, self.tables[(chain.family, chain.table)], view, endpoint)
        found = walk.chain(chain.name, 0)
        if found is not None:
            return found
        return Outcome(chain.policy, chain=chain.name, choices=walk.choices)


# -- evaluating a rule -----------------------------------------------------------------------------------

class _Walk:
    def __init__(self, tables: Tables, table: Table, view: View, endpoint: str | None) -> None:
        self.tables, self.table, self.view, self.endpoint = tables, table, view, endpoint
        self.choices: tuple[str, ...] = ()
        self.path: list[str] = []
        self.last: tuple[Rule | None, str] = (None, "")  # the last map lookup: its rule and the element it found

    def chain(self, name: str, depth: int) -> Outcome | None:
        """None when the chain ends or returns: the caller goes on with its next rule."""
        chain = self.table.chains.get(name)
        if chain is None or depth > MAX_DEPTH:
            return None
        self.path.append(name)
        for rule in chain.rules:
            if rule.unsupported:
                continue
            found = self.rule(rule, depth)
            if found == "return":
                break
            if isinstance(found, Outcome):
                return found
        self.path.pop()
        return None

    def outcome(self, verdict: str, rule: Rule | None, **nat: str | None) -> Outcome:
        lookup, element = self.last
        via = f"{lookup.text}  # {element}" if lookup is not None and lookup is not rule else ""
        return Outcome(verdict, rule or lookup, self.path[-1] if self.path else "", choices=self.choices,
                       path=tuple(self.path), via=via, nat=nat.get("nat"), to=nat.get("to"))

    def rule(self, rule: Rule, depth: int) -> Outcome | str | None:
        v = self.view
        for op in rule.ops:
            if op.kind == "match":
                if self._matches(op) == op.negate:
                    return None
            elif op.kind == "fib":
                address = v.src if "saddr" in op.fields[0] else v.dst
                if (op.value == "local" and address in v.local) == op.negate:
                    return None
            elif op.kind == "vmap":
                key = " . ".join(self._field(f) for f in op.fields)
                table = self.table.sets.get(op.value[1:], {}) if op.value else dict(op.members)
                verdict = table.get(key)
                if verdict is None:
                    return None
                self.last = (rule, f"{key} : {verdict}")
                return self._verdict(verdict, depth)
            elif op.kind == "mark":
                v.mark = set_mark(v.mark, op.value.split())
            elif op.kind == "numgen":
                return self._verdict(self._choose([target for _, target in op.members]) or "", depth)
            elif op.kind == "nat":
                return self.outcome("accept", rule, nat=op.value, to=op.members[0][0] if op.members else None)
            elif op.kind == "verdict":
                kind = op.value.partition(" ")[0]
                if kind in ("drop", "reject"):
                    return self.outcome(kind, rule)
                return self._verdict(op.value, depth)
        return None

    def _verdict(self, verdict: str, depth: int) -> Outcome | str | None:
        kind, _, target = verdict.partition(" ")
        if kind in ("jump", "goto"):
            found = self.chain(target, depth + 1)
            return "return" if found is None and kind == "goto" else found
        if kind in ("accept", "drop", "reject"):  # straight from a map: the rule that looked it up decided
            rule, element = self.last
            return replace(self.outcome(kind, rule), via=f"# {element}")
        return "return" if kind == "return" else None

    def _choose(self, picks: list[str | None]) -> str | None:
        destinations = [self._destination(p or "") or (p or "") for p in picks]
        self.choices = tuple(destinations)
        for i, d in enumerate(destinations):
            if self.endpoint and (d == self.endpoint or d.partition(":")[0] == self.endpoint):
                return picks[i]
        return picks[0] if picks else None

    def _destination(self, verdict: str) -> str | None:
        """Where a `goto endpoint-…` chain DNATs to: the address a student would recognise."""
        chain = self.table.chains.get(verdict.partition(" ")[2])
        for rule in chain.rules if chain else []:
            for op in rule.ops:
                if op.kind == "nat" and op.value == "dnat" and op.members:
                    return op.members[0][0]
        return None

    def _matches(self, op: Op) -> bool:
        values = [self._field(f) for f in op.fields]
        if op.value.startswith("@"):
            members = self.table.sets.get(op.value[1:], {})
            return " . ".join(values) in members or any(self._in(values, k) for k in members)
        if op.members:
            return any(self._in(values, k) for k, _ in op.members)
        return self._in(values, op.value)

    def _in(self, values: list[str], spec: str) -> bool:
        parts = [p.strip() for p in spec.split(" . ")] if " . " in spec else [spec]
        if len(parts) != len(values):
            return False
        return all(matches(v, p) for v, p in zip(values, parts, strict=True))

    def _field(self, f: tuple[str, ...]) -> str:
        v = self.view
        name = " ".join(f[:2])
        if name in ("ip saddr", "ip daddr"):
            return v.src if name == "ip saddr" else v.dst
        if name in ("meta l4proto", "ip protocol"):
            return v.proto
        if f[1:2] == ("dport",) or f[1:2] == ("sport",):
            if f[0] not in ("th", v.proto):
                return "-"  # `tcp dport` does not match a UDP packet
            port = v.dport if f[1] == "dport" else v.sport
            return "-" if port is None else str(port)
        if f[0] in ("iifname", "iif") or name == "meta iifname":
            return v.in_dev or ""
        if f[0] in ("oifname", "oif") or name == "meta oifname":
            return v.out_dev or ""
        if name == "ct state":
            return ",".join(sorted(s.lower() for s in v.ctstate if s in ("NEW", "ESTABLISHED", "RELATED")))
        if name == "meta mark" or f == ("mark",):
            return hex(v.mark)
        if name == "mark and":
            return hex(v.mark & int(f[2], 0)) if v.mark & int(f[2], 0) else "0"
        return "?"


def matches(value: str, spec: str) -> bool:
    """One value against one nft constant: an address in a prefix, a port in a range, a word in a list."""
    spec = spec.strip('"')
    if "," in spec and "/" not in spec:
        return any(matches(value, s) for s in spec.split(","))
    if "/" in spec:
        try:
            return IPv4Address(value) in IPv4Network(spec, strict=False)
        except ValueError:
            return False
    if "-" in spec and spec.replace("-", "").isdigit() and value.isdigit():
        low, high = spec.split("-")
        return int(low) <= int(value) <= int(high)
    if "," in value:  # ct state established,related
        return spec in value.split(",")
    if spec.startswith("0x") and value.startswith("0x"):
        return int(spec, 16) == int(value, 16)
    if spec == "0" and value == "0":
        return True
    return value == spec


def set_mark(mark: int, words: list[str]) -> int:
    """`mark set mark or 0x4000` / `xor` / `and`, or `mark set 0x1`."""
    if words and words[0] == "mark" and len(words) >= 3:
        op, value = words[1], int(words[2], 0)
        return {"or": mark | value, "xor": mark ^ value, "and": mark & value}.get(op, mark) & 0xFFFFFFFF
    return int(words[0], 0) if words else mark


# -- reading the text ------------------------------------------------------------------------------------

FIELD_WORDS = {"ip": ("saddr", "daddr", "protocol"), "meta": ("l4proto", "mark", "iifname", "oifname"),
               "th": ("dport", "sport"), "tcp": ("dport", "sport"), "udp": ("dport", "sport"), "ct": ("state",),
               "fib": ("saddr", "daddr")}
SINGLE_FIELDS = ("iifname", "oifname", "iif", "oif")
VERDICTS = ("accept", "drop", "reject", "return", "jump", "goto")


class Unsupported(Exception):
    """A word of a rule this interpreter cannot read."""


def compile_rule(w: list[str]) -> tuple[Op, ...]:
    """A rule's words as the ops `_Walk.rule` runs; Unsupported names the first word it cannot read."""
    ops: list[Op] = []
    i = 0
    while i < len(w):
        word = w[i]
        if word == "comment":
            i += 2
        elif word in ("counter", "notrack"):
            i += 1
        elif word == "log":
            i += 1
            while i < len(w) and w[i] in ("prefix", "level", "group", "flags"):
                i += 2
        elif word in VERDICTS:
            target = w[i + 1] if word in ("jump", "goto") and i + 1 < len(w) else ""
            ops.append(Op("verdict", value=f"{word} {target}".strip()))
            i += 2 if target else 1
            if word == "reject" and i < len(w) and w[i] == "with":
                i += 3
        elif word == "masquerade":
            ops.append(Op("nat", value="masquerade"))
            i += 1
            while i < len(w) and w[i] in ("fully-random", "random", "persistent"):
                i += 1
        elif word in ("dnat", "snat") and i + 2 < len(w) and w[i + 1] == "to":
            ops.append(Op("nat", value=word, members=((w[i + 2], None),)))
            i += 3
        elif word == "numgen" and w[i + 1:i + 3] == ["random", "mod"] and w[i + 4:i + 6] == ["vmap", "{"]:
            end = closing(w, i + 5)
            ops.append(Op("numgen", members=tuple(elements(w[i + 6:end]))))
            i = end + 1
        elif word == "update" and i + 2 < len(w) and w[i + 2] == "{":
            i = closing(w, i + 2) + 1  # a dynamic set learns the source: nothing to decide for one packet
        elif word == "mark" and i + 1 < len(w) and w[i + 1] == "set" or w[i:i + 3] == ["meta", "mark", "set"]:
            i += 1 if word == "meta" else 0
            words = w[i + 2:i + 5] if i + 2 < len(w) and w[i + 2] == "mark" else w[i + 2:i + 3]
            ops.append(Op("mark", value=" ".join(words)))
            i += 2 + len(words)
        else:
            op, i = compile_match(w, i)
            ops.append(op)
    return tuple(ops)


def compile_match(w: list[str], i: int) -> tuple[Op, int]:
    fields, j = concatenation(w, i)
    if not fields:
        raise Unsupported(w[i])
    if j < len(w) and w[j] == "vmap":
        if j + 1 < len(w) and w[j + 1].startswith("@"):
            return Op("vmap", tuple(fields), value=w[j + 1]), j + 2
        end = closing(w, j + 1)
        return Op("vmap", tuple(fields), members=tuple(elements(w[j + 2:end]))), end + 1
    negate = j < len(w) and w[j] == "!="
    if j < len(w) and w[j] in ("==", "!="):
        j += 1
    if j >= len(w):
        raise Unsupported(" ".join(w[i:]))
    if fields[0][0] == "fib":
        return Op("fib", tuple(fields), negate, w[j]), j + 1
    if w[j] == "{":
        end = closing(w, j)
        return Op("match", tuple(fields), negate, members=tuple(elements(w[j + 1:end]))), end + 1
    return Op("match", tuple(fields), negate, w[j]), j + 1


def concatenation(w: list[str], i: int) -> tuple[list[tuple[str, ...]], int]:
    """`ip daddr . meta l4proto . th dport` → its fields, and the index after it."""
    fields: list[tuple[str, ...]] = []
    while i < len(w):
        word = w[i]
        if word in FIELD_WORDS and i + 1 < len(w) and w[i + 1] in FIELD_WORDS[word]:
            if word == "fib":
                if w[i + 2:i + 3] != ["type"]:
                    break
                fields.append(("fib", w[i + 1]))
                i += 3
            else:
                fields.append((word, w[i + 1]))
                i += 2
        elif word in SINGLE_FIELDS:
            fields.append((word,))
            i += 1
        elif word == "mark" and i + 2 < len(w) and w[i + 1] == "and":
            fields.append(("mark", "and", w[i + 2]))
            i += 3
        elif word == "mark":
            fields.append(("mark",))
            i += 1
        else:
            break
        if i < len(w) and w[i] == ".":
            i += 1
            continue
        break
    return fields, i


def statements(payload: str) -> list[list[str]]:
    """An `nft -f` file as statements of words: one per line, except that a `{ … }` block runs until it closes."""
    result: list[list[str]] = []
    current: list[str] = []
    depth = 0
    for raw in payload.splitlines():
        line = raw.split("#", 1)[0].strip() if not raw.strip().startswith('"') else raw.strip()
        if not line:
            continue
        words = tokens(line)
        current += words
        depth += words.count("{") - words.count("}")
        if depth <= 0:
            result.append(current)
            current, depth = [], 0
        else:
            current.append(";")
    if current:
        result.append(current)
    return result


def tokens(line: str) -> list[str]:
    """Words, with braces, commas, colons and semicolons as words of their own; quoted strings kept whole."""
    spaced = re.sub(r'("[^"]*")|([{},;])|(?<=\s):(?=\s)', lambda m: m.group(1) or f" {m.group(2) or ':'} ", line)
    try:
        return [w for w in shlex.split(spaced, posix=False) if w]
    except ValueError:
        return spaced.split()


def split_lines(words: list[str]) -> list[list[str]]:
    lines: list[list[str]] = [[]]
    for w in words:
        if w == ";":
            lines.append([])
        else:
            lines[-1].append(w)
    return [line for line in lines if line]


def closing(words: list[str], start: int) -> int:
    """The index of the `}` that closes the `{` at `start` (or the end)."""
    depth = 0
    for i in range(start, len(words)):
        depth += {"{": 1, "}": -1}.get(words[i], 0)
        if depth == 0:
            return i
    return len(words)


def elements(words: list[str]) -> list[tuple[str, str | None]]:
    """`{ k1 : goto A , k2 comment "x" : drop }` (braces optional) → [(k1, "goto A"), (k2, "drop")]."""
    items: list[tuple[str, str | None]] = []
    current: list[str] = []
    for w in [*words, ","]:
        if w in ("{", "}", ";"):
            continue
        if w == ",":
            if current:
                key_words, _, value_words = (current[:current.index(":")], ":", current[current.index(":") + 1:]) \
                    if ":" in current else (current, "", [])
                key_words = key_words[:key_words.index("comment")] if "comment" in key_words else key_words
                items.append((" ".join(key_words), " ".join(value_words) or None))
            current = []
        else:
            current.append(w)
    return items


def priority(words: list[str]) -> int:
    """`-100`, `dstnat`, `srcnat - 10`, `filter + 5`."""
    words = [w.rstrip(";") for w in words]
    base = words[0] if words else "0"
    value = PRIORITY_NAMES.get(base)
    if value is None:
        try:
            return int(base)
        except ValueError:
            return 0
    if len(words) >= 3 and words[1] in ("+", "-") and words[2].isdigit():
        value += int(words[2]) * (1 if words[1] == "+" else -1)
    return value
