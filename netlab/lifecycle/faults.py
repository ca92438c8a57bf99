"""`netlab fault`: breaks a lab that is up on purpose (for instructors and chaos lessons), and `--clear` undoes it.

Each fault is made of ordinary commands in one lab namespace, and is recorded in the lab's state with the
commands that undo it, so `--clear` restores exactly what was there — nothing outside the lab is touched:

  link-down TARGET [IFACE]   `ip link set IFACE down`. Linux then drops the routes and permanent neighbours
                             through IFACE, as on a real node, so they are recorded first and put back.
  drop TARGET [DEST[:PORT]]  an nftables rule in table inet netlab_fault that drops matching packets as they
                             enter TARGET (prerouting, before conntrack and any DNAT) or leave it (output).
  blackhole TARGET DEST      `ip rule add to DEST blackhole`: TARGET silently discards what it would send there.
  kill-pod POD               SIGKILL for the pod's servers: connections are refused, the network stays up.
                             --clear starts them again.
"""

from __future__ import annotations

import json
import signal
from dataclasses import asdict, dataclass
from ipaddress import ip_network
from typing import Any

from netlab import naming, state
from netlab.errors import EnvironmentProblem, UsageError
from netlab.kernel import netns, processes
from netlab.topology import load_topology_text
from netlab.topology.model import Topology

KINDS = ("link-down", "drop", "blackhole", "kill-pod")
FAULTS_FILE = "faults.json"
TABLE = "netlab_fault"
RULE_PREF = "10"  # before the main table's rule (32766): a fault rule wins over every route
Commands = list[tuple[str, list[str]]]  # (namespace, argv)


@dataclass(frozen=True)
class Fault:
    kind: str
    target: str
    detail: str  # what it does, for people
    undo: list[tuple[str, list[str]]]  # commands that put things back, in order
    restart: str | None = None  # a pod whose servers --clear starts again


def active(lab: str) -> list[Fault]:
    try:
        records = json.loads((state.LabState(lab).dir / FAULTS_FILE).read_text())
    except (OSError, ValueError):
        return []
    return [Fault(r["kind"], r["target"], r["detail"], [(ns, list(argv)) for ns, argv in r["undo"]], r.get("restart"))
            for r in records]


def _save(lab: str, faults: list[Fault]) -> None:
    state.write_atomic(state.LabState(lab).dir / FAULTS_FILE, json.dumps([asdict(f) for f in faults]) + "\n")


def _lab(lab: str) -> Topology:
    text = state.LabState(lab).topology_text()
    if text is None:
        raise UsageError(f"lab '{lab}' is not up")
    return load_topology_text(text, lab)


def _namespace(t: Topology, target: str) -> str:
    ns = naming.netns(t.name, target)
    if not netns.exists(ns):
        known = sorted(n for n in [*(p.name for p in t.pods), *(n.name for n in t.nodes),
                                   *(h.name for h in t.internet.hosts)])
        raise UsageError(f"lab '{t.name}' has no '{target}'", hint="one of: " + ", ".join(known))
    return ns


def _run(ns: str, argv: list[str]) -> str:
    try:
        done = netns.run(ns, argv, timeout=10)
    except FileNotFoundError:
        raise EnvironmentProblem(f"tool {argv[0]}: not found on PATH", hint="run scripts/setup") from None
    if done.returncode != 0:
        raise UsageError(f"`{' '.join(argv)}` failed: {(done.stderr or done.stdout).strip()}")
    return done.stdout


def inject(lab: str, kind: str, target: str, args: tuple[str, ...] = ()) -> Fault:
    with state.locked(lab):
        t = _lab(lab)
        ns = _namespace(t, target)
        build = {"link-down": _link_down, "drop": _drop, "blackhole": _blackhole, "kill-pod": _kill_pod}[kind]
        fault = build(t, ns, target, args)
        _save(lab, active(lab) + [fault])
        return fault


def _link_down(t: Topology, ns: str, target: str, args: tuple[str, ...]) -> Fault:
    iface = args[0] if args else naming.UPLINK
    if len(args) > 1:
        raise UsageError("link-down takes TARGET [IFACE]")
    links = json.loads(_run(ns, ["ip", "-j", "link", "show"]) or "[]")
    if iface not in {link["ifname"] for link in links}:
        raise UsageError(f"'{target}' has no interface '{iface}'",
                         hint="one of: " + ", ".join(sorted(link["ifname"] for link in links)))
    undo: Commands = [(ns, ["ip", "link", "set", iface, "up"])]
    undo += [(ns, route) for route in _routes_through(ns, iface)]
    undo += [(ns, neigh) for neigh in _permanent_neighbours(ns, iface)]
    _run(ns, ["ip", "link", "set", iface, "down"])
    return Fault("link-down", target, f"{iface} of {target} is down", undo)


def _routes_through(ns: str, iface: str) -> list[list[str]]:
    """The routes Linux deletes when IFACE goes down, as `ip route replace` commands; the kernel's own
    (an address's subnet) come back with the link."""
    commands = []
    for r in json.loads(_run(ns, ["ip", "-j", "route", "show", "dev", iface]) or "[]"):
        if r.get("protocol") == "kernel":
            continue
        argv = ["ip", "route", "replace", r["dst"]] + (["via", r["gateway"]] if "gateway" in r else [])
        commands.append(argv + ["dev", iface] + (["onlink"] if "onlink" in r.get("flags", []) else []))
    return commands


def _permanent_neighbours(ns: str, iface: str) -> list[list[str]]:
    return [["ip", "neigh", "replace", n["dst"], "lladdr", n["lladdr"], "dev", iface, "nud", "permanent"]
            for n in json.loads(_run(ns, ["ip", "-j", "neigh", "show", "dev", iface, "nud", "permanent"]) or "[]")
            if "lladdr" in n]


def _destination(t: Topology, text: str) -> str:
    """A pod, node, host or Service name, an address or a CIDR, as a network nftables and `ip rule` take."""
    address = t.address_of(text) or text
    try:
        return str(ip_network(address, strict=False))
    except ValueError:
        raise UsageError(f"'{text}' is not a name in lab '{t.name}', an address or a CIDR") from None


def _drop(t: Topology, ns: str, target: str, args: tuple[str, ...]) -> Fault:
    if len(args) > 2:
        raise UsageError("drop takes TARGET [DEST[:PORT]] [tcp|udp|icmp]")
    dest, proto = (args + ("", ""))[:2]
    match: list[str] = []
    what = "every packet"
    host, _, port = dest.rpartition(":") if ":" in dest else (dest, "", "")
    if host:
        match += ["ip", "daddr", _destination(t, host)]
        what = f"packets to {host}"
    if proto not in ("", "tcp", "udp", "icmp"):
        raise UsageError(f"'{proto}' is not tcp, udp or icmp")
    if port:
        if not port.isdigit() or not 1 <= int(port) <= 65535:
            raise UsageError(f"'{port}' is not a port")
        match += ["meta", "l4proto", proto or "{ tcp, udp }", "th", "dport", port]
        what += f" port {port}" + (f"/{proto}" if proto else "")
    elif proto:
        match += ["meta", "l4proto", proto]
        what += f" ({proto})"
    # Priority -300: before conntrack (-200) and DNAT (-100), so a Service is matched by its ClusterIP.
    _run(ns, ["nft", "add", "table", "inet", TABLE])
    for chain, hook in (("prerouting", "prerouting"), ("output", "output")):
        _run(ns, ["nft", "add", "chain", "inet", TABLE, chain, f"{{ type filter hook {hook} priority -300; }}"])
        _run(ns, ["nft", "add", "rule", "inet", TABLE, chain, *match, "counter", "drop"])
    return Fault("drop", target, f"{target} drops {what}", [(ns, ["nft", "delete", "table", "inet", TABLE])])


def _blackhole(t: Topology, ns: str, target: str, args: tuple[str, ...]) -> Fault:
    if len(args) != 1:
        raise UsageError("blackhole takes TARGET DEST (a name, an address or a CIDR)")
    dest = _destination(t, args[0])
    selector = ["to", dest, "blackhole", "pref", RULE_PREF]
    _run(ns, ["ip", "rule", "add", *selector])
    return Fault("blackhole", target, f"{target} discards what it sends to {dest} (ip rule)",
                 [(ns, ["ip", "rule", "del", *selector])])


def _kill_pod(t: Topology, ns: str, target: str, args: tuple[str, ...]) -> Fault:
    if args:
        raise UsageError("kill-pod takes POD")
    if target not in {p.name for p in t.pods}:
        raise UsageError(f"'{target}' is not a pod of lab '{t.name}'")
    running = [p for p in state.LabState(t.name).processes()
               if p.netns == ns and processes.still_ours(p.pid, p.start_time)]
    if not running:
        raise UsageError(f"'{target}' runs no server netlab started (nothing to kill, or killed already)")
    for p in running:
        processes.send_signal(p.pid, signal.SIGKILL)
    return Fault("kill-pod", target, f"the servers of {target} were killed", [], restart=target)


def clear(lab: str) -> list[Fault]:
    """Undoes every fault, newest first; what is already back (a link set up by hand) is no error."""
    with state.locked(lab):
        faults = active(lab)
        seen: set[str] = set()
        for fault in reversed(faults):
            for ns, argv in fault.undo:
                if " ".join([ns, *argv]) not in seen and netns.exists(ns):
                    seen.add(" ".join([ns, *argv]))
                    netns.run(ns, argv, timeout=10)
            if fault.restart:
                _restart(lab, naming.netns(lab, fault.restart))
        _save(lab, [])
        return faults


def _restart(lab: str, ns: str) -> None:
    """Starts the pod's servers again, as `up` did, and journals them so that `down` stops them."""
    from netlab.kernel.apply import Kernel, StartedProcess
    from netlab.plan import Process
    lab_state = state.LabState(lab)
    plan = lab_state.plan()
    steps = [s for s in (plan.steps if plan else ()) if isinstance(s, Process) and s.netns == ns]
    kernel = Kernel(lab_state.dir)

    def record(p: StartedProcess) -> None:
        lab_state.append(op="process", name=p.name, netns=p.netns, pid=p.pid, start_time=p.start_time)

    kernel.on_process = record
    try:
        for step in steps:
            kernel.apply(step)
        kernel.wait_started()
    finally:
        kernel.close()


def as_dict(fault: Fault) -> dict[str, Any]:
    return asdict(fault)
