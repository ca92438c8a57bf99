"""Topology: YAML to a validated, frozen model (load → read drafts → resolve addresses)."""

from __future__ import annotations

import os
import re

from netlab.errors import Problem, TopologyError
from netlab.topology.addressing import resolve
from netlab.topology.loader import read_drafts
from netlab.topology.model import Topology
from netlab.topology.reader import Reader
from netlab.topology.yaml_source import YamlDocument, YamlSourceError, load_yaml, load_yaml_file


def load_topology(path: str | os.PathLike[str]) -> Topology:
    """Reads and validates a topology file; raises TopologyError listing every problem."""
    try:
        doc = load_yaml_file(path)
    except YamlSourceError as e:
        raise TopologyError(str(path), [source_problem(e)]) from None
    return _validate(str(path), doc)


def load_topology_text(text: str, source: str = "<text>", *, probes: list[dict[str, object]] | None = None) -> Topology:
    """Reads and validates topology text. `probes` replaces the document's probes section (ad-hoc probes from
    the command line), so they are checked exactly like probes in a file; their problems carry no line."""
    try:
        doc = load_yaml(text)
    except YamlSourceError as e:
        raise TopologyError(source, [source_problem(e)]) from None
    if probes is not None and isinstance(doc.data, dict):
        doc = YamlDocument({**doc.data, "probes": probes}, {k: v for k, v in doc.lines.items() if k[:1] != ("probes",)})
    return _validate(source, doc)


def source_problem(e: YamlSourceError) -> Problem:
    """The reader's messages begin "line N[, column C]: "; the line is kept as data, not repeated in the text."""
    match = LINE_PREFIX.match(e.problem.message)
    if match is None:
        return Problem("", e.problem.line, e.problem.message)
    column = f"column {match[2]}: " if match[2] else ""
    return Problem("", int(match[1]), column + e.problem.message[match.end():])


LINE_PREFIX = re.compile(r"line (\d+)(?:, column (\d+))?: ")


def _validate(source: str, doc: object) -> Topology:
    reader = Reader(doc)  # type: ignore[arg-type]
    topology = resolve(reader, read_drafts(reader))
    if topology is None or reader.problems:
        problems = sorted(reader.problems, key=lambda p: (p.line or 0, p.path))
        raise TopologyError(source, problems or [Problem("", None, "invalid topology")])
    return topology


__all__ = ["Topology", "load_topology", "load_topology_text"]
