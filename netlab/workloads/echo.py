"""Echo server workload: tells every client which addresses the server saw.

netlab starts one of these per pod or simulated internet host, e.g.

    python -m netlab.workloads.echo --name web1 --tcp 80 --http 8080 --udp 53 [--ready-fd N]

Every reply is one JSON line naming the server, the client address it saw
and the local address the client reached, so students can see SNAT/DNAT
rewrite addresses along the path.  One single-threaded selectors loop over
non-blocking sockets serves all ports, so a slow client never stalls another.
Only small stdlib modules are imported: the process is spawned once per pod.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import json
import os
import selectors
import socket
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from netlab.workloads import StopRequest, close_quietly, signal_ready

BACKLOG = 128
HEAD_LIMIT = 8 * 1024
CLIENT_TIMEOUT = 2.0
# Bounds the work done per readiness event so one busy socket cannot starve the rest.
BATCH = 64
# A listener whose accept() fails hard (EMFILE...) rests this long instead of spinning.
ACCEPT_BACKOFF = 0.5
# Told to stop, the server finishes the connections it has for at most this long (`down` waits 2 s).
DRAIN = 1.0

# Python < 3.12 lacks socket.IP_PKTINFO; 8 is its value in the Linux ABI.
_IP_PKTINFO: int | None = getattr(
    socket, "IP_PKTINFO", 8 if sys.platform.startswith("linux") else None
)
# struct in_pktinfo { int ipi_ifindex; in_addr ipi_spec_dst; in_addr ipi_addr; }
_PKTINFO_LEN = 12
_ANCBUF = socket.CMSG_SPACE(_PKTINFO_LEN) if _IP_PKTINFO is not None else 0
# The datagram payload is never used; a tiny buffer just truncates (discards) it.
_UDP_RECV_SIZE = 1

_TCHAR = frozenset(
    b"!#$%&'*+-.^_`|~0123456789"
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)
_REASONS = {200: "OK", 400: "Bad Request", 408: "Request Timeout"}

Address = tuple[str, int]
Handler = Callable[[int], None]


class BindError(Exception):
    """A listening socket could not be set up; str() is the message for the user."""


class Config:
    """Validated command line."""

    __slots__ = ("container", "name", "ports", "ready_fd", "version")

    def __init__(self, name: str, ports: list[tuple[str, int]], ready_fd: int | None,
                 version: str | None = None, container: str | None = None) -> None:
        self.name = name
        self.ports = ports
        self.ready_fd = ready_fd
        self.version = version
        self.container = container


# --- command line ----------------------------------------------------------


def _port(text: str) -> int:
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port: {text!r}") from None
    # Port 0 would bind a random port nobody is told about.
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port out of range 1-65535: {value}")
    return value


def _server_name(text: str) -> str:
    # The name is copied verbatim into an HTTP header, so only visible ASCII is safe.
    if not text or not all("!" <= ch <= "~" for ch in text):
        raise argparse.ArgumentTypeError(f"name must be visible ASCII without spaces: {text!r}")
    return text


def parse_args(argv: list[str] | None) -> Config:
    parser = argparse.ArgumentParser(
        prog="python -m netlab.workloads.echo",
        description="Answer TCP, HTTP and UDP clients with the addresses the server saw.",
    )
    parser.add_argument("--name", required=True, type=_server_name, help="name put in every reply")
    for proto in ("tcp", "http", "udp"):
        parser.add_argument(
            f"--{proto}", action="append", type=_port, default=[], metavar="PORT",
            help=f"serve {proto.upper()} on this port (repeatable)",
        )
    parser.add_argument("--version", metavar="TEXT", help="a Deployment's template version, put in every reply")
    parser.add_argument("--container", metavar="NAME", type=_server_name,
                        help="the container of a pod of several this server stands for, put in every reply; with it, "
                             "no port is needed (a sidecar that listens on nothing)")
    parser.add_argument(
        "--ready-fd", type=int, metavar="N",
        help='write "ready <pid>\\n" to this fd once every port listens, then close it',
    )
    args = parser.parse_args(argv)
    ports = [(proto, port) for proto in ("tcp", "http", "udp") for port in getattr(args, proto)]
    if not ports and args.container is None:
        parser.error("give at least one of --tcp, --http, --udp")
    return Config(args.name, ports, args.ready_fd, args.version, args.container)


# --- small helpers ---------------------------------------------------------


def reply_line(name: str, proto: str, client: Address, local: Address, version: str | None = None,
               request: Request | None = None, container: str | None = None) -> bytes:
    body: dict[str, str | int] = {
        "server": name,
        "proto": proto,
        "client": client[0],
        "client_port": client[1],
        "local": local[0],
        "local_port": local[1],
    }
    if container is not None:  # which container of a pod of several answered
        body["container"] = container
    if version is not None:  # a Deployment's pods say which template they run: watch a rollout move
        body["version"] = version
    if request is not None:  # what a proxy in front (an ingress controller) passed on
        body["path"] = request.target
        for key, value in (("host", request.host), ("x_forwarded_for", request.forwarded_for)):
            if value is not None:
                body[key] = value
    return (json.dumps(body) + "\n").encode()


def log_request(proto: str, client: Address, local: Address) -> None:
    now = time.time()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now))
    line = (
        f"{stamp}.{int(now * 1000) % 1000:03d}Z {proto} "
        f"{client[0]}:{client[1]} -> {local[0]}:{local[1]}\n"
    )
    try:
        # A raw write is flushed by construction and leaves no buffered data to
        # fail again at interpreter exit if the log reader has gone away.
        os.write(1, line.encode())
    except OSError:
        pass  # losing the log reader must not take the server down


def _warn(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def open_listener(proto: str, port: int) -> socket.socket:
    stream = proto != "udp"
    try:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM if stream else socket.SOCK_DGRAM)
    except OSError as exc:
        raise BindError(f"echo: cannot bind {proto} port {port}: {exc.strerror or exc}") from exc
    try:
        if stream:
            # Lets a restarted server rebind while old connections sit in TIME_WAIT.
            # Not set for UDP: there it would let two servers share the port silently.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        elif _IP_PKTINFO is not None:
            try:
                sock.setsockopt(socket.IPPROTO_IP, _IP_PKTINFO, 1)
            except OSError:
                pass  # replies then report the bound address as "local"
        sock.bind(("0.0.0.0", port))
        if stream:
            sock.listen(BACKLOG)
        sock.setblocking(False)
    except OSError as exc:
        sock.close()
        raise BindError(f"echo: cannot bind {proto} port {port}: {exc.strerror or exc}") from exc
    return sock


def find_head_end(buf: bytes | bytearray) -> int:
    """Index just past the blank line that ends a request head, or -1.

    Bare-LF line ends are accepted too (RFC 9112 section 2.2) because students
    type requests into nc by hand.
    """
    ends = [i + n for i, n in ((buf.find(b"\n\r\n"), 3), (buf.find(b"\n\n"), 2)) if i >= 0]
    return min(ends) if ends else -1


@dataclass(frozen=True)
class Request:
    method: str
    target: str  # the path (and query) asked for
    host: str | None
    forwarded_for: str | None  # X-Forwarded-For: the client a proxy connected for


def parse_request_head(head: bytes) -> Request | None:
    """A well-formed HTTP/1.x request head, or None if malformed."""
    request_line, *fields = [line.removesuffix(b"\r") for line in head.split(b"\n")]
    parts = request_line.split(b" ")
    if len(parts) != 3:
        return None
    method, target, version = parts
    if not method or not _TCHAR.issuperset(method):
        return None
    if not target or any(b <= 0x20 or b == 0x7F for b in target):
        return None
    if len(version) != 8 or not version.startswith(b"HTTP/1.") or not version[7:].isdigit():
        return None
    for field in fields:
        if not field:
            continue  # the terminating blank line
        name, colon, _value = field.partition(b":")
        # Also rejects obsolete line folding: the name would start with whitespace.
        if not colon or not name or not _TCHAR.issuperset(name):
            return None
    headers = http.client.parse_headers(io.BytesIO(b"\r\n".join([*fields, b""])))
    return Request(method.decode("ascii"), target.decode("latin-1"), headers.get("Host"),
                   headers.get("X-Forwarded-For"))


def _pktinfo(ancdata: Iterable[tuple[int, int, bytes]]) -> tuple[str, str] | None:
    """(destination address, preferred reply source) of a datagram, if the kernel said."""
    for level, kind, data in ancdata:
        if level == socket.IPPROTO_IP and kind == _IP_PKTINFO and len(data) >= _PKTINFO_LEN:
            return socket.inet_ntoa(data[8:12]), socket.inet_ntoa(data[4:8])
    return None


# --- connections -----------------------------------------------------------


class _Stream:
    """One accepted TCP or HTTP connection.

    States: "read" (HTTP head wanted), "send" (reply partly written),
    "drain" (write side shut; read until EOF so a close cannot turn into an
    RST that destroys the reply before the client reads it).
    """

    __slots__ = ("client", "deadline", "events", "inbuf", "local",
                 "outbuf", "proto", "server", "sock", "state")

    def __init__(self, server: EchoServer, sock: socket.socket, proto: str,
                 client: Address, local: Address) -> None:
        self.server = server
        self.sock = sock
        self.proto = proto
        self.client = client
        self.local = local
        self.state = "new"
        self.events = 0
        self.inbuf = bytearray()
        self.outbuf = b""
        self.deadline = time.monotonic() + CLIENT_TIMEOUT

    def start(self) -> None:
        if self.proto == "tcp":
            # Plain TCP answers at once: `nc host port </dev/null` sends nothing.
            log_request("tcp", self.client, self.local)
            self._send(reply_line(self.server.name, "tcp", self.client, self.local, self.server.version,
                                  container=self.server.container))
        else:
            self._watch("read", selectors.EVENT_READ)

    def on_event(self, mask: int) -> None:
        if self.state == "read":
            self._read_head()
        elif self.state == "send":
            self._flush()
        elif self.state == "drain":
            self._drain()

    def on_timeout(self) -> None:
        if self.state == "read" and self.inbuf:
            self._respond(408)
        else:
            self.close()

    def close(self) -> None:
        if self.events:
            self.server.selector.unregister(self.sock)
            self.events = 0
        self.server.streams.discard(self)
        self.sock.close()

    def _watch(self, state: str, events: int) -> None:
        if state != self.state:
            # Each phase gets its own time budget; total life stays bounded.
            self.deadline = time.monotonic() + CLIENT_TIMEOUT
            self.state = state
        if not self.events:
            self.server.selector.register(self.sock, events, self.on_event)
        elif events != self.events:
            self.server.selector.modify(self.sock, events, self.on_event)
        self.events = events

    def _read_head(self) -> None:
        try:
            chunk = self.sock.recv(HEAD_LIMIT + 1 - len(self.inbuf))
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self.close()
            return
        if not chunk:
            # The client half-closed before finishing a request.
            if self.inbuf:
                self._respond(400)
            else:
                self.close()
            return
        self.inbuf += chunk
        end = find_head_end(self.inbuf)
        if 0 <= end <= HEAD_LIMIT:
            request = parse_request_head(bytes(self.inbuf[:end]))
            self._respond(400 if request is None else 200, request)
        elif len(self.inbuf) > HEAD_LIMIT:
            self._respond(400)

    def _respond(self, status: int, request: Request | None = None) -> None:
        name = self.server.name
        body = reply_line(name, "http", self.client, self.local, self.server.version, request, self.server.container)
        method = request.method if request else "GET"
        head = (
            f"HTTP/1.1 {status} {_REASONS[status]}\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n"
            "Connection: close\r\n"
            f"X-Served-By: {name}\r\n"
            "\r\n"
        ).encode("ascii")
        log_request("http", self.client, self.local)
        self._send(head if method == "HEAD" else head + body)

    def _send(self, data: bytes) -> None:
        self.outbuf = data
        self._flush()

    def _flush(self) -> None:
        try:
            sent = self.sock.send(self.outbuf)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:
            self.close()
            return
        self.outbuf = self.outbuf[sent:]
        if self.outbuf:
            self._watch("send", selectors.EVENT_WRITE)
            return
        try:
            # FIN marks the end of the reply for nc and bash's /dev/tcp.
            self.sock.shutdown(socket.SHUT_WR)
        except OSError:
            self.close()
            return
        self._watch("drain", selectors.EVENT_READ)

    def _drain(self) -> None:
        for _ in range(BATCH):
            try:
                chunk = self.sock.recv(65536)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                break
            if not chunk:
                break
        else:
            return  # still streaming: continue on the next event, until the deadline
        self.close()


# --- server ----------------------------------------------------------------


class EchoServer:
    """Owns the selector, the listening sockets and all open connections."""

    def __init__(self, name: str, version: str | None = None, container: str | None = None) -> None:
        self.name = name
        self.version = version
        self.container = container
        self.selector = selectors.DefaultSelector()
        self.listeners: list[socket.socket] = []
        self.protos: dict[socket.socket, str] = {}  # listener → tcp | http | udp
        self.streams: set[_Stream] = set()
        self.paused: dict[socket.socket, tuple[float, Handler]] = {}

    def listen(self, ports: Iterable[tuple[str, int]]) -> None:
        """Bind every port; raises BindError on the first failure."""
        for proto, port in ports:
            sock = open_listener(proto, port)
            self.listeners.append(sock)
            self.protos[sock] = proto
            self.selector.register(sock, selectors.EVENT_READ, self._listener_handler(proto, sock))

    def serve_forever(self, stop: StopRequest) -> None:
        """Until told to stop (between two steps, never in the middle of one)."""
        self.selector.register(stop.read_fd, selectors.EVENT_READ, lambda _mask: stop.clear())
        while not stop.received:
            for key, mask in self.selector.select(self._select_timeout()):
                handler: Handler = key.data
                handler(mask)
            self._expire(time.monotonic())

    def drain(self, seconds: float) -> None:
        """Told to stop: take in what already reached the listening sockets (connections the kernel accepted,
        datagrams queued), stop listening, and finish those — as a pod given SIGTERM finishes its requests while
        it leaves a Service's endpoints. A connection that arrives after this is refused."""
        for sock in self.listeners:
            if self.protos[sock] == "udp":
                self._on_datagrams(sock, sock.getsockname()[1])
            else:
                self._on_accept(self.protos[sock], sock)
            with contextlib.suppress(KeyError, ValueError):
                self.selector.unregister(sock)
            sock.close()
        self.listeners.clear()
        self.paused.clear()
        deadline = time.monotonic() + seconds
        while self.streams and time.monotonic() < deadline:
            for key, mask in self.selector.select(min(0.05, max(0.0, deadline - time.monotonic()))):
                handler: Handler = key.data
                handler(mask)
            self._expire(time.monotonic())

    def close(self) -> None:
        for stream in list(self.streams):
            stream.close()
        for sock in self.listeners:
            sock.close()
        self.selector.close()

    def _listener_handler(self, proto: str, sock: socket.socket) -> Handler:
        if proto == "udp":
            port = sock.getsockname()[1]
            return lambda _mask: self._on_datagrams(sock, port)
        return lambda _mask: self._on_accept(proto, sock)

    def _select_timeout(self) -> float | None:
        deadlines = [s.deadline for s in self.streams]
        deadlines.extend(until for until, _handler in self.paused.values())
        if not deadlines:
            return None
        return max(0.0, min(deadlines) - time.monotonic())

    def _expire(self, now: float) -> None:
        for stream in [s for s in self.streams if s.deadline <= now]:
            stream.on_timeout()
        for sock, (until, handler) in list(self.paused.items()):
            if until <= now:
                del self.paused[sock]
                self.selector.register(sock, selectors.EVENT_READ, handler)

    def _on_accept(self, proto: str, listener: socket.socket) -> None:
        for _ in range(BATCH):
            try:
                sock, addr = listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except ConnectionAbortedError:
                continue
            except OSError as exc:
                _warn(f"echo: accept on {proto} port {listener.getsockname()[1]} failed: "
                      f"{exc.strerror or exc}; pausing")
                key = self.selector.unregister(listener)
                self.paused[listener] = (time.monotonic() + ACCEPT_BACKOFF, key.data)
                return
            try:
                sock.setblocking(False)
                local = sock.getsockname()
            except OSError:
                sock.close()
                continue
            stream = _Stream(self, sock, proto, (str(addr[0]), int(addr[1])),
                             (str(local[0]), int(local[1])))
            self.streams.add(stream)
            stream.start()

    def _on_datagrams(self, sock: socket.socket, port: int) -> None:
        for _ in range(BATCH):
            try:
                _data, ancdata, _flags, addr = sock.recvmsg(_UDP_RECV_SIZE, _ANCBUF)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                continue  # e.g. a queued ICMP error; the next datagram is unaffected
            client = (str(addr[0]), int(addr[1]))
            info = _pktinfo(ancdata)
            local = (info[0] if info else "0.0.0.0", port)
            log_request("udp", client, local)
            payload = reply_line(self.name, "udp", client, local, self.version, container=self.container)
            _send_datagram(sock, payload, client, info[1] if info else None)


def _send_datagram(sock: socket.socket, payload: bytes, client: Address, source: str | None) -> None:
    if source is not None and _IP_PKTINFO is not None:
        # Without this a multi-addressed host may answer from another address
        # than the one the client used, and the client would drop the reply.
        info = bytes(4) + socket.inet_aton(source) + bytes(4)
        try:
            sock.sendmsg([payload], [(socket.IPPROTO_IP, _IP_PKTINFO, info)], 0, client)
            return
        except BlockingIOError:
            return  # UDP is best effort: a full send buffer drops the reply
        except OSError:
            pass  # let routing pick the source instead
    try:
        sock.sendto(payload, client)
    except OSError:
        pass  # best effort, as above


# --- entry point -----------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    config = parse_args(argv)
    stop = StopRequest()
    ready_fd = config.ready_fd
    server = EchoServer(config.name, config.version, config.container)
    try:
        try:
            server.listen(config.ports)
        except BindError as exc:
            _warn(str(exc))
            return 2
        if ready_fd is not None:
            fd, ready_fd = ready_fd, None
            signal_ready(fd, "echo")
        server.serve_forever(stop)
        server.drain(DRAIN)
        return 0  # being told to stop is this server's normal way to end
    finally:
        if ready_fd is not None:
            close_quietly(ready_fd)  # EOF without "ready" tells the parent startup failed
        server.close()


if __name__ == "__main__":
    raise SystemExit(main())
