"""Which lab a command means: a lab by name or by its topology file, its members and their namespaces, and
the topology and plan it was (or would be) built from."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from netlab import naming, state
from netlab.errors import UsageError
from netlab.lifecycle.down import all_labs, lab_namespaces

if TYPE_CHECKING:
    from netlab.plan import Plan
    from netlab.topology.model import Topology


def is_file(arg: str) -> bool:
    return arg.endswith((".yaml", ".yml")) or os.path.sep in arg


def name_of(arg: str) -> str:
    """A lab is named directly, or by the topology file it was built from."""
    if is_file(arg):
        if not os.path.isfile(arg):
            raise UsageError(f"no such file: {arg}")
        from netlab.topology import load_topology
        return load_topology(arg).name
    if not naming.is_name(arg):
        raise UsageError(f"'{arg}' is not a lab name", hint="a lab's name is a DNS label: a-z, 0-9 and '-'")
    return arg


def members(lab: str) -> list[str]:
    """The pods, nodes and hosts of a lab, from its namespaces."""
    return sorted(split[1] for n in lab_namespaces(lab) if (split := naming.split_netns(n)))


def member_namespace(lab: str, target: str) -> str:
    """The namespace of a pod, node or internet host of a lab that is up, or a message listing the ones there are.
    A container in host mode runs in its node's, one that joined another's (container:X) in X's."""
    from netlab.kernel import netns
    ns = naming.netns(lab, target)
    if not netns.exists(ns):  # no namespace of its own: read the model only then, so that exec starts at once
        lab_state = state.LabState(lab)
        if lab_state.exists() and (lab_state.dir / "model.json").exists():
            ns = naming.netns(lab, lab_state.built_topology().home_of(target))
    if not netns.exists(ns):
        known = members(lab)
        if not known:
            raise UsageError(f"lab '{lab}' is not up")
        raise UsageError(f"lab '{lab}' has no '{target}'", hint="one of: " + ", ".join(known))
    return ns


def split_container(command: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    """`-c NAME` / `--container NAME` / `--container=NAME` before the command, as `kubectl exec POD -c NAME --`."""
    if command and command[0].startswith("--container="):
        return command[0].partition("=")[2], command[1:]
    if len(command) >= 2 and command[0] in ("-c", "--container"):
        return command[1], command[2:]
    return None, command


def check_container(lab: str, pod_name: str, container: str) -> None:
    """A container of the pod, or kubectl's refusal naming the ones it has."""
    topology = state.LabState(lab).built_topology()
    pod = next((p for p in topology.pods if p.name == pod_name), None)
    if pod is None:
        raise UsageError(f"'{pod_name}' is not a pod: it has no containers")
    names = [c.name for c in pod.containers]
    if names and container not in names:
        raise UsageError(f'container {container} is not valid for pod {pod_name}', hint="its containers: "
                         + ", ".join(names))


def backend_of(lab: str) -> str | None:
    """The iptables backend a lab that is up chose (cluster.iptablesBackend), if it chose one."""
    return state.LabState(lab).built_topology().cluster.iptables_backend


def source(arg: str, manifests: str | None = None) -> tuple[Topology, Plan]:
    """A topology file compiled (with the Kubernetes manifests of `manifests`), or the topology and plan a lab that
    is up was built from."""
    from netlab.compile import compile_plan
    from netlab.topology import load_topology
    if is_file(arg) or os.path.isfile(arg):
        if not os.path.isfile(arg):
            raise UsageError(f"no such file: {arg}")
        topology = load_topology(arg, manifests=manifests)
        return topology, compile_plan(topology)
    lab_state = state.LabState(name_of(arg))
    the_plan = lab_state.plan()
    if the_plan is None or lab_state.topology_text() is None:
        raise UsageError(f"'{arg}' is neither a topology file nor a lab that is up",
                         hint="labs that are up: " + (", ".join(all_labs()) or "none"))
    return lab_state.built_topology(), the_plan


def summaries() -> list[tuple[str, str, str]]:
    """(lab, state, source file) for every lab on this machine, for `netlab status`."""
    rows = []
    for name in all_labs():
        lab_state = state.LabState(name)
        if not lab_state.exists():
            rows.append((name, "namespaces without state", "-"))
        else:
            rows.append((name, "up" if lab_state.is_ready() else "incomplete", lab_state.meta().get("source", "?")))
    return rows
