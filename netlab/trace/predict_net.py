"""The lab's wiring as the model trace reads it from the plan: links, addresses, routes, VTEPs and listeners.

Everything here answers a question the kernel would answer from its own tables — which route does
`ip route get` pick, which address does MASQUERADE take, behind which bridge port does an address
live, who listens on a port — using only the plan's primitives, so a prediction needs neither root
nor a running lab.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from netlab import naming
from netlab.compile.workloads import DOCKER_PROXY, ECHO
from netlab.plan import (
    VXLAN_DEFAULT_PORT, Address, Bridge, BridgePort, Dummy, FdbEntry, LinkSet, Neighbor, Plan, Process, Route, RuleSet,
    Sysctl, Veth, Vxlan,
)
from netlab.trace.rules_sim import Tables

LOOPBACK = IPv4Network("127.0.0.0/8")


@dataclass(frozen=True)
class RouteEntry:
    """One FIB entry: a plan Route, a connected route (from an Address), or a local address."""

    network: IPv4Network
    dev: str
    via: str | None = None
    onlink: bool = False
    kind: str = "unicast"  # unicast | local
    src: str | None = None  # the preferred source of a connected route

    def text(self) -> str:
        """As `ip route get fibmatch` prints the entry."""
        dst = "default" if self.network.prefixlen == 0 else str(self.network)
        if self.kind == "local":
            address = self.network.network_address
            return f"local {address} dev {self.dev} table local proto kernel scope host src {self.src}"
        if self.via is None:
            return f"{dst} dev {self.dev} proto kernel scope link src {self.src}"
        return f"{dst} via {self.via} dev {self.dev}" + (" onlink" if self.onlink else "")


@dataclass
class Space:
    """One network namespace: its links, addresses, routes, sysctls, rules and listening ports."""

    name: str  # the full netns name
    obj: str  # the lab object (node1, underlay…)
    role: str
    kinds: dict[str, str] = field(default_factory=dict)  # device → veth | bridge | vxlan | dummy
    peers: dict[str, tuple[str, str]] = field(default_factory=dict)  # veth → (peer netns, peer device)
    masters: dict[str, str] = field(default_factory=dict)  # port → bridge
    hairpin: set[str] = field(default_factory=set)
    addresses: list[tuple[str, IPv4Interface]] = field(default_factory=list)  # (device, address)
    routes: list[RouteEntry] = field(default_factory=list)
    vxlans: dict[str, Vxlan] = field(default_factory=dict)
    neighbors: dict[tuple[str, str], str] = field(default_factory=dict)  # (device, ip) → MAC
    fdb: dict[tuple[str, str], str] = field(default_factory=dict)  # (device, MAC) → remote IP
    sysctls: dict[str, str] = field(default_factory=dict)
    listeners: set[tuple[str, int]] = field(default_factory=set)  # (tcp|udp, port)
    tables: Tables = field(default_factory=Tables)
    has_rules: bool = False  # any iptables/nft payload: conntrack and netfilter hooks are live here
    user_nft: bool = False
    ipvs: dict[tuple[str, str, int], list[str]] = field(default_factory=dict)  # (proto, vip, port) → real servers

    @property
    def forwarding(self) -> bool:
        return self.sysctls.get("net.ipv4.ip_forward") == "1"

    @property
    def bridge_netfilter(self) -> bool:
        # The kernel's default is 1 in every namespace once br_netfilter is loaded (netlab's doctor checks it).
        return self.sysctls.get("net.bridge.bridge-nf-call-iptables", "1") == "1"

    def local(self) -> frozenset[str]:
        return frozenset(str(a.ip) for _, a in self.addresses) | {"127.0.0.1"}

    def is_local(self, ip: str) -> bool:
        return ip in self.local() or IPv4Address(ip) in LOOPBACK

    def holds(self, dev: str, ip: str) -> bool:
        return any(d == dev and str(a.ip) == ip for d, a in self.addresses)

    def primary(self, dev: str) -> str | None:
        """The first address on a device: what MASQUERADE and source selection take."""
        return next((str(a.ip) for d, a in self.addresses if d == dev), None)

    def source_for(self, route: RouteEntry) -> str | None:
        """The source address a socket gets for this route (the device's, else any global one)."""
        return route.src or self.primary(route.dev) or next((str(a.ip) for _, a in self.addresses), None)

    def route(self, dst: str) -> RouteEntry | None:
        """Local addresses first (table local), then the longest prefix of the main table."""
        if self.is_local(dst):
            dev = next((d for d, a in self.addresses if str(a.ip) == dst), "lo")
            return RouteEntry(IPv4Network(f"{dst}/32"), dev, kind="local", src=dst)
        address = IPv4Address(dst)
        best = [r for r in self.routes if address in r.network]
        return max(best, key=lambda r: r.network.prefixlen) if best else None

    def ports(self, bridge: str) -> list[str]:
        return [port for port, master in self.masters.items() if master == bridge]


class Wiring:
    """Every namespace of a plan, and how their links join them."""

    def __init__(self, plan: Plan) -> None:
        self.lab = plan.lab
        self.spaces: dict[str, Space] = {}
        for ns in plan.namespaces():
            obj = naming.split_netns(ns.name)
            self.spaces[ns.name] = Space(ns.name, obj[1] if obj else ns.name, ns.role)
        for step in plan.steps:
            self._read(step)
        for space in self.spaces.values():
            for dev, address in space.addresses:
                # A /32 (flannel.1's) makes no connected route; the kernel adds one for every wider prefix.
                if address.network.prefixlen < 32:
                    space.routes.append(RouteEntry(address.network, dev, src=str(address.ip)))

    def _read(self, step: object) -> None:
        space = self.spaces.get(getattr(step, "netns", ""))
        if space is None:
            return
        if isinstance(step, Veth):
            space.kinds[step.name] = "veth"
            space.peers[step.name] = (step.peer_netns, step.peer_name)
            peer = self.spaces[step.peer_netns]
            peer.kinds[step.peer_name] = "veth"
            peer.peers[step.peer_name] = (step.netns, step.name)
        elif isinstance(step, Bridge | Dummy):
            space.kinds[step.name] = step.kind
        elif isinstance(step, Vxlan):
            space.kinds[step.name] = "vxlan"
            space.vxlans[step.name] = step
        elif isinstance(step, LinkSet) and step.master:
            space.masters[step.name] = step.master
        elif isinstance(step, Address):
            space.addresses.append((step.dev, IPv4Interface(step.cidr)))
        elif isinstance(step, Route):
            network = IPv4Network("0.0.0.0/0" if step.dst == "default" else step.dst)
            space.routes.append(RouteEntry(network, step.dev, step.via, step.onlink))
        elif isinstance(step, Neighbor):
            space.neighbors[(step.dev, step.ip)] = step.mac
        elif isinstance(step, FdbEntry):
            space.fdb[(step.dev, step.mac)] = step.dst
        elif isinstance(step, Sysctl):
            space.sysctls[step.key_name] = step.value
        elif isinstance(step, Process):
            space.listeners |= listening(step)
        elif isinstance(step, RuleSet):
            self._rules(space, step)
        elif isinstance(step, BridgePort) and step.hairpin:
            space.hairpin.add(step.name)

    @staticmethod
    def _rules(space: Space, step: RuleSet) -> None:
        if step.tool == "iptables":
            space.tables.restore(step.payload)
        elif step.tool == "ipset":
            space.tables.load_ipsets(step.payload)
        elif step.tool == "ipvsadm":
            space.ipvs.update(ipvs_services(step.payload))
        elif step.tool == "nft" and step.origin == "user":
            space.user_nft = True
        space.has_rules = True

    def space(self, netns: str) -> Space:
        return self.spaces[netns]

    def owner(self, netns: str, dev: str, ip: str, seen: frozenset[tuple[str, str]] = frozenset()) -> bool:
        """Does the frame leaving `dev` (a veth or a bridge) reach a device that holds `ip` (ARP answered)?"""
        space = self.spaces[netns]
        if space.kinds.get(dev) == "bridge":
            return space.holds(dev, ip) or any(self.owner(netns, p, ip, seen | {(netns, dev)})
                                               for p in space.ports(dev) if (netns, p) not in seen)
        peer = space.peers.get(dev)
        if peer is None or peer in seen:
            return False
        far = self.spaces[peer[0]]
        bridge = far.masters.get(peer[1])
        if bridge is None:
            return far.is_local(ip)  # arp_ignore=0: a host answers for any of its addresses
        return self.owner(peer[0], bridge, ip, seen | {(netns, dev), peer})

    def port_towards(self, netns: str, bridge: str, ip: str, ingress: str | None) -> str | None:
        """The bridge port behind which `ip` lives (the one its FDB learned the MAC on)."""
        space = self.spaces[netns]
        for port in space.ports(bridge):
            if port == ingress and port not in space.hairpin:
                continue
            if self.owner(netns, port, ip, frozenset({(netns, bridge)})):
                return port
        return None

    def vtep_for(self, netns: str, outer_dst: str, dport: int, vni: int) -> str | None:
        """The VXLAN device that takes in a UDP datagram to one of this namespace's addresses."""
        space = self.spaces[netns]
        if not space.is_local(outer_dst):
            return None
        return next((name for name, vx in space.vxlans.items()
                     if vx.vni == vni and (vx.port or VXLAN_DEFAULT_PORT) == dport), None)


def listening(step: Process) -> set[tuple[str, int]]:
    """The ports an echo server (`--http 80 --udp 53`) or a docker-proxy (`-proto tcp -host-port 8080`) binds."""
    args = list(step.args)
    found: set[tuple[str, int]] = set()
    if step.module == ECHO:
        for flag, value in zip(args, args[1:], strict=False):
            if flag in ("--http", "--tcp", "--udp"):
                found.add(("udp" if flag == "--udp" else "tcp", int(value)))
    elif step.module == DOCKER_PROXY and "-proto" in args and "-host-port" in args:
        found.add((args[args.index("-proto") + 1], int(args[args.index("-host-port") + 1])))
    return found


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
