"""The other verbs of `netlab apply`: deleting and changing what a plan step made (creating is apply.py's).

Each change of plan/diff.py is performed as the command `netlab apply --dry-run` prints for it
(render/shell.py): netlink requests for links, addresses, routes and neighbours (batched like `up`'s), one
loader run for a rule set, a signal for a daemon.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from pathlib import Path

from netlab.kernel import messages, netns, processes
from netlab.kernel.apply import Kernel, StepFailed
from netlab.plan import (
    LINK_TYPES, RULE_LOADERS, Address, Bridge, BridgePort, Daemon, Exec, FdbEntry, File, LinkSet, Neighbor, Netns,
    NetnsFile, Note, Records, Route, RuleSet, Step, Sysctl, Veth, BgpSessions, IpipTunnel, ArpAnswer,
)
from netlab.plan import rulesets
from netlab.plan.diff import Change, Create, Delete, Op, Resync


def run_all(kernel: Kernel, ops: list[Op]) -> None:
    """`ops` one after the other, except that consecutive re-syncs of different nodes run side by side."""
    i = 0
    while i < len(ops):
        j = i
        while j < len(ops) and isinstance(ops[j], Resync) and not kernel.tolerate:
            j += 1
        if j - i > 1:
            resync_together(kernel, ops[i:j])  # type: ignore[arg-type]
            i = j
        else:
            run(kernel, ops[i])
            i += 1


def resync_together(kernel: Kernel, ops: list[Resync]) -> None:
    kernel.flush()
    # A generator: each node's restore starts while the next one's payload is being worked out.
    kernel.commands((op.netns, list(RULE_LOADERS[op.tool]), payload, op) for op in ops
                    if (payload := rulesets.iptables_resync(op.old, op.new)))


def run(kernel: Kernel, op: Op) -> None:
    match op:
        case Create(step=step):
            kernel.apply(step)
        case Delete(step=step):
            delete(kernel, step, op)
        case Change(old=old, new=new):
            change(kernel, old, new, op)
        case Resync(netns=ns, tool=tool, old=old, new=new):
            kernel.flush()
            if kernel.tolerate:  # a rollback does not know how far the change went: it starts from the kernel
                old = (RuleSet(ns, tool, "saved", saved_iptables(kernel, ns, tool, old + new)),)
            payload = rulesets.iptables_resync(old, new)
            if payload:
                loader(kernel, ns, tool, payload, op)


def loader(kernel: Kernel, ns: str, tool: str, payload: str, op: Op) -> None:
    try:
        kernel.command(ns, list(RULE_LOADERS[tool]), payload)
    except StepFailed as e:
        raise StepFailed(str(e), op) from e


def delete(kernel: Kernel, step: Step, op: Op) -> None:
    """Takes away what `step` made (the kernel takes along what sits in it: plan/diff.py asks for no more)."""
    if isinstance(step, LINK_TYPES):
        index = kernel.index(step.netns, step.name)
        kernel.send(step.netns, messages.link_delete(index), op)
        kernel.forget(step.netns, step.name)
        if isinstance(step, Veth):
            kernel.forget(step.peer_netns, step.peer_name)
    elif isinstance(step, Address):
        kernel.send(step.netns, messages.address(step, kernel.index(step.netns, step.dev), delete=True), op)
    elif isinstance(step, Route) and step.learned_from:
        pass  # its daemon takes it away: BIRD withdraws what its peers no longer announce
    elif isinstance(step, Route):
        kernel.send(step.netns, messages.route(step, kernel.route_oif(step), how="delete"), op)
    elif isinstance(step, Neighbor):
        kernel.send(step.netns, messages.neighbor(step, kernel.index(step.netns, step.dev), how="delete"), op)
    elif isinstance(step, FdbEntry):
        kernel.send(step.netns, messages.fdb(step, kernel.index(step.netns, step.dev), how="delete"), op)
    elif isinstance(step, LinkSet):  # the link stays: off its bridge, down, unmarked
        index = kernel.index(step.netns, step.name)
        kernel.send(step.netns, messages.link_set(LinkSet(step.netns, step.name, None, None, False), index,
                                                  0 if step.master else None), op)
    elif isinstance(step, BridgePort):
        kernel.send(step.netns, messages.bridge_port(BridgePort(step.netns, step.name, False),
                                                     kernel.index(step.netns, step.name)), op)
    else:
        kernel.flush()
        _delete_other(kernel, step, op)


def _delete_other(kernel: Kernel, step: Step, op: Op) -> None:
    if isinstance(step, Netns):
        # Anything still running inside (a student's shell) would keep the deleted namespace alive, unnamed.
        processes.stop(kernel.processes_in(step.name) - {p.pid for p in kernel.running.values()})
        # The kernel dismantles a namespace later, in the background: its veths (and their peers in the
        # namespaces that stay) are deleted now, so that a pod made again at once can have its names back.
        if netns.exists(step.name):
            kernel.delete_links(step.name)
        kernel.forget(step.name)
        netns.delete(step.name)
    elif isinstance(step, Sysctl):
        kernel.apply(Sysctl(step.netns, step.key_name, fresh_default(step.key_name)))
    elif isinstance(step, RuleSet):
        payload = rulesets.iptables_removal((step,)) if step.is_iptables else rulesets.removal(step)
        if payload:
            loader(kernel, step.netns, step.tool, payload, op)
    elif isinstance(step, Daemon):
        stop_daemon(kernel, step.name)
    elif isinstance(step, (Records, BgpSessions, ArpAnswer, IpipTunnel)):  # (tunl0 goes only with its namespace)
        pass  # they go with their server: the two are made and taken away together
    elif isinstance(step, File):
        (kernel.state_dir / step.path).unlink(missing_ok=True)
    elif isinstance(step, NetnsFile):
        Path(step.full_path).unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # the folder goes with the namespace's last file
            os.rmdir(Path(step.full_path).parent)
    elif not isinstance(step, (Exec, Note)):  # an exercise's command cannot be taken back
        raise StepFailed(f"cannot delete {step.key}", op)


def change(kernel: Kernel, old: Step, new: Step, op: Op) -> None:
    """`new` in place of `old`, or `new` applied again (old == new: a change elsewhere reset it)."""
    if isinstance(new, Route) and new.learned_from:
        kernel.wait_for_route(new)
    elif isinstance(new, Route):
        kernel.send(new.netns, messages.route(new, kernel.route_oif(new), how="replace"), op)
    elif isinstance(new, Neighbor):
        kernel.send(new.netns, messages.neighbor(new, kernel.index(new.netns, new.dev), how="replace"), op)
    elif isinstance(new, FdbEntry):
        kernel.send(new.netns, messages.fdb(new, kernel.index(new.netns, new.dev), how="replace"), op)
    elif isinstance(new, LinkSet) and isinstance(old, LinkSet):
        master = kernel.index(new.netns, new.master) if new.master else (0 if old.master else None)
        kernel.send(new.netns, messages.link_set(new, kernel.index(new.netns, new.name), master), op)
    elif isinstance(new, BridgePort):
        kernel.send(new.netns, messages.bridge_port(new, kernel.index(new.netns, new.name)), op)
    elif isinstance(new, Bridge):  # its MTU, which the kernel reset when its last port left
        kernel.send(new.netns, messages.link_mtu(kernel.index(new.netns, new.name), new.mtu), op)
    elif isinstance(new, RuleSet) and isinstance(old, RuleSet):
        kernel.flush()
        if kernel.tolerate and not new.is_iptables:  # a rollback: whatever the table holds, load it whole again
            payload = rulesets.reload(new)
        else:
            payload = rulesets.iptables_resync((old,), (new,)) if new.is_iptables else rulesets.resync(old, new)
        if payload:
            loader(kernel, new.netns, new.tool, payload, op)
    elif isinstance(new, Records) and isinstance(old, Records):
        kernel.flush()
        # The same records again (their server started again, empty), a rollback's, or only what changed.
        kernel.records(new, None if old is new or kernel.tolerate else old.payload)
    elif isinstance(new, Daemon) and isinstance(old, Daemon) and new.reloads(old) and alive(kernel, new.name):
        kernel.flush()
        kernel.reload_daemon(new)
    elif isinstance(new, Daemon):  # a daemon reads its argv and files once: it starts again
        kernel.flush()
        stop_daemon(kernel, new.name)
        kernel.apply(new)
    elif isinstance(new, (Sysctl, File, NetnsFile, BgpSessions, ArpAnswer, IpipTunnel)):
        kernel.apply(new)
    else:
        raise StepFailed(f"cannot change {new.key} in place", op)


def saved_iptables(kernel: Kernel, ns: str, tool: str, rulesets_: tuple[RuleSet, ...]) -> str:
    """`iptables-save` of the tables the rule sets write (TOOL-save, for the lab's backend)."""
    tables = sorted({line[1:].strip() for r in rulesets_ for line in r.payload.splitlines() if line.startswith("*")})
    out = []
    for table in tables:
        with netns.entered(kernel.fd(ns)):
            done = subprocess.run([f"{tool}-save", "-t", table], capture_output=True, text=True, check=False)
        out.append(done.stdout)
    return "".join(out)


def alive(kernel: Kernel, name: str) -> bool:
    running = kernel.running.get(name)
    return running is not None and processes.still_ours(running.pid, running.start_time)


def stop_daemon(kernel: Kernel, name: str) -> None:
    """SIGTERM (the daemon finishes what it serves), then SIGKILL if it does not end."""
    running = kernel.running.pop(name, None)
    if running is not None and processes.still_ours(running.pid, running.start_time):
        processes.stop([running.pid])


_DEFAULTS: dict[str, str] = {}


def fresh_default(key: str) -> str:
    """A sysctl's value in a new namespace: what a setting the plan no longer makes goes back to."""
    if key not in _DEFAULTS:
        with netns.anonymous(), open("/proc/sys/" + key.replace(".", "/")) as f:
            _DEFAULTS[key] = f.read().strip()
    return _DEFAULTS[key]


FLOWS_DELETED = re.compile(r"(\d+) flow entries have been deleted")


def delete_flows(flows: list[tuple[str, list[str]]]) -> int:
    """Runs each `conntrack -D` filter in its namespace; returns how many flows went. Best effort, as kube-proxy's
    cleanup is: a filter that matches nothing exits 1, and a failure only leaves a flow to time out."""
    deleted = 0
    for ns, argv in flows:
        try:
            done = netns.run(ns, argv, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if m := FLOWS_DELETED.search(done.stderr):
            deleted += int(m.group(1))
    return deleted

