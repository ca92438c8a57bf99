"""An exercise's `break:` commands: the last steps of its plan, run once the lab is built and working."""

from __future__ import annotations

from netlab import naming
from netlab.plan import STATE, Exec, Note, Step
from netlab.topology.model import BgpRestart, Command, Topology


def compile_breaks(t: Topology) -> list[Step]:
    if t.exercise is None or not t.exercise.breaks:
        return []
    steps: list[Step] = [Note(f"exercise: {t.exercise.title} — break the lab")]
    steps += [Exec(naming.netns(t.name, c.where), c.argv, i) if isinstance(c, Command) else restart(t, c, i)
              for i, c in enumerate(t.exercise.breaks)]
    return steps


def restart(t: Topology, step: BgpRestart, number: int) -> Exec:
    """`birdc restart "*_*"`: the node's BGP protocols (Mesh_…, Node_…, Global_…; BIRD's own are kernel1,
    device1…) each end with a Cease and start again. birdc takes one name, or a pattern in quotes."""
    from netlab.features.calico import bgp, bird
    node = t.node(step.node)
    return Exec(naming.netns(t.name, node.name),
                tuple(bird.control(f"{STATE}/{bgp.socket(node)}", "restart", '"*_*"')), number)
