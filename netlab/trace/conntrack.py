"""Conntrack events: the NAT bindings a probe created in each node, as `conntrack -E` reports them.

A listener joins the NEW, UPDATE and DESTROY groups of ctnetlink in every node before the probe is
sent, so even an entry that lives for microseconds (a refused connection) is seen. The two tuples
show the NAT: a reply tuple whose source differs from the original destination means DNAT, one whose
destination differs from the original source means SNAT or MASQUERADE.
"""

from __future__ import annotations

import socket
import struct
from typing import Any

from pyroute2.netlink.nfnetlink.nfctsocket import nfct_msg

from netlab.trace.model import ConntrackEntry

NETLINK_NETFILTER = 12
GROUPS = 1 | 2 | 4  # NF_NETLINK_CONNTRACK_NEW | _UPDATE | _DESTROY
IPCTNL_MSG_CT_DELETE = 2
STATUS_BITS = {1: "SEEN_REPLY", 2: "ASSURED", 4: "SRC_NAT", 5: "DST_NAT"}
TCP_STATES = ["NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT",
              "CLOSE", "SYN_SENT2"]
PROTOCOLS = {1: "icmp", 6: "tcp", 17: "udp"}


def open_listener() -> socket.socket:
    """A conntrack event socket for the calling thread's namespace."""
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW | socket.SOCK_NONBLOCK | socket.SOCK_CLOEXEC,
                         NETLINK_NETFILTER)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        sock.bind((0, GROUPS))
    except BaseException:
        sock.close()
        raise
    return sock


def read_events(netns: str, sock: socket.socket) -> list[tuple[int, ConntrackEntry]]:
    """(conntrack id, entry) for every event queued on the socket, oldest first."""
    events: list[tuple[int, ConntrackEntry]] = []
    while True:
        try:
            data = sock.recv(1 << 16)
        except BlockingIOError:
            return events
        offset = 0
        while offset + 16 <= len(data):
            length, msg_type = struct.unpack_from("=IH", data, offset)
            if length < 16:
                break
            msg = nfct_msg(data[offset: offset + length])
            msg.decode()
            entry = _entry(netns, msg, deleted=msg_type & 0xFF == IPCTNL_MSG_CT_DELETE)
            if entry is not None:
                events.append((msg.get_attr("CTA_ID") or 0, entry))
            offset += (length + 3) & ~3


def _entry(netns: str, msg: Any, *, deleted: bool) -> ConntrackEntry | None:
    orig, reply = msg.get_attr("CTA_TUPLE_ORIG"), msg.get_attr("CTA_TUPLE_REPLY")
    if orig is None or reply is None:
        return None
    proto = PROTOCOLS.get(_proto(orig).get("CTA_PROTO_NUM", 0), "?")
    status_bits = msg.get_attr("CTA_STATUS") or 0
    status = [name for bit, name in STATUS_BITS.items() if status_bits & (1 << bit)]
    info = msg.get_attr("CTA_PROTOINFO")
    tcp = info.get_attr("CTA_PROTOINFO_TCP") if info is not None else None
    if tcp is not None:
        state = tcp.get_attr("CTA_PROTOINFO_TCP_STATE")
        if state is not None and state < len(TCP_STATES):
            status.insert(0, TCP_STATES[state])
    if deleted:
        status.append("DESTROYED")
    return ConntrackEntry(netns, proto, _tuple(orig), _tuple(reply), tuple(status))


def _proto(t: Any) -> dict[str, Any]:
    return dict(t.get_attr("CTA_TUPLE_PROTO")["attrs"])


def _tuple(t: Any) -> str:
    ip = dict(t.get_attr("CTA_TUPLE_IP")["attrs"])
    proto = _proto(t)
    src, dst = ip.get("CTA_IP_V4_SRC"), ip.get("CTA_IP_V4_DST")
    if "CTA_PROTO_SRC_PORT" in proto:
        return f"{src}:{proto['CTA_PROTO_SRC_PORT']} → {dst}:{proto.get('CTA_PROTO_DST_PORT')}"
    return f"{src} → {dst}" + (f" id {proto['CTA_PROTO_ICMP_ID']}" if "CTA_PROTO_ICMP_ID" in proto else "")
