"""What a trace is: the hops a packet crossed, what happened at each, and how it ended.

The same types carry an *observed* trace (captured from the kernel by `trace/engine.py`) and a
*predicted* one (walked through the plan by `trace/predict.py`), so the two can be compared hop by hop.
A hop is one packet seen at one interface of one namespace, in one direction — what `tcpdump -i IFACE`
in that namespace would print — so a frame switched by a bridge shows on its ports, not on the bridge.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from netlab.errors import UsageError
from netlab.naming import is_ipv4
from netlab.topology.model import Topology


@dataclass(frozen=True)
class Target:
    """What a probe is sent to: TARGET[:PORT] as given, and the address it names."""

    name: str
    address: str
    port: int | None


def parse_target(t: Topology, text: str, proto: str, *, resolved: str | None = None) -> Target:
    """NAME[:PORT] → a Target; a UsageError names what is wrong (an unknown name, a missing or bad port).
    `resolved`: the address a DNS name was looked up as."""
    name, _, port_text = text.partition(":")
    address = resolved or t.address_of(name) or (name if is_ipv4(name) else None)
    if address is None:
        raise UsageError(f"'{name}' is not a pod, node, internet host or service of lab {t.name}, nor an address",
                         hint="or a DNS name with a dot, in a lab with DNS (web.default, outside.example.com)")
    if proto != "icmp" and not port_text:
        raise UsageError(f"a {proto} trace needs a port: {name}:PORT")
    if port_text and not (port_text.isdigit() and 0 < int(port_text) < 65536):
        raise UsageError(f"'{port_text}' is not a port number (1-65535)")
    return Target(text, address, int(port_text) if port_text else None)


@dataclass(frozen=True)
class Outer:
    """The envelope around a packet on the underlay: VXLAN (UDP), or IPIP (an outer IP header, protocol 4)."""

    src: str
    dst: str
    sport: int
    dport: int  # 8472 for flannel, 4789 for Calico
    vni: int
    kind: str = "vxlan"  # vxlan | ipip

    def text(self) -> str:
        if self.kind == "ipip":
            return f"IPIP {self.src} → {self.dst} (protocol 4)"
        return f"VXLAN {self.src} → {self.dst}:{self.dport} vni {self.vni}"


@dataclass(frozen=True)
class Packet:
    """The addresses a packet carried at one place. For ICMP, `sport` is the echo id and `dport` is None."""

    proto: str  # icmp | tcp | udp
    src: str
    dst: str
    sport: int | None = None
    dport: int | None = None
    flags: str = ""  # TCP flags (S, SA, A, PA, FA, R…) or the ICMP type (echo-request, port-unreachable…)
    outer: Outer | None = None

    def tuple_text(self) -> str:
        if self.proto == "icmp":
            return f"{self.src} → {self.dst} icmp {self.flags}".rstrip()
        flags = f" [{self.flags}]" if self.flags else ""
        # A predicted packet: the kernel picks the client's port, so it is unknown both ways.
        sport = "*" if self.sport is None else self.sport
        dport = "*" if self.dport is None else self.dport
        return f"{self.src}:{sport} → {self.dst}:{dport} {self.proto}{flags}"


@dataclass(frozen=True)
class RuleRef:
    """One firewall rule, named the way a student would find it again."""

    netns: str  # the lab object (node1, underlay…) whose rules these are
    family: str  # ip | inet | bridge…
    table: str
    chain: str
    handle: int | None
    text: str  # the rule as iptables-save or nft prints it

    def short(self) -> str:
        return f"{self.table}/{self.chain}"


@dataclass(frozen=True)
class Event:
    """Something that happened to the packet at a hop.

    kind is one of: route (the FIB entry chosen), bridge (an L2 forwarding decision), arp (answered by proxy),
    dnat, snat, masquerade, unnat (conntrack reversing NAT on a reply), encap, decap, drop, reject, deliver."""

    kind: str
    text: str  # one line for the tree view
    rule: RuleRef | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Hop:
    netns: str  # the lab object: a pod, node, host, "underlay" or "internet"
    interface: str
    direction: str  # in | out, as seen by a capture on that interface
    packet: Packet
    reply: bool = False  # part of the answer, not the request
    time_ns: int | None = None  # kernel timestamp (observed traces only)
    events: tuple[Event, ...] = ()

    def place(self) -> str:
        return f"{self.netns}:{self.interface}"


FlowTuple = tuple[str, str, "int | None", str, "int | None"]  # proto, src, sport (or echo id), dst, dport


@dataclass(frozen=True)
class ConntrackEntry:
    netns: str
    proto: str
    original: str  # "src:sport → dst:dport" ("src → dst id N" for ICMP), as `conntrack -L` prints it
    reply: str
    status: tuple[str, ...]  # SEEN_REPLY, ASSURED, SRC_NAT, DST_NAT…

    def original_tuple(self) -> FlowTuple:
        return _flow(self.proto, self.original)

    def reply_tuple(self) -> FlowTuple:
        return _flow(self.proto, self.reply)


def _flow(proto: str, text: str) -> FlowTuple:
    left, _, right = text.partition(" → ")
    if proto == "icmp":
        dst, _, ident = right.partition(" id ")
        return ("icmp", left, int(ident) if ident.isdigit() else None, dst, None)
    src, _, sport = left.rpartition(":")
    dst, _, dport = right.rpartition(":")
    return (proto, src, int(sport) if sport.isdigit() else None, dst, int(dport) if dport.isdigit() else None)


@dataclass(frozen=True)
class Verdict:
    status: str  # delivered | dropped | rejected | unanswered | unresolved (the name did not resolve)
    where: str | None  # the lab object where the packet stopped (or was delivered)
    reason: str | None  # FW_RULE | NO_ROUTE | ARP_FAIL | PORT_UNREACHABLE | NO_LISTENER | UNKNOWN
    text: str
    rule: RuleRef | None = None


@dataclass(frozen=True)
class LookupStep:
    """One DNS query sent before the probe, when the target was a name (features/dns/lookup.py)."""

    name: str
    type: str
    server: str
    rcode: str
    answers: tuple[str, ...]
    answered_by: str | None  # the pod kube-proxy's DNAT sent the query to, and its address


@dataclass(frozen=True)
class Trace:
    lab: str
    kind: str  # observed | predicted
    source: str
    target: str  # as asked: a name or address, with :port
    proto: str
    hops: tuple[Hop, ...]
    verdict: Verdict
    conntrack: tuple[ConntrackEntry, ...] = ()
    notes: tuple[str, ...] = ()  # anything the reader should know (sysctls, caveats)
    lookup: tuple[LookupStep, ...] = ()  # the target's DNS lookup, query by query
    policy: tuple[str, ...] = ()  # what the lab's NetworkPolicies say of it, and which rule (features/netpol)

    @property
    def forward(self) -> tuple[Hop, ...]:
        return tuple(h for h in self.hops if not h.reply)

    @property
    def reply(self) -> tuple[Hop, ...]:
        return tuple(h for h in self.hops if h.reply)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
