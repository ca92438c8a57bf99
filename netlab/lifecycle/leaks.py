"""The leak detector: anything on this machine that carries a netlab mark but belongs to no lab that is up.

netlab marks what it makes in five ways: namespaces are named `netlab.<lab>.<object>`, and so are the folders of
/etc/netns that hold a namespace's own /etc files; every interface has the alias `netlab:<lab>`, each lab has a
state directory, and the lab's own daemons run the module `netlab.workloads.*`. A mark on something outside a
lab that is up (ready, or being built or torn down right now, under its lock) is a leak. That includes an
interface in the root namespace, which netlab never touches, and a namespace whose name is gone but which a
process still holds, alive and unnamed.

`netlab doctor --leaks` prints them; `netlab down --all` removes them; the test suite runs this at its end.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from netlab import naming, state
from netlab.kernel import netns, processes
from netlab.kernel.rtnl import RtnlSocket
from netlab.lifecycle.down import netns_folders_all
from netlab.plan import NETNS_ETC

WORKLOAD_MODULE = b"netlab.workloads."


@dataclass(frozen=True)
class Leak:
    kind: str  # namespace, state, process, interface, file
    lab: str  # "?" when the mark does not say
    what: str
    fix: str
    pids: tuple[int, ...] = field(default=())  # processes to stop to remove it


def find() -> list[Leak]:
    names = netns.list_names()
    marked = {split[0] for n in names if (split := naming.split_netns(n))}
    marked |= {split[0] for e in netns_folders_all() if (split := naming.split_netns(e))}
    in_use = {lab for lab in set(state.list_labs()) | marked if state.LabState(lab).is_ready() or state.is_locked(lab)}
    leaks: list[Leak] = []
    for lab in sorted({split[0] for e in netns_folders_all() if (split := naming.split_netns(e))} - in_use):
        leaks.append(Leak("file", lab, f"{NETNS_ETC}/{naming.NETNS_PREFIX}{lab}.* (files `ip netns exec` shows the "
                          "lab's namespaces)", f"netlab down {lab}"))
    named: dict[int, str] = {}  # namespace inode → name, for every named namespace
    for name in names:
        if (ino := netns.inode(name)) is not None:
            named[ino] = name
        split = naming.split_netns(name)
        if split and split[0] not in in_use:
            has_state = state.LabState(split[0]).exists()
            leaks.append(Leak("namespace", split[0], name, f"netlab down {split[0]}" if has_state else
                              f"netlab down {split[0]}  (no state: a crashed `up`, or the script of `netlab plan`)"))
    for lab in state.list_labs():
        if lab not in in_use:
            leaks.append(Leak("state", lab, str(state.LabState(lab).dir), f"netlab down {lab}  (an `up` that did "
                              "not finish)"))
    host = os.stat("/proc/self/ns/net").st_ino  # the namespace netlab runs in: never touched by a lab
    for lab in sorted(marked_labs("/proc/self/ns/net")):
        leaks.append(Leak("interface", lab, f"interface(s) marked netlab:{lab} in the host namespace",
                          "ip link del DEV  (netlab never creates interfaces there)"))
    where_is = processes.network_namespaces()
    unnamed: dict[int, list[int]] = {}
    for pid, ino in sorted(where_is.items()):
        if ino not in named and ino != host:
            unnamed.setdefault(ino, []).append(pid)
    held = set()
    for ino, holders in sorted(unnamed.items()):
        for lab in sorted(marked_labs(f"/proc/{holders[0]}/ns/net")):
            held.update(holders)
            leaks.append(Leak("namespace", lab, f"unnamed namespace net:[{ino}], still held by pid "
                              f"{', '.join(map(str, holders[:5]))}", "netlab down --all", pids=tuple(holders)))
    for pid, ino in sorted(where_is.items()):
        owner = naming.split_netns(named.get(ino, ""))
        if pid in held or (owner and owner[0] in in_use) or not is_workload(pid):
            continue
        where = named.get(ino) or ("the host namespace" if ino == host else f"unnamed namespace net:[{ino}]")
        leaks.append(Leak("process", owner[0] if owner else "?", f"pid {pid} {command_line(pid)} in {where}",
                          "netlab down --all", pids=(pid,)))
    return leaks


def is_workload(pid: int) -> bool:
    """A netlab daemon (echo server, docker-proxy)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return WORKLOAD_MODULE in f.read()
    except OSError:
        return False


def marked_labs(ns_path: str) -> set[str]:
    """The labs whose mark is on an interface in the network namespace at `ns_path`."""
    try:
        with RtnlSocket.at(ns_path) as sock:
            aliases = sock.aliases().values()
    except OSError:  # the process ended meanwhile
        return set()
    return {a[len(naming.ALIAS_PREFIX):] for a in aliases if a.startswith(naming.ALIAS_PREFIX)}


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
