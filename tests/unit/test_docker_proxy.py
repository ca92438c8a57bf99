"""Black-box tests for netlab.workloads.docker_proxy, run as a real subprocess on loopback."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest

from netlab.workloads import docker_proxy

from .daemons import Daemons

LOCAL = "127.0.0.1"
BYE = b"<backend saw EOF>\n"


def free_port(kind: socket.SocketKind) -> int:
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind((LOCAL, 0))
        port: int = sock.getsockname()[1]
        return port


def read_all(sock: socket.socket, timeout: float = 5.0) -> bytes:
    sock.settimeout(timeout)
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def recv_exactly(sock: socket.socket, size: int, timeout: float = 5.0) -> bytes:
    sock.settimeout(timeout)
    data = b""
    while len(data) < size and (chunk := sock.recv(size - len(data))):
        data += chunk
    return data


# --- backends ---------------------------------------------------------------


class TcpUpper:
    """Echoes every chunk upper-cased; on EOF sends BYE and closes (so half-close shows)."""

    def __init__(self) -> None:
        self.sock = socket.create_server((LOCAL, 0))
        self.port: int = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed by the fixture
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    @staticmethod
    def _serve(conn: socket.socket) -> None:
        with conn:
            try:
                while chunk := conn.recv(65536):
                    conn.sendall(chunk.upper())
                conn.sendall(BYE)
            except OSError:
                pass


class UdpEcho:
    """Replies b"<payload> via <source port it saw>" to every datagram."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((LOCAL, 0))
        self.port: int = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                data, addr = self.sock.recvfrom(65535)
                self.sock.sendto(data + f" via {addr[1]}".encode(), addr)
            except OSError:
                return


@pytest.fixture
def tcp_backend() -> Iterator[TcpUpper]:
    backend = TcpUpper()
    yield backend
    backend.sock.close()


@pytest.fixture
def udp_backend() -> Iterator[UdpEcho]:
    backend = UdpEcho()
    yield backend
    backend.sock.close()


# --- the proxy subprocess -----------------------------------------------------


class Proxy:
    def __init__(self, proc: subprocess.Popen[bytes], ready: bytes, port: int) -> None:
        self.proc, self.ready, self.port = proc, ready, port

    def stop(self) -> tuple[int, str, str]:
        self.proc.send_signal(signal.SIGTERM)
        out, err = self.proc.communicate(timeout=5)
        return self.proc.returncode, out.decode(), err.decode()


class Launcher(Daemons):
    """Starts proxies for one test and kills whatever is left at teardown."""

    module = "netlab.workloads.docker_proxy"

    def start(self, proto: str, container_port: int, host_port: int | None = None) -> Proxy:
        kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
        port = host_port or free_port(kind)
        # Mixes single- and double-dash flags, as both must work.
        args = ["-proto", proto, "-host-ip", LOCAL, "--host-port", str(port),
                "-container-ip", LOCAL, f"-container-port={container_port}"]
        proc, ready = self.spawn(args)
        return Proxy(proc, ready, port)


@pytest.fixture
def launcher() -> Iterator[Launcher]:
    launcher = Launcher()
    try:
        yield launcher
    finally:
        launcher.kill_all()


def started(launcher: Launcher, proto: str, container_port: int) -> Proxy:
    proxy = launcher.start(proto, container_port)
    assert proxy.ready == f"ready {proxy.proc.pid}\n".encode()
    return proxy


# --- tests ------------------------------------------------------------------------


def test_tcp_round_trip_and_log(launcher: Launcher, tcp_backend: TcpUpper) -> None:
    proxy = started(launcher, "tcp", tcp_backend.port)
    with socket.create_connection((LOCAL, proxy.port), timeout=5) as client:
        client.sendall(b"hello")
        assert recv_exactly(client, 5) == b"HELLO"
        client_port = client.getsockname()[1]
    code, out, _err = proxy.stop()
    assert code == 0
    line = re.compile(rf"^\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{3}}Z tcp "
                      rf"127\.0\.0\.1:{client_port} -> 127\.0\.0\.1:{tcp_backend.port}$")
    assert any(line.match(text) for text in out.splitlines()), out


def test_two_concurrent_tcp_clients(launcher: Launcher, tcp_backend: TcpUpper) -> None:
    proxy = started(launcher, "tcp", tcp_backend.port)
    with socket.create_connection((LOCAL, proxy.port), timeout=5) as one, \
            socket.create_connection((LOCAL, proxy.port), timeout=5) as two:
        # Interleaved, so each connection is served while the other stays open.
        for n in range(3):
            one.sendall(b"one%d" % n)
            two.sendall(b"two%d" % n)
            assert recv_exactly(two, 4) == b"TWO%d" % n
            assert recv_exactly(one, 4) == b"ONE%d" % n


def test_tcp_half_close_delivers_the_whole_reply(launcher: Launcher, tcp_backend: TcpUpper) -> None:
    proxy = started(launcher, "tcp", tcp_backend.port)
    payload = bytes(range(97, 123)) * 40_000  # ~1 MB: more than the proxy buffers at once
    with socket.create_connection((LOCAL, proxy.port), timeout=5) as client:
        def send() -> None:
            client.sendall(payload)
            client.shutdown(socket.SHUT_WR)

        sender = threading.Thread(target=send)  # the proxy's buffers fill long before the reply is read
        sender.start()
        reply = read_all(client)
        sender.join()
    # BYE is sent only after the backend saw our EOF, so the half-close got through.
    assert reply == payload.upper() + BYE


def test_backend_down_closes_client_quickly(launcher: Launcher) -> None:
    proxy = started(launcher, "tcp", free_port(socket.SOCK_STREAM))
    with socket.create_connection((LOCAL, proxy.port), timeout=5) as client:
        began = time.monotonic()
        try:
            assert client.recv(100) == b""
        except ConnectionResetError:
            pass
        assert time.monotonic() - began < 2.0
    assert proxy.proc.poll() is None  # and the proxy keeps serving


def test_udp_flows_per_client(launcher: Launcher, udp_backend: UdpEcho) -> None:
    proxy = started(launcher, "udp", udp_backend.port)
    clients = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(2)]
    try:
        seen: list[set[bytes]] = [set(), set()]
        for n in range(3):
            for i, client in enumerate(clients):
                client.settimeout(5)
                client.sendto(b"c%d-%d" % (i, n), (LOCAL, proxy.port))
            for i, client in enumerate(clients):
                data, addr = client.recvfrom(65535)
                assert addr == (LOCAL, proxy.port)
                body, _, via = data.partition(b" via ")
                assert body == b"c%d-%d" % (i, n)
                seen[i].add(via)
        # One proxy socket (source port) per client, reused for all its datagrams.
        assert len(seen[0]) == len(seen[1]) == 1 and seen[0] != seen[1]
    finally:
        for client in clients:
            client.close()
    _code, out, _err = proxy.stop()
    assert len([text for text in out.splitlines() if " udp 127.0.0.1:" in text]) == 2, out


def test_port_in_use_exits_2_naming_the_port(launcher: Launcher) -> None:
    with socket.create_server((LOCAL, 0)) as taken:
        port = taken.getsockname()[1]
        proxy = launcher.start("tcp", 9, host_port=port)
        _out, err = proxy.proc.communicate(timeout=10)
    assert proxy.ready == b""  # EOF without "ready"
    assert proxy.proc.returncode == 2
    assert str(port) in err.decode() and len(err.decode().strip().splitlines()) == 1


def test_sigterm_exits_0(launcher: Launcher, tcp_backend: TcpUpper) -> None:
    proxy = started(launcher, "tcp", tcp_backend.port)
    with socket.create_connection((LOCAL, proxy.port), timeout=5):  # an open splice must not block exit
        code, _out, err = proxy.stop()
    assert code == 0 and err == ""


def test_udp_flow_expires_when_idle(udp_backend: UdpEcho, monkeypatch: pytest.MonkeyPatch) -> None:
    # In-process, with a short idle time, since the real one is 90 s.
    monkeypatch.setattr(docker_proxy, "UDP_IDLE", 0.2)
    proxy = docker_proxy.Proxy("udp", (LOCAL, 0), (LOCAL, udp_backend.port))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
        client.settimeout(5)
        try:
            client.sendto(b"ping", proxy.listener.getsockname())
            deadline = time.monotonic() + 5
            while not proxy.flows and time.monotonic() < deadline:
                proxy.step()
            flow = next(iter(proxy.flows.values()))
            while proxy.flows and time.monotonic() < deadline:
                proxy.step()
            assert not proxy.flows and flow.sock.fileno() == -1
        finally:
            proxy.close()
