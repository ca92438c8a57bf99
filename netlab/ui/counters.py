"""Rule counters of one lab member, as `iptables -L -v -n` and `nft list ruleset` show them: every chain with
its rules, and how many packets and bytes each rule has matched — so a student sees KUBE-SEP counters split.

Read-only: `iptables-save -c` (the lab's iptables tool) and `nft list ruleset` inside the member's namespace.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from typing import Any

from netlab.kernel import netns
from netlab.plan import Plan, RuleSet

COUNTED = re.compile(r"^\[(\d+):(\d+)\] -A (\S+) (.*)$")
POLICY = re.compile(r"^:(\S+) (\S+) \[(\d+):(\d+)\]$")
NFT_COUNTER = re.compile(r"\bcounter packets (\d+) bytes (\d+)")
TABLE_ORDER = {"raw": 0, "mangle": 1, "nat": 2, "filter": 3}
IPTABLES_TABLES = {f"{family} {name}" for family in ("ip", "ip6") for name in ("raw", "mangle", "nat", "filter",
                                                                               "security")}


@dataclass
class Rule:
    text: str  # the rule as iptables-save (without -A CHAIN) or nft prints it
    packets: int | None = None  # None: the rule has no counter (an nft rule without `counter`)
    bytes: int | None = None


@dataclass
class Chain:
    name: str
    policy: str = ""  # ACCEPT/DROP for a built-in chain, "" for a user chain
    packets: int | None = None  # the policy's counter
    bytes: int | None = None
    rules: list[Rule] = field(default_factory=list)


@dataclass
class Table:
    tool: str  # iptables-nft | iptables-legacy | nft
    name: str  # nat, filter… or "ip kube-proxy" for nft
    chains: list[Chain] = field(default_factory=list)


def iptables_tool(plan: Plan, ns: str) -> str | None:
    """The iptables tool the lab loads into `ns` with (None: no iptables rules there)."""
    tools = [s.tool for s in plan.steps if isinstance(s, RuleSet) and s.is_iptables and s.netns == ns]
    return tools[0] if tools else None


def read(plan: Plan, ns: str) -> list[Table]:
    """The member's tables with their counters: iptables' (if the lab writes any there) and nftables' own."""
    tables: list[Table] = []
    tool = iptables_tool(plan, ns)
    if tool is not None:
        tables += parse_iptables_save(tool, netns.run_tool(ns, [f"{tool}-save", "-c"], timeout=5).stdout)
    if shutil.which("nft"):
        nft = parse_nft(netns.run_tool(ns, ["nft", "list", "ruleset"], timeout=5).stdout)
        # iptables-nft's tables are nftables tables too: iptables-save has shown them already, as students know them
        tables += [t for t in nft if tool is None or t.name not in IPTABLES_TABLES]
    return tables


def parse_iptables_save(tool: str, text: str) -> list[Table]:
    tables: list[Table] = []
    chains: dict[str, Chain] = {}
    for line in text.splitlines():
        if line.startswith("*"):
            chains = {}
            tables.append(Table(tool, line[1:].strip()))
        elif tables and (m := POLICY.match(line)):
            name, policy, packets, size = m.groups()
            chains[name] = Chain(name, "" if policy == "-" else policy,
                                 None if policy == "-" else int(packets), None if policy == "-" else int(size))
            tables[-1].chains.append(chains[name])
        elif tables and (m := COUNTED.match(line)):
            packets, size, name, rule = m.groups()
            chain = chains.get(name)
            if chain is None:
                chain = chains[name] = Chain(name)
                tables[-1].chains.append(chain)
            chain.rules.append(Rule(rule, int(packets), int(size)))
    return sorted(tables, key=lambda t: TABLE_ORDER.get(t.name, 9))


def parse_nft(text: str) -> list[Table]:
    """Every table of `nft list ruleset`, with the counters of the rules that have a `counter`."""
    tables: list[Table] = []
    table: Table | None = None
    chain: Chain | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if raw.startswith("table "):
            table = Table("nft", line.removeprefix("table ").removesuffix(" {").strip())
            tables.append(table)
            chain = None
        elif table is None or not line:
            continue
        elif line.startswith("chain "):
            chain = Chain(line.removeprefix("chain ").removesuffix(" {").strip())
            table.chains.append(chain)
        elif chain is not None and line == "}":
            chain = None
        elif chain is not None:
            if line.startswith("type ") and "hook" in line:
                chain.policy = line.rstrip(";")
                continue
            m = NFT_COUNTER.search(line)
            chain.rules.append(Rule(line, int(m.group(1)) if m else None, int(m.group(2)) if m else None))
    return [t for t in tables if t.chains]


def as_dict(tables: list[Table]) -> list[dict[str, Any]]:
    from dataclasses import asdict
    return [asdict(t) for t in tables]
