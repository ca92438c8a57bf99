"""The leak detector: anything on this machine that carries a netlab mark but belongs to no lab that is up.

netlab marks what it makes in four ways: namespaces are named `netlab.<lab>.<object>`, every interface
has the alias `netlab:<lab>`, each lab has a state directory, and the lab's daemons run the module
`netlab.workloads.*`. A mark on something outside a lab that is up (ready, or being built or torn down
right now, under its lock) is a leak. That includes an interface in the root namespace, which netlab never
touches, and a namespace whose name is gone but which a process still holds, alive and unnamed.

`netlab doctor --leaks` prints them; `netlab down --all` removes them; the test suite runs this at its end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from netlab import naming, state
from netlab.kernel import netns, processes
from netlab.kernel.rtnl import RtnlSocket

WORKLOAD_MODULE = b"netlab.workloads."


@dataclass(frozen=True)
class Leak:
    kind: str  # namespace, state, process, interface
    lab: str  # "?" when the mark does not say
    what: str
    fix: str
    pids: tuple[int, ...] = field(default=())  # processes to stop to remove it


def labs_in_use() -> set[str]:
    """Labs that are up, and labs an `up` or `down` is working on right now."""
    marked = {split[0] for n in netns.list_names() if (split := naming.split_netns(n))}
    return {lab for lab in set(state.list_labs()) | marked if state.LabState(lab).is_ready() or state.is_locked(lab)}


def find() -> list[Leak]:
    in_use = labs_in_use()
    leaks: list[Leak] = []
    named: dict[int, str] = {}  # namespace inode → name, for every named namespace
    for name in netns.list_names():
        if (ino := netns.inode(name)) is not None:
            named[ino] = name
        split = naming.split_netns(name)
        if split and split[0] not in in_use:
            has_state = state.LabState(split[0]).exists()
            leaks.append(Leak("namespace", split[0], name, f"netlab down {split[0]}" if has_state else
                              f"netlab down {split[0]}  (no state: a crashed `up`, or the script of `netlab plan`)"))
    for lab in state.list_labs():
        if lab in in_use:
            continue
        leaks.append(Leak("state", lab, str(state.LabState(lab).dir), f"netlab down {lab}  (an `up` that did "
                          "not finish)"))
    host = os.stat("/proc/self/ns/net").st_ino  # the namespace netlab runs in: never touched by a lab
    for lab in sorted(marked_labs("/proc/self/ns/net")):
        leaks.append(Leak("interface", lab, f"interface(s) marked netlab:{lab} in the host namespace",
                          "ip link del DEV  (netlab never creates interfaces there)"))
    unnamed = {ino: pids for ino, pids in namespace_holders().items() if ino not in named and ino != host}
    held = set()
    for ino, holders in sorted(unnamed.items()):
        for lab in sorted(marked_labs(f"/proc/{holders[0]}/ns/net")):
            held.update(holders)
            leaks.append(Leak("namespace", lab, f"unnamed namespace net:[{ino}], still held by pid "
                              f"{', '.join(map(str, holders[:5]))}", "netlab down --all", pids=tuple(holders)))
    for pid, ino in sorted(workloads().items()):
        owner = naming.split_netns(named.get(ino, ""))
        if owner and owner[0] in in_use:
            continue
        if pid in held:
            continue  # already reported with its unnamed namespace
        where = named.get(ino) or ("the host namespace" if ino == host else f"unnamed namespace net:[{ino}]")
        leaks.append(Leak("process", owner[0] if owner else "?", f"pid {pid} {command_line(pid)} in {where}",
                          "netlab down --all", pids=(pid,)))
    return leaks


def namespace_holders() -> dict[int, list[int]]:
    """Network namespace inode → the processes in it."""
    found: dict[int, list[int]] = {}
    for pid in pids():
        try:
            found.setdefault(os.stat(f"/proc/{pid}/ns/net").st_ino, []).append(pid)
        except OSError:
            continue
    return found


def workloads() -> dict[int, int]:
    """netlab daemons (echo servers, docker-proxy) anywhere on the machine: pid → namespace inode."""
    found = {}
    for pid in pids():
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if WORKLOAD_MODULE in f.read():
                    found[pid] = os.stat(f"/proc/{pid}/ns/net").st_ino
        except OSError:
            continue
    return found


def marked_labs(ns_path: str) -> set[str]:
    """The labs whose mark is on an interface in the network namespace at `ns_path`."""
    try:
        fd = os.open(ns_path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return set()
    try:
        sock = RtnlSocket(fd)
    finally:
        os.close(fd)
    try:
        aliases = sock.aliases().values()
    finally:
        sock.close()
    return {a[len(naming.ALIAS_PREFIX):] for a in aliases if a.startswith(naming.ALIAS_PREFIX)}


def pids() -> Iterator[int]:
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != me:
            yield int(entry)


def command_line(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv = [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
    except OSError:
        return "?"
    return " ".join(argv[1:4]) + (" …" if len(argv) > 4 else "")


def stop_leaked_processes(leaks: list[Leak]) -> int:
    """Stops the processes that hold leaked namespaces or are leaked daemons; returns how many."""
    targets = {pid for leak in leaks for pid in leak.pids}
    processes.stop(targets)
    return len(targets)
