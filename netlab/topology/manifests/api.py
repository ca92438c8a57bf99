"""The API server's rules for the parts every object shares: its type, its metadata, its fields. Messages use the
API server's words (k8s.io/apimachinery/pkg/util/validation, pkg/apis/core/validation), so that what netlab refuses
reads as `kubectl apply` would have refused it."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from netlab.features.netpol import schema as netpol_schema
from netlab.topology.reader import Path, Reader
from netlab.topology.yaml_source import YamlDocument, YamlPath, format_path

DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
DNS1035_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
DNS1123_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
NAME_RULES = {  # which names a kind's objects may have (ValidateXxxName)
    "label": (DNS1123_LABEL, 63, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
              "'-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')"),
    "dns1035": (DNS1035_LABEL, 63, "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
                "start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or "
                "'abc-123')"),
    "subdomain": (DNS1123_SUBDOMAIN, 253, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                  "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
                  "'example.com')"),
}
METADATA_FIELDS = ("name", "namespace", "labels", "annotations")
# What the API server sets, present when an object comes from `kubectl get -o yaml`: read past in silence.
SERVER_FIELDS = ("uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
                 "deletionGracePeriodSeconds", "selfLink", "managedFields", "ownerReferences", "finalizers")
MAX_ANNOTATIONS = 256 * 1024  # TotalAnnotationSizeLimitB


@dataclass(frozen=True)
class ObjectDocument(YamlDocument):
    """One object, wherever it was written: its problems name the file, the document and the object's own path."""

    label: str  # "web.yaml, document 2"
    source: YamlDocument  # the document it sits in
    base: YamlPath  # its path in that document: () for a document of its own, ("manifests", i) for a listed one

    def line_of(self, path: YamlPath) -> int | None:
        return self.source.line_of(self.base + path)

    def where(self, path: YamlPath) -> tuple[str, int | None]:
        return f"{self.described}: {format_path(path)}" if path else self.described, self.line_of(path)

    @property
    def described(self) -> str:
        data = self.data if isinstance(self.data, dict) else {}
        metadata = data.get("metadata")
        name = metadata.get("name") if isinstance(metadata, dict) else None
        kind = data.get("kind")
        what = f"{kind} {name}" if isinstance(kind, str) and isinstance(name, str) else kind if isinstance(kind, str) \
            else ""
        return f"{self.label} ({what})" if what else self.label


def fields(r: Reader, value: object, path: Path, known: Collection[str],
           ignored: Mapping[str, str], notes: Notes) -> dict[str, object]:
    """A structure's fields as kubectl's strict validation reads it: a field the API does not have is an error
    (`unknown field`, with a did-you-mean); one the API has and netlab does not model is noted once."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        r.problem(path, "expected a mapping")
        return {}
    for key in value:
        if key in known:
            continue
        if key in ignored:
            if ignored[key]:
                notes.add(key, ignored[key], r.doc)
            continue
        close = difflib.get_close_matches(str(key), [*known, *ignored], n=1, cutoff=0.6)
        r.problem(path + (str(key),), f'unknown field "{format_path(path + (str(key),))}"',
                  f"did you mean '{close[0]}'?" if close else None)
    return {k: v for k, v in value.items() if k in known}


def metadata(r: Reader, value: object, name_rule: str, *, namespaced: bool = True) -> tuple[str, str, dict[str, str]]:
    """(name, namespace, labels) of an object, its name checked by the kind's rule and its labels by theirs."""
    path: Path = ("metadata",)
    m = fields(r, value, path, (*METADATA_FIELDS, "generateName"), dict.fromkeys(SERVER_FIELDS, ""), NO_NOTES)
    if "generateName" in m and "name" not in m:
        r.problem(path + ("generateName",), "netlab needs metadata.name", "generateName gives a random name each "
                  "time, and a lab must be the same each time it is built")
    name = check_name(r, m, "name", path, name_rule)
    namespace = "default"
    if "namespace" in m:
        if not namespaced:
            r.problem(path + ("namespace",), "not allowed on this kind: it is not namespaced")
        namespace = check_name(r, m, "namespace", path, "label") or "default"
    labels = dict(netpol_schema.read_labels(r, m.get("labels"), path + ("labels",)))
    annotations = m.get("annotations")
    if annotations is not None and (not isinstance(annotations, dict) or not all(
            isinstance(v, str) for v in annotations.values())):
        r.problem(path + ("annotations",), "expected a mapping of strings")
    elif annotations and sum(len(str(k)) + len(v) for k, v in annotations.items()) > MAX_ANNOTATIONS:
        r.problem(path + ("annotations",), "Too long: must have at most 262144 bytes")
    return name or "", namespace, labels


def check_name(r: Reader, m: Mapping[str, object], key: str, path: Path, rule: str) -> str | None:
    value = m.get(key)
    if value is None:
        r.problem(path + (key,), "Required value: name or generateName is required" if key == "name"
                  else "Required value")
        return None
    if not isinstance(value, str):
        r.problem(path + (key,), f"Invalid value: {value!r}: expected a string")
        return None
    pattern, limit, rule_text = NAME_RULES[rule]
    if len(value) > limit:
        r.problem(path + (key,), f"Invalid value: {value!r}: must be no more than {limit} characters")
        return None
    if not pattern.fullmatch(value):
        r.problem(path + (key,), f"Invalid value: {value!r}: {rule_text}")
        return None
    return value


def annotation(r: Reader, key: str) -> str | None:
    data = r.doc.data if isinstance(r.doc.data, dict) else {}
    meta = data.get("metadata")
    found = meta.get("annotations") if isinstance(meta, dict) else None
    value = found.get(key) if isinstance(found, dict) else None
    return value if isinstance(value, str) else None


class Notes:
    """What the manifests ask of a real cluster that netlab leaves out, said once per thing, with where first."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[str, int]] = {}

    def add(self, key: str, text: str, where: object) -> None:
        first, count = self._seen.get(key + "\0" + text, (_described(where), 0))
        self._seen[key + "\0" + text] = (first, count + 1)

    def lines(self) -> tuple[str, ...]:
        shown = []
        for key_text, (first, count) in self._seen.items():
            key, _, text = key_text.partition("\0")
            more = f", and {count - 1} more" if count > 1 else ""
            shown.append(f"{key}: {text} ({first}{more})")
        return tuple(shown)


def _described(where: object) -> str:
    return where.described if isinstance(where, ObjectDocument) else str(where)


class _Silent(Notes):
    def add(self, key: str, text: str, where: object) -> None:
        pass


NO_NOTES: Notes = _Silent()
