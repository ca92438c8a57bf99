"""How one packet crosses the lab in the model trace: veth and bridge hops, routing, VXLAN, netfilter hooks.

The walk follows the kernel's own order for a packet:
  a namespace that *sends* it picks a route (longest prefix), walks OUTPUT then POSTROUTING, and hands it
  to the route's device; a veth delivers it to its peer; a bridge either passes it up to its own namespace
  (the frame was addressed to the bridge: that namespace routes it) or switches it to the port behind
  which the next hop lives; a namespace that *receives* it walks PREROUTING, routes it, and either keeps
  it (INPUT, a local address) or forwards it (FORWARD, POSTROUTING, out again).
With br_netfilter on, a frame switched between two ports of a bridge walks PREROUTING, FORWARD and
POSTROUTING too — which is how a pod reaches a Service whose endpoint sits on the same bridge.
Each place the packet is seen becomes a Hop, exactly where `tcpdump -i IFACE` in that namespace would see it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from netlab.plan.index import PlanIndex, RouteEntry, Space
from netlab.trace.model import Event, Hop, Outer, Packet, RuleRef, Verdict
from netlab.trace.netfilter import NAT_PRIORITY, Decision, Netfilter
from netlab.trace.rules_sim import View


@dataclass
class Track:
    """The conntrack entry of the flow in one namespace: the tuple before and after its NAT."""

    original: Packet
    now: Packet
    dnat: bool = False
    snat: bool = False
    by: str = "conntrack"


@dataclass
class Walk:
    """One direction of the probe (the request, or its reply) walked through the lab."""

    index: PlanIndex
    endpoint: str | None
    reply: bool = False
    passed: tuple[str, ...] = ()  # the lab objects the observed packet went through, in order (ECMP's choice)
    tracks: dict[str, Track] = field(default_factory=dict)  # netns → the flow's conntrack entry there
    hops: list[Hop] = field(default_factory=list)
    pending: list[Event] = field(default_factory=list)  # what happened since the last hop, shown on the next
    verdict: Verdict | None = None
    arrived: tuple[str, Packet] | None = None  # (netns, packet) where it was taken in
    notes: list[str] = field(default_factory=list)
    mark: int = 0
    netfilters: dict[str, Netfilter] = field(default_factory=dict)

    def route(self, space: Space, dst: str) -> RouteEntry | None:
        """The route to `dst`; of an ECMP route's next hops, the one whose holder the packet was seen in next."""
        route = space.route(dst)
        if route is None or not route.nexthops or space.obj not in self.passed:
            return route
        after = self.passed[self.passed.index(space.obj) + 1:]
        holders = {hop: s.obj for hop in route.nexthops for s in self.index.spaces.values() if s.is_local(hop)}
        taken = [hop for hop in route.nexthops if holders.get(hop) in after]
        return replace(route, via=min(taken, key=lambda hop: after.index(holders[hop]))) if taken else route

    # -- the record -------------------------------------------------------------------------------------

    def emit(self, netns: str, dev: str, direction: str, packet: Packet) -> None:
        obj = self.index.space(netns).obj
        self.hops.append(Hop(obj, dev, direction, packet, self.reply, events=tuple(self.pending)))
        self.pending = []

    def finish(self, status: str, netns: str, reason: str | None, text: str, event: Event | None = None,
               rule: RuleRef | None = None) -> None:
        """The walk ends here: what is still pending (a route, the drop) goes on the last hop."""
        if event is not None:
            self.pending.append(event)
        if self.pending and self.hops:
            last = self.hops[-1]
            self.hops[-1] = replace(last, events=last.events + tuple(self.pending))
        self.pending = []
        self.verdict = Verdict(status, self.index.space(netns).obj, reason, text, rule)

    # -- sending: a namespace originates the packet ----------------------------------------------------

    def originate(self, netns: str, packet: Packet) -> None:
        space = self.index.space(netns)
        route = self.route(space, packet.dst)
        if route is None:
            return self.no_route(netns, packet)
        if not packet.src:
            packet = replace(packet, src=space.source_for(route) or "0.0.0.0")
        out = self.netfilter(netns, "OUTPUT", packet, None, route.dev)
        if out is None:
            return None
        if out.dst != packet.dst:  # DNAT in OUTPUT: the kernel routes the packet again
            route = self.route(space, out.dst)
            if route is None:
                return self.no_route(netns, out)
        self.pending.append(route_event(route))
        if route.kind == "local":  # to itself, over lo
            self.emit(netns, "lo", "out", out)
            self.emit(netns, "lo", "in", out)
            return self.local_in(netns, "lo", out)
        return self.send(netns, route, out)

    def send(self, netns: str, route: RouteEntry, packet: Packet) -> None:
        """After the routing decision (its event already pending): POSTROUTING, then out of the route's device."""
        if route.kind == "blackhole":  # a node's own IPAM block: an address in it that no pod holds goes nowhere
            obj = self.index.space(netns).obj
            return self.finish("dropped", netns, "NO_ROUTE", f"{obj} drops it: {route.text()}",
                               Event("drop", f"blackhole route for {packet.dst}"))
        out = self.netfilter(netns, "POSTROUTING", packet, None, route.dev)
        if out is not None:
            self.transmit(netns, route.dev, route.via or out.dst, out)

    def transmit(self, netns: str, dev: str, nexthop: str, packet: Packet) -> None:
        space = self.index.space(netns)
        kind = space.kinds.get(dev)
        if kind == "vxlan":
            return self.encap(netns, dev, nexthop, packet)
        if kind == "ipip":
            return self.encap_ipip(netns, dev, nexthop, packet)
        if not self.index.owner(netns, dev, nexthop):
            return self.finish("dropped", netns, "ARP_FAIL", f"nobody on {dev} answers ARP for {nexthop}")
        answer = self.index.proxy_arp_answer(netns, dev, nexthop) or self.index.announced_answer(nexthop)
        if answer:
            self.pending.append(Event("arp", answer))
        if kind == "bridge":  # routed out through a bridge: the bridge device, then the port
            port = self.index.port_towards(netns, dev, nexthop, None)
            self.emit(netns, dev, "out", packet)
            self.pending.append(Event("bridge", f"{dev} forwards to {port}", data={"bridge": dev, "port": port}))
            dev = port or dev
        self.emit(netns, dev, "out", packet)
        return self.wire(netns, dev, nexthop, packet)

    def wire(self, netns: str, dev: str, nexthop: str, packet: Packet) -> None:
        """The veth carries the frame into its peer's namespace."""
        peer_ns, peer_dev = self.index.space(netns).peers[dev]
        self.mark = 0  # the skb's mark does not cross namespaces
        self.emit(peer_ns, peer_dev, "in", packet)
        bridge = self.index.space(peer_ns).masters.get(peer_dev)
        if bridge is not None:
            return self.bridge_in(peer_ns, bridge, peer_dev, nexthop, packet)
        return self.receive(peer_ns, peer_dev, packet)

    def encap(self, netns: str, dev: str, nexthop: str, packet: Packet) -> None:
        """flannel.1: the next hop's MAC (neighbour) names the remote VTEP (FDB); the frame goes in UDP 8472."""
        space = self.index.space(netns)
        vx = space.vxlans[dev]
        mac = space.neighbors.get((dev, nexthop))
        remote = space.fdb.get((dev, mac)) if mac else None
        if remote is None:
            return self.finish("dropped", netns, "ARP_FAIL", f"{dev} has no neighbour/FDB entry for {nexthop}")
        outer = Outer(vx.local, remote, 0, vx.port or 8472, vx.vni)  # the outer source port is a flow hash
        self.pending.append(Event("encap", f"VXLAN VNI {vx.vni}: {vx.local} → {remote} udp/{outer.dport} "
                                  f"(next hop {nexthop} is {mac})",
                                  data={"src": vx.local, "dst": remote, "dport": outer.dport, "vni": vx.vni,
                                        "mac": mac}))
        self.emit(netns, dev, "out", packet)
        route = self.route(space, remote)
        if route is None or route.kind == "local":
            return self.no_route(netns, replace(packet, dst=remote))
        self.pending.append(route_event(route))
        self.transmit(netns, route.dev, route.via or remote, replace(packet, outer=outer))

    def encap_ipip(self, netns: str, dev: str, nexthop: str, packet: Packet) -> None:
        """tunl0 (Calico's IPIP): an outer IP header (protocol 4) to the next hop, the remote node itself."""
        space = self.index.space(netns)
        route = self.route(space, nexthop)
        if route is None or route.kind != "unicast":
            return self.no_route(netns, replace(packet, dst=nexthop))
        outer = Outer(space.source_for(route) or "0.0.0.0", nexthop, 0, 0, 0, kind="ipip")
        self.pending.append(Event("encap", f"IPIP encap: {outer.src} → {nexthop}, protocol 4",
                                  data={"src": outer.src, "dst": nexthop, "kind": "ipip"}))
        self.emit(netns, dev, "out", packet)
        self.pending.append(route_event(route))
        self.transmit(netns, route.dev, route.via or nexthop, replace(packet, outer=outer))

    # -- receiving ---------------------------------------------------------------------------------------

    def bridge_in(self, netns: str, bridge: str, port: str, nexthop: str, packet: Packet) -> None:
        """A frame came in on a bridge port: up to the bridge's namespace if it is addressed to it (the sender's
        next hop is one of its addresses), else switched to the port behind which the next hop lives."""
        space = self.index.space(netns)
        nf = space.bridge_netfilter and space.has_rules and packet.outer is None
        if nf:  # br_netfilter: PREROUTING runs in the bridge, before it decides (iptables sees -i <bridge>)
            before = packet
            out = self.netfilter(netns, "PREROUTING", packet, bridge, None)
            if out is None:
                return None
            packet = out
            if packet.dst != before.dst:
                route = self.route(space, packet.dst)
                if route is None or route.kind == "local" or route.dev != bridge:
                    self.emit(netns, bridge, "in", packet)
                    return self.receive(netns, bridge, packet, prerouted=True)
                # DNAT to a neighbour on this bridge: br_netfilter hands the frame to the bridge device to
                # fill in the new MAC (a capture sees it leave cni0), and the bridge switches it to the port.
                # (While the node's neighbour entry for it is REACHABLE, it skips the bridge device.)
                nexthop = route.via or packet.dst
                self.pending.append(route_event(route))
                if not self.reply:  # the answer finds the entry the request has just refreshed
                    self.emit(netns, bridge, "out", packet)
                    self.notes.append(f"{space.obj}: {bridge} out is seen for the first packet after a pause; "
                                      f"while {space.obj}'s neighbour entry for {nexthop} is fresh (REACHABLE) "
                                      "the bridge switches the frame straight to the port")
        if space.is_local(nexthop):  # the frame is for the bridge's own MAC: up to the namespace
            self.emit(netns, bridge, "in", packet)
            return self.receive(netns, bridge, packet, prerouted=nf)
        out_port = self.index.port_towards(netns, bridge, nexthop, port)
        if out_port is None:
            return self.finish("dropped", netns, "ARP_FAIL", f"no port of {bridge} leads to {nexthop}")
        if nf:  # a switched frame walks FORWARD and POSTROUTING too (iptables sees -i and -o <bridge>)
            for hook, in_dev in (("FORWARD", bridge), ("POSTROUTING", None)):
                switched = self.netfilter(netns, hook, packet, in_dev, bridge)
                if switched is None:
                    return None
                packet = switched
        hairpin = " (hairpin: back out of the port it came in by)" if out_port == port else ""
        self.pending.append(Event("bridge", f"{bridge} forwards to {out_port}{hairpin}",
                                  data={"bridge": bridge, "port": out_port}))
        self.emit(netns, out_port, "out", packet)
        return self.wire(netns, out_port, nexthop, packet)

    def receive(self, netns: str, dev: str, packet: Packet, prerouted: bool = False) -> None:
        """The IP layer of `netns` takes the packet from `dev`."""
        space = self.index.space(netns)
        if packet.outer is not None and not space.is_local(packet.outer.dst):
            return self.forward_envelope(netns, packet)
        if packet.outer is not None:
            return self.decap(netns, dev, packet)
        if not prerouted:
            out = self.netfilter(netns, "PREROUTING", packet, dev, None)
            if out is None:
                return None
            packet = out
        route = self.route(space, packet.dst)
        if route is None:
            return self.no_route(netns, packet)
        if route.kind == "local":
            return self.local_in(netns, dev, packet)
        if not space.forwarding:
            return self.finish("dropped", netns, "UNKNOWN", f"{space.obj} does not forward (ip_forward is 0)")
        self.pending.append(route_event(route))
        out = self.netfilter(netns, "FORWARD", packet, dev, route.dev)
        if out is not None:
            self.send(netns, route, out)

    def forward_envelope(self, netns: str, packet: Packet) -> None:
        """A tunnelled packet for another address (a router between two racks): routed by its outer header."""
        space = self.index.space(netns)
        assert packet.outer is not None
        route = self.route(space, packet.outer.dst)
        if route is None:
            return self.no_route(netns, replace(packet, dst=packet.outer.dst))
        if not space.forwarding:
            return self.finish("dropped", netns, "UNKNOWN", f"{space.obj} does not forward (ip_forward is 0)")
        self.pending.append(route_event(route))
        self.transmit(netns, route.dev, route.via or packet.outer.dst, packet)

    def decap(self, netns: str, dev: str, packet: Packet) -> None:
        outer = packet.outer
        assert outer is not None
        if outer.kind == "ipip":
            space = self.index.space(netns)
            tunnel = next((d for d, kind in space.kinds.items() if kind == "ipip"), None)
            if tunnel is None or not space.is_local(outer.dst):
                return self.finish("dropped", netns, "UNKNOWN", f"{space.obj} has no tunl0 for an IPIP packet")
            inner = replace(packet, outer=None)
            self.pending.append(Event("decap", f"{tunnel} takes the inner packet out of IPIP from {outer.src}",
                                      data={"src": outer.src, "kind": "ipip"}))
            self.emit(netns, tunnel, "in", inner)
            return self.receive(netns, tunnel, inner)
        vtep = self.index.vtep_for(netns, outer.dst, outer.dport, outer.vni)
        if vtep is None:
            return self.finish("dropped", netns, "UNKNOWN", f"no VTEP for VNI {outer.vni} udp/{outer.dport}")
        inner = replace(packet, outer=None)
        self.pending.append(Event("decap", f"{vtep} (VNI {outer.vni}) takes the inner packet out of udp/"
                                  f"{outer.dport} from {outer.src}", data={"src": outer.src, "vni": outer.vni}))
        self.emit(netns, vtep, "in", inner)
        return self.receive(netns, vtep, inner)

    def local_in(self, netns: str, dev: str, packet: Packet) -> None:
        space = self.index.space(netns)
        out = self.netfilter(netns, "INPUT", packet, dev, None)
        if out is None:
            return None
        nf = self.netfilter_of(space)
        if not self.reply and nf.ipvs:
            decision = nf.ipvs_decision(self.view(space, out, dev, None), self.endpoint)
            if decision is not None:
                if decision.kind == "reject":
                    return self.finish("rejected", netns, "PORT_UNREACHABLE", decision.by,
                                       Event("reject", decision.by, decision.rule), decision.rule)
                moved = self.apply(netns, decision, out, None)
                route = self.route(space, moved.dst) if moved else None
                if moved is None:
                    return None
                if route is None:
                    return self.no_route(netns, moved)
                self.pending.append(route_event(route))
                self.tracks[netns].by = "IPVS"
                return self.send(netns, route, moved)  # IPVS sends it on through LOCAL_OUT and POSTROUTING
        self.arrived = (netns, out)

    def no_route(self, netns: str, packet: Packet) -> None:
        obj = self.index.space(netns).obj
        self.finish("dropped", netns, "NO_ROUTE", f"{obj} has no route to {packet.dst}",
                    Event("drop", f"no route to {packet.dst} (ip route get: unreachable)"))

    # -- netfilter ----------------------------------------------------------------------------------------

    def view(self, space: Space, packet: Packet, in_dev: str | None, out_dev: str | None) -> View:
        track = self.tracks.get(space.name)
        state = {"ESTABLISHED"} if self.reply else {"NEW"}
        if track and track.dnat:
            state.add("DNAT")
        if track and track.snat:
            state.add("SNAT")
        return View(packet.proto, packet.src, packet.dst, packet.sport, packet.dport, in_dev, out_dev, self.mark,
                    frozenset(state), space.local(), self.netfilter_of(space).iptables.ipsets)

    def netfilter(self, netns: str, hook: str, packet: Packet, in_dev: str | None,
                  out_dev: str | None) -> Packet | None:
        """Every base chain on one hook, in the kernel's order; None when one dropped or rejected the packet.
        NAT chains see only a connection's first packet (replies are conntrack's), and only until one of them
        has translated it."""
        space = self.index.space(netns)
        if not space.has_rules:
            return packet
        if not self.reply and netns not in self.tracks:
            self.tracks[netns] = Track(packet, packet)
        # Conntrack turns a reply back at NAT's priority on the hook: the raw and mangle chains before it (Docker's
        # raw PREROUTING DROP among them) still see the address it came with.
        unnatted = not self.reply
        translated = False
        for chain in self.netfilter_of(space).chains(hook):
            if not unnatted and chain.priority >= NAT_PRIORITY.get(hook, 0):
                packet, unnatted = self.unnat(netns, hook, packet), True
            if chain.nat and (self.reply or translated):
                continue
            view = self.view(space, packet, in_dev, out_dev)
            decision = chain.run(view, self.endpoint)
            self.mark = view.mark
            if decision is None:
                continue
            moved = self.apply(netns, decision, packet, out_dev)
            if moved is None:
                return None
            packet, translated = moved, translated or chain.nat
        return packet if unnatted else self.unnat(netns, hook, packet)

    def netfilter_of(self, space: Space) -> Netfilter:
        if space.name not in self.netfilters:
            self.netfilters[space.name] = Netfilter(space)
        return self.netfilters[space.name]

    def apply(self, netns: str, d: Decision, packet: Packet, out_dev: str | None) -> Packet | None:
        space = self.index.space(netns)
        if d.kind in ("drop", "reject"):
            # A REJECT answers ICMP port unreachable (the default of iptables, nft and IPVS alike).
            status, reason = ("dropped", "FW_RULE") if d.kind == "drop" else ("rejected", "PORT_UNREACHABLE")
            text = f"{d.kind.upper()} by {d.by}"
            self.finish(status, netns, reason, text, Event(d.kind, text, d.rule), d.rule)
            return None
        if d.kind == "dnat":
            ip, port = split_to(d.to, packet.dport)
            moved = replace(packet, dst=ip, dport=port)
            before, after = f"{packet.dst}:{packet.dport}", f"{ip}:{port}"
        else:
            ip, port = split_to(d.to, packet.sport)
            if d.kind == "masquerade":  # the address of the device it leaves by
                ip = space.primary(out_dev or "") or packet.src
            moved = replace(packet, src=ip, sport=port)
            before, after = packet.src, ip
        track = self.tracks.setdefault(netns, Track(packet, packet))
        track.now = moved
        track.dnat, track.snat = track.dnat or d.kind == "dnat", track.snat or d.kind != "dnat"
        data: dict[str, object] = {"from": before, "to": after, "by": d.by}
        if d.kind == "dnat":
            data["choices"] = list(d.choices) or [after]
        label = "DNAT" if d.kind == "dnat" else d.kind.upper()
        self.pending.append(Event(d.kind, f"{label} {before} → {after} by {d.by}", d.rule, data))
        return moved

    def unnat(self, netns: str, hook: str, packet: Packet) -> Packet:
        """Conntrack turns a reply back: its destination before routing, its source on the way out."""
        track = self.tracks.get(netns)
        if track is None:
            return packet
        moved = packet
        if hook == "PREROUTING" and track.snat and packet.dst == track.now.src:
            moved = replace(packet, dst=track.original.src, dport=track.original.sport)
        if hook == "POSTROUTING" and track.dnat and packet.src == track.now.dst:
            moved = replace(packet, src=track.original.dst, sport=track.original.dport)
        if moved != packet:
            self.pending.append(Event("unnat", f"{track.by} reverses the NAT: {show(packet)} becomes {show(moved)}",
                                      data={"by": track.by, "from": show(packet), "to": show(moved)}))
        return moved


def split_to(to: str | None, port: int | None) -> tuple[str, int | None]:
    """`--to-destination 10.244.0.2:80` (or an address alone) to (address, port)."""
    if not to:
        return "", port
    ip, _, p = to.partition(":")
    return ip, int(p.split("-")[0]) if p else port


def show(p: Packet) -> str:
    """A packet's addresses, with `*` for a port only the kernel will know."""
    if p.proto == "icmp":
        return f"{p.src} → {p.dst}"
    return f"{p.src}:{p.sport or '*'} → {p.dst}:{p.dport or '*'}"


def route_event(route: RouteEntry) -> Event:
    data: dict[str, object] = {"dst": str(route.network), "dev": route.dev, "via": route.via, "kind": route.kind}
    if route.nexthops:  # which one a flow takes hangs on the kernel's hash, with a seed it picks at random
        data["nexthops"] = list(route.nexthops)
        return Event("route", f"{route.text()} (ECMP: the kernel hashes each flow to one next hop; the model "
                              f"follows {route.via})", data=data)
    return Event("route", route.text(), data=data)
