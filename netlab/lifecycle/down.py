"""Teardown: stop a lab's processes, delete its namespaces (which deletes every link, route and rule in
them), remove its state. Works from the journal, then from the namespace marks, so it finishes the job
after a crash, after the YAML was edited or deleted, and when called twice."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from netlab import naming, state
from netlab.kernel import netns, processes
from netlab.plan import NETNS_ETC


@dataclass
class TeardownReport:
    lab: str
    namespaces: list[str] = field(default_factory=list)
    processes: int = 0
    files: int = 0
    had_state: bool = False

    @property
    def found_anything(self) -> bool:
        return bool(self.namespaces or self.processes or self.files or self.had_state)


def lab_namespaces(lab: str) -> list[str]:
    """Namespaces carrying this lab's mark, whether or not the state knows them."""
    return [n for n in netns.list_names() if (split := naming.split_netns(n)) and split[0] == lab]


def teardown(lab: str, lab_state: state.LabState | None = None) -> TeardownReport:
    """Removes everything of `lab`. The caller holds the lab's lock."""
    lab_state = lab_state or state.LabState(lab)
    report = TeardownReport(lab, had_state=lab_state.exists())
    names = list(dict.fromkeys(lab_state.namespaces() + lab_namespaces(lab)))
    inodes = {i for n in names if (i := netns.inode(n)) is not None}
    started = [p.pid for p in lab_state.processes() if processes.still_ours(p.pid, p.start_time)]
    # Anything else running inside the lab (a shell from `netlab exec`, a crashed `up`'s half-started
    # daemon) would keep a deleted namespace alive, unnamed: stop it too.
    inside = processes.pids_in_namespaces(inodes) if inodes else set()
    targets = set(started) | inside
    processes.stop(targets)
    report.processes = len(targets)
    for name in names:
        if netns.delete(name):
            report.namespaces.append(name)
    report.files = remove_netns_files(lab, lab_state.files())
    lab_state.remove()
    return report


def netns_folders(lab: str) -> list[Path]:
    """/etc/netns/netlab.LAB.* — the lab's files that `ip netns exec` shows its namespaces (resolv.conf…)."""
    return [Path(NETNS_ETC, e) for e in sorted(netns_folders_all()) if (split := naming.split_netns(e))
            and split[0] == lab]


def remove_netns_files(lab: str, journaled: list[str]) -> int:
    """Removes the files the journal names, then every /etc/netns folder carrying the lab's mark; returns how
    many files went."""
    removed = 0
    for path in journaled:
        try:
            os.unlink(path)
            removed += 1
        except FileNotFoundError:
            pass
    for folder in netns_folders(lab):
        removed += sum(1 for p in folder.rglob("*") if p.is_file())
        shutil.rmtree(folder, ignore_errors=True)
    return removed


def down(lab: str) -> TeardownReport:
    with state.locked(lab):
        return teardown(lab)


def all_labs() -> list[str]:
    """Every lab with state, marked namespaces (a lab built by the rendered script has no state) or files in
    /etc/netns."""
    marked = {split[0] for n in netns.list_names() if (split := naming.split_netns(n))}
    etc = {split[0] for p in netns_folders_all() if (split := naming.split_netns(p))}
    return sorted(set(state.list_labs()) | marked | etc)


def netns_folders_all() -> list[str]:
    try:
        return os.listdir(NETNS_ETC)
    except OSError:
        return []


def down_all() -> tuple[list[TeardownReport], int]:
    """Every lab, then whatever the leak detector still finds: the reports, and how many stray processes (daemons
    and holders of unnamed namespaces that no lab owns) were stopped."""
    from netlab.lifecycle import leaks
    reports = [down(name) for name in all_labs()]
    return reports, leaks.stop_leaked_processes(leaks.find())
