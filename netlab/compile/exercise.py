"""An exercise's `break:` commands: the last steps of its plan, run once the lab is built and working."""

from __future__ import annotations

from netlab import naming
from netlab.plan import Exec, Note, Step
from netlab.topology.model import Topology


def compile_breaks(t: Topology) -> list[Step]:
    if t.exercise is None or not t.exercise.breaks:
        return []
    steps: list[Step] = [Note(f"exercise: {t.exercise.title} — break the lab")]
    steps += [Exec(naming.netns(t.name, c.where), c.argv, i) for i, c in enumerate(t.exercise.breaks)]
    return steps
