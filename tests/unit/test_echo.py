"""Black-box tests for netlab.workloads.echo, run as a real subprocess on loopback."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator

import pytest

from .daemons import Daemons

NAME = "web1"
KEYS = ["server", "proto", "client", "client_port", "local", "local_port"]
LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (tcp|udp|http) "
    r"127\.0\.0\.1:\d+ -> 127\.0\.0\.1:(\d+)$"
)


class Echo:
    """A running echo server subprocess and the ports it was given."""

    def __init__(self, proc: subprocess.Popen[bytes], ready: bytes,
                 all_ports: dict[str, list[int]]) -> None:
        self.proc = proc
        self.ready = ready
        self.all_ports = all_ports
        # The first port of each protocol, which is all most tests need.
        self.ports = {proto: numbers[0] for proto, numbers in all_ports.items() if numbers}


def free_ports(kind: socket.SocketKind, count: int) -> list[int]:
    # Hold every probe socket until all are picked so the ports are distinct.
    socks = [socket.socket(socket.AF_INET, kind) for _ in range(count)]
    try:
        for sock in socks:
            sock.bind(("0.0.0.0", 0))
        return [sock.getsockname()[1] for sock in socks]
    finally:
        for sock in socks:
            sock.close()


class Launcher(Daemons):
    """Starts echo servers for one test and kills whatever is left at teardown."""

    module = "netlab.workloads.echo"

    def start(self, tcp: int = 0, http: int = 0, udp: int = 0) -> Echo:
        """Start a server with the given number of ports per protocol, on free ports."""
        tcp_ports = free_ports(socket.SOCK_STREAM, tcp + http)
        ports = {
            "tcp": tcp_ports[:tcp],
            "http": tcp_ports[tcp:],
            "udp": free_ports(socket.SOCK_DGRAM, udp),
        }
        args = ["--name", NAME]
        for proto, numbers in ports.items():
            for port in numbers:
                args += [f"--{proto}", str(port)]
        proc, ready = self.spawn(args)
        return Echo(proc, ready, ports)


@pytest.fixture
def launcher() -> Iterator[Launcher]:
    launcher = Launcher()
    try:
        yield launcher
    finally:
        launcher.kill_all()


@pytest.fixture
def echo(launcher: Launcher) -> Echo:
    server = launcher.start(tcp=1, http=1, udp=1)
    assert server.ready == f"ready {server.proc.pid}\n".encode()
    return server


def read_all(sock: socket.socket, timeout: float = 5.0) -> bytes:
    sock.settimeout(timeout)
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def check_reply(line: bytes, proto: str, port: int, client_port: int | None = None) -> None:
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    reply = json.loads(line)
    # then, for a well-formed HTTP request, its path and the Host and X-Forwarded-For it sent
    assert list(reply)[:len(KEYS)] == KEYS
    assert set(list(reply)[len(KEYS):]) <= ({"path", "host", "x_forwarded_for"} if proto == "http" else set())
    assert reply["server"] == NAME
    assert reply["proto"] == proto
    assert reply["client"] == "127.0.0.1"
    assert reply["local"] == "127.0.0.1"
    assert reply["local_port"] == port
    if client_port is not None:
        assert reply["client_port"] == client_port


def raw_http(port: int, request: bytes) -> tuple[bytes, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request)
        head, _, body = read_all(sock).partition(b"\r\n\r\n")
    return head, body


# --- TCP ---------------------------------------------------------------------


def test_tcp_replies_at_once_and_closes(echo: Echo) -> None:
    port = echo.ports["tcp"]
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        # Sending nothing at all, like `nc host port </dev/null`.
        data = read_all(sock)
        check_reply(data, "tcp", port, sock.getsockname()[1])


def test_tcp_client_that_sends_data_still_gets_the_reply(echo: Echo) -> None:
    port = echo.ports["tcp"]
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"hello\n" * 1000)
        check_reply(read_all(sock), "tcp", port)


# --- HTTP --------------------------------------------------------------------


def test_http_get(echo: Echo) -> None:
    port = echo.ports["http"]
    # No proxy: an http_proxy in the environment must not reroute loopback.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"http://127.0.0.1:{port}/anything", timeout=5) as resp:
        assert resp.status == 200
        assert resp.headers["X-Served-By"] == NAME
        assert resp.headers["Content-Type"] == "application/json"
        assert resp.headers["Connection"] == "close"
        body = resp.read()
    assert int(resp.headers["Content-Length"]) == len(body)
    check_reply(body, "http", port)
    assert json.loads(body)["path"] == "/anything" and json.loads(body)["host"] == f"127.0.0.1:{port}"


def test_http_reports_what_a_proxy_in_front_passed_on(echo: Echo) -> None:
    """An ingress controller's request: the Host the client asked for and X-Forwarded-For, the client."""
    head, body = raw_http(echo.ports["http"], b"GET /api/orders?x=1 HTTP/1.1\r\nHost: shop.example.com\r\n"
                                              b"X-Forwarded-For: 203.0.113.10\r\n\r\n")
    reply = json.loads(body)
    assert (reply["path"], reply["host"], reply["x_forwarded_for"]) == ("/api/orders?x=1", "shop.example.com",
                                                                       "203.0.113.10")


def test_http_head_has_headers_only(echo: Echo) -> None:
    head, body = raw_http(echo.ports["http"], b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert body == b""


def test_http_accepts_bare_lf_line_ends(echo: Echo) -> None:
    head, body = raw_http(echo.ports["http"], b"GET / HTTP/1.0\n\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    check_reply(body, "http", echo.ports["http"])


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"NONSENSE\r\n\r\n",
        b"GET /\r\n\r\n",
        b"GET / HTTP/2.0\r\n\r\n",
        b"GET / HTTP/1.1\r\nno colon here\r\n\r\n",
        b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\n\r\n",  # head over 8 KiB
        b"GET / HTTP/1.1\r\nHost: x\r\n",  # client half-closes mid-head
    ],
    ids=["garbage", "http09", "http2", "bad-header", "too-long", "truncated"],
)
def test_malformed_http_gets_400(echo: Echo, request_bytes: bytes) -> None:
    port = echo.ports["http"]
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request_bytes)
        sock.shutdown(socket.SHUT_WR)
        head, _, body = read_all(sock).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert f"X-Served-By: {NAME}".encode() in head.split(b"\r\n")
    check_reply(body, "http", port)


def test_slow_http_client_does_not_block_tcp(echo: Echo) -> None:
    with socket.create_connection(("127.0.0.1", echo.ports["http"]), timeout=5) as slow:
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", echo.ports["tcp"]), timeout=5) as fast:
            check_reply(read_all(fast), "tcp", echo.ports["tcp"])
        # Well under the 2 s per-connection HTTP timeout.
        assert time.monotonic() - started < 1.5
        # The silent client is then dropped without a response.
        assert read_all(slow) == b""


def test_partial_http_head_times_out_with_408(echo: Echo) -> None:
    with socket.create_connection(("127.0.0.1", echo.ports["http"]), timeout=5) as sock:
        sock.sendall(b"GET / HT")
        head, _, body = read_all(sock).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 ")
    check_reply(body, "http", echo.ports["http"])


# --- UDP ---------------------------------------------------------------------


def test_udp_reply(echo: Echo) -> None:
    port = echo.ports["udp"]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(5)
        sock.bind(("127.0.0.1", 0))
        for payload in (b"", b"hello", b"x" * 2000):
            sock.sendto(payload, ("127.0.0.1", port))
            data, sender = sock.recvfrom(65536)
            assert sender == ("127.0.0.1", port)
            check_reply(data, "udp", port, sock.getsockname()[1])


# --- lifecycle ---------------------------------------------------------------


def test_repeated_flags_serve_every_port(launcher: Launcher) -> None:
    server = launcher.start(tcp=2, udp=2)
    assert server.ready == f"ready {server.proc.pid}\n".encode()
    for port in server.all_ports["tcp"]:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            check_reply(read_all(sock), "tcp", port)
    for port in server.all_ports["udp"]:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.settimeout(5)
            sock.sendto(b"x", ("127.0.0.1", port))
            check_reply(sock.recv(65536), "udp", port)


@pytest.mark.parametrize("proto", ["tcp", "http", "udp"])
def test_port_in_use_exits_2(launcher: Launcher, proto: str) -> None:
    kind = socket.SOCK_DGRAM if proto == "udp" else socket.SOCK_STREAM
    with socket.socket(socket.AF_INET, kind) as blocker:
        blocker.bind(("0.0.0.0", 0))
        if kind == socket.SOCK_STREAM:
            blocker.listen()
        port = blocker.getsockname()[1]
        proc, ready = launcher.spawn(["--name", NAME, f"--{proto}", str(port)])
        _out, err = proc.communicate(timeout=10)
    assert ready == b""  # fd closed without "ready"
    assert proc.returncode == 2
    lines = err.decode().splitlines()
    assert len(lines) == 1
    assert str(port) in lines[0] and proto in lines[0]


def test_bind_failure_releases_ports_already_bound(launcher: Launcher) -> None:
    good = free_ports(socket.SOCK_STREAM, 1)[0]
    with socket.socket() as blocker:
        blocker.bind(("0.0.0.0", 0))
        blocker.listen()
        busy = blocker.getsockname()[1]
        proc, ready = launcher.spawn(["--name", NAME, "--tcp", str(good), "--http", str(busy)])
        proc.communicate(timeout=10)
    assert (ready, proc.returncode) == (b"", 2)
    with socket.socket() as probe:
        probe.bind(("0.0.0.0", good))


def test_no_ports_is_a_usage_error(launcher: Launcher) -> None:
    proc, ready = launcher.spawn(["--name", NAME])
    _out, err = proc.communicate(timeout=10)
    assert (ready, proc.returncode) == (b"", 2)
    assert b"at least one" in err


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_exits_0_promptly(echo: Echo, signum: int) -> None:
    # An idle connection in progress must not delay shutdown.
    with socket.create_connection(("127.0.0.1", echo.ports["http"]), timeout=5):
        time.sleep(0.1)
        started = time.monotonic()
        echo.proc.send_signal(signum)
        _out, err = echo.proc.communicate(timeout=5)
    assert echo.proc.returncode == 0, err
    assert time.monotonic() - started < 2.0
    assert err == b""


def test_one_log_line_per_request(echo: Echo) -> None:
    with socket.create_connection(("127.0.0.1", echo.ports["tcp"]), timeout=5) as sock:
        read_all(sock)
    raw_http(echo.ports["http"], b"GET / HTTP/1.1\r\n\r\n")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(5)
        sock.sendto(b"x", ("127.0.0.1", echo.ports["udp"]))
        sock.recvfrom(65536)
    echo.proc.terminate()
    out, _err = echo.proc.communicate(timeout=5)
    lines = out.decode().splitlines()
    matches = [LOG_LINE.match(line) for line in lines]
    assert all(matches), lines
    seen = [(m.group(1), int(m.group(2))) for m in matches if m]
    assert seen == [(p, echo.ports[p]) for p in ("tcp", "http", "udp")]


def test_told_to_stop_it_finishes_what_reached_it_and_refuses_the_rest(echo: Echo) -> None:
    """A pod leaving a Service gets SIGTERM once kube-proxy no longer sends it new connections: a connection the
    kernel accepted just before is still answered; one that comes after is refused."""
    pending = socket.create_connection(("127.0.0.1", echo.ports["http"]), timeout=5)  # accepted by the kernel
    echo.proc.send_signal(signal.SIGTERM)
    pending.sendall(b"GET / HTTP/1.1\r\n\r\n")
    head, _, body = read_all(pending).partition(b"\r\n\r\n")
    pending.close()
    assert head.startswith(b"HTTP/1.1 200") and json.loads(body)["server"] == NAME
    echo.proc.communicate(timeout=5)
    assert echo.proc.returncode == 0
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", echo.ports["http"]), timeout=5)


def test_a_version_is_in_every_reply(launcher: Launcher) -> None:
    port = free_ports(socket.SOCK_STREAM, 1)[0]
    proc, ready = launcher.spawn(["--name", NAME, "--version", "v2", "--tcp", str(port)])
    assert ready.startswith(b"ready")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        assert json.loads(read_all(sock))["version"] == "v2"


def test_a_container_of_a_pod_of_several_is_named_in_every_reply_and_may_listen_on_nothing() -> None:
    from netlab.workloads.echo import parse_args, reply_line
    config = parse_args(["--name", "web", "--container", "sidecar"])
    assert (config.name, config.container, config.ports) == ("web", "sidecar", [])
    with pytest.raises(SystemExit):
        parse_args(["--name", "web"])  # a pod's one echo server serves something
    line = json.loads(reply_line("web", "tcp", ("10.0.0.1", 1), ("10.0.0.2", 80), container="app"))
    assert line["container"] == "app"
