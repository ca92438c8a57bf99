"""The tracer's pure parts, without root: frame and nft-trace decoding, rule listings, correlation, comparison."""

from __future__ import annotations

import socket
import struct

from netlab.trace import nftrace, rules
from netlab.trace.capture import Captured
from netlab.trace.compare import departures
from netlab.trace.correlate import Observation, Outcome, build_trace
from netlab.trace.frames import decode_ethernet
from netlab.trace.model import ConntrackEntry, Hop, Packet, RuleRef, Trace, Verdict
from netlab.trace.nftrace import RuleHit

MAC_A, MAC_B = bytes.fromhex("020000000001"), bytes.fromhex("020000000002")


def ipv4(src: str, dst: str, proto: int, body: bytes) -> bytes:
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(body), 0, 0, 64, proto, 0,
                         socket.inet_aton(src), socket.inet_aton(dst))
    return header + body


def tcp(sport: int, dport: int, flags: int = 0x02) -> bytes:
    return struct.pack("!HHIIBBHHH", sport, dport, 0, 0, 5 << 4, flags, 65535, 0, 0)


def udp(sport: int, dport: int, payload: bytes = b"") -> bytes:
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def ether(packet: bytes) -> bytes:
    return MAC_B + MAC_A + b"\x08\x00" + packet


def test_tcp_syn_is_decoded_with_its_flags() -> None:
    frame = decode_ethernet(ether(ipv4("10.244.0.3", "10.96.0.10", 6, tcp(40001, 80))))
    assert frame is not None
    assert frame.packet == Packet("tcp", "10.244.0.3", "10.96.0.10", 40001, 80, "S")
    assert frame.src_mac == "02:00:00:00:00:01"


def test_vxlan_datagram_becomes_its_inner_packet_with_the_outer_header() -> None:
    inner = ether(ipv4("10.244.0.3", "10.244.1.2", 6, tcp(40001, 80, 0x12)))
    vxlan = struct.pack("!BBHI", 0x08, 0, 0, 1 << 8)  # flags, VNI 1
    frame = decode_ethernet(ether(ipv4("192.168.56.11", "192.168.56.12", 17, udp(51000, 8472, vxlan + inner))))
    assert frame is not None
    p = frame.packet
    assert (p.src, p.dst, p.flags) == ("10.244.0.3", "10.244.1.2", "SA")
    assert p.outer is not None and (p.outer.src, p.outer.dst, p.outer.dport, p.outer.vni) == \
        ("192.168.56.11", "192.168.56.12", 8472, 1)


def test_icmp_port_unreachable_carries_the_quoted_probe() -> None:
    quoted = ipv4("10.244.0.3", "10.244.1.2", 17, udp(40001, 54))[:28]
    error = struct.pack("!BBHI", 3, 3, 0, 0) + quoted
    frame = decode_ethernet(ether(ipv4("10.244.1.2", "10.244.0.3", 1, error)))
    assert frame is not None and frame.packet.flags == "port-unreachable"
    assert frame.quoted == Packet("udp", "10.244.0.3", "10.244.1.2", 40001, 54)


def test_arp_and_ipv6_are_not_decoded() -> None:
    assert decode_ethernet(MAC_B + MAC_A + b"\x08\x06" + bytes(28)) is None
    assert decode_ethernet(MAC_B + MAC_A + b"\x86\xdd" + bytes(40)) is None


def nla(kind: int, payload: bytes) -> bytes:
    data = struct.pack("=HH", 4 + len(payload), kind) + payload
    return data + bytes(-len(data) % 4)


def test_nft_trace_event_is_decoded() -> None:
    verdict = nla(1, struct.pack("!i", 1))  # NF_ACCEPT
    header = ipv4("10.244.0.3", "10.244.1.2", 6, b"")[:20]
    attrs = (nla(1, b"nat\0") + nla(2, b"KUBE-SEP-ABC\0") + nla(3, struct.pack("!Q", 61)) + nla(4, struct.pack("!I", 3))
             + nla(5 | 0x8000, verdict) + nla(6, struct.pack("!I", 7)) + nla(8, header) + nla(9, tcp(40001, 80)[:20]))
    body = struct.pack("=BBH", 2, 0, 0) + attrs
    message = struct.pack("=IHHII", 16 + len(body), (10 << 8) | 17, 0, 0, 0) + body
    (hit,) = nftrace.decode("netlab.x.node1", message)
    assert (hit.table, hit.chain, hit.handle, hit.kind, hit.verdict) == ("nat", "KUBE-SEP-ABC", 61, "rule", "accept")
    assert hit.packet is not None and (hit.packet.dst, hit.packet.dport) == ("10.244.1.2", 80)


def test_trace_table_marks_a_block_of_keys_in_both_directions_before_conntrack() -> None:
    commands = nftrace.trace_table(40000, 40063)
    assert commands[0] == "add table ip netlab-trace-40000 { flags owner; }"  # dies with the nft process
    assert sum("priority -350" in c for c in commands) == 2
    text = "\n".join(commands)
    assert "th sport 40000-40063" in text and "th dport 40000-40063" in text and "icmp id 40000-40063" in text
    assert text.count("meta nftrace set 1") == 8


LISTING = """table ip nat {
\tchain KUBE-SEP-ABC { # handle 16
\t\tip saddr 10.244.0.2  counter packets 0 bytes 0 jump KUBE-MARK-MASQ # handle 47
\t\tmeta l4proto tcp   counter packets 3 bytes 180 dnat to 10.244.0.2:80 # handle 48
\t}
}
# Warning: table ip nat is managed by iptables-nft, do not touch!
"""
SAVED = """*nat
:KUBE-SEP-ABC - [0:0]
-A KUBE-SEP-ABC -s 10.244.0.2/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-ABC -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.0.2:80
COMMIT
"""


def test_rule_handles_map_to_nft_and_iptables_save_text() -> None:
    by_chain = rules.nft_rules(LISTING)
    assert by_chain == {"KUBE-SEP-ABC": [(47, "ip saddr 10.244.0.2 jump KUBE-MARK-MASQ"),
                                         (48, "meta l4proto tcp dnat to 10.244.0.2:80")]}
    texts = rules.match_iptables(by_chain, SAVED)
    assert texts[("KUBE-SEP-ABC", 48)].endswith("-j DNAT --to-destination 10.244.0.2:80")


def captured(t: int, ns: str, iface: str, direction: str, packet: Packet) -> Captured:
    frame = decode_ethernet(ether(ipv4(packet.src, packet.dst, 6, tcp(packet.sport or 0, packet.dport or 0,
                                                                         0x02 if packet.flags == "S" else 0x12))))
    assert frame is not None
    return Captured(t, f"netlab.l.{ns}", iface, direction, frame)


def test_correlation_names_the_dnat_rule_and_the_conntrack_un_nat() -> None:
    fwd_before = Packet("tcp", "10.244.0.3", "10.96.0.10", 40001, 80, "S")
    fwd_after = Packet("tcp", "10.244.0.3", "10.244.0.2", 40001, 80, "S")
    back_before = Packet("tcp", "10.244.0.2", "10.244.0.3", 80, 40001, "SA")
    back_after = Packet("tcp", "10.96.0.10", "10.244.0.3", 80, 40001, "SA")
    captures = [captured(1, "client1", "eth0", "out", fwd_before), captured(2, "node1", "vethA", "in", fwd_before),
                captured(3, "node1", "vethB", "out", fwd_after), captured(4, "web1", "eth0", "in", fwd_after),
                captured(5, "web1", "eth0", "out", back_before), captured(6, "node1", "vethB", "in", back_before),
                captured(7, "node1", "vethA", "out", back_after), captured(8, "client1", "eth0", "in", back_after),
                captured(9, "client1", "eth0", "out", fwd_before)]  # a retransmission: not part of the trace
    hit = RuleHit("netlab.l.node1", "nat", "KUBE-SEP-ABC", "rule", 48, "accept", None, None)
    objects = {f"netlab.l.{n}": n for n in ("client1", "node1", "web1")}
    obs = Observation("l", "client1", "web:80", "tcp", 40001, captures, [hit], Outcome(True), objects,
                      {("node1", "vethA"): "cni0", ("node1", "vethB"): "cni0"},
                      [ConntrackEntry("node1", "tcp", "10.244.0.3:40001 → 10.96.0.10:80",
                                      "10.244.0.2:80 → 10.244.0.3:40001", ("DST_NAT",))])

    def rule(netns: str, family: str, table: str, chain: str, handle: int | None) -> RuleRef:
        return RuleRef("node1", family, table, chain, handle, "-A KUBE-SEP-ABC -p tcp -j DNAT --to-destination x")

    trace = build_trace(obs, lambda *args: "default via 10.244.0.1 dev eth0", rule)
    assert [(h.netns, h.interface, h.direction) for h in trace.forward] == [
        ("client1", "eth0", "out"), ("node1", "vethA", "in"), ("node1", "vethB", "out"), ("web1", "eth0", "in")]
    dnat = [e for h in trace.forward for e in h.events if e.kind == "dnat"]
    assert len(dnat) == 1 and dnat[0].rule is not None and dnat[0].rule.chain == "KUBE-SEP-ABC"
    assert [e.kind for e in trace.forward[2].events] == ["dnat", "bridge"]  # switched by cni0, not routed
    unnat = [e for h in trace.reply for e in h.events if e.kind == "unnat"]
    assert len(unnat) == 1 and unnat[0].data["to"] == "10.96.0.10:80"
    assert trace.verdict.status == "delivered" and trace.verdict.where == "web1"


def hop(ns: str, iface: str, direction: str) -> Hop:
    return Hop(ns, iface, direction, Packet("tcp", "a", "b", 1, 2))


def test_departures_name_the_first_place_reality_leaves_the_plan() -> None:
    path = (hop("client1", "eth0", "out"), hop("node1", "vethA", "in"), hop("node1", "flannel.1", "out"))
    delivered = Verdict("delivered", "web2", None, "delivered")
    predicted = Trace("l", "predicted", "client1", "web2:80", "tcp", path, delivered)
    same = Trace("l", "observed", "client1", "web2:80", "tcp", path, delivered)
    assert departures(same, predicted) == []
    dropped = Trace("l", "observed", "client1", "web2:80", "tcp", path[:2],
                    Verdict("dropped", "node1", "FW_RULE", "dropped"))
    found = departures(dropped, predicted)
    assert found[0] == ("request: the packet was last seen after node1:vethA in; the plan expects it to go on to "
                        "node1:flannel.1 out")
    assert found[-1].startswith("verdict: dropped, the plan predicts delivered")


def test_trace_predict_from_a_file_needs_no_lab_and_checks_its_arguments(capsys: object) -> None:
    from netlab.cli import main
    topology = "topologies/flannel-vxlan.yaml"
    assert main(["trace", "--predict", topology, "client1", "web2:80"]) == 0
    assert main(["trace", "--predict", topology, "client1", "web2:99999"]) == 2
    assert main(["trace", "--predict", topology, "ghost", "web2:80"]) == 2
    assert main(["trace", "--predict", topology, "client1", "nowhere:80"]) == 2
    assert main(["trace", "--predict", "no-such-lab", "client1", "web2:80"]) == 2
