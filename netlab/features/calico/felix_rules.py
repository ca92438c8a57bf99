"""felix's iptables rules, written as felix writes them: each rule carries `cali:<hash>`, and the hash is felix's.

felix (felix/generictables/rules.go RuleHashes) hashes a chain's rules in order: SHA-224 of the chain's name, then
for each rule SHA-224 of the previous digest and the rule as felix renders it with the word HASH for its own
comment (`-A cali-POSTROUTING HASH --jump cali-fip-snat`), base64url, 16 characters. Rules felix inserts into a
built-in chain hash under the built-in's name; rules it appends there, under `<name>*appends*`. felix finds its
rules again by that hash alone, so netlab writes the rule text in felix's own words and iptables-save shows it
in its usual form (`-j` for `--jump`).

This module holds the nat table (felix/rules/static.go, nat.go): the hooks, cali-PREROUTING/OUTPUT/POSTROUTING,
the floating-IP chains (empty: no floating IPs), cali-nat-outgoing for a pool with natOutgoing, and the
masquerade of traffic a node sends from its own address into its tunnel. The sets it matches are hash:net
ipsets of the pools (masq_mgr.go), named as at Calico v3.32.1.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from netlab.features.calico.model import CalicoConfig

HASH_LENGTH = 16
MASQ_POOLS = "cali40masq-ipam-pools"  # the pools with natOutgoing
ALL_POOLS = "cali40network-ip-pools"  # every pool: traffic between pods is never masqueraded


def rule_hashes(chain: str, rules: list[str]) -> list[str]:
    """felix's `cali:` hash of each rule of `chain` (rules as felix renders them, without its hash comment)."""
    digest = hashlib.sha224(chain.encode()).digest()
    hashes = []
    for rule in rules:
        digest = hashlib.sha224(digest + f"-A {chain} HASH{' ' + rule if rule else ''}".encode()).digest()
        hashes.append(base64.urlsafe_b64encode(digest).decode()[:HASH_LENGTH])
    return hashes


@dataclass(frozen=True)
class Chain:
    name: str
    rules: tuple[str, ...] = ()

    def lines(self, *, insert: bool = False, append: bool = False) -> list[str]:
        """`-A` lines (or `-I NAME N` for felix's rules at the top of a built-in chain)."""
        key = f"{self.name}*appends*" if append else self.name
        out = []
        for i, (rule, hashed) in enumerate(zip(self.rules, rule_hashes(key, list(self.rules)), strict=True)):
            head = f"-I {self.name} {i + 1}" if insert else f"-A {self.name}"
            out.append(f'{head} -m comment --comment "cali:{hashed}" {rule}'.rstrip())
        return out


def nat_payload(config: CalicoConfig, tunnel: str | None) -> str:
    postrouting = ["--jump cali-fip-snat", "--jump cali-nat-outgoing"]
    if tunnel:  # a node's own traffic into the tunnel leaves from its tunnel address, so replies come back in it
        postrouting.append(f"--out-interface {tunnel} -m addrtype ! --src-type LOCAL --limit-iface-out "
                           "-m addrtype --src-type LOCAL --jump MASQUERADE --random-fully")
    outgoing = [f"-m set --match-set {MASQ_POOLS} src -m set ! --match-set {ALL_POOLS} dst "
                "--jump MASQUERADE --random-fully"] if config.nat_outgoing else []
    own = [Chain("cali-PREROUTING", ("--jump cali-fip-dnat",)), Chain("cali-OUTPUT", ("--jump cali-fip-dnat",)),
           Chain("cali-POSTROUTING", tuple(postrouting)), Chain("cali-fip-dnat"), Chain("cali-fip-snat"),
           Chain("cali-nat-outgoing", tuple(outgoing))]
    lines = ["*nat", *(f":{c.name} - [0:0]" for c in own),
             *Chain("PREROUTING", ("--jump cali-PREROUTING",)).lines(insert=True),
             *Chain("OUTPUT", ("--jump cali-OUTPUT",)).lines(insert=True),
             *Chain("POSTROUTING", ("--jump cali-POSTROUTING",)).lines(append=True)]
    for chain in own:
        lines += chain.lines()
    return "\n".join([*lines, "COMMIT", ""])


def pool_sets(config: CalicoConfig, pool: str) -> str:
    """The pools as felix's ipsets (an `ipset restore` payload)."""
    sets = [ALL_POOLS] + ([MASQ_POOLS] if config.nat_outgoing else [])
    lines = []
    for name in sorted(sets):
        lines += [f"create {name} hash:net family inet hashsize 1024 maxelem 1048576", f"add {name} {pool}"]
    return "\n".join(lines) + "\n"
