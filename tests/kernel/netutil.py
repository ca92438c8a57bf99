"""Traffic from inside lab namespaces, for assertions: the test thread steps into the namespace, opens a
socket there (it stays there), and steps back — no subprocess, so failures are plain Python errors."""

from __future__ import annotations

import json
import re
import socket
import subprocess
from pathlib import Path
from typing import Any

from netlab import naming
from netlab.kernel import netns
from netlab.lifecycle import leaks


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


def workloads_in(ns: str) -> list[str]:
    """The command lines of the processes in namespace `ns`, read from /proc (without a Python interpreter's
    path and `--ready-fd N`, which is how `up` waits for a daemon, not part of the lab)."""
    pids = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True).stdout.split()
    commands = []
    for pid in pids:
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        words = [a.decode() for a in argv if a]
        if words and Path(words[0]).name.startswith("python"):  # the interpreter's path differs between runs
            words = words[1:]
        command = " ".join(words)
        commands.append(re.sub(r" --ready-fd \d+", "", command))
    return sorted(commands)


def leaks_of(lab: str) -> list[tuple[str, str]]:
    """What the leak detector finds of one lab: (kind, what)."""
    return [(leak.kind, leak.what) for leak in leaks.find() if leak.lab == lab]
