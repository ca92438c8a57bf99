"""`netlab fault`: breaks a lab that is up on purpose (for instructors and chaos lessons), and `--clear` undoes it.

Each fault is made of ordinary commands in one lab namespace. It is recorded in the lab's state, with the
commands that undo it, *before* it is applied, so `--clear` (or `down`) finds it whatever happens, and
restores exactly what was there. Nothing outside the lab is touched:

  link-down TARGET [IFACE]   `ip link set IFACE down`. Linux then drops the routes and permanent neighbours
                             through IFACE, as on a real node, so they are recorded first and put back.
  drop TARGET [DEST[:PORT]] [PROTO]   an nftables table of its own in TARGET that drops matching packets as
                             they enter (prerouting, before conntrack and any DNAT) or leave (output).
  blackhole TARGET DEST      `ip rule add to DEST blackhole`: TARGET silently discards what it sends there.
  kill-pod POD               SIGKILL for the pod's servers: connections are refused, the network stays up.
                             --clear starts them again.
  stop-bgp NODE              SIGKILL for the node's BIRD (Calico), as when calico-node dies: its peers keep
                             its routes for graceful restart's 120 s, then withdraw them. --clear starts it.
  stop-bgp internet          SIGKILL for the router's bgpd (FRR, calico.peers): zebra takes the routes it
                             installed out of the kernel, and the pods are out of the internet's reach.
  stop-speaker NODE          SIGKILL for the node's MetalLB speaker (layer 2): once the other speakers miss its
                             heartbeats (about 5 s) the next node in the election answers ARP for its addresses
                             and says so with gratuitous ARP. --clear starts it, and it takes them back.
                             In BGP mode the speaker is the node's bgpd: its session closes with it, and the
                             router drops the node's next hop at once.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TypeGuard
from ipaddress import ip_network

from netlab import labs, naming, probe, state
from netlab.errors import EnvironmentProblem, UsageError
from netlab.kernel import netns, processes
from netlab.plan import RULE_LOADERS, ArpAnswer, BgpSessions, Route
from netlab.topology.model import Topology

FAULTS_FILE = "faults.json"
RULE_PREF = "10"  # before the main table's rule (32766): a fault rule wins over every route
Command = tuple[str, tuple[str, ...]]  # (namespace, argv)


@dataclass(frozen=True)
class Fault:
    kind: str
    target: str
    detail: str  # what it does, for people
    undo: tuple[Command, ...]  # commands that put things back, in order
    restart: str | None = None  # a pod whose servers --clear starts again


def active(lab: str) -> list[Fault]:
    """The faults recorded for a lab that is up."""
    state.LabState(lab).built_topology()  # not up: say so
    return _recorded(lab)


def _recorded(lab: str) -> list[Fault]:
    try:
        records = json.loads((state.LabState(lab).dir / FAULTS_FILE).read_text())
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as e:
        raise EnvironmentProblem(f"cannot read lab '{lab}''s {FAULTS_FILE}: {e}") from None
    try:
        return [Fault(r["kind"], r["target"], r["detail"], tuple((ns, tuple(argv)) for ns, argv in r["undo"]),
                      r.get("restart")) for r in records]
    except (KeyError, TypeError, ValueError, AttributeError):
        raise EnvironmentProblem(f"lab '{lab}''s {FAULTS_FILE} is damaged",
                                 hint=f"tear the lab down and up again: netlab down {lab}") from None


def _save(lab: str, faults: list[Fault]) -> None:
    state.write_atomic(state.LabState(lab).dir / FAULTS_FILE, json.dumps([asdict(f) for f in faults]) + "\n")


def _run(ns: str, argv: tuple[str, ...] | list[str], payload: str | None = None) -> str:
    done = netns.run_tool(ns, list(argv), payload=payload)
    if done.returncode != 0:
        raise UsageError(f"`{' '.join(argv)}` failed: {(done.stderr or done.stdout).strip()}")
    return done.stdout


def inject(lab: str, kind: str, target: str, args: tuple[str, ...] = ()) -> Fault:
    """Applies one fault to TARGET, a pod, node or host of the lab."""
    with state.locked(lab):
        t = state.LabState(lab).built_topology()
        earlier = _recorded(lab)
        ns = labs.member_namespace(lab, target)
        if kind == "kill-pod":
            return _kill_pod(t, ns, target, args, earlier)
        if kind == "stop-bgp":
            return _stop_bgp(t, ns, target, args, earlier)
        if kind == "stop-speaker":
            return _stop_speaker(t, ns, target, args, earlier)
        build = {"link-down": _link_down, "drop": _drop, "blackhole": _blackhole}[kind]
        fault, (argv, payload) = build(t, ns, target, args, len(earlier))
        _save(lab, earlier + [fault])  # recorded first: a crash below still leaves its undo for --clear
        try:
            _run(ns, argv, payload)  # one command, so a failure has changed nothing
        except BaseException:
            _save(lab, earlier)
            raise
        return fault


Built = tuple[Fault, tuple[list[str], str | None]]  # the fault, and the one command (and its stdin) applying it


def _link_down(t: Topology, ns: str, target: str, args: tuple[str, ...], _: int) -> Built:
    if len(args) > 1:
        raise UsageError("link-down takes TARGET [IFACE]")
    iface = args[0] if args else naming.UPLINK
    links = [link["ifname"] for link in json.loads(_run(ns, ["ip", "-j", "link", "show"]) or "[]")]
    if iface not in links:
        raise UsageError(f"'{target}' has no interface '{iface}'", hint="one of: " + ", ".join(sorted(links)))
    undo = [["ip", "link", "set", iface, "up"], *_routes_through(ns, iface), *_permanent_neighbours(ns, iface)]
    fault = Fault("link-down", target, f"{iface} of {target} is down", tuple((ns, tuple(a)) for a in undo))
    return fault, (["ip", "link", "set", iface, "down"], None)


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
    try:
        return str(ip_network(probe.address_of(t, text), strict=False))
    except ValueError:
        raise UsageError(f"'{text}' is not a name in lab '{t.name}', an address or a CIDR") from None


def _drop(t: Topology, ns: str, target: str, args: tuple[str, ...], number: int) -> Built:
    if len(args) > 2:
        raise UsageError("drop takes TARGET [DEST[:PORT]] [tcp|udp|icmp]")
    dest, proto = (args + ("", ""))[:2]
    if proto not in ("", "tcp", "udp", "icmp"):
        raise UsageError(f"'{proto}' is not tcp, udp or icmp")
    host, _, port = dest.rpartition(":") if ":" in dest else (dest, "", "")
    match: list[str] = []
    what = "every packet"
    if host:
        match += ["ip", "daddr", _destination(t, host)]
        what = f"packets to {host}"
    if port:
        if not port.isdigit() or not 1 <= int(port) <= 65535:
            raise UsageError(f"'{port}' is not a port")
        if proto == "icmp":
            raise UsageError("icmp has no ports", hint="drop TARGET DEST icmp, or DEST:PORT tcp|udp")
        match += ["meta", "l4proto", proto or "{ tcp, udp }", "th", "dport", port]
        what += f" port {port}" + (f"/{proto}" if proto else "")
    elif proto:
        match += ["meta", "l4proto", proto]
        what += f" ({proto})"
    table = f"netlab_fault_{number}"  # one table per fault: undoing one never touches another
    # One `nft -f` transaction: the table appears whole or not at all. `create` fails if the table exists.
    # Priority -300 (raw): before conntrack (-200) and DNAT (-100), so a Service is matched by its ClusterIP.
    lines = [f"create table inet {table}"]
    for hook in ("prerouting", "output"):
        lines += [f"add chain inet {table} {hook} {{ type filter hook {hook} priority -300; }}",
                  f"add rule inet {table} {hook} {' '.join(match)} counter drop"]
    fault = Fault("drop", target, f"{target} drops {what}", ((ns, ("nft", "delete", "table", "inet", table)),))
    return fault, (list(RULE_LOADERS["nft"]), "\n".join(lines) + "\n")


def _blackhole(t: Topology, ns: str, target: str, args: tuple[str, ...], _: int) -> Built:
    if len(args) != 1:
        raise UsageError("blackhole takes TARGET DEST (a name, an address or a CIDR)")
    dest = _destination(t, args[0])
    selector = ["to", dest, "blackhole", "pref", RULE_PREF]
    fault = Fault("blackhole", target, f"{target} discards what it sends to {dest} (ip rule)",
                  ((ns, ("ip", "rule", "del", *selector)),))
    return fault, (["ip", "rule", "add", *selector], None)


def _kill_pod(t: Topology, ns: str, target: str, args: tuple[str, ...], earlier: list[Fault]) -> Fault:
    if args:
        raise UsageError("kill-pod takes POD")
    if target not in {p.name for p in t.pods}:
        raise UsageError(f"'{target}' is not a pod of lab '{t.name}'")
    fault = Fault("kill-pod", target, f"the servers of {target} were killed", (), restart=target)
    return _kill(t, ns, fault, earlier, lambda name: True, f"'{target}' runs no server netlab started")


def _stop_bgp(t: Topology, ns: str, target: str, args: tuple[str, ...], earlier: list[Fault]) -> Fault:
    from netlab.features import frr
    if args:
        raise UsageError("stop-bgp takes NODE (or internet)")
    if target == naming.INTERNET:
        fault = Fault("stop-bgp", target, "bgpd on the internet router was killed: its BGP sessions are down", (),
                      restart=target)
        return _kill(t, ns, fault, earlier, lambda name: name == frr.DAEMON,
                     "the internet router runs no BGP daemon (calico.peers starts one)")
    if t.cluster.calico is None or target not in {n.name for n in t.nodes}:
        raise UsageError(f"'{target}' is not a node of a Calico lab", hint="stop-bgp stops a Calico node's BIRD")
    fault = Fault("stop-bgp", target, f"BIRD on {target} was killed: its BGP sessions are down", (), restart=target)
    return _kill(t, ns, fault, earlier, lambda name: name.startswith("bird-"), f"'{target}' runs no BIRD")


def _stop_speaker(t: Topology, ns: str, target: str, args: tuple[str, ...], earlier: list[Fault]) -> Fault:
    from netlab.features.metallb.model import speaker_name
    if args:
        raise UsageError("stop-speaker takes NODE")
    node = next((n for n in t.nodes if n.name == target), None)
    if node is None or t.cluster.load_balancer is None:
        raise UsageError(f"'{target}' is not a node of a lab with MetalLB",
                         hint="stop-speaker stops a node's MetalLB speaker (cluster.loadBalancer)")
    what = ("its bgpd was killed: the router drops its next hop" if t.cluster.load_balancer.mode == "bgp"
            else "it was killed: it answers no ARP")
    fault = Fault("stop-speaker", target, f"MetalLB's speaker on {target}: {what}", (), restart=target)
    return _kill(t, ns, fault, earlier, lambda name: name == speaker_name(node.name), f"'{target}' runs no speaker")


def _kill(t: Topology, ns: str, fault: Fault, earlier: list[Fault], chosen: Callable[[str], bool],
          none: str) -> Fault:
    """SIGKILL for the processes netlab started in `ns` that `chosen` names; --clear starts them again."""
    running = [p.pid for p in state.LabState(t.name).processes()
               if p.netns == ns and chosen(p.name) and processes.still_ours(p.pid, p.start_time)]
    if not running:
        raise UsageError(f"{none} (nothing to kill, or killed already)")
    _save(t.name, earlier + [fault])
    for pid in running:
        processes.send_signal(pid, signal.SIGKILL)
    return fault


def clear(lab: str) -> tuple[list[Fault], list[str]]:
    """Undoes every fault, newest first: (the faults, what could not be undone). What is already back (a link
    set up by hand) does no harm."""
    with state.locked(lab):
        faults = active(lab)
        problems: list[str] = []
        for fault in reversed(faults):
            problems += _undo(fault)
        restarts = [naming.netns(lab, f.restart) for f in faults if f.restart]
        if restarts:
            problems += _restart(lab, restarts)
        _save(lab, [])
        return faults, problems


def _undo(fault: Fault) -> list[str]:
    problems = []
    for ns, argv in fault.undo:
        try:
            done = netns.run_tool(ns, list(argv))
        except EnvironmentProblem as e:  # its namespace was deleted by hand: nothing left to undo there
            problems.append(f"{fault.detail}: {e.message}")
            continue
        if done.returncode != 0:
            problems.append(f"{fault.detail}: `{' '.join(argv)}` failed: {done.stderr.strip()}")
    return problems


def waits_for_a_daemon(step: object) -> TypeGuard[BgpSessions | Route | ArpAnswer]:
    """A step that does not change the kernel but waits for a daemon: its BGP sessions, a route it installs, an
    address it answers ARP for."""
    return isinstance(step, (BgpSessions, ArpAnswer)) or (isinstance(step, Route) and bool(step.learned_from))


def _restart(lab: str, namespaces: list[str]) -> list[str]:
    """Starts the killed daemons and servers again, as `up` did, and journals them so that `down` stops them;
    then waits, as `up` does, for every BGP session and learnt route of the lab: a peer's routes through a
    restarted speaker (the router's ECMP next hop via it) come back too, a moment after its own."""
    from netlab.kernel.apply import Kernel, StartedProcess
    lab_state = state.LabState(lab)
    plan = lab_state.plan()
    if plan is None:
        return [f"cannot restart the servers in {', '.join(namespaces)}: the lab's plan.json is missing"]
    kernel = Kernel(lab_state.dir)

    def journal(p: StartedProcess) -> None:
        lab_state.append(op="process", name=p.name, netns=p.netns, pid=p.pid, start_time=p.start_time)

    kernel.on_process = journal
    alive = {(p.netns, p.name) for p in lab_state.processes() if processes.still_ours(p.pid, p.start_time)}
    try:
        for ns in namespaces:
            for step in plan.index().space(ns).daemons:
                if (ns, step.name) not in alive:  # FRR's zebra outlives its bgpd
                    kernel.apply(step)
        kernel.wait_started()
        for waits in plan.steps:
            if waits_for_a_daemon(waits):
                kernel.apply(waits)
    except Exception as e:  # StepFailed, OSError: report it with the others
        return [f"cannot restart the servers in {', '.join(namespaces)}: {e}"]
    finally:
        kernel.close()
    return []
