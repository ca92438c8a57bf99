"""From the plan a lab was built from to the plan it should now have: the ordered changes between them. Pure.

Steps are compared by identity (their key) and content:
* a step only in the new plan is created; one only in the old plan is deleted;
* a step whose content changed is changed in place where the kernel can (a route is replaced, a sysctl
  written, a rule set re-synced, a daemon restarted), and otherwise deleted and created again (a veth whose
  peer moved, a namespace whose pod moved to another node);
* what cannot outlive a step that goes goes with it — the kernel removes a namespace's links, a link's
  addresses and routes by itself, netlab stops a namespace's daemons — and whatever of that the new plan still
  holds is created again;
* what a changed step resets is re-applied: a port enslaved again loses its hairpin setting, a link that lost
  its last address loses its routes.

The order is the one `apply` needs: first what must go before it can come back (a moved pod's namespace), then
every creation and change in the new plan's order — so a pod's daemon runs before kube-proxy's rules name it
as an endpoint — and last what goes for good, in the old plan's reverse order — so a pod leaves the rules
before its daemon is stopped. The iptables rule sets of a namespace that stays are changed together, by one
`iptables-restore --noflush` (Resync), as kube-proxy syncs: a built-in chain is shared by several owners.

Rolling back is the same diff, the other way round: from what the kernel holds after the changes made so far
(`after`) to the plan the lab had.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from netlab.plan import Plan, rulesets
from netlab.plan.steps import (
    Address, ArpAnswer, BgpSessions, Bridge, BridgePort, Daemon, FdbEntry, File, LinkSet, Neighbor, NetnsFile, Note,
    Records, Route, RuleSet, Step, Sysctl, provides,
)

# What the kernel (or netlab) can change without taking the object away first.
IN_PLACE = (Route, Neighbor, FdbEntry, LinkSet, BridgePort, Sysctl, RuleSet, File, NetnsFile, Daemon, Records,
            BgpSessions, ArpAnswer)


@dataclass(frozen=True)
class Create:
    step: Step


@dataclass(frozen=True)
class Delete:
    step: Step


@dataclass(frozen=True)
class Change:
    """`new` in place of `old`; the same step twice re-applies it (what a change of another step reset)."""

    old: Step
    new: Step


@dataclass(frozen=True)
class Resync:
    """Every iptables rule set of one namespace, from the old ones to the new ones, in one restore."""

    netns: str
    tool: str
    old: tuple[RuleSet, ...]
    new: tuple[RuleSet, ...]

    @property
    def key(self) -> str:
        return f"resync {self.netns} {self.tool}"


Op = Create | Delete | Change | Resync


def diff(applied: Plan, desired: Plan) -> list[Op]:
    return diff_steps(list(applied.by_key().values()), desired)


def diff_steps(current: list[Step], desired: Plan) -> list[Op]:
    """The changes from `current` (the steps the kernel holds, in a valid build order) to `desired`."""
    old = {s.key: s for s in current}
    new = desired.by_key()
    changed = {k for k in old.keys() & new.keys() if old[k] != new[k]}
    in_place = {k for k in changed if isinstance(new[k], IN_PLACE) and type(old[k]) is type(new[k])}
    replaced = changed - in_place
    removed = old.keys() - new.keys()
    dependents = _dependents(old.values())
    providers = {p: s for s in old.values() for p in provides(s)}
    doomed_by_replace = _closure(replaced, old, dependents)
    doomed = doomed_by_replace | _closure(removed, old, dependents)
    create = (new.keys() - old.keys()) | (doomed & new.keys())
    changes = in_place - doomed
    refresh = _refreshed(old, new, changes, doomed, create, dependents) - changes - create

    # iptables rule sets of a namespace that stays are synced together; in a new namespace they are created.
    resyncs: dict[str, Resync] = {}
    for ns, tool in {(s.netns, s.tool) for s in _iptables([*old.values(), *new.values()])}:
        if f"netns {ns}" in doomed or f"netns {ns}" not in old:
            continue
        before = tuple(_iptables(old.values(), ns))
        now = tuple(_iptables(new.values(), ns))
        if before != now:
            resyncs[ns] = Resync(ns, tool, before, now)
    synced = {s.key for r in resyncs.values() for s in (*r.old, *r.new)}
    # Each resync goes where the first of its rule sets that changed is in the new plan: kube-proxy's, after
    # the pods it names have started.
    at: dict[str, str] = {}
    for key, step in new.items():
        if key in synced and old.get(key) != step:
            at.setdefault(step.netns, key)  # type: ignore[union-attr]

    ops: list[Op] = []
    later: list[Op] = []
    ops += [Delete(old[k]) for k in reversed(old) if k in doomed_by_replace and _explicit(old[k], doomed, providers)]
    for key, step in new.items():
        if key in synced:
            assert isinstance(step, RuleSet)
            if at.get(step.netns) == key:
                ops.append(resyncs.pop(step.netns))
        elif key in create:
            ops.append(Create(step))
        elif key in changes:
            kept = _keeping_sets(old[key], step)
            ops.append(Change(old[key], kept))
            if kept != step:  # a set still named by rules is destroyed once the rules have changed
                later.append(Change(kept, step))
        elif key in refresh and not isinstance(step, Bridge):
            ops.append(Change(step, step))
    ops += resyncs.values()  # a namespace whose iptables rule sets all went
    ops += later
    ops += [Delete(old[k]) for k in reversed(old) if k in doomed - doomed_by_replace and k not in synced
            and _explicit(old[k], doomed, providers)]
    # A bridge's MTU once its ports have left, not before.
    ops += [Change(s, s) for k, s in new.items() if k in refresh and isinstance(s, Bridge)]
    return ops


def after(current: list[Step], done: Iterable[Op]) -> list[Step]:
    """The steps the kernel holds once `done` were applied to `current` (what a rollback starts from)."""
    steps = {s.key: s for s in current}
    for op in done:
        if isinstance(op, Create):
            steps[op.step.key] = op.step
        elif isinstance(op, Change):
            steps[op.new.key] = op.new
        elif isinstance(op, Resync):
            for s in op.old:
                steps.pop(s.key, None)
            steps.update({s.key: s for s in op.new})
        elif isinstance(op, Delete):
            for key in _taken_along(op.step.key, steps):
                steps.pop(key, None)
    return list(steps.values())


def _keeping_sets(old: Step, new: Step) -> Step:
    """An ipset rule set changed in place keeps the sets that went until the iptables rules stop naming them
    (the kernel refuses to destroy a set in use): `new` with them, as they were."""
    if not (isinstance(old, RuleSet) and isinstance(new, RuleSet) and new.tool == "ipset"):
        return new
    stale = rulesets.ipsets_only(old.payload, exclude=rulesets.ipsets(new.payload))
    return dataclasses.replace(new, payload=new.payload + stale) if stale else new


# -- dependencies -----------------------------------------------------------------------------------------

def _iptables(steps: Iterable[Step], ns: str | None = None) -> list[RuleSet]:
    """The iptables rule sets among `steps` (of one namespace)."""
    return [s for s in steps if isinstance(s, RuleSet) and s.is_iptables and (ns is None or s.netns == ns)]


def _dependents(steps: Iterable[Step]) -> dict[str, list[str]]:
    """provided key → the keys of the steps that require it."""
    found: dict[str, list[str]] = {}
    for step in steps:
        if isinstance(step, Note):
            continue
        for required in step.requires:
            found.setdefault(required, []).append(step.key)
    return found


def _closure(start: set[str], steps: dict[str, Step], dependents: dict[str, list[str]]) -> set[str]:
    """`start` and everything that cannot outlive it."""
    seen = set()
    todo = [k for k in start if k in steps]
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        for provided in provides(steps[key]):
            todo += [d for d in dependents.get(provided, ()) if d not in seen]
    return seen


def _removes_along(required: str) -> bool:
    """The kernel removes what sits in a namespace or on a link with it (a link's addresses, a veth's peer)."""
    return required.split(" ", 1)[0] in ("netns", "link")


def _explicit(step: Step, doomed: set[str], providers: dict[str, Step]) -> bool:
    """Must netlab delete it, or does the kernel take it away with a namespace or link that goes too?"""
    if not step.in_kernel:
        return True
    for required in step.requires:
        provider = providers.get(required)
        if provider is not None and provider.key in doomed and _removes_along(required):
            return False
    return True


def _taken_along(key: str, steps: dict[str, Step]) -> set[str]:
    """`key`, and the kernel objects the kernel removes with it, as far as that goes."""
    dependents = _dependents(steps.values())
    gone = {key}
    todo = [key]
    while todo:
        for provided in provides(steps[todo.pop()]):
            for d in dependents.get(provided, ()):
                if d not in gone and steps[d].in_kernel and _removes_along(provided):
                    gone.add(d)
                    todo.append(d)
    return gone


def _refreshed(old: dict[str, Step], new: dict[str, Step], changes: set[str], doomed: set[str], create: set[str],
               dependents: dict[str, list[str]]) -> set[str]:
    """Steps the new plan keeps as they are, but which a change elsewhere reset in the kernel."""
    found = {d for k in changes for p in provides(new[k]) for d in dependents.get(p, ())}
    # A link that loses an address may lose its routes with it (its last one always does).
    touched = {(s.netns, s.dev) for k in doomed | create for s in (old.get(k), new.get(k)) if isinstance(s, Address)}
    found |= {k for k, s in new.items() if isinstance(s, Route) and (s.netns, s.dev) in touched}
    # A bridge whose last port leaves goes back to the default MTU (the kernel sizes it by its ports).
    left = {(s.netns, s.master) for k in doomed for s in [old[k]] if isinstance(s, LinkSet) and s.master}
    found |= {k for k, s in new.items() if isinstance(s, Bridge) and (s.netns, s.name) in left}
    return {k for k in found if k in new and k not in doomed}
