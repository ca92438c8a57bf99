"""The resolved model to JSON and back, so a lab keeps what it was built from: its addresses included.

A lab's state holds the model as resolved when it was built or last changed (state.py), and every later command
reads it back instead of resolving the YAML again: an address handed out once is the lab's for good, as a pod's
IP or a Service's ClusterIP is in Kubernetes (`netlab apply` keeps them, see addressing.py), so the YAML alone no
longer says what the lab holds. The encoding follows the dataclasses' type hints; a member of a union of
dataclasses (an exercise's solution: commands and edits) is told apart by its fields.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import types
import typing
from enum import Enum
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Any

from netlab.topology import model
from netlab.topology.model import Topology

ADDRESS_TYPES = (IPv4Address, IPv4Interface, IPv4Network)


def to_json(topology: Topology) -> str:
    return json.dumps(_encode(topology), separators=(",", ":")) + "\n"


def from_json(text: str) -> Topology:
    decoded: Topology = _decode(Topology, json.loads(text))
    return decoded


def _encode(value: object) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return data
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, ADDRESS_TYPES):
        return str(value)
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    return value


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls, {**vars(model), **vars(sys.modules[cls.__module__])})
    return _HINTS[cls]


def _decode(hint: Any, data: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if data is None:
            return None
        if len(options) == 1:
            return _decode(options[0], data)
        if not any(dataclasses.is_dataclass(o) for o in options):  # int | str: JSON keeps which it is
            return data
        chosen = next(o for o in options if {f.name for f in dataclasses.fields(o)} == set(data))
        return _decode(chosen, data)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in data)
        return tuple(_decode(a, v) for a, v in zip(args, data, strict=True))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = _hints(hint)
        fields = {f.name: _decode(hints[f.name], data[f.name]) for f in dataclasses.fields(hint) if f.init
                  and f.name in data}
        return hint(**fields)
    if isinstance(hint, type) and issubclass(hint, (Enum, *ADDRESS_TYPES)):
        return hint(data)
    return data
