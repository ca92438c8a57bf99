"""`netlab up`: checks the machine, journals and applies the plan step by step, and rolls back on failure."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from types import FrameType
from typing import Any

from netlab import state
from netlab.errors import ApplyError, EnvironmentProblem
from netlab.kernel import features, netns
from netlab.kernel.apply import Kernel, StartedProcess
from netlab.lifecycle.down import lab_namespaces, teardown
from netlab.plan import Note, Plan, Step
from netlab.render.shell import command
from netlab.topology.model import Topology

ROLLED_BACK = "everything this `up` created was removed"
Progress = Callable[[int, int, str], None]  # (steps done, steps in all, what is being done)


@dataclass(frozen=True)
class UpResult:
    lab: str
    steps: int
    namespaces: int
    processes: int
    seconds: float


class Interrupted(BaseException):
    """Ctrl-C, SIGTERM or SIGHUP during `up`: answered by rolling back."""


class DeferredSignals:
    """Turns Ctrl-C, SIGTERM and SIGHUP into a flag that `up` checks between steps.

    A signal raised in the middle of a netlink call or an event loop's set-up would leave half-built
    Python objects behind; between two steps the kernel is in a known state and rollback is clean.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __init__(self) -> None:
        self.received: int | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> DeferredSignals:
        try:
            self._previous = {s: signal.signal(s, self._note) for s in self.SIGNALS}
        except ValueError:  # not the main thread: signals are not ours to handle
            self._previous = {}
        return self

    def __exit__(self, *exc: object) -> None:
        for s, handler in self._previous.items():
            signal.signal(s, handler)

    def _note(self, signum: int, frame: FrameType | None) -> None:
        self.received = signum

    def check(self) -> None:
        if self.received is not None:
            name = "Ctrl-C" if self.received == signal.SIGINT else signal.Signals(self.received).name
            raise Interrupted(name)


def up(plan: Plan, *, model: Topology, source: str, topology_text: str, progress: Progress | None = None,
       signals: DeferredSignals | None = None) -> UpResult:
    """Builds the lab. A caller that must not be interrupted after the build (the CLI, while it prints
    the result) passes its own DeferredSignals, already entered."""
    features.ensure_can_run(plan)
    with ExitStack() as stack:
        stack.enter_context(state.locked(plan.lab))
        if signals is None:
            signals = stack.enter_context(DeferredSignals())
        refuse_if_present(plan.lab)
        lab_state = state.LabState(plan.lab)
        started = time.monotonic()
        kernel = Kernel(lab_state.dir)
        started_processes: list[StartedProcess] = []

        def on_process(p: StartedProcess) -> None:
            lab_state.record(op="process", name=p.name, netns=p.netns, pid=p.pid, start_time=p.start_time)
            started_processes.append(p)

        kernel.on_process = on_process
        kernel.on_file = lambda path: lab_state.record(op="file", path=path)
        steps = [s for s in plan.steps if not isinstance(s, Note)]
        try:
            lab_state.create(source=source, topology_text=topology_text, model=model, plan=plan)
            # Every namespace is journaled before the first is created: a crash at any moment is covered.
            names = [ns.name for ns in plan.namespaces()]
            lab_state.record_all([{"op": "netns", "name": name} for name in names])
            kernel.namespaces = netns.Creator(names)
            for done, step in enumerate(steps):
                signals.check()
                if progress:
                    progress(done, len(steps), step.key)
                try:
                    kernel.apply(step)
                except Exception as e:  # StepFailed, RequestFailed, OSError: all name the step
                    raise failed_step(e, step, steps) from e
            try:
                kernel.flush()
                kernel.wait_loads()
            except Exception as e:
                raise failed_step(e, steps[-1], steps) from e
            try:
                kernel.wait_started()
            except Exception as e:
                raise ApplyError(f"a daemon failed to start: {kernel_message(e)}", hint=ROLLED_BACK) from e
            signals.check()
            seconds = time.monotonic() - started
            lab_state.record(op="ready", seconds=round(seconds, 3))
        except BaseException as e:
            kernel.close()
            teardown(plan.lab, lab_state)  # signals stay deferred: a second Ctrl-C cannot cut the rollback short
            if isinstance(e, (KeyboardInterrupt, Interrupted)):
                raise ApplyError(f"interrupted ({e}) while building lab '{plan.lab}'", hint=ROLLED_BACK) from None
            raise
        kernel.close()
        lab_state.close()
        if progress:
            progress(len(steps), len(steps), "done")
        return UpResult(plan.lab, len(steps), len(plan.namespaces()), len(started_processes), seconds)


def refuse_if_present(lab: str) -> None:
    lab_state = state.LabState(lab)
    if lab_state.exists():
        meta = lab_state.meta()
        since = time.strftime("%H:%M:%S", time.localtime(meta.get("created", 0)))
        if lab_state.is_ready():
            raise EnvironmentProblem(f"lab '{lab}' is already up (from {meta.get('source', '?')}, since {since})",
                                     hint=f"use it as it is, or run `netlab down {lab}` first")
        raise EnvironmentProblem(f"lab '{lab}' has state from an `up` that did not finish (since {since})",
                                 hint=f"run `netlab down {lab}` to clean it up, then `netlab up` again")
    leftovers = lab_namespaces(lab)
    if leftovers:
        raise EnvironmentProblem(
            f"lab '{lab}' has namespaces but no state ({', '.join(leftovers[:3])}"
            f"{', …' if len(leftovers) > 3 else ''}), e.g. built by the script of `netlab plan`",
            hint=f"run `netlab down {lab}` to remove them")


def failed_step(e: Exception, current: Step, steps: Sequence[Step]) -> ApplyError:
    """Names the step the kernel refused: a batched request fails after the steps queued behind it."""
    step = getattr(e, "step", None) or current
    number = next(i for i, s in enumerate(steps, 1) if s is step)  # by identity: a plan may repeat a step
    return ApplyError(f"step {number}/{len(steps)} failed: {command(step).splitlines()[0]}\n"
                      f"  {kernel_message(e)}", hint=ROLLED_BACK)


def kernel_message(e: BaseException) -> str:
    code = getattr(e, "code", None)
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    if code is not None and e.args and len(e.args) >= 2:  # rtnl.RequestFailed(code, text)
        return f"{e.args[1]} (errno {code})"
    return str(e) or type(e).__name__
