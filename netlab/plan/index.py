"""One index over a plan: each namespace with its links, addresses, routes, neighbours, sysctls, rule sets,
daemons and files, and how the links join the namespaces.

Every reader of a plan asks it rather than walking the steps: the model trace (which route does `ip route get`
pick, behind which bridge port does an address live, who listens on a port), the diagram, `status`, the tracer
and the machine checks. Pure: it needs the plan only, no root and no running lab.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from netlab import naming
from netlab.plan.steps import (
    VXLAN_DEFAULT_PORT, Address, ArpAnswer, Bridge, BridgePort, Daemon, Dummy, FdbEntry, IpipTunnel, LinkSet, Neighbor,
    Netns, NetnsFile, nexthops_text, protocol_name, Route, RuleSet, Step, Sysctl, Veth, Vxlan,
)

LOOPBACK = IPv4Network("127.0.0.0/8")


@dataclass(frozen=True)
class RouteEntry:
    """One FIB entry: a plan Route, a connected route (from an Address), or a local address."""

    network: IPv4Network
    dev: str
    via: str | None = None
    onlink: bool = False
    kind: str = "unicast"  # unicast | local | blackhole
    src: str | None = None  # the preferred source of a connected route
    protocol: str | None = None  # as `ip route` prints it: bird (BIRD's, from BGP), 80 (felix's)…
    metric: int = 0
    nexthops: tuple[str, ...] = ()  # ECMP: the kernel hashes a flow to one of them; the model follows `via`

    def text(self) -> str:
        """As `ip route get fibmatch` prints the entry."""
        dst = "default" if self.network.prefixlen == 0 else str(self.network)
        proto = f" proto {self.protocol}" if self.protocol else ""
        metric = f" metric {self.metric}" if self.metric else ""
        if self.kind == "blackhole":
            return f"blackhole {dst}{proto}{metric}"
        if self.kind == "local":
            address = self.network.network_address
            return f"local {address} dev {self.dev} table local proto kernel scope host src {self.src}"
        if self.nexthops:
            return f"{dst}{proto}{metric} " + nexthops_text((hop, self.dev, 1) for hop in self.nexthops)
        if self.via is None and self.src is not None:  # a connected route, from an address
            return f"{dst} dev {self.dev} proto kernel scope link src {self.src}"
        if self.via is None:
            return f"{dst} dev {self.dev}{proto} scope link{metric}"
        return f"{dst} via {self.via} dev {self.dev}{proto}{metric}" + (" onlink" if self.onlink else "")


@dataclass
class Space:
    """One network namespace of the plan, with everything the plan puts in it."""

    name: str  # the full netns name
    obj: str  # the lab object (node1, underlay…)
    role: str  # node | pod | host | underlay | internet
    host: str = ""  # a pod's node
    kinds: dict[str, str] = field(default_factory=dict)  # device → veth | bridge | vxlan | dummy
    peers: dict[str, tuple[str, str]] = field(default_factory=dict)  # veth → (peer netns, peer device)
    masters: dict[str, str] = field(default_factory=dict)  # port → bridge
    down: set[str] = field(default_factory=set)  # devices left down (kube-ipvs0)
    mtus: dict[str, int] = field(default_factory=dict)
    hairpin: set[str] = field(default_factory=set)
    addresses: list[tuple[str, IPv4Interface]] = field(default_factory=list)  # (device, address)
    routes: list[RouteEntry] = field(default_factory=list)
    vxlans: dict[str, Vxlan] = field(default_factory=dict)
    neighbors: dict[tuple[str, str], str] = field(default_factory=dict)  # (device, ip) → MAC
    fdb: dict[tuple[str, str], str] = field(default_factory=dict)  # (device, MAC) → remote IP
    sysctls: dict[str, str] = field(default_factory=dict)
    rulesets: list[RuleSet] = field(default_factory=list)  # in the order they are loaded
    daemons: list[Daemon] = field(default_factory=list)
    files: list[NetnsFile] = field(default_factory=list)
    arp_answers: dict[tuple[str, str], str] = field(default_factory=dict)  # (device, ip) → the daemon answering

    @property
    def forwarding(self) -> bool:
        return self.sysctls.get("net.ipv4.ip_forward") == "1"

    @property
    def bridge_netfilter(self) -> bool:
        # The kernel's default is 1 in every namespace once br_netfilter is loaded (netlab's doctor checks it).
        return self.sysctls.get("net.bridge.bridge-nf-call-iptables", "1") == "1"

    @property
    def has_rules(self) -> bool:
        """Any rule set here: conntrack and the netfilter hooks are at work in this namespace."""
        return bool(self.rulesets)

    @cached_property
    def listeners(self) -> frozenset[tuple[str, int]]:
        """(tcp|udp, port) that some daemon here listens on."""
        return frozenset(p for d in self.daemons for p in d.listens())

    def proxies_arp(self, dev: str, ip: str) -> bool:
        """Linux's proxy ARP: with proxy_arp on `dev`, it answers for an address it routes out of another device."""
        settings = (self.sysctls.get(f"net.ipv4.conf.{dev}.proxy_arp"), self.sysctls.get("net.ipv4.conf.all.proxy_arp"))
        if "1" not in settings:
            return False
        route = self.route(ip)
        return route is not None and route.kind == "unicast" and route.dev != dev

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

    def addresses_of(self, dev: str) -> list[str]:
        return [str(a) for d, a in self.addresses if d == dev]


class PlanIndex:
    """Every namespace of a plan, and how their links join them."""

    def __init__(self, steps: tuple[Step, ...] | list[Step], lab: str) -> None:
        self.lab = lab
        self.spaces: dict[str, Space] = {}
        self.kinds: set[type] = set()
        for step in steps:
            self.kinds.add(type(step))
            if isinstance(step, Netns):
                obj = naming.split_netns(step.name)
                self.spaces[step.name] = Space(step.name, obj[1] if obj else step.name, step.role, step.host)
            else:
                self._read(step)
        for space in self.spaces.values():
            for dev, address in space.addresses:
                # A /32 (flannel.1's) makes no connected route; the kernel adds one for every wider prefix.
                if address.network.prefixlen < 32:
                    space.routes.append(RouteEntry(address.network, dev, src=str(address.ip)))

    def _read(self, step: Step) -> None:
        space = self.spaces.get(getattr(step, "netns", ""))
        if space is None:
            return
        if isinstance(step, Veth):
            space.kinds[step.name], space.mtus[step.name] = "veth", step.mtu
            space.peers[step.name] = (step.peer_netns, step.peer_name)
            peer = self.spaces[step.peer_netns]
            peer.kinds[step.peer_name], peer.mtus[step.peer_name] = "veth", step.mtu
            peer.peers[step.peer_name] = (step.netns, step.name)
        elif isinstance(step, Bridge):
            space.kinds[step.name], space.mtus[step.name] = "bridge", step.mtu
        elif isinstance(step, Dummy):
            space.kinds[step.name] = "dummy"
        elif isinstance(step, IpipTunnel):
            space.kinds[step.name], space.mtus[step.name] = "ipip", step.mtu
        elif isinstance(step, Vxlan):
            space.kinds[step.name], space.mtus[step.name] = "vxlan", step.mtu
            space.vxlans[step.name] = step
        elif isinstance(step, LinkSet):
            if step.master:
                space.masters[step.name] = step.master
            if not step.up:
                space.down.add(step.name)
        elif isinstance(step, Address):
            space.addresses.append((step.dev, IPv4Interface(step.cidr)))
        elif isinstance(step, Route):
            network = IPv4Network("0.0.0.0/0" if step.dst == "default" else step.dst)
            space.routes.append(RouteEntry(network, step.dev, step.via, step.onlink,
                                           "blackhole" if step.blackhole else "unicast",
                                           protocol=protocol_name(step.protocol), metric=step.metric,
                                           nexthops=step.nexthops))
        elif isinstance(step, Neighbor):
            space.neighbors[(step.dev, step.ip)] = step.mac
        elif isinstance(step, FdbEntry):
            space.fdb[(step.dev, step.mac)] = step.dst
        elif isinstance(step, Sysctl):
            space.sysctls[step.key_name] = step.value
        elif isinstance(step, Daemon):
            space.daemons.append(step)
        elif isinstance(step, RuleSet):
            space.rulesets.append(step)
        elif isinstance(step, NetnsFile):
            space.files.append(step)
        elif isinstance(step, ArpAnswer):
            space.arp_answers[(step.dev, step.ip)] = step.daemon
        elif isinstance(step, BridgePort) and step.hairpin:
            space.hairpin.add(step.name)

    # -- lookups ------------------------------------------------------------------------------------------

    def space(self, netns: str) -> Space:
        return self.spaces[netns]

    def of(self, obj: str) -> Space | None:
        """The namespace of a lab object (a pod, node, host, `underlay` or `internet`)."""
        return self.spaces.get(naming.netns(self.lab, obj))

    @cached_property
    def objects(self) -> dict[str, str]:
        """netns → lab object."""
        return {name: space.obj for name, space in self.spaces.items()}

    def tools(self) -> set[str]:
        """The rule loaders the plan uses (iptables, nft, ipset, ipvsadm)."""
        return {r.tool for s in self.spaces.values() for r in s.rulesets}

    def daemons(self) -> list[Daemon]:
        return [d for s in self.spaces.values() for d in s.daemons]

    def bridge_ports(self) -> dict[tuple[str, str], str]:
        """(lab object, interface) → the bridge it is plugged into."""
        return {(s.obj, port): bridge for s in self.spaces.values() for port, bridge in s.masters.items()
                if s.kinds.get(bridge) == "bridge"}

    def interface_labels(self) -> dict[tuple[str, str], str]:
        """(lab object, interface) → the object on the other end of its veth, for the host side of each veth."""
        labels = {}
        for space in self.spaces.values():
            for dev, (peer_ns, _) in space.peers.items():
                peer = self.objects.get(peer_ns, peer_ns)
                if dev not in ("eth0", peer):
                    labels[(space.obj, dev)] = peer
        return labels

    # -- how links join namespaces -------------------------------------------------------------------------

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
        if bridge is None:  # arp_ignore=0: a host answers for any of its addresses, and by proxy for more
            return far.is_local(ip) or far.proxies_arp(peer[1], ip) or (peer[1], ip) in far.arp_answers
        return self.owner(peer[0], bridge, ip, seen | {(netns, dev), peer})

    def proxy_arp_answer(self, netns: str, dev: str, ip: str) -> str | None:
        """Who answers the ARP for `ip` out of `dev` by proxy (Calico's node, for its pods' 169.254.1.1)."""
        peer = self.spaces[netns].peers.get(dev)
        if peer is None:
            return None
        far = self.spaces[peer[0]]
        if far.is_local(ip) or not far.proxies_arp(peer[1], ip):
            return None
        return f"{far.obj} answers ARP for {ip} on {peer[1]} by proxy (proxy_arp: it routes {ip} out of another " \
               f"interface)"

    def announced_answer(self, ip: str) -> str | None:
        """Who answers ARP for `ip` with no interface holding it (MetalLB's speaker), as the trace says it."""
        for space in self.spaces.values():
            for (dev, answered), daemon in space.arp_answers.items():
                if answered == ip:
                    return f"{daemon} on {space.obj} answers ARP for {ip} on {dev} with {space.obj}'s MAC " \
                           "(MetalLB layer 2: the address is on no interface)"
        return None

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
