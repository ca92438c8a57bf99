"""From raw observations to a trace: which captured frames were the probe, in what order, and why.

The capture gives the frames; this module decides what they mean. A change of address between two
consecutive sightings is NAT (named by the nft trace event of the rule that did it, or conntrack on a
reply); a VXLAN envelope appearing or disappearing is encapsulation; a packet that enters a namespace on
one interface and leaves on another was routed (the route is looked up) or switched by a bridge. The
verdict comes from a drop event, the reply, an ICMP error, or where the packet was last seen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from netlab.trace.capture import Captured
from netlab.trace.model import ConntrackEntry, Event, FlowTuple, Hop, Packet, RuleRef, Trace, Verdict
from netlab.trace.nftrace import RuleHit

RouteLookup = Callable[[str, str, "str | None", "str | None"], "str | None"]  # netns, dst, src, iif
RuleLookup = Callable[[str, str, str, str, "int | None"], RuleRef]  # netns, family, table, chain, handle
ArpLookup = Callable[[str, str, str], "str | None"]  # netns, device, next hop: who answered its ARP by proxy
NAT_WORDS = {"dnat": ("DNAT", "dnat to", "REDIRECT", "redirect"), "snat": ("SNAT", "snat to"),
             "masquerade": ("MASQUERADE", "masquerade")}
NO_ROUTE_ERRORS = {"net-unreachable", "host-unreachable"}


@dataclass(frozen=True)
class Outcome:
    """What the probing socket itself experienced."""

    answered: bool
    error: str | None = None  # strerror: "Connection refused", "timed out", "Network is unreachable"…


@dataclass
class Observation:
    lab: str
    source: str  # lab object
    target: str
    proto: str  # icmp | tcp | udp
    key: int  # the probe's source port or ICMP echo id
    captures: list[Captured]
    hits: list[RuleHit]
    outcome: Outcome
    objects: dict[str, str]  # full netns name → lab object
    masters: dict[tuple[str, str], str]  # (lab object, interface) → its bridge
    conntrack: list[ConntrackEntry]


def build_trace(obs: Observation, route: RouteLookup, rule: RuleLookup, arp: ArpLookup | None = None) -> Trace:
    forward, reply = _instances(obs)
    hops = [_hop(obs, c, reply=False) for c in forward] + [_hop(obs, c, reply=True) for c in reply]
    netns_of = {obj: full for full, obj in obs.objects.items()}
    hops = _annotate(obs, hops, route, rule, netns_of, arp or (lambda netns, dev, hop: None))
    verdict, hops = _verdict(obs, hops, rule, route, netns_of)
    return Trace(obs.lab, "observed", obs.source, obs.target, obs.proto, tuple(hops), verdict, tuple(obs.conntrack))


# -- which frames were the probe -------------------------------------------------------------------------

def _tuple(p: Packet) -> FlowTuple:
    return (p.proto, p.src, p.sport, p.dst, p.dport)


def _reverse(t: FlowTuple) -> FlowTuple:
    return (t[0], t[3], t[2], t[1], None) if t[0] == "icmp" else (t[0], t[3], t[4], t[1], t[2])


def _known_tuples(obs: Observation) -> dict[str, set[FlowTuple]]:
    """Every form the probe took, from conntrack: NAT can rewrite ports and echo ids (MASQUERADE does
    when two clients would clash), so the source port alone does not follow a packet past a NAT."""
    known: dict[str, set[FlowTuple]] = {"forward": set(), "reply": set()}
    for entry in obs.conntrack:
        original, reply = entry.original_tuple(), entry.reply_tuple()
        known["forward"] |= {original, _reverse(reply)}
        known["reply"] |= {reply, _reverse(original)}
    return known


def _direction(obs: Observation, c: Captured, known: dict[str, set[FlowTuple]]) -> str | None:
    p, quoted = c.frame.packet, c.frame.quoted
    if quoted is not None and quoted.proto == obs.proto and (quoted.sport == obs.key or
                                                             _tuple(quoted) in known["forward"]):
        return "reply"  # an ICMP error about the probe
    if p.proto != obs.proto:
        return None
    if obs.proto == "icmp" and p.flags not in ("echo-request", "echo-reply"):
        return None
    for direction in ("forward", "reply"):
        if _tuple(p) in known[direction]:
            return direction
    if obs.proto == "icmp":
        if p.sport != obs.key:
            return None
        return "forward" if p.flags == "echo-request" else "reply"
    if p.sport == obs.key:
        return "forward"
    return "reply" if p.dport == obs.key else None


def _first_packet(obs: Observation, c: Captured, direction: str) -> bool:
    """A TCP probe is a connection: its path is the SYN's, and the SYN-ACK's (or RST's) back."""
    if obs.proto != "tcp" or c.frame.quoted is not None:
        return True
    flags = c.frame.packet.flags
    return flags == "S" if direction == "forward" else ("S" in flags and "A" in flags) or "R" in flags


def _instances(obs: Observation) -> tuple[list[Captured], list[Captured]]:
    """The first packet each way. A packet passes each (namespace, interface, direction) once, so a
    sighting at a place already seen is a retransmission: the first instance is complete."""
    picked: dict[str, list[Captured]] = {"forward": [], "reply": []}
    complete: set[str] = set()
    known = _known_tuples(obs)
    for c in sorted(obs.captures, key=lambda c: c.time_ns):
        direction = _direction(obs, c, known)
        if direction is None or direction in complete or not _first_packet(obs, c, direction):
            continue
        place = (c.netns, c.interface, c.direction)
        if any((f.netns, f.interface, f.direction) == place for f in picked[direction]):
            complete.add(direction)
            continue
        picked[direction].append(c)
    return picked["forward"], picked["reply"]


def _hop(obs: Observation, c: Captured, *, reply: bool) -> Hop:
    packet = c.frame.packet
    return Hop(obs.objects.get(c.netns, c.netns), c.interface, c.direction, packet, reply, c.time_ns)


# -- what happened at each hop ---------------------------------------------------------------------------

def _annotate(obs: Observation, hops: list[Hop], route: RouteLookup, rule: RuleLookup,
              netns_of: dict[str, str], arp: ArpLookup) -> list[Hop]:
    result: list[Hop] = []
    for i, hop in enumerate(hops):
        events: list[Event] = []
        previous = hops[i - 1] if i and hops[i - 1].reply == hop.reply else None
        if previous is not None:
            events += _nat_events(obs, previous, hop, rule, netns_of)
            if hop.packet.outer and not previous.packet.outer:
                o = hop.packet.outer
                text = f"IPIP encap: {o.src} → {o.dst}, protocol 4" if o.kind == "ipip" else \
                    f"VXLAN encap, VNI {o.vni}: {o.src}:{o.sport} → {o.dst}:{o.dport}/udp"
                events.append(Event("encap", text, data={"vni": o.vni, "outer_src": o.src, "outer_dst": o.dst,
                                                         "outer_sport": o.sport, "outer_dport": o.dport,
                                                         "kind": o.kind}))
            if previous.packet.outer and not hop.packet.outer:
                o = previous.packet.outer
                text = f"IPIP decap (from {o.src})" if o.kind == "ipip" else f"VXLAN decap, VNI {o.vni} (from {o.src})"
                events.append(Event("decap", text, data={"vni": o.vni, "outer_src": o.src, "outer_dst": o.dst,
                                                         "kind": o.kind}))
        if hop.direction == "out":
            events += _forwarding_event(obs, hops, i, route, netns_of, arp)
        result.append(replace(hop, events=tuple(events)))
    return result


def _nat_events(obs: Observation, before: Hop, hop: Hop, rule: RuleLookup, netns_of: dict[str, str]) -> list[Event]:
    a, b = before.packet, hop.packet
    events = []
    changes = [("dnat", (a.dst, a.dport), (b.dst, b.dport)), ("snat", (a.src, a.sport), (b.src, b.sport))]
    for kind, old, new in changes:
        if old == new:
            continue
        text_old, text_new = _endpoint(old, a.proto), _endpoint(new, b.proto)
        if hop.reply:
            side = "destination" if kind == "dnat" else "source"
            events.append(Event("unnat", f"conntrack restores the {side}: {text_old} → {text_new}",
                                data={"from": text_old, "to": text_new, "by": "conntrack"}))
            continue
        ref = _nat_rule(obs, hop.netns, kind, rule, netns_of)
        if kind == "snat" and ref is not None and "masquerade" in ref.text.lower():
            kind = "masquerade"
        label = {"dnat": "DNAT", "snat": "SNAT", "masquerade": "MASQUERADE"}[kind]
        by = f" by {ref.chain}" if ref else ""
        events.append(Event(kind, f"{label} {text_old} → {text_new}{by}", ref,
                            {"from": text_old, "to": text_new}))
    return events


def _endpoint(pair: tuple[str, int | None], proto: str) -> str:
    if pair[1] is None:
        return pair[0]
    return f"{pair[0]} (id {pair[1]})" if proto == "icmp" else f"{pair[0]}:{pair[1]}"


def _nat_rule(obs: Observation, obj: str, kind: str, rule: RuleLookup, netns_of: dict[str, str]) -> RuleRef | None:
    """The rule that rewrote the packet: an accepting rule in a NAT chain of that node whose text says so."""
    full = netns_of.get(obj, obj)
    words = NAT_WORDS[kind] + (NAT_WORDS["masquerade"] if kind == "snat" else ())
    for hit in obs.hits:
        if hit.netns != full or hit.kind != "rule" or hit.verdict != "accept":
            continue
        ref = rule(full, "ip", hit.table, hit.chain, hit.handle)
        if any(word in ref.text for word in words):
            return ref
    return None


def _forwarding_event(obs: Observation, hops: list[Hop], i: int, route: RouteLookup,
                      netns_of: dict[str, str], arp: ArpLookup) -> list[Event]:
    """At the first `out` of a namespace: the route it chose, or the bridge that switched the frame."""
    hop = hops[i]
    start = i
    while start > 0 and (hops[start - 1].netns, hops[start - 1].reply) == (hop.netns, hop.reply):
        start -= 1
    earlier = hops[start:i]
    if any(h.direction == "out" for h in earlier):
        return []  # not the first egress here (a bridge port after its bridge, eth0 after flannel.1)
    ins = [h for h in earlier if h.direction == "in"]
    bridge = obs.masters.get((hop.netns, hop.interface))
    if ins and bridge and obs.masters.get((hop.netns, ins[-1].interface)) == bridge:
        return [Event("bridge", f"{bridge} switches it from {ins[-1].interface} to {hop.interface}",
                      data={"bridge": bridge, "from": ins[-1].interface, "to": hop.interface})]
    full = netns_of.get(hop.netns, hop.netns)
    if ins:
        entry = route(full, hop.packet.dst, ins[0].packet.src, ins[-1].interface)
    else:
        entry = route(full, hop.packet.dst, None, None)
    if entry is None:
        return []
    events = [Event("route", entry, data={"dst": hop.packet.dst})]
    gateway = entry.split(" via ", 1)[1].split()[0] if " via " in entry else None
    answered = arp(full, hop.interface, gateway) if gateway else None
    return events + ([Event("arp", answered)] if answered else [])


# -- how it ended ----------------------------------------------------------------------------------------

def _verdict(obs: Observation, hops: list[Hop], rule: RuleLookup, route: RouteLookup,
             netns_of: dict[str, str]) -> tuple[Verdict, list[Hop]]:
    drop = next((h for h in obs.hits if h.verdict == "drop"), None)
    if drop is not None:
        ref = rule(drop.netns, "ip", drop.table, drop.chain, drop.handle)
        where = obs.objects.get(drop.netns, drop.netns)
        rejected = "reject" in ref.text.lower()
        status = "rejected" if rejected else "dropped"
        by = f"the policy of {drop.table}/{drop.chain}" if drop.kind == "policy" else f"{drop.table}/{drop.chain}"
        came_from = next((h for h in reversed(obs.hits[:obs.hits.index(drop)]) if h.netns == drop.netns
                          and h.verdict in ("jump", "goto") and h.target_chain == drop.chain), None)
        if came_from is not None:  # nftables: a verdict map sent it here (kube-proxy's no-endpoint-services)
            via = rule(drop.netns, "ip", came_from.table, came_from.chain, came_from.handle)
            by += f", reached from {came_from.chain}: {via.text}"
        event = Event("reject" if rejected else "drop", f"{status} by {by}", ref)
        return Verdict(status, where, "FW_RULE", f"{status} in {where} by {by}", ref), \
            _attach(hops, where, event, reply=_is_reply_packet(obs, drop.packet))
    forward = [h for h in hops if not h.reply]
    reply = [h for h in hops if h.reply]
    if reply:
        first = reply[0]
        p = first.packet
        if p.proto == "icmp" and p.flags not in ("echo-reply",):
            if p.flags in NO_ROUTE_ERRORS:
                dst = forward[-1].packet.dst if forward else obs.target
                reason = "ARP_FAIL" if p.flags == "host-unreachable" else "NO_ROUTE"
                why = "no answer to ARP for" if reason == "ARP_FAIL" else "no route to"
                text = f"{first.netns} has {why} {dst}: it answered ICMP {p.flags}"
                return Verdict("dropped", first.netns, reason, text), \
                    _attach(hops, first.netns, Event("drop", f"{why} {dst}"), reply=False)
            return Verdict("rejected", first.netns, "PORT_UNREACHABLE",
                           f"{first.netns} answered ICMP {p.flags}: nothing listens on {obs.proto} port "
                           f"{forward[-1].packet.dport if forward else '?'}"), \
                _attach(hops, first.netns, Event("reject", f"ICMP {p.flags} sent back"), reply=False)
        if "R" in p.flags:
            return Verdict("rejected", first.netns, "NO_LISTENER",
                           f"connection refused: nothing listens on {forward[-1].packet.dst}:"
                           f"{forward[-1].packet.dport} in {first.netns}" if forward else "connection refused"), hops
        delivered = Event("deliver", "answered by the kernel (ICMP echo)" if p.proto == "icmp" else
                          f"delivered to the socket listening on {p.src}:{p.sport}")
        hops = _attach(hops, first.netns, delivered, reply=False)
        if not obs.outcome.answered:  # the answer set off, but never reached the source
            return _answer_lost(obs, first.netns, reply, hops, route, netns_of)
        return Verdict("delivered", first.netns, None, f"delivered to {first.netns}, answered"), hops
    if not forward:
        error = obs.outcome.error or "nothing was sent"
        reason = "NO_ROUTE" if "unreachable" in error.lower() else "UNKNOWN"
        return Verdict("dropped", obs.source, reason, f"{obs.source} could not send it: {error}"), hops
    last = forward[-1]
    if last.direction == "in":
        entry = route(netns_of.get(last.netns, last.netns), last.packet.dst, last.packet.src, last.interface)
        if entry is None:
            event = Event("drop", f"no route to {last.packet.dst} in {last.netns}")
            return Verdict("dropped", last.netns, "NO_ROUTE", f"{last.netns} has no route to {last.packet.dst}"), \
                _attach(hops, last.netns, event, reply=False)
        if entry.startswith("blackhole"):
            event = Event("drop", f"blackhole route for {last.packet.dst}: {entry}")
            return Verdict("dropped", last.netns, "NO_ROUTE", f"{last.netns} drops it: {entry}"), \
                _attach(hops, last.netns, event, reply=False)
        if entry.startswith("local"):
            why = obs.outcome.error or "no reply"
            return Verdict("unanswered", last.netns, None,
                           f"delivered to {last.netns} but no answer came back ({why})"), hops
    return Verdict("dropped", last.netns, "UNKNOWN",
                   f"last seen at {last.place()} ({last.direction}); no rule or route explains the loss"), hops


def _answer_lost(obs: Observation, answerer: str, reply: list[Hop], hops: list[Hop], route: RouteLookup,
                 netns_of: dict[str, str]) -> tuple[Verdict, list[Hop]]:
    """The request was delivered and answered, but the answer died on its way back (a missing SNAT leaves
    it addressed to a private network, a missing route…): say where it was last seen, and why — from the
    ICMP error a router sent about it, or from a route lookup where it was last seen."""
    error = next((i for i, h in enumerate(reply) if i and h.packet.proto == "icmp"
                  and h.packet.flags in NO_ROUTE_ERRORS), None)
    last = reply[error - 1] if error else reply[-1]
    text = (f"delivered to {answerer}, which answered, but the answer never reached {obs.source} "
            f"({obs.outcome.error or 'no reply'}): last seen at {last.place()} ({last.direction})")
    if error is not None:
        sender = reply[error].netns
        why = f"{sender} has no route to {last.packet.dst} (it sent ICMP {reply[error].packet.flags})"
        event = Event("drop", f"no route back to {last.packet.dst} in {sender}")
        return Verdict("unanswered", sender, "NO_ROUTE", f"{text}; {why}"), _attach(hops, sender, event, reply=True)
    if last.direction == "in" and route(netns_of.get(last.netns, last.netns), last.packet.dst, last.packet.src,
                                        last.interface) is None:
        event = Event("drop", f"no route back to {last.packet.dst} in {last.netns}")
        return Verdict("unanswered", last.netns, "NO_ROUTE", text + f"; {last.netns} has no route to "
                       f"{last.packet.dst}"), _attach(hops, last.netns, event, reply=True)
    return Verdict("unanswered", last.netns, "UNKNOWN", text), hops


def _is_reply_packet(obs: Observation, packet: Packet | None) -> bool:
    if packet is None:
        return False
    return packet.dport == obs.key if obs.proto != "icmp" else packet.flags == "echo-reply"


def _attach(hops: list[Hop], where: str, event: Event, *, reply: bool) -> list[Hop]:
    """Adds the event to the last hop of that direction in namespace `where` (or the last hop overall)."""
    candidates = [i for i, h in enumerate(hops) if h.reply == reply and h.netns == where] or \
        [i for i, h in enumerate(hops) if h.reply == reply]
    if not candidates:
        return hops
    i = candidates[-1]
    return hops[:i] + [replace(hops[i], events=hops[i].events + (event,))] + hops[i + 1:]
