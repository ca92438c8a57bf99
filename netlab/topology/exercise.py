"""The `exercise:` section of a topology: a broken lab's task, hints, how it is broken, its checks, its solution.

An exercise runs commands as root in the lab's namespaces, so they are held to what a network lesson needs:
argv (split like a shell would, but never run by one), from a short list of network tools, and nothing that
leaves the lab — no `ip netns`, no `-n NETNS`, no sysctl outside `net.*` (those are per namespace).
"""

from __future__ import annotations

import shlex

from netlab.topology.model import Check, Command, Edit, Exercise
from netlab.topology.reader import Path, Reader

PROGRAMS = ("ip", "bridge", "tc", "iptables", "iptables-save", "iptables-restore", "nft", "conntrack", "ipset",
            "ipvsadm", "ss", "sysctl")
LEAVING = {"netns", "-n", "-netns", "--netns", "-N"}  # options of ip/bridge/tc that act on another namespace
FIELDS = ("title", "task", "hints", "break", "checks", "solution")


def read_exercise(r: Reader, value: object, members: set[str], probes: set[str]) -> Exercise | None:
    """`members`: the names a command may run on; `probes`: the names of the lab's declared probes."""
    if value is None:
        return None
    path: Path = ("exercise",)
    m = r.mapping(value, path, FIELDS)
    if not m and isinstance(value, dict):
        return None
    for key in ("title", "task", "checks"):
        if key not in m:
            r.problem(path, f"an exercise needs '{key}'")
    hints = tuple(str(h) for h in r.sequence(m.get("hints"), path + ("hints",)))
    breaks = [command(r, item, path + ("break", i), members)
              for i, item in enumerate(r.sequence(m.get("break"), path + ("break",)))]
    checks = [check(r, item, path + ("checks", i), members, probes)
              for i, item in enumerate(r.sequence(m.get("checks"), path + ("checks",)))]
    solution = [solution_step(r, item, path + ("solution", i), members)
                for i, item in enumerate(r.sequence(m.get("solution"), path + ("solution",)))]
    if "solution" not in m:
        r.problem(path, "an exercise needs a 'solution'", "the steps that fix it: `netlab check --solution` proves "
                                                           "the exercise can be solved")
    return Exercise(
        title=r.text(m, "title", path, "") or "",
        task=r.text(m, "task", path, "") or "",
        hints=hints,
        breaks=tuple(b for b in breaks if b),
        checks=tuple(c for c in checks if c),
        solution=tuple(s for s in solution if s),
    )


def command(r: Reader, value: object, path: Path, members: set[str]) -> Command | None:
    m = r.mapping(value, path, ("in", "run"))
    return command_in(r, m, path, members)


def command_in(r: Reader, m: dict[str, object], path: Path, members: set[str]) -> Command | None:
    where, run = r.text(m, "in", path), r.text(m, "run", path)
    if where is not None and where not in members:
        r.problem(path + ("in",), f"unknown namespace '{where}'", "one of: " + ", ".join(sorted(members)))
        return None
    if where is None or run is None:
        return None
    try:
        argv = tuple(shlex.split(run))
    except ValueError as e:
        r.problem(path + ("run",), f"cannot split '{run}' into arguments: {e}")
        return None
    if not argv or argv[0] not in PROGRAMS:
        r.problem(path + ("run",), f"'{argv[0] if argv else ''}' is not a network tool an exercise may run",
                  "one of: " + ", ".join(PROGRAMS) + " (no shell: pipes and ; are not special)")
        return None
    if argv[0] in ("ip", "bridge", "tc") and LEAVING & set(argv[1:]):
        r.problem(path + ("run",), "an exercise command may not act on another namespace",
                  "name the namespace with 'in:' instead")
        return None
    if argv[0] == "sysctl" and any(not a.startswith(("-", "net.")) for a in argv[1:]):
        r.problem(path + ("run",), "an exercise may only change net.* sysctls",
                  "they belong to the lab's namespace; others belong to the whole machine")
        return None
    return Command(where, argv)


def check(r: Reader, value: object, path: Path, members: set[str], probes: set[str]) -> Check | None:
    m = r.mapping(value, path, ("name", "probe", "in", "run", "contains", "absent", "hint"))
    name = r.text(m, "name", path, None)  # default: the probe's name, or the command
    hint = r.text(m, "hint", path, None)
    if "probe" in m:
        probe = r.text(m, "probe", path)
        if probe is not None and probe not in probes:
            r.problem(path + ("probe",), f"the lab declares no probe named '{probe}'",
                      "declared: " + (", ".join(sorted(probes)) or "none"))
            return None
        if {"in", "run", "contains", "absent"} & m.keys():
            r.problem(path, "a check is either a probe or a command (in, run, contains/absent), not both")
            return None
        return Check(name or probe, hint, probe=probe) if probe else None
    cmd = command_in(r, m, path, members)
    contains, absent = r.text(m, "contains", path, None), r.text(m, "absent", path, None)
    if cmd and contains is None and absent is None:
        r.problem(path, "a command check needs 'contains' or 'absent'", "the text its output must (not) hold")
        return None
    return Check(name or str(cmd), hint, command=cmd, contains=contains, absent=absent) if cmd else None


def solution_step(r: Reader, value: object, path: Path, members: set[str]) -> Command | Edit | None:
    if isinstance(value, dict) and "edit" in value:
        m = r.mapping(value, path, ("edit",))
        em = r.mapping(m.get("edit"), path + ("edit",), ("replace", "with"))
        old, new = r.text(em, "replace", path + ("edit",)), r.text(em, "with", path + ("edit",))
        return Edit(old, new) if old and new is not None else None
    return command(r, value, path, members)
