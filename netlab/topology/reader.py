"""Typed reads of YAML values that collect every problem, with its path, line and a hint, instead of stopping."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from ipaddress import IPv4Address, IPv4Network, ip_address, ip_network
from typing import Any, TypeVar

from netlab import naming
from netlab.errors import Problem
from netlab.topology.yaml_source import YamlDocument

Path = tuple[str | int, ...]
E = TypeVar("E")
T = TypeVar("T")

MISSING = object()
# Ranges no interface of a lab may be numbered from: every host has them, or they are not unicast at all.
SPECIAL_NETS = tuple((IPv4Network(net), what) for net, what in (
    ("0.0.0.0/8", "'this network' (RFC 1122)"), ("127.0.0.0/8", "the host's loopback network"),
    ("169.254.0.0/16", "link-local addresses (every host has them)"), ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved addresses and the broadcast address")))


class Reader:
    """Reads one YAML document; each `get_*` returns a usable value or None and records what was wrong."""

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def problem(self, path: Path, message: str, hint: str | None = None) -> None:
        where, line = self.doc.where(path)
        self.problems.append(Problem(where, line, message, hint))

    # -- containers -------------------------------------------------------------------------------------

    def mapping(self, value: object, path: Path, fields: Collection[str]) -> dict[str, object]:
        """A mapping with only the known `fields`; unknown keys are problems with a did-you-mean."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(path, f"expected a mapping, got {describe(value)}")
            return {}
        for key in value:
            if key not in fields:
                close = difflib.get_close_matches(str(key), list(fields), n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(sorted(fields))
                self.problem(path + (str(key),), f"unknown key '{key}'", hint)
        return {k: v for k, v in value.items() if k in fields}

    def sequence(self, value: object, path: Path) -> list[object]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, f"expected a list, got {describe(value)}")
            return []
        return value

    def string_map(self, value: object, path: Path) -> tuple[tuple[str, str], ...]:
        """Labels and selectors: a mapping of strings to strings."""
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.problem(path, f"expected a mapping of strings, got {describe(value)}")
            return ()
        pairs = []
        for key, item in value.items():
            if isinstance(item, bool) or not isinstance(item, (str, int)):
                self.problem(path + (key,), f"expected a string, got {describe(item)}")
                continue
            pairs.append((str(key), str(item)))
        return tuple(sorted(pairs))

    # -- scalars ----------------------------------------------------------------------------------------

    def text(self, m: Mapping[str, object], key: str, path: Path, default: object = MISSING) -> str | None:
        value = m.get(key, default)
        if value is MISSING:
            self.problem(path, f"'{key}' is required")
            return None
        if value is None or isinstance(value, str):
            return value
        self.problem(path + (key,), f"expected a string, got {describe(value)}")
        return None

    def integer(self, m: Mapping[str, object], key: str, path: Path, default: int | None,
                low: int, high: int, hint: str | None = None) -> int | None:
        value = m.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(path + (key,), f"expected a whole number, got {describe(value)}")
            return None
        if not low <= value <= high:
            self.problem(path + (key,), f"{value} is out of range {low}-{high}", hint)
            return None
        return value

    def boolean(self, m: Mapping[str, object], key: str, path: Path, default: bool) -> bool:
        value = m.get(key, default)
        if isinstance(value, bool):
            return value
        self.problem(path + (key,), f"expected true or false, got {describe(value)}")
        return default

    def one_of(self, m: Mapping[str, object], key: str, path: Path, options: list[str], default: T) -> str | T:
        """A value from a list that a registry gives (a cni, a proxy mode), with the closest one as the hint."""
        value = m.get(key, default)
        if value == default or value in options:
            return value
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else "one of: " + ", ".join(options)
        self.problem(path + (key,), f"'{value}' is not a valid {key}", hint)
        return default

    def name(self, m: Mapping[str, object], key: str, path: Path, *, max_len: int, why: str = "",
             default: object = MISSING) -> str | None:
        """A DNS-label-like name; `max_len` comes from where the name ends up (interface names: 15)."""
        value = self.text(m, key, path, default)
        if value is None:
            return None
        where = path + (key,)
        if not naming.is_name(value):
            self.problem(where, f"'{value}' is not a valid name",
                         "use lower-case letters, digits and '-', starting and ending with a letter or digit")
            return None
        if len(value) > max_len:
            self.problem(where, f"'{value}' is {len(value)} characters; the limit is {max_len}", why or None)
            return None
        return value

    def network(self, m: Mapping[Any, object], key: str | int, path: Path, default: str) -> IPv4Network | None:
        value = m.get(key, default)
        where = path + (key,)
        if not isinstance(value, str):
            self.problem(where, f"expected a CIDR such as 10.244.0.0/16, got {describe(value)}")
            return None
        try:
            net = ip_network(value, strict=True)
        except ValueError:
            try:
                loose = ip_network(value, strict=False)
            except ValueError:
                self.problem(where, f"'{value}' is not a valid CIDR", "write ADDRESS/PREFIX, e.g. 10.244.0.0/16")
                return None
            self.problem(where, f"'{value}' has host bits set", f"did you mean {loose}?")
            return None
        if not isinstance(net, IPv4Network):
            self.problem(where, f"'{value}' is IPv6; netlab labs are IPv4")
            return None
        for special, what in SPECIAL_NETS:
            if net.overlaps(special):
                self.problem(where, f"{net} overlaps {special}, {what}",
                             "use a private range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16")
                return None
        return net

    def address(self, m: Mapping[Any, object], key: str | int, path: Path) -> IPv4Address | None:
        value = m.get(key)
        if value is None:
            return None
        where = path + (key,)
        if not isinstance(value, str):
            self.problem(where, f"expected an IPv4 address, got {describe(value)}")
            return None
        try:
            addr = ip_address(value)
        except ValueError:
            self.problem(where, f"'{value}' is not a valid IPv4 address")
            return None
        if not isinstance(addr, IPv4Address):
            self.problem(where, f"'{value}' is IPv6; netlab labs are IPv4")
            return None
        return addr


def describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string '{shown}'"
    return f"{type(value).__name__} {value!r}"[:60]
