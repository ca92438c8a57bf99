"""Rule sets re-synced, not reloaded: the one payload that turns the rules a namespace holds into the new ones,
touching only what changed. Pure: payload text in, payload text out.

* iptables (`iptables-restore --noflush`), as kube-proxy's partial sync writes it: a user chain whose rules
  changed is declared (which flushes it) and written out again, with the chains a rule set always rewrites
  (kube-proxy's KUBE-SERVICES and the other top-level chains); a chain that is gone is declared and deleted
  (`-X`); a chain that did not change is not mentioned. Built-in chains are shared by several owners
  (dockerd's, flanneld's, kube-proxy's, the instructor's rules), so they are edited rule by rule — `-D` what
  went, `-I CHAIN N` what came, at its place — and the hooks into them are never duplicated.
* nftables (`nft -f`, one transaction): new chains and sets added, changed chains flushed and written again,
  map elements deleted and added one by one, stale chains and sets deleted once nothing refers to them.
* ipset (`ipset restore -exist`): members added and deleted, sets created and destroyed.
* ipvsadm (`ipvsadm -R`): virtual and real servers added, edited and deleted one by one.
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Collection
from dataclasses import dataclass, field

from netlab.plan.steps import RuleSet

BUILTIN = frozenset({"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"})


# -- iptables ----------------------------------------------------------------------------------------------

@dataclass
class IptablesTable:
    """One table as a sequence of restore payloads leaves it: chains and their rules, built-in policies."""

    chains: dict[str, list[str]] = field(default_factory=dict)  # chain → rule specs (what follows "-A CHAIN ")
    policies: dict[str, str] = field(default_factory=dict)  # built-in chain → policy set by a payload

    def user_chains(self) -> list[str]:
        return [c for c in self.chains if c not in BUILTIN]


def iptables_tables(payloads: list[str]) -> dict[str, IptablesTable]:
    """What `iptables-restore --noflush` of each payload in turn leaves, for the chains those payloads write."""
    tables: dict[str, IptablesTable] = {}
    table = IptablesTable()
    for payload in payloads:
        for raw in payload.splitlines():
            if raw.startswith("-A "):  # most lines, by far: the fast path
                chain, _, spec = raw[3:].partition(" ")
                rules = table.chains.get(chain)
                if rules is None:
                    rules = table.chains[chain] = []
                rules.append(spec.strip())
                continue
            line = raw.strip()
            if not line or line.startswith("#") or line == "COMMIT":
                continue
            if line.startswith("*"):
                table = tables.setdefault(line[1:].strip(), IptablesTable())
            elif line.startswith(":"):
                name, policy = (line[1:].split() + ["-"])[:2]
                if name in BUILTIN:
                    table.chains.setdefault(name, [])
                    if policy != "-":
                        table.policies[name] = policy
                else:
                    table.chains[name] = []  # a declared user chain is flushed
            else:
                _iptables_command(table, line)
    return tables


def _iptables_command(table: IptablesTable, line: str) -> None:
    op, _, rest = line.partition(" ")
    chain, _, spec = rest.partition(" ")
    if op in ("-A", "--append"):
        table.chains.setdefault(chain, []).append(spec)
    elif op in ("-I", "--insert"):
        number, _, after = spec.partition(" ")
        position, spec = (int(number) - 1, after) if number.isdigit() else (0, spec)
        table.chains.setdefault(chain, []).insert(position, spec)
    elif op in ("-N", "--new-chain"):
        table.chains.setdefault(chain, [])
    elif op in ("-F", "--flush"):
        table.chains[chain] = []
    elif op in ("-X", "--delete-chain"):
        table.chains.pop(chain, None)
    elif op in ("-P", "--policy"):
        table.policies[chain] = spec.split()[0] if spec else "ACCEPT"


def iptables_resync(old: tuple[RuleSet, ...], new: tuple[RuleSet, ...]) -> str:
    """The restore payload that turns a namespace's old iptables rule sets into its new ones ("" if none)."""
    before = iptables_tables([r.payload for r in old])
    after = iptables_tables([r.payload for r in new])
    rewrite = {tuple(c.split("/", 1)) for r in new for c in r.rewrite}
    out: list[str] = []
    for name in [*after, *(t for t in before if t not in after)]:
        was, now = before.get(name, IptablesTable()), after.get(name, IptablesTable())
        declared, rules, deleted = [], [], []
        for chain in now.user_chains():
            if now.chains[chain] != was.chains.get(chain) or (name, chain) in rewrite:
                declared.append(f":{chain} - [0:0]")
                rules += [f"-A {chain} {spec}" for spec in now.chains[chain]]
        for chain in was.user_chains():
            if chain not in now.chains:
                declared.append(f":{chain} - [0:0]")
                deleted.append(f"-X {chain}")
        for chain in sorted(BUILTIN & (set(was.policies) | set(now.policies))):
            if was.policies.get(chain, "ACCEPT") != now.policies.get(chain, "ACCEPT"):
                declared.append(f":{chain} {now.policies.get(chain, 'ACCEPT')} [0:0]")
        edits = []
        for chain in sorted(BUILTIN & (set(was.chains) | set(now.chains))):
            edits += _builtin_edits(chain, was.chains.get(chain, []), now.chains.get(chain, []))
        if declared or edits or rules:
            out += [f"*{name}", *declared, *edits, *rules, *deleted, "COMMIT"]
    return "\n".join(out) + "\n" if out else ""


def _builtin_edits(chain: str, was: list[str], now: list[str]) -> list[str]:
    """`-D` for each rule that went, then `-I CHAIN N` for each that came, N its place in the new chain."""
    kept_old: set[int] = set()
    kept_new: set[int] = set()
    for block in difflib.SequenceMatcher(a=was, b=now, autojunk=False).get_matching_blocks():
        kept_old.update(range(block.a, block.a + block.size))
        kept_new.update(range(block.b, block.b + block.size))
    edits = [f"-D {chain} {spec}" for i, spec in enumerate(was) if i not in kept_old]
    edits += [f"-I {chain} {j + 1} {spec}" for j, spec in enumerate(now) if j not in kept_new]
    return edits


def iptables_removal(old: tuple[RuleSet, ...]) -> str:
    return iptables_resync(old, ())


# -- nftables ----------------------------------------------------------------------------------------------

ADD = re.compile(r"^add (?P<what>table|chain|rule|set|map|element) (?P<family>\S+) (?P<table>\S+)(?: (?P<rest>.*))?$")


@dataclass
class NftTable:
    spec: str = ""
    chains: dict[str, str] = field(default_factory=dict)  # chain → its spec ("{ type … }" or "")
    rules: dict[str, list[str]] = field(default_factory=dict)
    sets: dict[str, str] = field(default_factory=dict)  # set or map → "set NAME { … }" / "map NAME { … }"
    elements: dict[str, dict[str, str]] = field(default_factory=dict)  # set → key → the whole element text


def nft_tables(payload: str) -> dict[tuple[str, str], NftTable] | None:
    """A payload of `add …` lines (netlab's own), as tables; None for anything else (an instructor's blocks)."""
    tables: dict[tuple[str, str], NftTable] = {}
    for raw in payload.splitlines():
        if raw.startswith(("add rule ", "add element ")):  # most lines, by far: the fast path
            words = raw.split(" ", 5)
            if len(words) == 6:
                _, what, family, name, target, rest = words
                table = tables.get((family, name)) or tables.setdefault((family, name), NftTable())
                if what == "rule":
                    table.rules.setdefault(target, []).append(rest.rstrip())
                else:
                    text = rest.strip().removeprefix("{").removesuffix("}").strip()
                    table.elements.setdefault(target, {})[element_key(text)] = text
                continue
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = ADD.match(line)
        if m is None:
            return None
        table = tables.get((m["family"], m["table"])) or tables.setdefault((m["family"], m["table"]), NftTable())
        rest = m["rest"] or ""
        what = m["what"]
        if what == "table":
            table.spec = rest
        elif what == "chain":
            name, _, spec = rest.partition(" ")
            table.chains[name] = spec
            table.rules.setdefault(name, [])
        elif what == "rule":
            name, _, rule = rest.partition(" ")
            table.rules.setdefault(name, []).append(rule)
        elif what in ("set", "map"):
            table.sets[rest.split(" ", 1)[0]] = f"{what} {rest}"
        else:
            name, _, body = rest.partition(" ")
            text = body.strip().removeprefix("{").removesuffix("}").strip()
            table.elements.setdefault(name, {})[element_key(text)] = text
    return tables


def element_key(element: str) -> str:
    """`10.96.0.10 . tcp . 80 comment "x" : goto svc` → `10.96.0.10 . tcp . 80` (what a delete names)."""
    key = element.split(" : ", 1)[0]
    return key.split(" comment ", 1)[0].strip()


def nft_resync(old: str, new: str) -> str:
    """One `nft -f` transaction from the old payload's tables to the new one's."""
    before, after = nft_tables(old), nft_tables(new)
    if before is None or after is None:  # not netlab's own form: replace the tables whole, in one transaction
        names = sorted(set(table_names(old)) | set(table_names(new)))
        gone = [f"delete table {f} {t}" for f, t in table_names(old)]
        return "\n".join([*gone, new.rstrip("\n")]) + "\n" if names else ""
    lines: list[str] = []
    deletes: list[str] = []
    for (family, name), now in after.items():
        t = f"{family} {name}"
        was = before.get((family, name))
        if was is None:
            lines.append(new_table_payload(family, name, now))
            continue
        stale_chains = [c for c in was.chains if c not in now.chains]
        for chain, spec in now.chains.items():
            if chain not in was.chains or was.chains[chain] != spec:
                if chain in was.chains:
                    deletes.append(f"delete chain {t} {chain}")
                lines.append(f"add chain {t} {chain} {spec}".rstrip())
        for s, spec in now.sets.items():
            if s not in was.sets:
                lines.append(f"add {spec.split(' ', 1)[0]} {t} {spec.split(' ', 1)[1]}")
        for chain, rules in now.rules.items():
            if rules != was.rules.get(chain, []) and chain in was.chains and was.chains[chain] == now.chains[chain]:
                lines.append(f"flush chain {t} {chain}")
            if rules != was.rules.get(chain, []) or was.chains.get(chain) != now.chains[chain]:
                lines += [f"add rule {t} {chain} {rule}" for rule in rules]
        for s in sorted(set(was.elements) | set(now.elements)):
            old_elements, new_elements = was.elements.get(s, {}), now.elements.get(s, {})
            for key, text in old_elements.items():
                if key not in new_elements or new_elements[key] != text:
                    lines.append(f"delete element {t} {s} {{ {key} }}")
            for key, text in new_elements.items():
                if old_elements.get(key) != text:
                    lines.append(f"add element {t} {s} {{ {text} }}")
        lines += [f"flush chain {t} {c}" for c in stale_chains]
        lines += [f"delete chain {t} {c}" for c in stale_chains]
        lines += [f"delete {was.sets[s].split(' ', 1)[0]} {t} {s}" for s in was.sets if s not in now.sets]
    lines += [f"delete table {f} {n}" for f, n in before if (f, n) not in after]
    # A chain whose spec changed (a base chain's hook or priority) is deleted first and added again.
    lines = deletes + lines
    return "\n".join(lines) + "\n" if lines else ""


def new_table_payload(family: str, name: str, table: NftTable) -> str:
    t = f"{family} {name}"
    lines = [f"add table {t} {table.spec}".rstrip()]
    lines += [f"add chain {t} {c} {spec}".rstrip() for c, spec in table.chains.items()]
    lines += [f"add {spec.split(' ', 1)[0]} {t} {spec.split(' ', 1)[1]}" for spec in table.sets.values()]
    lines += [f"add rule {t} {c} {r}" for c, rules in table.rules.items() for r in rules]
    lines += [f"add element {t} {s} {{ {e} }}" for s, es in table.elements.items() for e in es.values()]
    return "\n".join(lines)


TABLE = re.compile(r"^\s*(?:add |create )?table\s+(\S+)\s+([^\s{]+)", re.M)


def table_names(payload: str) -> list[tuple[str, str]]:
    """The tables an nft payload declares (`table ip x {` or `add table inet y`), in order, once each."""
    return list(dict.fromkeys((m[1], m[2]) for m in TABLE.finditer(payload)))


def nft_removal(old: str) -> str:
    return "".join(f"delete table {f} {t}\n" for f, t in table_names(old))


# -- ipset -------------------------------------------------------------------------------------------------

def ipsets(payload: str) -> dict[str, tuple[str, list[str]]]:
    """`create NAME …` / `add NAME MEMBER` lines → {name: (its create line, members)}."""
    sets: dict[str, tuple[str, list[str]]] = {}
    for line in payload.splitlines():
        words = line.split()
        if len(words) >= 3 and words[0] == "create":
            sets[words[1]] = (line.strip(), [])
        elif len(words) >= 3 and words[0] == "add" and words[1] in sets:
            sets[words[1]][1].append(" ".join(words[2:]))
    return sets


def ipsets_only(payload: str, exclude: Collection[str]) -> str:
    """The lines of `payload` for its sets not in `exclude`."""
    lines = []
    for name, (create, members) in ipsets(payload).items():
        if name not in exclude:
            lines += [create, *(f"add {name} {m}" for m in members)]
    return "\n".join(lines) + "\n" if lines else ""


def ipset_resync(old: str, new: str) -> str:
    before, after = ipsets(old), ipsets(new)
    lines = []
    for name, (create, members) in after.items():
        if name not in before:
            lines.append(create)
        # One member per entry (an address, a prefix): its flags (nomatch) are part of it. `del` takes the entry
        # alone and goes first, as an entry may come back with other flags.
        was = {m.split()[0]: m for m in before.get(name, ("", []))[1]}
        now = {m.split()[0]: m for m in members}
        lines += [f"del {name} {entry}" for entry, m in was.items() if now.get(entry) != m]
        lines += [f"add {name} {m}" for entry, m in now.items() if was.get(entry) != m]
    lines += [f"destroy {name}" for name in before if name not in after]
    return "\n".join(lines) + "\n" if lines else ""


def ipset_removal(old: str) -> str:
    return ipset_resync(old, "")


# -- IPVS --------------------------------------------------------------------------------------------------

def ipvs_servers(payload: str) -> dict[str, tuple[str, dict[str, str]]]:
    """`ipvsadm -S -n` text → {"-t VIP:PORT": (the -A line's options, {"RIP:PORT": the -a line's options})}."""
    services: dict[str, tuple[str, dict[str, str]]] = {}
    for line in payload.splitlines():
        words = shlex.split(line)
        if len(words) < 3 or words[1] not in ("-t", "-u"):
            continue
        service = f"{words[1]} {words[2]}"
        if words[0] == "-A":
            services[service] = (" ".join(words[3:]), services.get(service, ("", {}))[1])
        elif words[0] == "-a" and "-r" in words:
            i = words.index("-r")
            real = words[i + 1]
            options = " ".join(words[3:i] + words[i + 2:])
            services.setdefault(service, ("", {}))[1][real] = options
    return services


def ipvs_resync(old: str, new: str) -> str:
    before, after = ipvs_servers(old), ipvs_servers(new)
    lines = []
    for service, (options, reals) in after.items():
        if service not in before:
            lines.append(f"-A {service} {options}".rstrip())
        elif before[service][0] != options:
            lines.append(f"-E {service} {options}".rstrip())
        was = before.get(service, ("", {}))[1]
        lines += [f"-d {service} -r {r}" for r in was if r not in reals]
        lines += [f"-a {service} -r {r} {o}".rstrip() for r, o in reals.items() if r not in was]
        lines += [f"-e {service} -r {r} {o}".rstrip() for r, o in reals.items() if r in was and was[r] != o]
    lines += [f"-D {service}" for service in before if service not in after]
    return "\n".join(lines) + "\n" if lines else ""


def ipvs_removal(old: str) -> str:
    return ipvs_resync(old, "")


# -- by tool -----------------------------------------------------------------------------------------------

def reload(new: RuleSet) -> str:
    """The rule set loaded whole, whatever its tables hold now (a rollback that does not know how far a change
    went): its nftables tables deleted and made again in one transaction, its ipsets filled again, IPVS cleared
    and loaded."""
    if new.tool == "nft":
        tables = table_names(new.payload)
        prelude = [f"add table {f} {t}\ndelete table {f} {t}" for f, t in tables]  # `add` first: delete never fails
        return "\n".join([*prelude, new.payload.rstrip("\n")]) + "\n"
    if new.tool == "ipset":
        sets = ipsets(new.payload)
        return "".join(f"{create}\nflush {name}\n" for name, (create, _) in sets.items()) + new.payload
    return "-C\n" + new.payload  # ipvsadm


def resync(old: RuleSet, new: RuleSet) -> str:
    """The payload that changes one (non-iptables) rule set in place."""
    return {"nft": nft_resync, "ipset": ipset_resync, "ipvsadm": ipvs_resync}[new.tool](old.payload, new.payload)


def removal(old: RuleSet) -> str:
    """The payload that takes one (non-iptables) rule set out again."""
    return {"nft": nft_removal, "ipset": ipset_removal, "ipvsadm": ipvs_removal}[old.tool](old.payload)
