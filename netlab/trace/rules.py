"""Rule text for the rules a trace names: what `iptables-save` or `nft -a list table` prints for them.

A trace event names a rule by table, chain and handle. Tables that iptables-nft manages (nat, filter,
mangle, raw) are shown as `iptables-save` prints them — that is how kube-proxy, Docker and flannel
wrote them and how a student will look for them — by matching the n-th rule of a chain in both
listings. kube-proxy's nftables table and hand-written nft tables are shown as nft prints them.
"""

from __future__ import annotations

import re

from netlab.kernel import netns as netns_mod

CHAIN_LINE = re.compile(r"^\s*chain (\S+) \{")
RULE_LINE = re.compile(r"^\s*(.*?)\s*# handle (\d+)$")
IPTABLES_NFT_MARK = "managed by iptables-nft"


def rule_texts(netns: str, family: str, table: str) -> dict[tuple[str, int], str]:
    """(chain, handle) → rule text for one table of one namespace."""
    listing = netns_mod.run(netns, ["nft", "-a", "list", "table", family, table])
    if listing.returncode != 0:
        return {}
    by_chain = nft_rules(listing.stdout)
    texts = {(chain, handle): text for chain, rules in by_chain.items() for handle, text in rules}
    if family == "ip" and IPTABLES_NFT_MARK in listing.stdout + listing.stderr:
        saved = netns_mod.run(netns, ["iptables-nft-save", "-t", table])  # the nft backend's, whatever `iptables` is
        if saved.returncode == 0:
            texts.update(match_iptables(by_chain, saved.stdout))
    return texts


def nft_rules(listing: str) -> dict[str, list[tuple[int, str]]]:
    """Each chain's rules, in order, as (handle, text), from `nft -a list table` output."""
    chains: dict[str, list[tuple[int, str]]] = {}
    chain = None
    for line in listing.splitlines():
        if m := CHAIN_LINE.match(line):
            chain = m.group(1)
            chains[chain] = []
        elif chain and (m := RULE_LINE.match(line)) and not line.strip().startswith("chain"):
            text = re.sub(r"\s+", " ", re.sub(r"counter packets \d+ bytes \d+ ?", "", m.group(1))).strip()
            chains[chain].append((int(m.group(2)), text))
    return chains


def match_iptables(by_chain: dict[str, list[tuple[int, str]]], saved: str) -> dict[tuple[str, int], str]:
    """Pairs the n-th `-A CHAIN` line of iptables-save with the n-th rule nft lists in that chain."""
    lines: dict[str, list[str]] = {}
    for line in saved.splitlines():
        if line.startswith("-A "):
            lines.setdefault(line.split()[1], []).append(line)
    texts = {}
    for chain, rules in by_chain.items():
        if rules and len(lines.get(chain, [])) == len(rules):
            texts.update({(chain, handle): text for (handle, _), text in zip(rules, lines[chain], strict=True)})
    return texts
