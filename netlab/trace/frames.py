"""Decoding captured Ethernet frames: IPv4 with TCP, UDP or ICMP, and VXLAN's or IPIP's envelope around them.

Only what a trace needs is decoded: addresses, ports, TCP flags, ICMP type and the packet an ICMP
error quotes (so a "port unreachable" can be matched to the probe that caused it).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, replace

from netlab.trace.model import Outer, Packet

ETH_P_IP = 0x0800
IPPROTO_IPIP = 4
VXLAN_PORTS = (8472, 4789)  # flannel's (the Linux default) and IANA's
ICMP_TYPES = {0: "echo-reply", 3: "unreachable", 8: "echo-request", 11: "time-exceeded"}
UNREACHABLE_CODES = {0: "net-unreachable", 1: "host-unreachable", 3: "port-unreachable", 9: "net-prohibited",
                     10: "host-prohibited", 13: "admin-prohibited"}
TCP_FLAGS = "FSRPAU"  # bit 0 = FIN … bit 5 = URG


@dataclass(frozen=True)
class Frame:
    """One decoded frame: the packet (its outer header, if VXLAN) and, for ICMP errors, what it quotes."""

    src_mac: str
    dst_mac: str
    packet: Packet
    quoted: Packet | None = None  # the original packet inside an ICMP error


def mac(raw: bytes) -> str:
    return ":".join(f"{b:02x}" for b in raw)


def decode_ethernet(data: bytes) -> Frame | None:
    if len(data) < 14 or struct.unpack_from("!H", data, 12)[0] != ETH_P_IP:
        return None
    decoded = decode_ipv4(data[14:])
    if decoded is None:
        return None
    packet, quoted = decoded
    return Frame(mac(data[6:12]), mac(data[0:6]), packet, quoted)


def decode_ip(data: bytes) -> Frame | None:
    """A packet captured on a device with no link-layer header (tunl0)."""
    decoded = decode_ipv4(data)
    return Frame("", "", decoded[0], decoded[1]) if decoded else None


def decode_ipv4(data: bytes, *, depth: int = 0) -> tuple[Packet, Packet | None] | None:
    """(packet, quoted packet of an ICMP error); a VXLAN datagram or an IPIP packet becomes its inner packet with
    `outer` set."""
    if len(data) < 20 or data[0] >> 4 != 4:
        return None
    header_len = (data[0] & 0x0F) * 4
    proto = data[9]
    src, dst = _ip(data[12:16]), _ip(data[16:20])
    body = data[header_len:]
    if proto == 6 and len(body) >= 4:  # an ICMP error quotes only 8 bytes of TCP: ports, no flags
        sport, dport = struct.unpack_from("!HH", body)
        flags = "".join(f for i, f in enumerate(TCP_FLAGS) if len(body) >= 14 and body[13] & (1 << i))
        return Packet("tcp", src, dst, sport, dport, _tcp_flag_text(flags)), None
    if proto == 17 and len(body) >= 4:
        sport, dport = struct.unpack_from("!HH", body)
        if dport in VXLAN_PORTS and depth == 0 and len(body) >= 8 + 8 + 14:
            inner = decode_ethernet(body[16:])
            if inner is not None:
                vni = int.from_bytes(body[12:15], "big")
                return replace(inner.packet, outer=Outer(src, dst, sport, dport, vni)), inner.quoted
        return Packet("udp", src, dst, sport, dport), None
    if proto == IPPROTO_IPIP and depth == 0:
        carried = decode_ipv4(body)  # at depth 0 again: an ICMP error inside still quotes its packet
        if carried is None or carried[0].outer is not None:
            return None
        return replace(carried[0], outer=Outer(src, dst, 0, 0, 0, kind="ipip")), carried[1]
    if proto == 1 and len(body) >= 8:
        icmp_type, code = body[0], body[1]
        if icmp_type in (0, 8):
            ident = struct.unpack_from("!H", body, 4)[0]
            return Packet("icmp", src, dst, ident, None, ICMP_TYPES[icmp_type]), None
        name = UNREACHABLE_CODES.get(code, f"unreachable/{code}") if icmp_type == 3 else \
            ICMP_TYPES.get(icmp_type, f"type-{icmp_type}")
        quoted = decode_ipv4(body[8:], depth=depth + 1) if depth == 0 else None
        return Packet("icmp", src, dst, None, None, name), quoted[0] if quoted else None
    return None


def _ip(raw: bytes) -> str:
    return ".".join(str(b) for b in raw)


def _tcp_flag_text(flags: str) -> str:
    """Flags in the order tcpdump prints them: S, SA, A, PA, FA, R…"""
    order = "SFRPAU"
    return "".join(sorted(flags, key=order.index))
