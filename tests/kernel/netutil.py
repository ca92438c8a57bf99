"""Traffic from inside lab namespaces, for assertions: the test thread steps into the namespace, opens a
socket there (it stays there), and steps back — no subprocess, so failures are plain Python errors."""

from __future__ import annotations

import json
import socket
import subprocess
from typing import Any

from netlab import naming
from netlab.kernel import netns


def ns_socket(lab: str, where: str, kind: int) -> socket.socket:
    with netns.inside(naming.netns(lab, where)):
        return socket.socket(socket.AF_INET, kind)


def http_get(lab: str, where: str, host: str, port: int = 80, timeout: float = 3.0) -> dict[str, Any]:
    """GET / from namespace `where`; returns the echo server's JSON (who answered, whom it saw)."""
    with ns_socket(lab, where, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect((host, port))
        s.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(4096):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head
    result: dict[str, Any] = json.loads(body)
    return result


def tcp_line(lab: str, where: str, host: str, port: int, timeout: float = 3.0) -> dict[str, Any]:
    with ns_socket(lab, where, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect((host, port))
        result: dict[str, Any] = json.loads(s.makefile().readline())
        return result


def udp_query(lab: str, where: str, host: str, port: int, timeout: float = 3.0) -> dict[str, Any]:
    with ns_socket(lab, where, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(b"hello\n", (host, port))
        result: dict[str, Any] = json.loads(s.recv(4096))
        return result


def run_in(lab: str, where: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", "netns", "exec", naming.netns(lab, where), *argv],
                          capture_output=True, text=True, timeout=30, check=False)
