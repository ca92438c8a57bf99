"""Reads a namespace's live state back through netlink: links, addresses, routes, rules, sysctls.

Used by `status` to find drift and by the kernel tests to compare what two builds produced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pyroute2 import IPRoute

from netlab.kernel import netns

IFF_UP = 0x1
MAIN_TABLE = 254


@dataclass(frozen=True)
class LinkInfo:
    name: str
    kind: str
    mtu: int
    up: bool
    master: str | None
    alias: str | None


@dataclass
class NetnsSnapshot:
    name: str
    links: dict[str, LinkInfo] = field(default_factory=dict)
    addresses: set[tuple[str, str]] = field(default_factory=set)  # (dev, cidr)
    routes: set[tuple[str, str | None, str | None]] = field(default_factory=set)  # (dst, via, dev)


@dataclass(frozen=True)
class KernelRoute:
    """One route of a namespace's main table, as `ip route` would show it."""
    dst: str  # CIDR, or "default"
    protocol: int
    blackhole: bool
    via: str | None
    dev: str | None
    nexthops: tuple[str, ...]  # ECMP: the gateways, sorted


RTN_BLACKHOLE = 6


def main_routes(name: str) -> list[KernelRoute]:
    """The namespace's main table, read over netlink from inside it (no `ip` process: a wait polls this)."""
    with netns.inside(name):
        ipr = IPRoute()
    with ipr:
        names = {m["index"]: m.get_attr("IFLA_IFNAME") for m in ipr.get_links()}
        found = []
        for msg in ipr.get_routes(family=2, table=MAIN_TABLE):
            dst = msg.get_attr("RTA_DST")
            hops = msg.get_attr("RTA_MULTIPATH") or []
            found.append(KernelRoute(f"{dst}/{msg['dst_len']}" if dst else "default", msg["proto"],
                                     msg["type"] == RTN_BLACKHOLE, msg.get_attr("RTA_GATEWAY"),
                                     names.get(msg.get_attr("RTA_OIF")),
                                     tuple(sorted(h.get_attr("RTA_GATEWAY") for h in hops))))
        return found


def snapshot(name: str) -> NetnsSnapshot:
    snap = NetnsSnapshot(name)
    with netns.inside(name):
        ipr = IPRoute()
    with ipr:
        names = read_links(ipr, snap)
        for msg in ipr.get_addr(family=2):
            snap.addresses.add((names.get(msg["index"], "?"), f"{msg.get_attr('IFA_ADDRESS')}/{msg['prefixlen']}"))
        for msg in ipr.get_routes(family=2, table=MAIN_TABLE):
            dst = msg.get_attr("RTA_DST")
            dst_text = f"{dst}/{msg['dst_len']}" if dst else "default"
            hops = msg.get_attr("RTA_MULTIPATH") or [msg]  # ECMP: one entry per next hop
            for hop in hops:
                oif = hop["oif"] if "oif" in hop else hop.get_attr("RTA_OIF")
                snap.routes.add((dst_text, hop.get_attr("RTA_GATEWAY"), names.get(oif)))
    return snap


def read_links(ipr: Any, snap: NetnsSnapshot) -> dict[int, str]:
    """Fills snap.links; returns ifindex → name for the addresses and routes."""
    msgs = list(ipr.get_links())
    names: dict[int, str] = {m["index"]: m.get_attr("IFLA_IFNAME") for m in msgs}
    for m in msgs:
        info = m.get_attr("IFLA_LINKINFO")
        kind = info.get_attr("IFLA_INFO_KIND") if info else None
        name = m.get_attr("IFLA_IFNAME")
        snap.links[name] = LinkInfo(
            name=name, kind=kind or ("loopback" if name == "lo" else "other"), mtu=m.get_attr("IFLA_MTU"),
            up=bool(m["flags"] & IFF_UP), master=names.get(m.get_attr("IFLA_MASTER") or -1),
            alias=m.get_attr("IFLA_IFALIAS"))
    return names


def read_sysctl(name: str, key: str) -> str | None:
    try:
        with netns.inside(name), open("/proc/sys/" + key.replace(".", "/")) as f:
            return f.read().strip()
    except OSError:
        return None


def iptables_save(name: str, table: str | None = None, tool: str = "iptables") -> str:
    """`iptables-save` (or `iptables-nft-save`, `iptables-legacy-save`: TOOL-save) inside the namespace, without
    comment lines (they hold a timestamp) or counters."""
    out = netns.run(name, [f"{tool}-save"] + (["-t", table] if table else [])).stdout
    # Packet counters are traffic, not configuration: zero them so two saves of one rule set compare equal.
    lines = (COUNTERS.sub("[0:0]", line) for line in out.splitlines() if not line.startswith("#"))
    return "\n".join(lines) + "\n"


COUNTERS = re.compile(r"\[\d+:\d+\]")
