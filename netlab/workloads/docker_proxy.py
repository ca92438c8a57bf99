"""Userland proxy workload: stands in for dockerd's docker-proxy, one per published port.

It carries what the DNAT rules skip: host to 127.0.0.1, and docker0 containers to a
host address (`-A DOCKER -i docker0 -j RETURN`).  Same flags, one dash or two:

    python -m netlab.workloads.docker_proxy -proto tcp -host-ip 0.0.0.0 -host-port 8080 \
        -container-ip 172.17.0.2 -container-port 80 [--ready-fd N]

TCP is spliced to a new connection to the container; UDP uses one connected socket per
client address, dropped after 90 s idle.  The container sees the proxy as the source.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import ipaddress
import os
import selectors
import socket
import sys
import time
from datetime import UTC, datetime
from typing import Any

from netlab.workloads import Stop, close_quietly, signal_ready, stop_on_signals

BACKLOG = 128
BATCH = 64  # bounds the work per readiness event so one busy socket cannot starve the rest
BUF_LIMIT = 64 * 1024  # per direction; when full we stop reading, pushing back on the sender
UDP_IDLE = 90.0  # docker-proxy's UDPConnTrackTimeout
UDP_MAX = 65535
ACCEPT_BACKOFF = 0.1  # after a hard accept() error (EMFILE...) rest instead of spinning
# Python < 3.12 lacks socket.IP_PKTINFO; 8 is its value in the Linux ABI.
IP_PKTINFO: int = getattr(socket, "IP_PKTINFO", 8)
_ANCBUF = socket.CMSG_SPACE(12)  # struct in_pktinfo { int ifindex; in_addr spec_dst, addr; }

Address = tuple[str, int]
READ, WRITE = selectors.EVENT_READ, selectors.EVENT_WRITE


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    # allow_abbrev=False: Go's flag package, which docker-proxy uses, has no abbreviations.
    parser = argparse.ArgumentParser(prog="python -m netlab.workloads.docker_proxy", allow_abbrev=False,
                                     description="Forward one published port to a container.")
    ip: dict[str, Any] = {"type": ipaddress.IPv4Address, "required": True}
    port: dict[str, Any] = {"type": int, "required": True}
    flags: list[tuple[str, dict[str, Any]]] = [
        ("proto", {"choices": ("tcp", "udp"), "default": "tcp"}),
        ("host-ip", ip), ("host-port", port), ("container-ip", ip), ("container-port", port),
        ("ready-fd", {"type": int, "metavar": "N", "help": 'write "ready <pid>" here once listening'}),
    ]
    for name, kwargs in flags:
        parser.add_argument(f"-{name}", f"--{name}", **kwargs)
    args = parser.parse_args(argv)
    if not (0 < args.host_port < 65536 and 0 < args.container_port < 65536):
        parser.error("ports must be in 1-65535")
    return args


def log_flow(proto: str, client: Address, container: Address) -> None:
    stamp = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    line = f"{stamp} {proto} {client[0]}:{client[1]} -> {container[0]}:{container[1]}\n"
    with contextlib.suppress(OSError):  # losing the log reader must not take the proxy down
        os.write(1, line.encode())  # unbuffered, so nothing is left to fail at exit


class _Pipe:
    """One direction of a spliced TCP connection."""

    def __init__(self, src: socket.socket, dst: socket.socket) -> None:
        self.src, self.dst = src, dst
        self.buf = bytearray()
        self.eof = self.shut = False  # src sent FIN; FIN passed on to dst

    def wants_read(self) -> bool:
        return not self.eof and len(self.buf) < BUF_LIMIT

    def pump(self) -> None:
        """Move what can move without blocking; OSError means the splice is broken."""
        with contextlib.suppress(BlockingIOError, InterruptedError):
            if self.wants_read():
                chunk = self.src.recv(BUF_LIMIT - len(self.buf))
                self.eof = not chunk
                self.buf += chunk
        with contextlib.suppress(BlockingIOError, InterruptedError):
            if self.buf:
                del self.buf[:self.dst.send(self.buf)]
        if self.eof and not self.buf and not self.shut:
            self.dst.shutdown(socket.SHUT_WR)  # half-close: the other direction may go on
            self.shut = True


class _Splice:
    """A client connection and its connection to the container."""

    def __init__(self, proxy: Proxy, client: socket.socket, backend: socket.socket) -> None:
        self.proxy, self.client, self.backend = proxy, client, backend
        self.up, self.down = _Pipe(client, backend), _Pipe(backend, client)
        self.events = {client: 0, backend: 0}
        proxy.splices.add(self)
        if backend.connect_ex(proxy.container) not in (0, errno.EINPROGRESS):
            self.close()
        else:  # until the connect completes, client data waits in the kernel
            self._watch(backend, WRITE)

    def on_event(self, _mask: int) -> None:
        if self.client.fileno() < 0:
            return  # closed earlier in this same batch of events
        try:
            self.up.pump()
            self.down.pump()  # a failed connect surfaces here, as the backend recv's error
        except OSError:
            self.close()  # like docker-proxy, a failed connect just closes the client
            return
        if self.up.shut and self.down.shut:
            self.close()
            return
        self._watch(self.client, (READ if self.up.wants_read() else 0) | (WRITE if self.down.buf else 0))
        self._watch(self.backend, (READ if self.down.wants_read() else 0) | (WRITE if self.up.buf else 0))

    def _watch(self, sock: socket.socket, events: int) -> None:
        old, self.events[sock] = self.events[sock], events
        if not old and events:
            self.proxy.selector.register(sock, events, self.on_event)
        elif old and not events:
            self.proxy.selector.unregister(sock)
        elif old != events:
            self.proxy.selector.modify(sock, events, self.on_event)

    def close(self) -> None:
        for sock in self.events:
            self._watch(sock, 0)
            sock.close()
        self.proxy.splices.discard(self)


class _Flow:
    """One UDP client address, its connected socket to the container, and its last use."""

    def __init__(self, sock: socket.socket, client: Address, source: bytes | None) -> None:
        self.sock, self.client, self.source = sock, client, source
        self.last = time.monotonic()


class Proxy:
    """Owns the selector, the listening socket and every TCP splice and UDP flow."""

    def __init__(self, proto: str, host: Address, container: Address) -> None:
        """Set up the listening socket; OSError if it cannot be bound."""
        self.proto, self.host, self.container = proto, host, container
        self.selector = selectors.DefaultSelector()
        self.splices: set[_Splice] = set()
        self.flows: dict[Address, _Flow] = {}
        self.listener = socket.socket(type=socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM)
        if proto == "tcp":
            self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # despite TIME_WAIT
        else:  # learn each datagram's destination address, to answer from it
            self.listener.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
        self.listener.bind(host)
        if proto == "tcp":
            self.listener.listen(BACKLOG)
        self.listener.setblocking(False)
        self.selector.register(self.listener, READ,
                               lambda _mask: self._on_accept() if proto == "tcp" else self._on_datagrams())

    def step(self) -> None:
        oldest = min((flow.last for flow in self.flows.values()), default=None)
        timeout = None if oldest is None else max(0.0, oldest + UDP_IDLE - time.monotonic())
        for key, mask in self.selector.select(timeout):
            key.data(mask)
        # Expiry is checked lazily on every turn: cheap at lab scale, needs no timer thread.
        now = time.monotonic()
        for flow in [f for f in self.flows.values() if now - f.last >= UDP_IDLE]:
            self._drop(flow)

    def close(self) -> None:
        for splice in list(self.splices):
            splice.close()
        for flow in list(self.flows.values()):
            self._drop(flow)
        self.listener.close()
        self.selector.close()

    def _on_accept(self) -> None:
        for _ in range(BATCH):
            try:
                client, addr = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except ConnectionAbortedError:
                continue
            except OSError as exc:
                # Rare (fd exhaustion); a short stall of the whole loop beats spinning on it.
                print(f"docker-proxy: accept on port {self.host[1]}: {exc.strerror}",
                      file=sys.stderr, flush=True)
                time.sleep(ACCEPT_BACKOFF)
                return
            log_flow("tcp", addr, self.container)
            try:
                backend = socket.socket()
            except OSError:
                client.close()  # no socket left for the container side (EMFILE...)
                continue
            client.setblocking(False)
            backend.setblocking(False)
            _Splice(self, client, backend)

    def _on_datagrams(self) -> None:
        for _ in range(BATCH):
            try:
                data, ancdata, _flags, addr = self.listener.recvmsg(UDP_MAX, _ANCBUF)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                continue  # e.g. a queued ICMP error; the next datagram is unaffected
            flow = self.flows.get(addr) or self._new_flow(addr, ancdata)
            if flow is None:
                continue  # no socket for it (EMFILE, no route): drop it, as UDP may
            flow.last = time.monotonic()
            with contextlib.suppress(OSError):  # best effort, like UDP itself
                flow.sock.send(data)

    def _new_flow(self, client: Address, ancdata: list[tuple[int, int, bytes]]) -> _Flow | None:
        try:
            sock = socket.socket(type=socket.SOCK_DGRAM)
        except OSError:
            return None
        sock.setblocking(False)
        if sock.connect_ex(self.container):  # connected: only the container's replies get in
            sock.close()
            return None
        # in_pktinfo.ipi_spec_dst: the local address the client sent to.
        source = next((d[4:8] for level, kind, d in ancdata
                       if (level, kind) == (socket.IPPROTO_IP, IP_PKTINFO) and len(d) >= 12), None)
        flow = self.flows[client] = _Flow(sock, client, source)
        self.selector.register(sock, READ, lambda _mask: self._on_replies(flow))
        log_flow("udp", client, self.container)
        return flow

    def _on_replies(self, flow: _Flow) -> None:
        for _ in range(BATCH):
            try:
                data = flow.sock.recv(UDP_MAX)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                continue  # ECONNREFUSED: nothing listens in the container (yet); keep the flow
            flow.last = time.monotonic()
            # Answer from the address the client used: routing might pick another
            # (docker0's, say) and the client would drop the reply (moby/moby#48571).
            cmsg = [(socket.IPPROTO_IP, IP_PKTINFO, bytes(4) + flow.source + bytes(4))] if flow.source else []
            with contextlib.suppress(OSError):  # best effort, like UDP itself
                self.listener.sendmsg([data], cmsg, 0, flow.client)

    def _drop(self, flow: _Flow) -> None:
        del self.flows[flow.client]
        self.selector.unregister(flow.sock)
        flow.sock.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    ready_fd: int | None = args.ready_fd
    proxy = None
    try:
        stop_on_signals()
        try:
            proxy = Proxy(args.proto, (str(args.host_ip), args.host_port),
                          (str(args.container_ip), args.container_port))
        except OSError as exc:
            print(f"docker-proxy: cannot listen on {args.proto} port {args.host_port} ({args.host_ip}): "
                  f"{exc.strerror or exc}", file=sys.stderr, flush=True)
            return 2
        if ready_fd is not None:
            fd, ready_fd = ready_fd, None
            signal_ready(fd, "docker-proxy")
        while True:
            proxy.step()
    except Stop:
        return 0  # being told to stop is the proxy's normal way to end
    finally:
        if ready_fd is not None:  # EOF without "ready" tells the parent startup failed
            close_quietly(ready_fd)
        if proxy is not None:
            proxy.close()


if __name__ == "__main__":
    raise SystemExit(main())
