"""Packet capture in every namespace of a lab: one AF_PACKET socket per namespace, all read from one loop.

An AF_PACKET socket that is not bound to an interface sees every frame sent or received on any
interface of its namespace (what `tcpdump -i any` sees), with the interface and the direction. It
stays in the namespace it was opened in, so the capturing thread opens one per lab namespace and
reads them all from here. A classic BPF filter keeps only IPv4 in the kernel (no ARP, IPv6 or LLDP
noise). Every frame carries the kernel's receive or transmit time, one clock for all namespaces.
"""

from __future__ import annotations

import ctypes
import select
import socket
import struct
import time
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Iterable
from dataclasses import dataclass

from netlab.kernel import netns as netns_mod
from netlab.trace.frames import Frame, decode_ethernet, decode_ip

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
SO_ATTACH_FILTER = 26
SO_TIMESTAMPNS = 35
# ldh [skb->protocol] (the ancillary field: a frame of any link type, tunl0's carry no Ethernet header);
# jeq #0x800 → accept 256 KiB of it; else drop
SKF_AD_PROTOCOL = 0xFFFFF000
IPV4_ONLY = [(0x28, 0, 0, SKF_AD_PROTOCOL), (0x15, 0, 1, 0x0800), (0x06, 0, 0, 0x40000), (0x06, 0, 0, 0)]
ARPHRD_ETHER = 1  # every other link type here (tunl0's ARPHRD_TUNNEL) starts with the IP header


@dataclass(frozen=True)
class Captured:
    """One frame seen in one namespace on one interface."""

    time_ns: int
    netns: str  # full namespace name
    interface: str
    direction: str  # in | out
    frame: Frame


class Capture:
    """Capture sockets for a set of namespaces; `drain()` returns what they saw since the last call."""

    def __init__(self, namespaces: Iterable[str]) -> None:
        self.sockets: dict[int, tuple[str, socket.socket]] = {}
        self.poller = select.epoll()
        program = b"".join(struct.pack("HBBI", *insn) for insn in IPV4_ONLY)
        self._filter = ctypes.create_string_buffer(program)  # must outlive the setsockopt call
        fprog = struct.pack("HL", len(IPV4_ONLY), ctypes.addressof(self._filter))
        try:
            for name in namespaces:
                with netns_mod.inside(name):
                    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW | socket.SOCK_NONBLOCK,
                                         socket.htons(ETH_P_ALL))
                self.sockets[sock.fileno()] = (name, sock)
                sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)
                sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
                self.poller.register(sock.fileno(), select.EPOLLIN)
        except BaseException:
            self.close()
            raise

    def drain(self, idle: float = 0.0, deadline: float | None = None) -> list[Captured]:
        """Reads until no socket has had anything for `idle` seconds (or until `deadline`)."""
        seen: list[Captured] = []
        while True:
            timeout = idle if deadline is None else max(0.0, min(idle, deadline - time.monotonic()))
            ready = self.poller.poll(timeout)
            if not ready:
                return seen
            for fd, _ in ready:
                seen.extend(self._read(fd))

    def _read(self, fd: int) -> list[Captured]:
        name, sock = self.sockets[fd]
        frames: list[Captured] = []
        while True:
            try:
                data, ancillary, _flags, address = sock.recvmsg(65535, 64)
            except BlockingIOError:
                return frames
            frame = decode_ethernet(data) if address[3] == ARPHRD_ETHER else decode_ip(data)
            if frame is None:
                continue
            stamp = next((struct.unpack("qq", d[:16]) for level, kind, d in ancillary
                          if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS), None)
            time_ns = stamp[0] * 1_000_000_000 + stamp[1] if stamp else time.time_ns()
            ifname, pkttype = address[0], address[2]
            frames.append(Captured(time_ns, name, ifname, "out" if pkttype == PACKET_OUTGOING else "in", frame))

    def close(self) -> None:
        # Closing a packet socket waits for an RCU grace period (synchronize_net); closed one after another,
        # 40 sockets cost 200 ms. Closed from threads, the waits overlap.
        sockets = [sock for _, sock in self.sockets.values()]
        self.sockets.clear()
        self.poller.close()
        with ThreadPoolExecutor(max_workers=16) as pool:
            list(pool.map(socket.socket.close, sockets))
