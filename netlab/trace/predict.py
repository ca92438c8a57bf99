"""The model trace (`netlab trace --predict`): the path one probe should take, walked through the plan alone.

Like ovn-trace, or kube-proxy's packet-flow tests that walk a packet through iptables-save text, it needs
no root and sends no packet: it reads the plan's routes, links, VTEPs and rule payloads and follows the
probe hop by hop — out of the source's eth0, across veths and bridges, through each node's netfilter
hooks (DNAT to a Service endpoint, MASQUERADE on the way out), into a VXLAN tunnel and out of it — to the
target, then the answer back through conntrack's un-NAT. The result uses the same model as the observed
trace (trace/model.py), so the two can be compared hop by hop: where they part is where reality departed
from the plan.

How the walk itself goes is in predict_walk.py; the lab's wiring in predict_net.py; the iptables
interpreter in rules_sim.py; kube-proxy's nftables and IPVS modes in predict_services.py.
"""

from __future__ import annotations

from ipaddress import AddressValueError, IPv4Address

from netlab import naming
from netlab.errors import UsageError
from netlab.plan import Plan
from netlab.topology.model import Topology
from netlab.plan.index import PlanIndex
from netlab.trace.model import ConntrackEntry, Event, Packet, Trace, Verdict
from netlab.trace.predict_walk import Walk, show

FIRST_FLAGS = {"tcp": "S", "icmp": "echo-request", "udp": ""}
ANSWER_FLAGS = {"tcp": "SA", "icmp": "echo-reply", "udp": ""}


def predict(plan: Plan, topology: Topology, source: str, target: str, port: int | None, proto: str,
            *, endpoint: str | None = None, passed: tuple[str, ...] = ()) -> Trace:
    """The predicted path of one probe from `source` (a pod, node or host name) to `target` (a name or an
    IPv4 address). `endpoint` ("ip:port" or "ip") follows that Service endpoint where the kernel picks
    one at random (else the first in kube-proxy's order); `passed` (the lab objects a packet was seen in, in
    order) follows the next hop of an ECMP route the packet was seen at next (else the route's first)."""
    proto = "tcp" if proto == "http" else proto
    if proto not in FIRST_FLAGS:
        raise UsageError(f"unknown protocol {proto!r}", hint="icmp, tcp, udp or http")
    index = plan.index()
    origin = naming.netns(plan.lab, topology.home_of(source))
    if origin not in index.spaces:
        raise UsageError(f"lab {plan.lab} has no {source!r} to send from")
    address = topology.address_of(target) or target
    try:
        IPv4Address(address)
    except AddressValueError:
        raise UsageError(f"lab {plan.lab} has no {target!r}", hint="a pod, node, host or service name, "
                         "or an IPv4 address") from None
    dport = None if proto == "icmp" else port
    if dport is None and proto != "icmp":
        raise UsageError(f"a {proto} probe needs a port")

    walk = Walk(index, endpoint, passed=passed)
    walk.originate(origin, Packet(proto, "", address, None, dport, FIRST_FLAGS[proto]))
    verdict = walk.verdict or answer(walk, origin)
    asked = f"{target}:{port}" if port is not None and proto != "icmp" else target
    return Trace(plan.lab, "predicted", source, asked, proto, tuple(walk.hops), verdict,
                 conntrack(walk, proto, answered=verdict.status == "delivered"), notes(walk, index))


def answer(walk: Walk, origin: str) -> Verdict:
    """The request arrived: does anything answer it, and does the answer come back to the source?"""
    assert walk.arrived is not None
    netns, request = walk.arrived
    space = walk.index.space(netns)
    proto = request.proto
    if proto != "icmp" and (proto, request.dport or 0) not in space.listeners:
        reason, how = ("NO_LISTENER", "a TCP RST") if proto == "tcp" else ("PORT_UNREACHABLE", "ICMP port unreachable")
        text = f"nothing listens on {proto}/{request.dport} in {space.obj}: the kernel answers with {how}"
        walk.finish("rejected", netns, reason, text, Event("reject", text))
        assert walk.verdict is not None
        return walk.verdict
    who = "the kernel answers the echo request" if proto == "icmp" else f"listening on {proto}/{request.dport}"
    walk.finish("delivered", netns, None, f"{space.obj} takes it in ({who})", Event("deliver", f"{space.obj}: {who}"))
    delivered = walk.verdict
    assert delivered is not None

    # The answer: from the address the request reached, to the address it came from, back through conntrack.
    walk.reply, walk.verdict, walk.arrived, walk.mark = True, None, None, 0
    walk.originate(netns, Packet(proto, request.dst, request.src, request.dport, request.sport,
                                 ANSWER_FLAGS[proto]))
    if walk.verdict is not None:  # the answer was lost on the way
        lost = walk.verdict
        return Verdict("unanswered", lost.where, lost.reason, f"the request reached {space.obj}, but its answer "
                       f"did not come back: {lost.text}", lost.rule)
    home = walk.arrived[0] if walk.arrived else ""
    if home != origin:
        where = walk.index.space(home).obj if home else None
        return Verdict("unanswered", where, "UNKNOWN", f"the answer went to {where}, not to the source")
    walk.finish("delivered", home, None, "the answer reaches the source", Event("deliver", "the answer is back"))
    return delivered


def conntrack(walk: Walk, proto: str, *, answered: bool) -> tuple[ConntrackEntry, ...]:
    """The entries `conntrack -L` should show in each namespace with netfilter rules the request crossed."""
    entries = []
    for netns, track in walk.tracks.items():
        status = (("SRC_NAT",) if track.snat else ()) + (("DST_NAT",) if track.dnat else ())
        reverse = Packet(proto, track.now.dst, track.now.src, track.now.dport, track.now.sport)
        entries.append(ConntrackEntry(walk.index.space(netns).obj, proto, show(track.original), show(reverse),
                                      (("SEEN_REPLY",) if answered else ()) + status))
    return tuple(entries)


def notes(walk: Walk, index: PlanIndex) -> tuple[str, ...]:
    found = ["predicted from the plan: source ports are left unknown (the kernel picks them), and so is the "
             "VXLAN outer source port (a hash of the inner flow; shown as 0)"] + walk.notes
    crossed = {h.netns for h in walk.hops}
    for space in index.spaces.values():
        if space.obj not in crossed:
            continue
        found += [f"{space.obj}: {u}" for u in walk.netfilter_of(space).unsupported]
        if (space.has_rules and any(k == "bridge" for k in space.kinds.values())
                and "net.bridge.bridge-nf-call-iptables" not in space.sysctls):
            found.append(f"{space.obj}: bridged traffic assumed to pass iptables (bridge-nf-call-iptables "
                         "defaults to 1 once br_netfilter is loaded)")
    for hop in walk.hops:
        for event in hop.events:
            choices = event.data.get("choices", [])
            if event.kind == "dnat" and len(choices) > 1:
                who, how = (("IPVS", "in turn (round robin, -s rr)") if str(event.data["by"]).startswith("IPVS")
                            else ("the kernel", "at random"))
                found.append(f"{hop.netns}: {who} picks one of {len(choices)} endpoints {how} "
                             f"({', '.join(choices)}); this trace follows {event.data['to']}")
    return tuple(found)


__all__ = ["predict"]
