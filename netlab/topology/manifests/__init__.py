"""Kubernetes objects as a lab's input: manifests read, checked as the API server checks them, and turned into the
lab's own keys, so that the rest of netlab never knows which way a lab was written.

A lab file may carry objects three ways, and mix them with its own keys:

    name: shop                          # the first document: netlab's keys (cluster, nodes, internet, probes…)
    nodes: [{name: node1}, {name: node2}]
    manifests:                          # 1. a list of objects under `manifests:`
      - {apiVersion: v1, kind: Namespace, metadata: {name: shop}}
    ---
    apiVersion: apps/v1                 # 2. further documents of the same file
    kind: Deployment
    ...

and 3. `netlab up FILE --manifests DIR` reads every .yaml, .yml and .json file of DIR, in name order, as kubectl
apply -f DIR does. A `kind: List` (what `kubectl get -o yaml` prints) counts as its items.

Each object becomes an entry of `pods:`, `services:`, `namespaces:`, `networkPolicies:` or `ingresses:` (kinds.py),
appended after the lab's own in the order met. The merged document remembers where each entry came from, so a
problem the loader finds later still names the manifest's file, document, path and line (MergedDocument).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from netlab.errors import Problem
from netlab.topology.manifests import kinds
from netlab.topology.manifests.api import ObjectDocument
from netlab.topology.reader import Reader
from netlab.topology.yaml_source import (
    YamlDocument, YamlPath, YamlSourceError, format_path, load_yaml_stream, read_source,
)

SUFFIXES = (".yaml", ".yml", ".json")
DEFAULT_CNI = "flannel-vxlan"  # what a file of manifests alone runs on
MAX_FILES = 500


@dataclass(frozen=True)
class MergedDocument(YamlDocument):
    """The lab's document with the objects' entries added; a problem inside an entry is located in its manifest."""

    origins: Mapping[YamlPath, tuple[ObjectDocument, YamlPath]] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()  # what the API server would have refused, found while translating
    notes: tuple[str, ...] = ()  # what the manifests ask and netlab does not model, each said once

    def _origin(self, path: YamlPath) -> tuple[ObjectDocument, YamlPath] | None:
        for end in range(len(path), 0, -1):
            found = self.origins.get(path[:end])
            if found is not None:
                return found[0], found[1] + path[end:]
        return None

    def line_of(self, path: YamlPath) -> int | None:
        origin = self._origin(path)
        return origin[0].line_of(origin[1]) if origin else super().line_of(path)

    def where(self, path: YamlPath) -> tuple[str, int | None]:
        origin = self._origin(path)
        return origin[0].where(origin[1]) if origin else (format_path(path), super().line_of(path))


def is_object(data: object) -> bool:
    """A Kubernetes object rather than netlab's keys: it has an apiVersion and a kind."""
    return isinstance(data, dict) and "apiVersion" in data and "kind" in data


def read_stream(text: str | bytes, source: str, directory: str | None = None) -> YamlDocument:
    """A lab file's text (one document, or several: the lab's keys, then objects) and the manifests of `directory`,
    as one document in netlab's keys. Unreadable YAML raises YamlSourceError; everything else is a problem of the
    document, reported with the loader's."""
    documents = load_yaml_stream(text)
    if not documents:
        documents = [YamlDocument(None, MappingProxyType({}))]
    lab = documents[0]
    objects: list[ObjectDocument] = []
    if is_object(lab.data):  # a file of manifests only: a cluster of one node, named after the file
        stem = os.path.splitext(os.path.basename(source))[0]
        lab = YamlDocument({"name": stem, "cluster": {"cni": DEFAULT_CNI}}, MappingProxyType({}))
        objects = [_object(documents[0], 1)]
    objects += [_object(doc, i) for i, doc in enumerate(documents[1:], 2)]
    listed = isinstance(lab.data, dict) and "manifests" in lab.data
    if not objects and not listed and directory is None:
        return lab
    problems: list[Problem] = []
    if listed:
        objects = _listed(lab, problems) + objects
    if directory is not None:
        objects += _directory(directory, problems)
    return merge(lab, objects, problems)


def _object(doc: YamlDocument, number: int) -> ObjectDocument:
    """A document of the lab's own file: the error's first line names the file already."""
    return ObjectDocument(doc.data, doc.lines, f"document {number}", doc, ())


def _listed(lab: YamlDocument, problems: list[Problem]) -> list[ObjectDocument]:
    assert isinstance(lab.data, dict)
    items = lab.data["manifests"]
    if not isinstance(items, list):
        problems.append(Problem("manifests", lab.line_of(("manifests",)), "expected a list of Kubernetes objects"))
        return []
    return [ObjectDocument(item, lab.lines, f"manifests[{i}]", lab, ("manifests", i)) for i, item in enumerate(items)]


def _directory(directory: str, problems: list[Problem]) -> list[ObjectDocument]:
    try:
        names = sorted(n for n in os.listdir(directory) if n.endswith(SUFFIXES))
    except OSError as e:
        problems.append(Problem("", None, f"cannot read the manifests directory {directory}: {e.strerror or e}"))
        return []
    if len(names) > MAX_FILES:
        problems.append(Problem("", None, f"{directory} holds {len(names)} manifest files; netlab reads at most "
                                          f"{MAX_FILES}"))
        return []
    found: list[ObjectDocument] = []
    for name in names:
        path = os.path.join(directory, name)
        try:
            documents = load_yaml_stream(read_source(path))
        except YamlSourceError as e:
            problems.append(Problem(path, e.problem.line, e.problem.message))
            continue
        found += [ObjectDocument(doc.data, doc.lines, f"{path}, document {i}", doc, ())
                  for i, doc in enumerate(documents, 1)]
    return found


def merge(lab: YamlDocument, objects: list[ObjectDocument], problems: list[Problem]) -> MergedDocument:
    """The lab's keys with every object's entries appended to their sections."""
    data = dict(lab.data) if isinstance(lab.data, dict) else {}
    data.pop("manifests", None)
    sections: dict[str, list[object]] = {}
    origins: dict[YamlPath, tuple[ObjectDocument, YamlPath]] = {}
    notes = kinds.Notes()
    for obj in kinds.flatten(objects):
        reader = Reader(obj)
        for entry in kinds.translate(reader, obj, notes):
            own = data.get(entry.section)
            if own is not None and not isinstance(own, list):
                continue  # the lab's own section is not a list: the loader says so, with its line
            section = sections.setdefault(entry.section, list(own) if isinstance(own, list) else [])
            index = len(section)
            section.append(entry.data)
            for sub, manifest_path in entry.origins.items():
                origins[(entry.section, index, *sub)] = (obj, manifest_path)
        problems += reader.problems
    data.update(sections)
    return MergedDocument(data, lab.lines, MappingProxyType(origins), tuple(problems), notes.lines())


__all__ = ["MergedDocument", "is_object", "merge", "read_stream"]
