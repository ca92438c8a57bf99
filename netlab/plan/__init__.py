"""The Plan: the lab as desired state, an ordered tuple of primitives (steps.py) in the order a machine is set
up in. The same plan is rendered as a script (`netlab plan`), built (`netlab up`), compared with the plan a
lab was built from (`netlab apply`, diff.py), and read by every later command through its index (index.py).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, get_args

from netlab.plan.steps import (
    IPTABLES_TOOLS, LINK_TYPES, NETNS_ETC, PYTHON, RTPROT_BGP, RTPROT_BIRD, RTPROT_BOOT, RULE_LOADERS, STATE,
    VXLAN_DEFAULT_PORT, Address, ArpAnswer, BgpSessions, Bridge, BridgePort, Daemon, Dummy, Exec, FdbEntry, File,
    IpipTunnel, LinkSet, Neighbor, Netns, NetnsFile, Note, Records, Route, RuleSet, Step, Sysctl, Veth, Vxlan,
    link_key, link_set_key, netns_key, nexthops_text, protocol_name, provides,
)

if TYPE_CHECKING:
    from netlab.plan.index import PlanIndex

STEP_TYPES: dict[str, type[Any]] = {t.kind: t for t in get_args(Step)}  # for reading a plan back from JSON


@dataclass(frozen=True)
class Plan:
    lab: str
    steps: tuple[Step, ...]
    _keyed: dict[str, Step] = field(default_factory=dict, init=False, repr=False, compare=False)
    _index: list[PlanIndex] = field(default_factory=list, init=False, repr=False, compare=False)

    def namespaces(self) -> list[Netns]:
        return [s for s in self.steps if isinstance(s, Netns)]

    def by_key(self) -> dict[str, Step]:
        """Every step but the notes, by identity, in plan order; two steps with one key are a compiler bug."""
        if not self._keyed:
            keyed: dict[str, Step] = {}
            for step in self.steps:
                if isinstance(step, Note):
                    continue
                if step.key in keyed:
                    raise ValueError(f"two steps of lab {self.lab} are both '{step.key}'")
                keyed[step.key] = step
            self._keyed.update(keyed)
        return self._keyed

    def index(self) -> PlanIndex:
        """The plan by namespace (plan/index.py), built once."""
        if not self._index:
            from netlab.plan.index import PlanIndex
            self._index.append(PlanIndex(self.steps, self.lab))
        return self._index[0]

    def to_json(self, *, indent: int | None = 1) -> str:
        """The plan as JSON: indented for people (`netlab plan --format json`), compact for the lab's state."""
        steps = [{"kind": s.kind, **{f: getattr(s, f) for f in _fields(type(s))}} for s in self.steps]
        return json.dumps({"lab": self.lab, "steps": steps}, indent=indent) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Plan:
        data = json.loads(text)
        steps = []
        for item in data["steps"]:
            kind = STEP_TYPES[item.pop("kind")]
            for name in _LIST_FIELDS.get(kind, ()):  # JSON has lists where the steps hold tuples
                if name in item:
                    item[name] = _tuples(item[name])
            steps.append(kind(**item))
        return cls(data["lab"], tuple(steps))


_FIELDS: dict[type, tuple[str, ...]] = {}
_LIST_FIELDS = {t: tuple(f.name for f in dataclasses.fields(t) if "tuple" in str(f.type)) for t in STEP_TYPES.values()}


def _fields(kind: type) -> tuple[str, ...]:
    if kind not in _FIELDS:
        _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return _FIELDS[kind]


def _tuples(value: object) -> object:
    """JSON lists back to the tuples the frozen steps hold (a daemon's files are pairs in a tuple)."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


__all__ = [
    "IPTABLES_TOOLS", "LINK_TYPES", "NETNS_ETC", "PYTHON", "RTPROT_BGP", "RTPROT_BIRD", "RTPROT_BOOT",
    "RULE_LOADERS", "STATE", "STEP_TYPES", "VXLAN_DEFAULT_PORT", "Address", "ArpAnswer", "BgpSessions", "Bridge",
    "BridgePort", "Daemon", "Dummy", "Exec", "FdbEntry", "File", "IpipTunnel", "LinkSet", "Neighbor", "Netns",
    "NetnsFile", "Note", "Plan", "Records", "Route", "RuleSet", "Step", "Sysctl", "Veth", "Vxlan", "link_key",
    "link_set_key", "netns_key", "nexthops_text", "protocol_name", "provides",
]
