"""`netlab check`: grades an exercise lab's current state — its probes and its kernel-state checks — and, with
`--solution`, first applies the exercise's own solution to prove it can be solved.

A check passes on what the kernel does now: a probe sends real traffic, a command check reads real kernel
state (`ip route`, `iptables -S`…) in a lab namespace. Nothing is cached from `up`, so a student's fix,
however it was made, is what gets graded.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
import re
from dataclasses import dataclass

from netlab import naming, probe, state
from netlab.errors import EnvironmentProblem, UsageError
from netlab.kernel import netns
from netlab.topology.model import Check, Command, Edit, Exercise, Topology

COMMAND_TIMEOUT = 10


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str  # what was observed
    hint: str | None  # shown when it failed

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail, "hint": self.hint}


def exercise_lab(lab: str) -> tuple[Topology, Exercise]:
    """The topology a lab that is up was built from, and its exercise."""
    topology = state.LabState(lab).built_topology()
    if topology.exercise is None:
        raise UsageError(f"lab '{lab}' is not an exercise (its file has no 'exercise:' section)",
                         hint="the exercises are in topologies/exercises/")
    return topology, topology.exercise


def run_command(lab: str, command: Command) -> tuple[int, str]:
    """Runs an exercise command in its namespace: (exit status, output with stderr after stdout)."""
    done = netns.run_tool(naming.netns(lab, command.where), list(command.argv), timeout=COMMAND_TIMEOUT)
    return done.returncode, done.stdout + done.stderr


def grade(t: Topology, exercise: Exercise) -> list[CheckResult]:
    probes = {p.name: p for p in t.probes}
    results = []
    for check in exercise.checks:
        if check.probe is not None:
            r = probe.run_probe(t, probes[check.probe])
            detail = f"{r.probe.source} → {r.probe.target}: {r.observed}" + ("" if r.ok else f"; expected {r.expected}")
            results.append(CheckResult(check.name, r.ok, detail, check.hint))
        elif check.command is not None:
            results.append(command_check(t.name, check, check.command))
        elif check.bgp is not None:
            results.append(bgp_check(t, check, *check.bgp))
    return results


def bgp_check(t: Topology, check: Check, node: str, peer: str) -> CheckResult:
    """Asks the node's BIRD, as `up` does, about its session with the peer (`Mesh_192_168_56_11`…)."""
    from netlab.features.calico import bgp, bird
    speaker, other = t.node(node), t.node(peer)
    session = next((p.name for p in bgp.peers(t, speaker) if p.ip == other.ip), None)
    if session is None:
        return CheckResult(check.name, False, f"{node} has no BGP session with {peer}", check.hint)
    socket = state.LabState(t.name).dir / bgp.socket(speaker)
    down = bird.sessions_down(naming.netns(t.name, node), str(socket), (session,))
    if down is None:
        return CheckResult(check.name, False, f"BIRD on {node} does not answer", check.hint)
    return CheckResult(check.name, not down, down[0] if down else f"{session} is Established", check.hint)


# What may stand next to a checked text: a word is delimited by white space, quotes, brackets, commas and the like,
# so `192.168.1.3:80` is not found in `192.168.1.3:8080`, nor `DROP` in `DROPPED`.
WORD_EDGE = r"""\s"'(),;\[\]{}<>="""


def shows(output: str, text: str) -> bool:
    """`text` appears in `output` as whole words, not inside a longer token."""
    pattern = rf"(?<![^{WORD_EDGE}]){re.escape(text)}(?![^{WORD_EDGE}])"
    return re.search(pattern, output) is not None


def command_check(lab: str, check: Check, command: Command) -> CheckResult:
    """A command check passes when the command succeeds and its output holds (or lacks) the text: a failing
    command proves nothing, even when the text it was to lack is missing (a deleted chain lists nothing)."""
    status, output = run_command(lab, command)
    where = f"`{command}` in {command.where}"
    if status != 0:
        return CheckResult(check.name, False, f"{where} failed (exit {status}): {output.strip()[:200]}", check.hint)
    if check.contains is not None and not shows(output, check.contains):
        return CheckResult(check.name, False, f"{where} does not show '{check.contains}'", check.hint)
    if check.absent is not None and shows(output, check.absent):
        return CheckResult(check.name, False, f"{where} still shows '{check.absent}'", check.hint)
    shown = f"shows '{check.contains}'" if check.contains is not None else f"does not show '{check.absent}'"
    return CheckResult(check.name, True, f"{where} {shown}", check.hint)


def apply_edit(lab: str, text: str) -> None:
    """Changes the lab into its edited topology text, as a student would after editing the file: `netlab apply`
    (checked first, so a bad edit leaves the lab as it was)."""
    from netlab.lifecycle import apply
    apply.apply(text, str(state.LabState(lab).meta().get("source") or lab))


def apply_solution(t: Topology, exercise: Exercise, apply_edit: Callable[[str, str], None] = apply_edit) -> list[str]:
    """Performs the exercise's solution, step by step; returns what was done, for the report. A command that
    fails stops it, naming the step; an edit rewrites the lab's file and applies it."""
    done = []
    for i, step in enumerate(exercise.solution, 1):
        if isinstance(step, Edit):
            text = state.LabState(t.name).topology_text() or ""
            if step.replace not in text:
                raise UsageError(f"solution step {i}: the lab's file does not contain {step.replace!r}",
                                 hint="was the lab already fixed by hand, or its file changed?")
            apply_edit(t.name, text.replace(step.replace, step.with_text, 1))
            done.append(f"edited the lab's file ({step.replace!r} → {step.with_text!r}) and applied it")
        else:
            status, output = run_command(t.name, step)
            if status != 0:
                raise EnvironmentProblem(f"solution step {i} failed: `{step}` in {step.where} exited {status}",
                                         hint=output.strip()[:300] or None)
            done.append(f"{step.where}: {step}")
    if wait_for_bgp(t.name):
        done.append("waited for the BGP sessions, as `up` does")
    return done


def wait_for_bgp(lab: str) -> bool:
    """After a fix, BIRD connects again at its next try (a few seconds to half a minute): waits for every session
    the lab's plan waits for (bounded, as `up`); the checks then say what is still down. Whether it waited."""
    from netlab.kernel.apply import Kernel, StepFailed
    from netlab.plan import BgpSessions
    lab_state = state.LabState(lab)
    plan = lab_state.plan()
    sessions = [s for s in plan.steps if isinstance(s, BgpSessions)] if plan else []
    if not sessions:
        return False
    kernel = Kernel(lab_state.dir)
    try:
        for step in sessions:
            kernel.apply(step)
    except StepFailed:
        pass
    finally:
        kernel.close()
    return True


def junit_xml(lab: str, exercise: Exercise, results: list[CheckResult]) -> bytes:
    """One <testsuite> per grading, one <testcase> per check; a failure carries what was seen and the hint."""
    failures = sum(1 for r in results if not r.ok)
    suite = ET.Element("testsuite", name=f"netlab check {lab}: {exercise.title}", tests=str(len(results)),
                       failures=str(failures), errors="0", skipped="0")
    for r in results:
        case = ET.SubElement(suite, "testcase", classname=f"netlab.{lab}", name=r.name)
        if not r.ok:
            failure = ET.SubElement(case, "failure", message=r.detail, type="CheckFailed")
            failure.text = r.detail + (f"\nhint: {r.hint}" if r.hint else "") + "\n"
        ET.SubElement(case, "system-out").text = r.detail + "\n"
    ET.indent(suite)
    document: bytes = ET.tostring(suite, encoding="utf-8", xml_declaration=True)
    return document + b"\n"
