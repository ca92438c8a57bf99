"""`netlab apply`: changes a lab that is up into what its edited file says, touching only what changed.

The file is resolved against the lab's model (its addresses are leases: addressing.py) and compiled; the diff
between the plan the kernel holds and the new one (plan/diff.py) is performed change by change. Each change
is journaled as it begins, with every namespace, daemon and file it makes, so that whatever stops `apply` —
a refusal by the kernel, Ctrl-C, SIGKILL — the lab goes back to what it was: at once (a refusal, a signal), or
by the next `apply` or `down` (a kill). Going back is the same diff, from what the kernel holds after the
changes begun so far to the plan the lab had, with "it is not there" forgiven.

A Deployment whose pod template changed is rolled out in stages (features/deployments/rollout.py): each
stage is one such apply, committed before the next, so a lab is always in one of them.
"""

from __future__ import annotations

import errno
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field

from netlab import state
from netlab.compile import compile_plan
from netlab.errors import ApplyError, UsageError
from netlab.kernel import changes, features
from netlab.kernel.apply import Kernel, StartedProcess
from netlab.lifecycle.up import DeferredSignals, Interrupted, kernel_message
from netlab.plan import Netns, Plan, RuleSet
from netlab.plan.diff import Change, Create, Op, Resync, after, diff, diff_steps
from netlab.render.shell import change_command
from netlab.features.deployments.rollout import stages
from netlab.features.kube_proxy.conntrack import stale_udp_flows
from netlab.topology import Topology, load_document, read_document
from netlab.topology.yaml_source import YamlDocument

ROLLED_BACK = "the lab is as it was before this apply"
# A rollback deletes what a crash may have kept from being made, and makes what it may have kept from going.
FORGIVEN = frozenset({errno.ENOENT, errno.ESRCH, errno.ENODEV, errno.EEXIST, errno.EADDRNOTAVAIL})
Say = Callable[[str], None]


@dataclass
class ApplyResult:
    lab: str
    changes: list[str]  # what changed, for people
    operations: int  # kernel changes made (or, for a dry run, to be made)
    seconds: float = 0.0
    kernel_seconds: float = 0.0  # of which the changes in the kernel (daemons included)
    phases: dict[str, float] = field(default_factory=dict)  # where the rest went: read, resolve, diff, record
    stages: int = 1  # more than one: a rolling update
    script: str = ""  # a dry run's commands
    dry_run: bool = False
    log: list[str] = field(default_factory=list)  # a rollout's progress

    def as_dict(self) -> dict[str, object]:
        return {"lab": self.lab, "dry_run": self.dry_run, "changes": self.changes, "operations": self.operations,
                "stages": self.stages, "seconds": round(self.seconds, 4),
                "kernel_seconds": round(self.kernel_seconds, 4), "log": self.log,
                "phases": {k: round(v, 4) for k, v in self.phases.items()},
                **({"script": self.script} if self.dry_run else {})}


def apply(text: str, source: str, *, dry_run: bool = False, say: Say | None = None,
          signals: DeferredSignals | None = None, manifests: str | None = None) -> ApplyResult:
    """Changes the lab the topology text (with the Kubernetes manifests of the directory `manifests`) names. A
    caller that must not be interrupted after it (the CLI, while it prints the result) passes its own
    DeferredSignals, already entered."""
    started = clock = time.monotonic()
    phases: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal clock
        now = time.monotonic()
        phases[name] = phases.get(name, 0.0) + now - clock
        clock = now
    document = read_document(text, source, manifests)
    lab = lab_name(document, source)
    with ExitStack() as stack:
        if not dry_run:
            stack.enter_context(state.locked(lab))
            if signals is None:
                signals = stack.enter_context(DeferredSignals())
        lab_state = state.LabState(lab)
        if not lab_state.is_ready():
            raise UsageError(f"lab '{lab}' is not up", hint=f"bring it up first: sudo netlab up {source}")
        if not dry_run:
            recover(lab_state)
        current = lab_state.built_topology()
        applied = lab_state.plan()
        if applied is None:
            raise UsageError(f"lab '{lab}' is not up", hint=f"bring it up first: sudo netlab up {source}")
        lap("read")
        desired = load_document(document, source, previous=current)
        staged = stages(current, desired)
        models = [model for model, _ in staged]
        plans = [compile_plan(m) for m in models]
        result = ApplyResult(lab, describe(current, desired), 0, stages=len(models), dry_run=dry_run, phases=phases)
        lap("resolve")
        if dry_run:
            result.script = dry_run_script(applied, plans, [text for _, text in staged])
            result.operations = sum(len(diff(a, b)) for a, b in zip([applied, *plans], plans, strict=False))
            result.seconds = time.monotonic() - started
            return result
        ensure_can_run(applied, plans[-1])
        assert signals is not None
        previous = current
        for n, ((model, what), plan) in enumerate(zip(staged, plans, strict=True), 1):
            if len(models) > 1:
                line = f"stage {n}/{len(models)}: {what}"
                result.log.append(line)
                if say:
                    say(line)
            ops = diff(applied, plan)
            lap("diff")
            result.kernel_seconds += perform(lab_state, applied, plan, model, text, ops, signals)
            if flows := changes.delete_flows(stale_udp_flows(previous, model)):
                line = f"conntrack: deleted {flows} UDP flow(s) to endpoints that went, as kube-proxy does"
                result.log.append(line)
                if say:
                    say(line)
            lap("record")
            result.operations += len(ops)
            applied, previous = plan, model
        phases["record"] -= result.kernel_seconds
        result.seconds = time.monotonic() - started
        return result


def lab_name(document: YamlDocument, source: str) -> str:
    """The lab a file names, read before it is resolved (that needs the lab's model)."""
    data = document.data
    name = data.get("name") if isinstance(data, dict) else None
    if not isinstance(name, str):
        load_document(document, source)  # reports what is wrong with it (exit 2)
        raise UsageError(f"{source} names no lab")
    return name


def ensure_can_run(applied: Plan, desired: Plan) -> None:
    """The machine checks `up` made, for what the new plan needs and the old one did not (a new proxy mode)."""
    if features.needs(desired) <= features.needs(applied):
        return
    new = features.requirements(desired)
    old = features.requirements(applied)
    missing = {name: check for name, check in new.items() if name not in old}
    failed = [c for c in features.run_checks(missing) if not c.ok and c.name != "root"] if missing else []
    if failed:
        from netlab.errors import EnvironmentProblem
        raise EnvironmentProblem("this machine cannot run the changed lab:\n  " + "\n  ".join(
            f"{c.name}: {c.detail}" for c in failed), hint="; ".join(dict.fromkeys(c.fix for c in failed if c.fix)))


# -- performing one stage ----------------------------------------------------------------------------------

def perform(lab_state: state.LabState, applied: Plan, plan: Plan, model: Topology, text: str, ops: list[Op],
            signals: DeferredSignals) -> float:
    """Makes the changes `ops` (applied → plan), journaled; rolls back and raises ApplyError if one fails. Returns
    the seconds the changes took in the kernel."""
    lab_state.begin(topology_text=text, model=model, plan=plan)
    kernel = kernel_for(lab_state)
    begun = 0
    started = time.monotonic()
    try:
        while begun < len(ops):
            signals.check()
            group = together(ops, begun)
            if any(touches_rules(op) for op in group):
                kernel.wait_started()  # an endpoint goes into kube-proxy's rules once its pod answers
            for op in group:
                if isinstance(op, Create) and isinstance(op.step, Netns):
                    lab_state.record(op="netns", name=op.step.name)  # before it exists: `down` finds it whatever
                lab_state.record(op="change", n=begun)
                begun += 1
            changes.run_all(kernel, group)
        kernel.flush()
        kernel.wait_started()
        seconds = time.monotonic() - started
        signals.check()
    except BaseException as e:
        problems = roll_back(kernel, applied, ops[:begun])
        kernel.close()
        lab_state.record(op="rolled-back")
        lab_state.discard()
        lab_state.compact(applied)
        raise failure(e, ops, problems) from None
    lab_state.record(op="applied")
    kernel.close()
    lab_state.commit()
    lab_state.compact(plan)
    return seconds


def kernel_for(lab_state: state.LabState) -> Kernel:
    kernel = Kernel(lab_state.dir)
    kernel.running = {p.name: StartedProcess(p.name, p.netns, p.pid, p.start_time) for p in lab_state.processes()}
    kernel.on_process = lambda p: lab_state.record(op="process", name=p.name, netns=p.netns, pid=p.pid,
                                                   start_time=p.start_time)
    kernel.on_file = lambda path: lab_state.record(op="file", path=path)
    return kernel


def together(ops: list[Op], start: int) -> list[Op]:
    """The change at `start`, or the run of node re-syncs that starts there (made side by side)."""
    end = start + 1
    while isinstance(ops[start], Resync) and end < len(ops) and isinstance(ops[end], Resync):
        end += 1
    return ops[start:end]


def touches_rules(op: Op) -> bool:
    step = op.step if isinstance(op, Create) else op.new if isinstance(op, Change) else None
    return isinstance(op, Resync) or isinstance(step, RuleSet)


def roll_back(kernel: Kernel, applied: Plan, begun: list[Op]) -> list[str]:
    """Back to `applied` from wherever `begun` left the kernel; returns what could not be put back."""
    kernel.tolerate = FORGIVEN
    with_errors: list[str] = []
    current = after(list(applied.by_key().values()), begun)
    for op in diff_steps(current, applied):
        try:
            changes.run(kernel, op)
        except Exception as e:  # noqa: BLE001 - report every one, go on with the rest
            with_errors.append(f"{describe_op(op)}: {kernel_message(e)}")
    for last in (kernel.flush, kernel.wait_started):
        try:
            last()
        except Exception as e:  # noqa: BLE001
            with_errors.append(kernel_message(e))
    return with_errors


def failure(e: BaseException, ops: list[Op], problems: list[str]) -> ApplyError:
    hint = ROLLED_BACK if not problems else "rolled back, except: " + "; ".join(problems[:3])
    if isinstance(e, (KeyboardInterrupt, Interrupted)):
        return ApplyError(f"interrupted ({e}) while applying", hint=hint)
    tag = getattr(e, "step", None)  # the change, or the step a creation made
    number = next((i for i, op in enumerate(ops, 1) if op is tag or getattr(op, "step", None) is tag), None)
    if number is not None:
        return ApplyError(f"change {number}/{len(ops)} failed: {describe_op(ops[number - 1]).splitlines()[0]}\n  "
                          f"{kernel_message(e)}", hint=hint)
    return ApplyError(f"apply failed: {kernel_message(e)}", hint=hint)


def describe_op(op: object) -> str:
    return change_command(op)


def recover(lab_state: state.LabState) -> None:
    """An apply that a crash cut short: finished if all its changes reached the kernel, else rolled back."""
    pending = lab_state.pending()
    if pending is None:
        return
    complete, last = pending
    old, new = lab_state.plan(), lab_state.next_plan()
    if complete and new is not None:
        lab_state.commit()
        lab_state.compact(new)
        return
    if old is not None and new is not None:
        kernel = kernel_for(lab_state)
        try:
            roll_back(kernel, old, diff(old, new)[:last + 1])
        finally:
            kernel.close()
    lab_state.record(op="rolled-back")
    lab_state.discard()
    if old is not None:
        lab_state.compact(old)


# -- saying what changes ------------------------------------------------------------------------------------

def dry_run_script(applied: Plan, plans: list[Plan], texts: list[str]) -> str:
    parts = []
    for n, (before, plan) in enumerate(zip([applied, *plans], plans, strict=False), 1):
        if len(plans) > 1:
            parts.append(f"\n# rolling update, stage {n}/{len(plans)}: {texts[n - 1]}")
        ops = diff(before, plan)
        parts += [change_command(op) for op in ops]
    return "\n".join(parts) + ("\n" if parts else "")


def describe(before: Topology, now: Topology) -> list[str]:
    """What changes between two models, one line each, as a student would say it."""
    lines: list[str] = []

    def compare(kind: str, old: dict[str, object], new: dict[str, object], show: Callable[[object], str]) -> None:
        lines.extend(f"+ {kind} {k}{show(new[k])}" for k in new if k not in old)
        lines.extend(f"- {kind} {k}" for k in old if k not in new)
        lines.extend(f"~ {kind} {k}{show(new[k])}" for k in new if k in old and old[k] != new[k])

    compare("node", {n.name: n for n in before.nodes}, {n.name: n for n in now.nodes},
            lambda n: f" ({n.ip})")  # type: ignore[attr-defined]
    compare("pod", {p.name: p for p in before.pods}, {p.name: p for p in now.pods},
            lambda p: f" on {p.node} ({p.ip.ip})")  # type: ignore[attr-defined]
    compare("service", {f"{s.namespace}/{s.name}": s for s in before.services},
            {f"{s.namespace}/{s.name}": s for s in now.services}, lambda s: "")
    compare("internet host", {h.name: h for h in before.internet.hosts}, {h.name: h for h in now.internet.hosts},
            lambda h: f" ({h.ip.ip})")  # type: ignore[attr-defined]
    was_services = {(s.namespace, s.name): s for s in before.services}
    for service in now.services:
        old = was_services.get((service.namespace, service.name))
        if old is None:
            continue
        was = {str(e) for p in old.ports for e in before.endpoints(old, p)}
        endpoints = {str(e) for p in service.ports for e in now.endpoints(service, p)}
        if was != endpoints:
            lines.append(f"~ endpoints of {service.namespace}/{service.name}: " + (", ".join(sorted(endpoints))
                                                                                  or "none"))
    return lines
