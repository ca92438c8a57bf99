"""Topology: YAML to a validated, frozen model (load → read drafts → resolve addresses)."""

from __future__ import annotations

import dataclasses
import os
import re

from netlab.errors import Problem, TopologyError
from netlab.topology.addressing import Names, resolve, resolve_probes
from netlab.topology.loader import read_drafts, read_probe
from netlab.topology.manifests import MergedDocument, read_stream
from netlab.topology.model import Probe, Topology
from netlab.topology.reader import Reader
from netlab.topology.yaml_source import YamlDocument, YamlSourceError, read_source


def load_topology(path: str | os.PathLike[str], *, previous: Topology | None = None,
                  manifests: str | None = None) -> Topology:
    """Reads and validates a topology file, with the Kubernetes objects it carries and those of the `manifests`
    directory; raises TopologyError listing every problem. With `previous` (the model of the lab the file
    changes), what it has leased keeps its address (addressing.py)."""
    try:
        text = read_source(path)
    except YamlSourceError as e:
        raise TopologyError(str(path), [source_problem(e)]) from None
    return load_document(read_document(text, str(path), manifests), str(path), previous=previous)


def load_topology_text(text: str, source: str = "<text>", *, previous: Topology | None = None) -> Topology:
    """Reads and validates topology text (`previous`: as for load_topology)."""
    return load_document(read_document(text, source), source, previous=previous)


def read_document(text: str | bytes, source: str = "<text>", manifests: str | None = None) -> YamlDocument:
    """The YAML of a topology, its manifests merged in (topology/manifests), read but not yet validated
    (TopologyError if it is not YAML)."""
    try:
        return read_stream(text, source, manifests)
    except YamlSourceError as e:
        raise TopologyError(source, [source_problem(e)]) from None


def load_document(doc: YamlDocument, source: str, *, previous: Topology | None = None) -> Topology:
    return _validate(source, doc, previous)


def probes_for(t: Topology, specs: list[dict[str, object]]) -> tuple[Probe, ...]:
    """Probes given as data (from the command line) for a lab's model, checked exactly like probes in a file;
    their problems carry no line."""
    reader = Reader(YamlDocument({"probes": specs}, {}))
    drafts = [d for i, spec in enumerate(specs) if (d := read_probe(reader, spec, ("probes", i))) is not None]
    probes = resolve_probes(reader, tuple(drafts), Names.of_model(t))
    if reader.problems:
        raise TopologyError(t.name, reader.problems)
    return probes


def source_problem(e: YamlSourceError) -> Problem:
    """The reader's messages begin "line N[, column C]: "; the line is kept as data, not repeated in the text."""
    match = LINE_PREFIX.match(e.problem.message)
    if match is None:
        return Problem("", e.problem.line, e.problem.message)
    column = f"column {match[2]}: " if match[2] else ""
    return Problem("", int(match[1]), column + e.problem.message[match.end():])


LINE_PREFIX = re.compile(r"line (\d+)(?:, column (\d+))?: ")


def other_file(p: Problem) -> str:
    """The manifest file a problem is in, when it is not the lab's own ("" then): problems sort by file, then line."""
    head, sep, _ = p.path.partition(", document ")
    return head if sep else ""


def _validate(source: str, doc: object, previous: Topology | None) -> Topology:
    reader = Reader(doc)  # type: ignore[arg-type]
    if isinstance(doc, MergedDocument):  # what the API server would have refused in its manifests
        reader.problems += doc.problems
    topology = resolve(reader, read_drafts(reader), previous)
    if topology is None or reader.problems:
        problems = sorted(reader.problems, key=lambda p: (other_file(p), p.line or 0, p.path))
        raise TopologyError(source, problems or [Problem("", None, "invalid topology")])
    if isinstance(doc, MergedDocument) and doc.notes:
        topology = dataclasses.replace(topology, notes=doc.notes)
    return topology


__all__ = ["Topology", "load_document", "load_topology", "load_topology_text", "probes_for", "read_document"]
