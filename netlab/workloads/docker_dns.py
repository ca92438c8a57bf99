"""Docker's embedded DNS server, as netlab stands it in (features/docker/embedded_dns.py): one process in a Docker
host's namespace answering 127.0.0.11 inside each container on a user-defined network.

    python -m netlab.workloads.docker_dns [--upstream 203.0.113.53] \\
        --container NETNS,UDPPORT,TCPPORT,NETWORK ... --record NETWORK,NAME,IP ... [--ready-fd N]

For each container it enters the container's namespace just long enough to bind a UDP and a TCP socket on
127.0.0.11 (as libnetwork's resolver does), then serves them all from one selectors loop in the host's namespace.
A query names a container of the querying container's network (`web`, `web.shop`): its address, TTL 600. A PTR
for one of them: `web.shop.`. Anything else goes to the upstream server from the host's namespace (as dockerd
dials the host's name servers), SERVFAIL when there is none or it does not answer. dnspython speaks the wire format.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import selectors
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.rrset
import dns.reversename

from netlab.workloads import StopRequest, close_quietly, signal_ready

ADDRESS = "127.0.0.11"
TTL = 600  # respTTL
UPSTREAM_TIMEOUT = 4.0  # extIOTimeout
TCP_READ = 0.2  # seconds a TCP client on loopback may take to send its query
CLONE_NEWNET = 0x40000000


@dataclass
class Network:
    names: dict[str, str] = field(default_factory=dict)  # name (and name.network) -> address
    pointers: dict[str, str] = field(default_factory=dict)  # reverse name -> name.network.


@dataclass
class Pending:
    """A query sent upstream: how its answer goes back, and the query, for a SERVFAIL when none comes."""

    send: Callable[[bytes], object]
    query: dns.message.Message
    deadline: float


def servfail(query: dns.message.Message) -> bytes:
    failed = dns.message.make_response(query)
    failed.set_rcode(dns.rcode.SERVFAIL)
    return failed.to_wire()


def networks(records: list[tuple[str, str, str]]) -> dict[str, Network]:
    """(network, container, address) records as each network's names (`web` and `web.shop`) and PTRs."""
    found: dict[str, Network] = {}
    for net, name, ip in records:
        network = found.setdefault(net, Network())
        network.names[name] = network.names[f"{name}.{net}"] = ip
        network.pointers[dns.reversename.from_address(ip).to_text()] = f"{name}.{net}."
    return found


def enter(fd: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "setns")


def bind_in(netns: str, udp_port: int, tcp_port: int) -> tuple[socket.socket, socket.socket]:
    """A UDP and a listening TCP socket on 127.0.0.11 inside namespace `netns`; back in our own one after."""
    home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    target = os.open(f"/run/netns/{netns}", os.O_RDONLY)
    try:
        enter(target)
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind((ADDRESS, udp_port))
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        tcp.bind((ADDRESS, tcp_port))
        tcp.listen(64)
    finally:
        enter(home)
        os.close(home)
        os.close(target)
    udp.setblocking(False)
    tcp.setblocking(False)
    return udp, tcp


def answer(query: dns.message.Message, network: Network) -> dns.message.Message | None:
    """The reply for a name of the network, or None to forward it."""
    if not query.question:
        return None
    question = query.question[0]
    name = question.name.to_text(omit_final_dot=True).lower()
    reply = dns.message.make_response(query)
    reply.flags |= dns.flags.RA
    if question.rdtype == dns.rdatatype.PTR and name + "." in network.pointers:
        reply.answer.append(dns.rrset.from_text(question.name, TTL, "IN", "PTR", network.pointers[name + "."]))
        return reply
    if name not in network.names:
        return None
    if question.rdtype == dns.rdatatype.A:
        reply.answer.append(dns.rrset.from_text(question.name, TTL, "IN", "A", network.names[name]))
    return reply  # a known name without that kind of record: NOERROR, nothing (not forwarded)


class Resolver:
    def __init__(self, upstream: str | None) -> None:
        self.upstream = upstream
        self.selector = selectors.DefaultSelector()
        self.pending: dict[socket.socket, Pending] = {}

    def add(self, udp: socket.socket, tcp: socket.socket, network: Network) -> None:
        self.selector.register(udp, selectors.EVENT_READ, ("udp", network))
        self.selector.register(tcp, selectors.EVENT_READ, ("tcp", network))

    def serve_forever(self, stop: StopRequest) -> None:
        self.selector.register(stop.read_fd, selectors.EVENT_READ, ("stop", None))
        while not stop.received:
            for key, _ in self.selector.select(0.5):
                kind, data = key.data
                if kind == "stop":
                    stop.clear()
                elif kind == "udp":
                    self.on_udp(key.fileobj, data)  # type: ignore[arg-type]
                elif kind == "tcp":
                    self.on_tcp(key.fileobj, data)  # type: ignore[arg-type]
                elif kind == "upstream":
                    self.on_upstream(key.fileobj)  # type: ignore[arg-type]
            self.expire()

    def on_udp(self, sock: socket.socket, network: Network) -> None:
        try:
            data, client = sock.recvfrom(4096)
        except OSError:
            return

        def send(wire: bytes) -> None:
            try:
                sock.sendto(wire, client)
            except OSError:
                pass  # UDP is best effort
        self.handle(data, network, send, lambda: None)

    def on_tcp(self, listener: socket.socket, network: Network) -> None:
        """One query per connection, read at once: the clients are the host's own containers, on loopback, so a
        message is there whole or the client is gone (a stalled one costs at most TCP_READ)."""
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        conn.settimeout(TCP_READ)
        try:
            head = conn.recv(2)
            size = int.from_bytes(head, "big") if len(head) == 2 else 0
            data = b""
            while len(data) < size:
                chunk = conn.recv(size - len(data))
                if not chunk:
                    break
                data += chunk
        except OSError:
            conn.close()
            return

        def send(wire: bytes) -> None:
            try:
                conn.sendall(len(wire).to_bytes(2, "big") + wire)
            except OSError:
                pass
            conn.close()
        self.handle(data, network, send, conn.close)

    def handle(self, data: bytes, network: Network, send: Callable[[bytes], object],
               drop: Callable[[], object]) -> None:
        """Answers a query of the network's, or forwards it; every query gets an answer or a SERVFAIL."""
        try:
            query = dns.message.from_wire(data)
        except Exception:  # noqa: BLE001 - anything unparsable is dropped, as a server does
            drop()
            return
        reply = answer(query, network)
        if reply is not None:
            send(reply.to_wire())
            return
        if self.upstream is None:
            send(servfail(query))
            return
        out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # in the host's namespace: this process's own
        out.setblocking(False)
        try:
            out.sendto(data, (self.upstream, 53))
        except OSError:
            out.close()
            send(servfail(query))
            return
        self.pending[out] = Pending(send, query, time.monotonic() + UPSTREAM_TIMEOUT)
        self.selector.register(out, selectors.EVENT_READ, ("upstream", None))

    def on_upstream(self, out: socket.socket) -> None:
        job = self.pending.pop(out)
        self.selector.unregister(out)
        try:
            wire = out.recv(65535)
        except OSError:
            wire = b""
        out.close()
        job.send(wire or servfail(job.query))

    def expire(self) -> None:
        """An upstream that did not answer in time: SERVFAIL, as libnetwork's resolver gives."""
        now = time.monotonic()
        for out, job in list(self.pending.items()):
            if job.deadline < now:
                self.selector.unregister(out)
                out.close()
                del self.pending[out]
                job.send(servfail(job.query))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m netlab.workloads.docker_dns")
    parser.add_argument("--upstream")
    parser.add_argument("--container", action="append", default=[], metavar="NETNS,UDP,TCP,NETWORK")
    parser.add_argument("--record", action="append", default=[], metavar="NETWORK,NAME,IP")
    parser.add_argument("--ready-fd", type=int)
    args = parser.parse_args(argv)
    known = networks([(net, name, ip) for net, name, ip in (record.split(",") for record in args.record)])
    stop = StopRequest()
    resolver = Resolver(args.upstream)
    ready_fd = args.ready_fd
    try:
        for spec in args.container:
            netns, udp_port, tcp_port, net = spec.split(",")
            udp, tcp = bind_in(netns, int(udp_port), int(tcp_port))
            resolver.add(udp, tcp, known.setdefault(net, Network()))
        if ready_fd is not None:
            fd, ready_fd = ready_fd, None
            signal_ready(fd, "docker-dns")
        resolver.serve_forever(stop)
        return 0
    finally:
        if ready_fd is not None:
            close_quietly(ready_fd)


if __name__ == "__main__":
    raise SystemExit(main())
