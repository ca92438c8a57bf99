"""Userland port proxy workload: stands in for dockerd's docker-proxy, one published port each.

With `--userland-proxy=true` (Docker's default) dockerd runs one docker-proxy per
published port.  It carries what the iptables DNAT rules skip: connections from
the host itself to 127.0.0.1, and from containers on docker0 to a host address
(`-A DOCKER -i docker0 -j RETURN`).  netlab runs this in the node's namespace
in its place, with docker-proxy's own flags (one or two dashes), e.g.

    python -m netlab.workloads.docker_proxy -proto tcp -host-ip 0.0.0.0 -host-port 8080 \
        -container-ip 172.17.0.2 -container-port 80 [--ready-fd N]

TCP connections are spliced to a fresh connection to the container; UDP goes
through one connected socket per client address, dropped after 90 s idle.  The
container thus sees the proxy, not the client, as the source.  One
single-threaded selectors loop over non-blocking sockets serves everything.
"""

from __future__ import annotations

import argparse
import dataclasses
import errno
import ipaddress
import os
import selectors
import signal
import socket
import sys
import time
from collections.abc import Callable, Iterable
from types import FrameType

BACKLOG = 128
# Bounds the work done per readiness event so one busy socket cannot starve the rest.
BATCH = 64
# Per direction; a full buffer stops reading, so a slow reader pushes back on the sender.
BUF_LIMIT = 64 * 1024
UDP_IDLE = 90.0  # docker-proxy's UDPConnTrackTimeout
UDP_MAX = 65535
# A listener whose accept() fails hard (EMFILE...) rests this long instead of spinning.
ACCEPT_BACKOFF = 0.5

# Python < 3.12 lacks socket.IP_PKTINFO; 8 is its value in the Linux ABI.
_IP_PKTINFO: int | None = getattr(
    socket, "IP_PKTINFO", 8 if sys.platform.startswith("linux") else None
)
_PKTINFO_LEN = 12  # struct in_pktinfo { int ifindex; in_addr spec_dst; in_addr addr; }
_ANCBUF = socket.CMSG_SPACE(_PKTINFO_LEN) if _IP_PKTINFO is not None else 0

Address = tuple[str, int]
Handler = Callable[[int], None]
READ, WRITE = selectors.EVENT_READ, selectors.EVENT_WRITE


class BindError(Exception):
    """The listening socket could not be set up; str() is the message for the user."""


class _Stop(BaseException):
    """Raised by the signal handler; BaseException so `except OSError` cannot eat it."""


@dataclasses.dataclass(frozen=True)
class Config:
    proto: str
    host: Address
    container: Address
    ready_fd: int | None


def _port(text: str) -> int:
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port: {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port out of range 1-65535: {value}")
    return value


def _ip(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid IP address: {text!r}") from None


def parse_args(argv: list[str] | None) -> Config:
    # allow_abbrev=False: Go's flag package takes no abbreviations either.
    parser = argparse.ArgumentParser(
        prog="python -m netlab.workloads.docker_proxy", allow_abbrev=False,
        description="Forward one published port to a container, as docker-proxy does.",
    )

    def flag(name: str) -> tuple[str, str]:
        return f"-{name}", f"--{name}"

    parser.add_argument(*flag("proto"), choices=("tcp", "udp"), default="tcp", help="default tcp")
    parser.add_argument(*flag("host-ip"), type=_ip, required=True, help="address to listen on")
    parser.add_argument(*flag("host-port"), type=_port, required=True, help="port to listen on")
    parser.add_argument(*flag("container-ip"), type=_ip, required=True, help="address to forward to")
    parser.add_argument(*flag("container-port"), type=_port, required=True, help="port to forward to")
    parser.add_argument(*flag("ready-fd"), type=int, metavar="N",
                        help='write "ready <pid>\\n" to this fd once listening, then close it')
    a = parser.parse_args(argv)
    return Config(a.proto, (a.host_ip, a.host_port), (a.container_ip, a.container_port), a.ready_fd)


def _family(ip: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in ip else socket.AF_INET


def _fmt(addr: Address) -> str:
    return f"[{addr[0]}]:{addr[1]}" if ":" in addr[0] else f"{addr[0]}:{addr[1]}"


def log_flow(proto: str, client: Address, container: Address) -> None:
    now = time.time()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now))
    line = f"{stamp}.{int(now * 1000) % 1000:03d}Z {proto} {_fmt(client)} -> {_fmt(container)}\n"
    try:
        os.write(1, line.encode())  # unbuffered, so nothing is left to fail at exit
    except OSError:
        pass  # losing the log reader must not take the proxy down


def _warn(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _close_fd(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


def signal_ready(fd: int) -> None:
    try:
        os.write(fd, f"ready {os.getpid()}\n".encode())
    except OSError as exc:
        _warn(f"docker-proxy: cannot write to --ready-fd {fd}: {exc.strerror or exc}")
    finally:
        _close_fd(fd)


def open_listener(proto: str, host: Address) -> socket.socket:
    where = f"docker-proxy: cannot listen on {proto} port {host[1]} ({_fmt(host)})"
    family = _family(host[0])
    try:
        sock = socket.socket(family, socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM)
    except OSError as exc:
        raise BindError(f"{where}: {exc.strerror or exc}") from exc
    try:
        if proto == "tcp":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # rebind despite TIME_WAIT
        if family == socket.AF_INET6:
            # dockerd starts a separate proxy for 0.0.0.0; a dual-stack :: would clash with it.
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        elif proto == "udp" and _IP_PKTINFO is not None:
            sock.setsockopt(socket.IPPROTO_IP, _IP_PKTINFO, 1)
        sock.bind(host)
        if proto == "tcp":
            sock.listen(BACKLOG)
        sock.setblocking(False)
    except OSError as exc:
        sock.close()
        raise BindError(f"{where}: {exc.strerror or exc}") from exc
    return sock


def _spec_dst(ancdata: Iterable[tuple[int, int, bytes]]) -> str | None:
    """The local address a datagram was sent to (as the reply source), if the kernel said."""
    for level, kind, data in ancdata:
        if level == socket.IPPROTO_IP and kind == _IP_PKTINFO and len(data) >= _PKTINFO_LEN:
            return socket.inet_ntoa(data[4:8])
    return None


class _Pipe:
    """One direction of a spliced TCP connection."""

    __slots__ = ("buf", "dst", "eof", "shut", "src")

    def __init__(self, src: socket.socket, dst: socket.socket) -> None:
        self.src, self.dst = src, dst
        self.buf = bytearray()
        self.eof = False  # src sent FIN
        self.shut = False  # FIN passed on to dst

    def wants_read(self) -> bool:
        return not self.eof and len(self.buf) < BUF_LIMIT

    def pump(self) -> None:
        """Move what can move without blocking; OSError means the splice is broken."""
        if self.wants_read():
            try:
                chunk = self.src.recv(BUF_LIMIT - len(self.buf))
                self.eof = not chunk
                self.buf += chunk
            except (BlockingIOError, InterruptedError):
                pass
        if self.buf:
            try:
                del self.buf[:self.dst.send(self.buf)]
            except (BlockingIOError, InterruptedError):
                pass
        if self.eof and not self.buf and not self.shut:
            self.dst.shutdown(socket.SHUT_WR)  # half-close: the other direction may go on
            self.shut = True


class _Splice:
    """A client connection and its connection to the container."""

    def __init__(self, proxy: Proxy, client: socket.socket, backend: socket.socket) -> None:
        self.proxy, self.client, self.backend = proxy, client, backend
        self.up, self.down = _Pipe(client, backend), _Pipe(backend, client)
        self.events = {client: 0, backend: 0}
        self.connected = False

    def start(self) -> None:
        if self.backend.connect_ex(self.proxy.container) not in (0, errno.EINPROGRESS):
            self.close()
            return
        # Client data waits in the kernel until the container connection is up.
        self._watch(self.backend, WRITE)

    def on_event(self, _mask: int) -> None:
        if self.client.fileno() < 0:
            return  # closed earlier in this same batch of events
        try:
            if not self.connected:
                err = self.backend.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    raise OSError(err, os.strerror(err))
                self.connected = True
            self.up.pump()
            self.down.pump()
        except OSError:
            # Like docker-proxy, a failed connect just closes the client connection.
            self.close()
            return
        if self.up.shut and self.down.shut:
            self.close()
            return
        self._watch(self.client, (READ if self.up.wants_read() else 0) | (WRITE if self.down.buf else 0))
        self._watch(self.backend, (READ if self.down.wants_read() else 0) | (WRITE if self.up.buf else 0))

    def _watch(self, sock: socket.socket, events: int) -> None:
        old = self.events[sock]
        if events == old:
            return
        if not old:
            self.proxy.selector.register(sock, events, self.on_event)
        elif not events:
            self.proxy.selector.unregister(sock)
        else:
            self.proxy.selector.modify(sock, events, self.on_event)
        self.events[sock] = events

    def close(self) -> None:
        for sock, events in self.events.items():
            if events:
                self.proxy.selector.unregister(sock)
            sock.close()
        self.events = dict.fromkeys(self.events, 0)
        self.proxy.splices.discard(self)


class _Flow:
    """One UDP client address and its connected socket to the container."""

    __slots__ = ("client", "last", "sock", "source")

    def __init__(self, sock: socket.socket, client: Address, source: str | None) -> None:
        self.sock, self.client, self.source = sock, client, source
        self.last = time.monotonic()


class Proxy:
    """Owns the selector, the listening socket and every TCP splice and UDP flow."""

    def __init__(self, config: Config) -> None:
        self.proto, self.host, self.container = config.proto, config.host, config.container
        self.selector = selectors.DefaultSelector()
        self.listener: socket.socket | None = None
        self.splices: set[_Splice] = set()
        self.flows: dict[Address, _Flow] = {}
        self.resume_at: float | None = None  # when a paused listener is watched again

    def listen(self) -> None:
        self.listener = open_listener(self.proto, self.host)
        self._watch_listener()

    def serve_forever(self) -> None:
        while True:
            self.step()

    def step(self) -> None:
        for key, mask in self.selector.select(self._timeout()):
            handler: Handler = key.data
            handler(mask)
        self._expire(time.monotonic())

    def close(self) -> None:
        for splice in list(self.splices):
            splice.close()
        for flow in list(self.flows.values()):
            self._drop(flow)
        if self.listener is not None:
            self.listener.close()
        self.selector.close()

    def _watch_listener(self) -> None:
        assert self.listener is not None
        on_ready = self._on_accept if self.proto == "tcp" else self._on_datagrams
        self.selector.register(self.listener, READ, lambda _mask: on_ready())

    def _timeout(self) -> float | None:
        deadlines = [flow.last + UDP_IDLE for flow in self.flows.values()]
        if self.resume_at is not None:
            deadlines.append(self.resume_at)
        return max(0.0, min(deadlines) - time.monotonic()) if deadlines else None

    def _expire(self, now: float) -> None:
        # Lazily, on every loop turn: cheap at lab scale and needs no timers or threads.
        for flow in [f for f in self.flows.values() if now - f.last >= UDP_IDLE]:
            self._drop(flow)
        if self.resume_at is not None and self.resume_at <= now:
            self.resume_at = None
            self._watch_listener()

    def _on_accept(self) -> None:
        assert self.listener is not None
        for _ in range(BATCH):
            try:
                client, addr = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except ConnectionAbortedError:
                continue
            except OSError as exc:
                _warn(f"docker-proxy: accept on {_fmt(self.host)} failed: {exc.strerror or exc}; pausing")
                self.selector.unregister(self.listener)
                self.resume_at = time.monotonic() + ACCEPT_BACKOFF
                return
            log_flow("tcp", (str(addr[0]), int(addr[1])), self.container)
            try:
                backend = socket.socket(_family(self.container[0]), socket.SOCK_STREAM)
            except OSError:
                client.close()
                continue
            client.setblocking(False)
            backend.setblocking(False)
            splice = _Splice(self, client, backend)
            self.splices.add(splice)
            splice.start()

    def _on_datagrams(self) -> None:
        assert self.listener is not None
        for _ in range(BATCH):
            try:
                data, ancdata, _flags, addr = self.listener.recvmsg(UDP_MAX, _ANCBUF)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                continue  # e.g. a queued ICMP error; the next datagram is unaffected
            client = (str(addr[0]), int(addr[1]))
            flow = self.flows.get(client) or self._new_flow(client, _spec_dst(ancdata))
            if flow is None:
                continue  # no socket for it (EMFILE, no route): drop, as UDP may
            flow.last = time.monotonic()
            for _attempt in range(2):
                try:
                    flow.sock.send(data)
                except ConnectionRefusedError:
                    continue  # reports an earlier datagram's ICMP error, now cleared: resend
                except OSError:
                    pass  # best effort: drop this datagram
                break

    def _new_flow(self, client: Address, source: str | None) -> _Flow | None:
        try:
            sock = socket.socket(_family(self.container[0]), socket.SOCK_DGRAM)
        except OSError:
            return None
        try:
            sock.setblocking(False)
            sock.connect(self.container)  # so only the container's replies reach this flow
        except OSError:
            sock.close()
            return None
        flow = _Flow(sock, client, source)
        self.flows[client] = flow
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
            self._reply(data, flow)

    def _reply(self, data: bytes, flow: _Flow) -> None:
        assert self.listener is not None
        if flow.source is not None and _IP_PKTINFO is not None:
            # Answer from the address the client used; routing might pick another
            # (say docker0's), which the client would drop (moby/moby#48571).
            info = bytes(4) + socket.inet_aton(flow.source) + bytes(4)
            try:
                self.listener.sendmsg([data], [(socket.IPPROTO_IP, _IP_PKTINFO, info)], 0, flow.client)
                return
            except BlockingIOError:
                return  # full send buffer: drop, as UDP may
            except OSError:
                pass  # let routing pick the source instead
        try:
            self.listener.sendto(data, flow.client)
        except OSError:
            pass

    def _drop(self, flow: _Flow) -> None:
        self.flows.pop(flow.client, None)
        self.selector.unregister(flow.sock)
        flow.sock.close()


def _stop(signum: int, frame: FrameType | None) -> None:
    # Ignore repeats so a second signal cannot interrupt the cleanup the first started.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise _Stop


def main(argv: list[str] | None = None) -> int:
    config = parse_args(argv)
    ready_fd = config.ready_fd
    proxy = Proxy(config)
    try:
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        try:
            proxy.listen()
        except BindError as exc:
            _warn(str(exc))
            return 2
        if ready_fd is not None:
            fd, ready_fd = ready_fd, None
            signal_ready(fd)
        proxy.serve_forever()
    except _Stop:
        return 0  # being told to stop is the proxy's normal way to end
    finally:
        if ready_fd is not None:
            _close_fd(ready_fd)  # EOF without "ready" tells the parent startup failed
        proxy.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
