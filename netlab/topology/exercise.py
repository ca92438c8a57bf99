"""The `exercise:` section of a topology: a broken lab's task, hints, how it is broken, its checks, its solution.

An exercise runs commands as root in the lab's namespaces, and they share the host's files, so they are held
to what a network lesson needs: argv (split like a shell would, never run by one) from a short list of
network tools, and nothing that reads or writes a file, runs another program, or acts on another namespace:
no path in any argument, no batch or include files, no `ip netns`/`vrf`, no `-n NETNS` in any spelling,
and sysctl only for `net.*` keys (those belong to the namespace).
"""

from __future__ import annotations

import re
import shlex
from ipaddress import ip_network

from netlab.topology.model import BgpRestart, Check, Command, Edit, Exercise
from netlab.topology.reader import Path, Reader

PROGRAMS = ("ip", "bridge", "iptables", "iptables-save", "nft", "conntrack", "ipset", "ipvsadm", "sysctl")
# The objects a command may work on: ip and bridge take abbreviations, so only these spellings are allowed.
OBJECTS = {"ip": {"link", "address", "addr", "a", "route", "r", "rule", "neighbour", "neighbor", "neigh", "n",
                  "nexthop"},
           "bridge": {"link", "fdb", "vlan", "mdb"}}
# ip's and bridge's global options a lesson never needs, by the words their abbreviations are matched against.
IPROUTE_OPTIONS = ("netns", "batch", "force")
# Options that read or write a file or load a module, per program (an option's `=value` form included).
FILE_OPTIONS = {"iptables": ("-M", "--modprobe"), "iptables-save": ("-f", "--file", "-M", "--modprobe"),
                "nft": ("-f", "--file", "-I", "--includepath", "-i", "--interactive", "include"),
                "ipset": ("-f", "-file"), "ipvsadm": ("--start-daemon", "--stop-daemon", "--mcast-interface")}
SYSCTL_ARG = re.compile(r"-[wqne]+|net\.[A-Za-z0-9_.-]+(=.*)?")
FIELDS = ("title", "task", "hints", "break", "checks", "solution")


def read_exercise(r: Reader, value: object, members: set[str], probes: set[str],
                  bgp_nodes: frozenset[str] = frozenset()) -> Exercise | None:
    """`members`: the names a command may run on; `probes`: the names of the lab's declared probes; `bgp_nodes`:
    the nodes that run BIRD (a Calico lab's)."""
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
    breaks = [bgp_restart(r, item, path + ("break", i), bgp_nodes) if isinstance(item, dict) and "restartBgp" in item
              else command(r, item, path + ("break", i), members)
              for i, item in enumerate(r.sequence(m.get("break"), path + ("break",)))]
    checks = [check(r, item, path + ("checks", i), members, probes, bgp_nodes)
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
    if why := refused(argv):
        r.problem(path + ("run",), why, "an exercise may only run " + ", ".join(PROGRAMS) + " on the lab's own "
                  "network, with no files and no shell (pipes and ; are not special); name the namespace with 'in:'")
        return None
    return Command(where, argv)


def refused(argv: tuple[str, ...]) -> str | None:
    """Why an exercise may not run this command, or None."""
    if not argv or argv[0] not in PROGRAMS:
        return f"'{argv[0] if argv else ''}' is not a network tool an exercise may run"
    program, args = argv[0], argv[1:]
    for arg in args:
        if "/" in arg and not _is_network(arg.lstrip("!")):
            return f"'{arg}' looks like a path: an exercise command may not use files"
        if arg.split("=", 1)[0] in FILE_OPTIONS.get(program, ()) or (program == "nft" and "include" in arg):
            return f"'{arg}' reads or writes a file, or loads a module"
    if program in OBJECTS:
        if any("netns" in a for a in args):  # `ip link set eth0 netns 1` would hand the link to the host
            return "an exercise command may not move anything to another namespace"
        options = [a.lstrip("-") for a in args if a.startswith("-")]
        if any(o and word.startswith(o) for o in options for word in IPROUTE_OPTIONS):
            return f"{program}'s netns, batch and force options are not for exercises"
        words = [a for a in args if not a.startswith("-")]
        if words and words[0] not in OBJECTS[program]:
            return f"'{program} {words[0]}' is not allowed: use one of " + ", ".join(sorted(OBJECTS[program]))
    if program == "sysctl" and not all(SYSCTL_ARG.fullmatch(a) for a in args):
        return "an exercise may only read or set (-w) net.* sysctls: the others belong to the whole machine"
    return None


def _is_network(text: str) -> bool:
    try:
        ip_network(text, strict=False)
        return True
    except ValueError:
        return False


def bgp_node(r: Reader, value: object, path: Path, bgp_nodes: frozenset[str]) -> str | None:
    if not isinstance(value, str) or value not in bgp_nodes:
        r.problem(path, f"'{value}' is not a node running BIRD",
                  "Calico's nodes run BIRD: " + (", ".join(sorted(bgp_nodes)) or "this lab has none"))
        return None
    return value


def bgp_restart(r: Reader, value: dict[str, object], path: Path, bgp_nodes: frozenset[str]) -> BgpRestart | None:
    m = r.mapping(value, path, ("restartBgp",))
    node = bgp_node(r, m.get("restartBgp"), path + ("restartBgp",), bgp_nodes)
    return BgpRestart(node) if node else None


def check(r: Reader, value: object, path: Path, members: set[str], probes: set[str],
          bgp_nodes: frozenset[str] = frozenset()) -> Check | None:
    m = r.mapping(value, path, ("name", "probe", "in", "run", "contains", "absent", "hint", "guard", "bgp"))
    name = r.text(m, "name", path, None)  # default: the probe's name, or the command
    hint = r.text(m, "hint", path, None)
    guard = r.boolean(m, "guard", path, False)
    if "bgp" in m:  # {in: NODE, peer: NODE}: NODE's BGP session with the peer is Established
        session = r.mapping(m["bgp"], path + ("bgp",), ("in", "peer"))
        node, peer = (bgp_node(r, session.get(key), path + ("bgp", key), bgp_nodes) for key in ("in", "peer"))
        if node and peer:
            return Check(name or f"{node}'s BGP session with {peer} is Established", hint, bgp=(node, peer),
                         guard=guard)
        return None
    if "probe" in m:
        probe = r.text(m, "probe", path)
        if probe is not None and probe not in probes:
            r.problem(path + ("probe",), f"the lab declares no probe named '{probe}'",
                      "declared: " + (", ".join(sorted(probes)) or "none"))
            return None
        if {"in", "run", "contains", "absent"} & m.keys():
            r.problem(path, "a check is either a probe or a command (in, run, contains/absent), not both")
            return None
        return Check(name or probe, hint, probe=probe, guard=guard) if probe else None
    cmd = command_in(r, m, path, members)
    contains, absent = r.text(m, "contains", path, None), r.text(m, "absent", path, None)
    if cmd and contains is None and absent is None:
        r.problem(path, "a command check needs 'contains' or 'absent'", "the text its output must (not) hold")
        return None
    return Check(name or str(cmd), hint, command=cmd, contains=contains, absent=absent, guard=guard) if cmd else None


def solution_step(r: Reader, value: object, path: Path, members: set[str]) -> Command | Edit | None:
    if isinstance(value, dict) and "edit" in value:
        m = r.mapping(value, path, ("edit",))
        em = r.mapping(m.get("edit"), path + ("edit",), ("replace", "with"))
        old, new = r.text(em, "replace", path + ("edit",)), r.text(em, "with", path + ("edit",))
        return Edit(old, new) if old and new is not None else None
    return command(r, value, path, members)
