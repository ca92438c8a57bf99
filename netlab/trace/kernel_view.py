"""The live kernel questions a trace asks afterwards: which route matched, which rule is handle N, what
conntrack remembers. Each is asked inside one lab namespace, and the answers are cached per trace engine."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network
from typing import Any

from pyroute2 import IPRoute
from pyroute2.netlink.exceptions import NetlinkError

from netlab.kernel import netns as netns_mod
from netlab.plan import nexthops_text, protocol_name
from netlab.trace import rules
from netlab.trace.model import RuleRef

RTM_F_FIB_MATCH = 0x2000  # `ip route get fibmatch`: the FIB entry, not the resolved route
RTNH_F_ONLINK = 4
RTN_LOCAL = 2
RTN_BLACKHOLE = 6
RT_SCOPE_LINK = 253


class KernelView:
    def __init__(self, objects: dict[str, str]) -> None:
        self.objects = objects  # full netns name → lab object name
        self._routers: dict[str, IPRoute] = {}
        self._rules: dict[tuple[str, str, str], dict[tuple[str, int], str]] = {}

    def _ipr(self, netns: str) -> IPRoute:
        if netns not in self._routers:
            with netns_mod.inside(netns):
                self._routers[netns] = IPRoute()
        return self._routers[netns]

    def route(self, netns: str, dst: str, src: str | None = None, iif: str | None = None) -> str | None:
        """The route entry a packet to `dst` matches — `ip route get fibmatch DST [from SRC iif IIF]`.
        None when nothing matches (the kernel answers "Network is unreachable")."""
        ipr = self._ipr(netns)
        args: dict[str, Any] = {"dst": dst}
        if iif is not None and src is not None:
            index = ipr.link_lookup(ifname=iif)
            if index:
                args.update(src=src, iif=index[0])
        try:
            entry = ipr.route("get", flags=RTM_F_FIB_MATCH, **args)[0]
        except NetlinkError:
            return self._blackhole(ipr, dst)  # a lookup that ends in a blackhole route fails (EINVAL)
        dev = self.link_name(ipr, entry.get_attr("RTA_OIF"))
        prefix = f"{entry.get_attr('RTA_DST')}/{entry['dst_len']}" if entry["dst_len"] else "default"
        if entry["type"] == RTN_LOCAL:
            return f"local {entry.get_attr('RTA_DST')} dev {dev} table local"
        name = protocol_name(entry["proto"])  # who put it there: BIRD (bird), felix (80)…
        tail = (f" proto {name}" if name and name != "kernel" else "")
        metric = entry.get_attr("RTA_PRIORITY")
        if entry["type"] == RTN_BLACKHOLE:
            return f"blackhole {prefix}{tail}" + (f" metric {metric}" if metric else "")
        hops = entry.get_attr("RTA_MULTIPATH")
        if hops:  # ECMP (`nexthop via … dev … weight 1` each), as zebra installs a route bgpd learnt several times
            return f"{prefix}{tail}" + (f" metric {metric}" if metric else "") + " " + nexthops_text(
                (hop.get_attr("RTA_GATEWAY"), self.link_name(ipr, hop["oif"]), hop["hops"] + 1) for hop in hops)
        gateway = entry.get_attr("RTA_GATEWAY")
        if not gateway and entry["scope"] == RT_SCOPE_LINK:
            tail += " scope link"
        text = f"{prefix}" + (f" via {gateway}" if gateway else "") + f" dev {dev}{tail}"
        text += f" metric {metric}" if metric else ""
        return text + (" onlink" if entry["flags"] & RTNH_F_ONLINK else "")

    @staticmethod
    def link_name(ipr: IPRoute, index: int | None) -> str:
        links = ipr.get_links(index) if index else []
        return str(links[0].get_attr("IFLA_IFNAME")) if links else "?"

    def neighbour(self, netns: str, dev: str, ip: str) -> str | None:
        """The MAC the namespace's neighbour table holds for `ip` on `dev` (`ip neigh show IP dev DEV`)."""
        ipr = self._ipr(netns)
        index = ipr.link_lookup(ifname=dev)
        if not index:
            return None
        for entry in ipr.get_neighbours(family=2, ifindex=index[0], dst=ip):
            mac: str | None = entry.get_attr("NDA_LLADDR")
            if mac:
                return mac
        return None

    def _blackhole(self, ipr: IPRoute, dst: str) -> str | None:
        """The most specific blackhole route holding `dst` (a Calico node's own block), as `ip route` shows it."""
        address = IPv4Address(dst)
        best = None
        for entry in ipr.get_routes(family=2, table=254):
            if entry["type"] != RTN_BLACKHOLE:
                continue
            network = IPv4Network(f"{entry.get_attr('RTA_DST') or '0.0.0.0'}/{entry['dst_len']}")
            if address in network and (best is None or network.prefixlen > best[0].prefixlen):
                best = (network, entry)
        if best is None:
            return None
        name = protocol_name(best[1]["proto"])
        return f"blackhole {best[0]}" + (f" proto {name}" if name else "")

    def rule(self, netns: str, family: str, table: str, chain: str, handle: int | None) -> RuleRef:
        key = (netns, family, table)
        if key not in self._rules:
            self._rules[key] = rules.rule_texts(netns, family, table)
        text = self._rules[key].get((chain, handle or -1), f"policy of chain {chain}" if handle is None else "?")
        return RuleRef(self.objects.get(netns, netns), family, table, chain, handle, text)

    def close(self) -> None:
        for ipr in self._routers.values():
            ipr.close()
        self._routers.clear()
