"""Finding and stopping a lab's processes: the ones it started (pid + start time) and any left inside it."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterable


STOP_TIMEOUT = 2.0


def process_start_time(pid: int) -> int | None:
    """Field 22 of /proc/<pid>/stat: with the pid, it identifies one process for good (pids are reused)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return None
    return int(stat.rpartition(")")[2].split()[19])


def network_namespaces() -> dict[int, int]:
    """Every other process's network namespace, pid → namespace inode (one walk of /proc)."""
    found = {}
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == me:
            continue
        try:
            found[int(entry)] = os.stat(f"/proc/{entry}/ns/net").st_ino
        except OSError:
            continue
    return found


def in_namespace(pid: int, inode: int) -> bool:
    try:
        return os.stat(f"/proc/{pid}/ns/net").st_ino == inode
    except OSError:
        return False


def pids_in_namespaces(inodes: set[int]) -> set[int]:
    """Every process whose network namespace is one of `inodes` (what `ip netns pids` does, for many)."""
    return {pid for pid, ino in network_namespaces().items() if ino in inodes}


def still_ours(pid: int, start_time: int) -> bool:
    """True while `pid` is the very process we started (not a later one that reused the number)."""
    return process_start_time(pid) == start_time and not is_zombie(pid)


def is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rpartition(")")[2].split()[0] == "Z"
    except OSError:
        return True


def stop(pids: Iterable[int]) -> None:
    """SIGTERM, a short wait, then SIGKILL for what is left."""
    targets = {pid: st for pid in pids if (st := process_start_time(pid)) is not None}
    for pid in targets:
        send_signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    pause = 0.001  # most daemons end within a few milliseconds: look often at first, then less
    while targets and time.monotonic() < deadline:
        targets = {pid: st for pid, st in targets.items() if still_ours(pid, st)}
        _reap(targets)
        if targets:
            time.sleep(pause)
            pause = min(pause * 2, 0.02)
    for pid, st in targets.items():
        if still_ours(pid, st):
            send_signal(pid, signal.SIGKILL)
    _reap(targets)


def send_signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _reap(pids: Iterable[int]) -> None:
    """Collects exit statuses of our own children (when `up` and `down` ran in one process, as in tests)."""
    for pid in list(pids):
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
