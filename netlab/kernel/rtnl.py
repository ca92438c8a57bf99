"""rtnetlink, batched: one raw NETLINK_ROUTE socket per namespace, many requests per write, one ack each.

`messages.py` builds the requests; this module puts a netlink header on each, writes a namespace's queue at
once and reads the acks. pyroute2 0.9's synchronous API spends about 0.9 ms per request on an asyncio event
loop, more than the kernel's own work for a veth pair, so for a lab of hundreds of pods this part is ours.

The kernel handles the messages of one write in order and answers each with an ack; a failed request does not
stop the ones after it, so the first error is reported with the request it belongs to.
"""

from __future__ import annotations

import errno
import os
import socket
import struct
from typing import Any

from netlab.kernel import netns

NLM_F_REQUEST, NLM_F_ACK, NLM_F_REPLACE, NLM_F_EXCL, NLM_F_CREATE, NLM_F_DUMP = 0x1, 0x4, 0x100, 0x200, 0x400, 0x300
ADD = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL  # `ip … add`: fail if it exists
REPLACE = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE  # `ip … replace`: add, or change what is there
CHANGE = NLM_F_REQUEST | NLM_F_ACK  # `ip link set`, and every delete

NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_ACK_TLVS = 0x200  # the ack carries attributes, such as the kernel's own error text
NLMSGERR_ATTR_MSG = 1
SOL_NETLINK, NETLINK_CAP_ACK, NETLINK_EXT_ACK = 270, 10, 11
RTM_GETLINK = 18
HEADER = struct.Struct("=IHHII")  # struct nlmsghdr: length, type, flags, sequence, port id
INT = struct.Struct("=i")  # nlmsgerr.error, and ifinfomsg.ifi_index (IFI_INDEX_OFFSET bytes in)
IFI_INDEX_OFFSET = 4
IFINFOMSG_SIZE = 16
EMPTY_IFINFOMSG = bytes(IFINFOMSG_SIZE)
IFLA_IFNAME, IFLA_IFALIAS = 3, 20
MAX_WRITE = 64 * 1024  # bytes per write: well inside the socket's send buffer
MAX_BATCH = 64  # requests per write: their acks fit in the receive buffer with room to spare


def attr(kind: int, payload: bytes) -> bytes:
    """One netlink attribute (struct nlattr: length, type), its payload padded to 4 bytes."""
    length = 4 + len(payload)
    return struct.pack("=HH", length, kind) + payload + b"\0" * (-length % 4)


def text(kind: int, value: str) -> bytes:
    return attr(kind, value.encode() + b"\0")


class RequestFailed(Exception):
    """The kernel refused one request; `tag` is what the caller queued it with (netlab: the plan step)."""

    def __init__(self, tag: Any, code: int, kernel_text: str = "") -> None:
        self.tag, self.code, self.kernel_text = tag, code, kernel_text
        text = os.strerror(code) + (f" ({kernel_text})" if kernel_text else "")
        super().__init__(code, text)


class RtnlSocket:
    """A NETLINK_ROUTE socket that lives in one namespace (a socket stays where it was opened)."""

    def __init__(self, ns_fd: int) -> None:
        with netns.entered(ns_fd):
            self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW | socket.SOCK_CLOEXEC,
                                      socket.NETLINK_ROUTE)
        self.sock.bind((0, 0))
        # Acks without a copy of the request, but with the kernel's error text ("Error: …", as `ip` prints).
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self._seq = 0
        self._queued: list[bytes] = []
        self._tags: dict[int, Any] = {}

    def queue(self, msg_type: int, flags: int, body: bytes, tag: Any) -> None:
        """Queues one request, sent by the next flush(); `tag` names it in errors."""
        self._queued.append(self._message(msg_type, flags, body))
        self._tags[self._seq] = tag

    def _message(self, msg_type: int, flags: int, body: bytes) -> bytes:
        self._seq += 1
        return HEADER.pack(HEADER.size + len(body), msg_type, flags, self._seq, 0) + body

    def flush(self, ignore: frozenset[int] = frozenset()) -> None:
        """Sends every queued request and reads one ack for each; raises the first refusal.

        Requests go in writes of at most MAX_BATCH, and each write's acks are read before the next: the kernel
        queues an ack per request on the socket, and hundreds unread overrun its receive buffer (ENOBUFS), as a
        node with a hundred remote VTEPs (three requests each) would. Refusals with an errno in `ignore` are not
        errors (a rollback deleting what never came to be)."""
        if not self._queued:
            return
        queued, tags = self._queued, self._tags
        self._queued, self._tags = [], {}
        first: RequestFailed | None = None
        start = 0
        while start < len(queued):
            end, size = start, 0
            while end < len(queued) and end - start < MAX_BATCH and (end == start
                                                                      or size + len(queued[end]) <= MAX_WRITE):
                size += len(queued[end])
                end += 1
            try:
                self.sock.send(b"".join(queued[start:end]))
                acks = self._acks(end - start)
            except OSError as e:  # the socket itself failed: blame the first request of this write
                chunk_seq = HEADER.unpack_from(queued[start])[3]
                raise RequestFailed(tags.get(chunk_seq), e.errno or 0, "") from e
            for seq, code, text in acks:
                if code and first is None and code not in ignore:
                    first = RequestFailed(tags.get(seq), code, text)
            start = end
        if first is not None:
            raise first

    def link_index(self, name: str) -> int | None:
        """`ip link show NAME`'s index: one RTM_GETLINK by name (a dump of every link would be quadratic)."""
        self.flush()
        self.sock.send(self._message(RTM_GETLINK, NLM_F_REQUEST, EMPTY_IFINFOMSG + text(IFLA_IFNAME, name)))
        for msg_type, _, body in self._replies():
            if msg_type == NLMSG_ERROR:
                code = -INT.unpack_from(body)[0]
                if code == errno.ENODEV:
                    return None
                raise RequestFailed(name, code)
            return int(INT.unpack_from(body, IFI_INDEX_OFFSET)[0])
        return None

    def links(self) -> dict[str, int]:
        """Every link of the namespace, name → index (`ip link show`): lo, and whatever the kernel adds to a
        new namespace by itself, such as the fallback devices of loaded tunnel modules."""
        return {_attr_text(body[IFINFOMSG_SIZE:], IFLA_IFNAME): INT.unpack_from(body, IFI_INDEX_OFFSET)[0]
                for body in self._link_dump()}

    def aliases(self) -> dict[str, str]:
        """Every link's name → its alias (`ip link show`'s "alias" line; "" for none): netlab's marks."""
        return {_attr_text(body[IFINFOMSG_SIZE:], IFLA_IFNAME): _attr_text(body[IFINFOMSG_SIZE:], IFLA_IFALIAS)
                for body in self._link_dump()}

    def _link_dump(self) -> list[bytes]:
        self.flush()
        self.sock.send(self._message(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, EMPTY_IFINFOMSG))
        bodies: list[bytes] = []
        while True:
            for msg_type, _, body in self._replies():
                if msg_type == NLMSG_DONE:
                    return bodies
                if msg_type == NLMSG_ERROR:
                    raise RequestFailed("link dump", -INT.unpack_from(body)[0])
                bodies.append(body)

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> RtnlSocket:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @classmethod
    def at(cls, ns_path: str) -> RtnlSocket:
        """A socket in the namespace at this path: /run/netns/NAME, or /proc/PID/ns/net."""
        fd = os.open(ns_path, os.O_RDONLY | os.O_CLOEXEC)
        try:
            return cls(fd)
        finally:
            os.close(fd)

    # -- reading ----------------------------------------------------------------------------------------

    def _replies(self) -> list[tuple[int, int, bytes]]:
        """The messages of one read, as (type, flags, body)."""
        data = self.sock.recv(1 << 16)
        out = []
        offset = 0
        while offset + HEADER.size <= len(data):
            length, msg_type, flags, _, _ = HEADER.unpack_from(data, offset)
            out.append((msg_type, flags, data[offset + HEADER.size:offset + length]))
            offset += (length + 3) & ~3
        return out

    def _acks(self, count: int) -> list[tuple[int, int, str]]:
        """(sequence, errno, kernel text) for the next `count` acks (struct nlmsgerr: error, request header)."""
        acks: list[tuple[int, int, str]] = []
        while len(acks) < count:
            for msg_type, flags, body in self._replies():
                if msg_type != NLMSG_ERROR:
                    continue
                _, _, _, seq, _ = HEADER.unpack_from(body, INT.size)  # the request's own header, echoed
                text = _attr_text(body[INT.size + HEADER.size:], NLMSGERR_ATTR_MSG) if flags & NLM_F_ACK_TLVS else ""
                acks.append((seq, -INT.unpack_from(body)[0], text))
        return acks


def _attr_text(attrs: bytes, wanted: int) -> str:
    """The string attribute of type `wanted` in a run of netlink attributes ("" if absent)."""
    offset = 0
    while offset + 4 <= len(attrs):
        length, kind = struct.unpack_from("=HH", attrs, offset)
        if length < 4:
            break
        if kind == wanted:
            return attrs[offset + 4:offset + length].rstrip(b"\0").decode(errors="replace")
        offset += (length + 3) & ~3
    return ""
