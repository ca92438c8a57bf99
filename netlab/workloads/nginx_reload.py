"""Reload nginx and return once the new configuration takes every new connection.

`nginx -s reload` only signals the master: it starts new workers with the new configuration and tells the old
ones to finish. An old worker closes its listening sockets first, then serves the connections it has. Until it
has closed them (with `reuseport` each worker has its own), it may still accept a new connection under the old
configuration — so `netlab apply` waits for that, not for the old workers to exit, which a slow client can
delay for minutes:

    python -m netlab.workloads.nginx_reload --pid STATE/ingress/POD/nginx.pid -- nginx … -s reload

Standard library only.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

LISTEN = "0A"  # the TCP state in /proc/net/tcp
WAIT = 10.0


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def listening_inodes(pid: int) -> set[str]:
    """The inodes of the TCP sockets listening in `pid`'s network namespace."""
    inodes = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == LISTEN:
                inodes.add(fields[9])
    return inodes


def still_listening(pid: int, inodes: set[str]) -> bool:
    """Whether `pid` still holds one of the listening sockets (or is still there to tell)."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False  # gone
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m netlab.workloads.nginx_reload")
    parser.add_argument("--pid", type=Path, required=True, help="nginx's pid file")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- nginx … -s reload")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    master = int(args.pid.read_text().split()[0])
    old = children(master)
    done = subprocess.run(command, check=False)
    if done.returncode != 0:
        return done.returncode
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        workers = children(master)
        inodes = listening_inodes(master)
        if workers - old and not any(still_listening(pid, inodes) for pid in old & workers):
            return 0
        time.sleep(0.01)
    print(f"nginx_reload: the old workers of {master} still listen after {WAIT:g} s", file=sys.stderr)
    return 0  # the new configuration is loaded; a straggler only delays it


if __name__ == "__main__":
    sys.exit(main())
