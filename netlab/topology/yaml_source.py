"""YAML source reading: one untrusted YAML document to plain Python data plus a path -> line map.

Everything here assumes hostile input.  The document is composed with PyYAML's pure-Python composer
(never the C extension's, which recurses on the C stack) over libyaml's parser where it is installed
(the pure-Python one otherwise, and always to report a problem), and converted to Python by hand, so that:

* every value is counted as it is visited, aliases included, and conversion stops as soon as the
  count passes `max_nodes` -- a "billion laughs" document fails after a few hundred thousand steps
  instead of expanding;
* nesting is capped at `max_depth` while composing and while converting (aliases can deepen a
  document after composition), and a node that contains itself is reported, not followed;
* the 1-based line where each value (or, for a mapping value, its key) starts is recorded under its
  path, so later validation can name a line for every problem;
* only plain data comes out: str, int, float, bool, None, list and dict with str keys.  Timestamps
  stay strings; !!binary, !!set, !!python/... and any unknown tag are errors.

Any document that cannot be read raises YamlSourceError carrying a SourceProblem; no other
exception escapes for any input.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar, NoReturn, TypeAlias

import yaml
import yaml.composer
import yaml.constructor
import yaml.cyaml
import yaml.resolver
from yaml.error import Mark
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent, StreamEndEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_NODES",
    "SourceProblem",
    "YamlDocument",
    "YamlPath",
    "YamlSourceError",
    "load_yaml",
    "load_yaml_file",
    "load_yaml_stream",
    "read_source",
]

YamlPath: TypeAlias = tuple[str | int, ...]

DEFAULT_MAX_BYTES = 1_000_000
DEFAULT_MAX_NODES = 200_000
DEFAULT_MAX_DEPTH = 64

# Integers are built by PyYAML's constructor, and a long sexagesimal literal ("1:2:3:...") costs
# quadratic time there; no real integer needs more characters than this.
_MAX_INT_CHARS = 1_000

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_SEQ, _MAP, _MERGE = _TAG + "seq", _TAG + "map", _TAG + "merge"
# Scalars kept exactly as written: dates and times (the model wants text, not datetime) and the
# two YAML 1.1 "special key" tags, which mean nothing outside a key position.
_RAW_TAGS = frozenset({_TAG + "timestamp", _TAG + "value", _MERGE})

# The line breaks PyYAML's Reader counts, used to place errors it reports only by offset.
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


@dataclass(frozen=True)
class SourceProblem:
    """Why a document cannot be read at all, with the line when one is known."""

    message: str
    line: int | None


class YamlSourceError(Exception):
    """Raised by load_yaml / load_yaml_file for a document that cannot be read."""

    def __init__(self, problem: SourceProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass(frozen=True)
class YamlDocument:
    """A parsed document: plain data plus the 1-based line where each path's value (or key) starts."""

    data: object
    lines: Mapping[YamlPath, int]

    def line_of(self, path: YamlPath) -> int | None:
        """The line of the longest existing prefix of `path`, so a missing key reports its parent."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None

    def where(self, path: YamlPath) -> tuple[str, int | None]:
        """How a problem at `path` is located for a reader: the path as text, and its line."""
        return format_path(path), self.line_of(path)


def format_path(path: YamlPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def load_yaml(
    text: str | bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> YamlDocument:
    """Parses exactly one YAML document; raises YamlSourceError for anything unreadable or too big."""
    documents = _load(text, max_bytes, max_nodes, max_depth, several=False)
    return documents[0] if documents else YamlDocument(None, MappingProxyType({}))


def load_yaml_stream(
    text: str | bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> list[YamlDocument]:
    """Every document of a `---`-separated stream (a file of Kubernetes manifests), each with its own lines, which
    count from the top of the stream; the caps hold for the whole stream. An empty document is left out."""
    return _load(text, max_bytes, max_nodes, max_depth, several=True)


def _load(text: str | bytes, max_bytes: int, max_nodes: int, max_depth: int, *, several: bool) -> list[YamlDocument]:
    source = _decode(text, max_bytes)
    try:
        roots = _compose(source, max_nodes, max_depth, several)
        converter = _Converter(max_nodes, max_depth)
        documents = []
        for root in roots:
            converter.lines = {}
            data = converter.convert(root, (), 1)
            if data is not None or not several:
                documents.append(YamlDocument(data, MappingProxyType(converter.lines)))
    except yaml.YAMLError as exc:
        raise YamlSourceError(_problem_from_yaml_error(exc, source)) from None
    except RecursionError:
        # Only reachable when the caller raises max_depth past what the Python stack can hold.
        _fail("the document is nested too deeply", None)
    return documents


def load_yaml_file(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> YamlDocument:
    """Reads and parses a file, never reading more than max_bytes + 1 bytes of it."""
    return load_yaml(read_source(path, max_bytes), max_bytes=max_bytes, max_nodes=max_nodes, max_depth=max_depth)


def read_source(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A file's bytes, never reading more than max_bytes + 1 of them; YamlSourceError if it cannot be read."""
    name = os.fspath(path)
    try:
        with open(path, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            raw = stream.read(max_bytes + 1)
    except OSError as exc:
        _fail(f"cannot read {name}: {exc.strerror or exc}", None)
    except ValueError as exc:  # e.g. an embedded NUL in the path
        _fail(f"cannot read {name!r}: {exc}", None)
    if len(raw) > max_bytes:
        # st_size is 0 for pipes and devices; then all we know is that it is too big.
        shown = str(size) if size > max_bytes else f"more than {max_bytes}"
        _fail(f"file is {shown} bytes; the limit is {max_bytes}", None)
    return raw


# -- decoding ------------------------------------------------------------------------------------------


def _fail(message: str, line: int | None) -> NoReturn:
    raise YamlSourceError(SourceProblem(message, line))


def _decode(text: str | bytes, max_bytes: int) -> str:
    if isinstance(text, str):
        # The limit is on UTF-8 bytes, as for a file; the length test alone catches most oversize text.
        if len(text) > max_bytes or _byte_size(text) > max_bytes:
            _fail(f"file is {_byte_size(text)} bytes; the limit is {max_bytes}", None)
        return text
    if len(text) > max_bytes:
        _fail(f"file is {len(text)} bytes; the limit is {max_bytes}", None)
    skip = len(codecs.BOM_UTF8) if text.startswith(codecs.BOM_UTF8) else 0
    try:
        return text[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = skip + exc.start
        line = text.count(b"\n", 0, offset) + 1
        _fail(f"line {line}: invalid UTF-8 at byte offset {offset}", line)


def _byte_size(text: str) -> int:
    # "surrogatepass": lone surrogates still count; the Reader rejects them later with a line number.
    return len(text.encode("utf-8", "surrogatepass"))


# -- composing -----------------------------------------------------------------------------------------


def _line(mark: Mark | None) -> int:
    # The pure-Python loader sets a mark on every event and node; 0-based -> 1-based.
    return mark.line + 1 if mark is not None else 1


def _where(mark: Mark | None) -> str:
    column = mark.column + 1 if mark is not None else 1
    return f"line {_line(mark)}, column {column}"


def _fail_at(mark: Mark | None, message: str) -> NoReturn:
    _fail(f"{_where(mark)}: {message}", _line(mark))


class _AliasNode(Node):
    """An alias use: keeps where `*name` was written, so errors point there and not at the anchor."""

    id: ClassVar[str] = "alias"

    def __init__(self, anchor: str, target: Node, mark: Mark | None) -> None:
        super().__init__(target.tag, target, mark, mark)
        self.anchor = anchor
        self.target = target


class _ComposingLoader(yaml.SafeLoader):
    """SafeLoader whose composer counts nodes and caps depth while the graph is being built."""

    def __init__(self, source: str, max_nodes: int, max_depth: int) -> None:
        super().__init__(source)
        self._max_nodes = max_nodes
        self._max_depth = max_depth
        self._nodes = 0
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node:
        if self.check_event(AliasEvent):
            return self._compose_alias()
        event = self._peek()
        # Checked here, before the node exists, so a flat 1 MB list or a 10,000-deep one stops early.
        self._nodes += 1
        if self._nodes > self._max_nodes:
            _fail_at(event.start_mark, f"the document has more than {self._max_nodes} values")
        if self._depth >= self._max_depth:
            _fail_at(event.start_mark, f"nesting is deeper than {self._max_depth} levels")
        anchor: str | None = event.anchor
        if anchor is not None and anchor in self.anchors:
            first = _line(self.anchors[anchor].start_mark)
            _fail_at(event.start_mark, f"duplicate anchor &{anchor} (first at line {first})")
        self._depth += 1
        self.descend_resolver(parent, index)
        node = self._compose_collection_or_scalar(anchor)
        self.ascend_resolver()
        self._depth -= 1
        return node

    # The stubs leave the parser's event methods untyped; events are used duck-typed here.
    def _peek(self) -> Any:
        peek: Callable[[], Any] = self.peek_event
        return peek()

    def _get(self) -> Any:
        get: Callable[[], Any] = self.get_event
        return get()

    def _compose_collection_or_scalar(self, anchor: str | None) -> Node:
        # The stubs type `anchor` as a dict; PyYAML passes the anchor name (or None).
        if self.check_event(ScalarEvent):
            return self.compose_scalar_node(anchor)  # type: ignore[arg-type]
        if self.check_event(SequenceStartEvent):
            return self.compose_sequence_node(anchor)  # type: ignore[arg-type]
        if self.check_event(MappingStartEvent):
            return self.compose_mapping_node(anchor)  # type: ignore[arg-type]
        event = self._peek()  # unreachable: the parser only yields node events here
        _fail_at(event.start_mark, f"unexpected {type(event).__name__}")

    def _compose_alias(self) -> Node:
        event = self._get()
        anchor: str = event.anchor
        target = self.anchors.get(anchor)
        if target is None:
            _fail_at(event.start_mark, f"undefined alias *{anchor}")
        return _AliasNode(anchor, target, event.start_mark)


if yaml.__with_libyaml__:
    class _FastComposingLoader(yaml.composer.Composer, yaml.cyaml.CParser,  # type: ignore[misc,name-defined]
                               yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """libyaml's scanner and parser (C, iterative) under the same Python composer, with its counts and caps:
        about ten times faster for a large lab. Errors are reported by the pure-Python loader (_compose), so a
        message is the same whichever parser met the problem first."""

        compose_node = _ComposingLoader.compose_node
        _peek = _ComposingLoader._peek
        _get = _ComposingLoader._get
        _compose_collection_or_scalar = _ComposingLoader._compose_collection_or_scalar
        _compose_alias = _ComposingLoader._compose_alias

        def __init__(self, source: str, max_nodes: int, max_depth: int) -> None:
            yaml.cyaml.CParser.__init__(self, source)  # type: ignore[attr-defined]
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._max_nodes = max_nodes
            self._max_depth = max_depth
            self._nodes = 0
            self._depth = 0


def _compose(source: str, max_nodes: int, max_depth: int, several: bool) -> list[Node]:
    """The root node of each document in `source` (of the only one, unless `several`); none for an empty stream.
    The node count runs over the whole stream, so many small documents cannot add up past the cap."""
    if yaml.__with_libyaml__:
        try:
            return _compose_with(_FastComposingLoader(source, max_nodes, max_depth), several)
        except (yaml.YAMLError, YamlSourceError, RecursionError):
            pass  # the pure-Python loader says what is wrong, with its own words and lines
    return _compose_with(_ComposingLoader(source, max_nodes, max_depth), several)


def _compose_with(loader: Any, several: bool) -> list[Node]:
    try:
        loader._get()  # STREAM-START
        roots: list[Node] = []
        while not loader.check_event(StreamEndEvent):
            if roots and not several:
                event = loader._peek()
                line = _line(event.start_mark)
                _fail(f"line {line}: expected one YAML document, found several", line)
            roots.append(loader.compose_document())  # its anchors are its own: compose_document forgets them
        return roots
    finally:
        loader.dispose()


def _problem_from_yaml_error(exc: yaml.YAMLError, source: str) -> SourceProblem:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        message = f"{_where(mark)}: {exc.problem or exc.context or 'invalid YAML'}"
        if exc.problem and exc.context:
            # e.g. "could not find expected ':' (while scanning a simple key at line 3)"
            where = f" at line {_line(exc.context_mark)}" if exc.context_mark is not None else ""
            message += f" ({exc.context}{where})"
        return SourceProblem(message, _line(mark))
    if isinstance(exc, ReaderError):
        # The Reader rejects control characters (binary junk) and reports only a character offset.
        position: int = exc.position
        before = source[:position]
        line = len(_LINE_BREAK.findall(before)) + 1
        column = position - max((m.end() for m in _LINE_BREAK.finditer(before)), default=0) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"line {line}, column {column}: unacceptable character #x{char:04x}: {exc.reason}"
        return SourceProblem(message, line)
    return SourceProblem(str(exc) or type(exc).__name__, None)


# -- converting ----------------------------------------------------------------------------------------


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "mapping"
    return "list" if isinstance(node, SequenceNode) else "value"


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


_Entries: TypeAlias = dict[str, tuple[int, Node]]  # key -> (line of the key, value node)


class _Converter:
    """Turns a composed node graph into plain data, counting every visit and recording lines."""

    def __init__(self, max_nodes: int, max_depth: int) -> None:
        self.lines: dict[YamlPath, int] = {}
        self._max_nodes = max_nodes
        self._max_depth = max_depth
        self._visits = 0
        self._active: set[int] = set()  # collections on the current path: a repeat is a cycle
        # SafeLoader's own constructors for the plain scalar types; a loader over "" is enough.
        loader = yaml.SafeLoader("")
        self._scalars: dict[str, Callable[[ScalarNode], object]] = {
            _STR: loader.construct_yaml_str,
            _INT: loader.construct_yaml_int,
            _FLOAT: loader.construct_yaml_float,
            _BOOL: loader.construct_yaml_bool,
            _NULL: loader.construct_yaml_null,
        }

    def convert(self, node: Node, path: YamlPath, depth: int, line: int | None = None) -> object:
        """The value of `node` at `path`; `line` (a mapping key's line) overrides the node's own."""
        target, own_line = self._enter(node, depth)
        self.lines[path] = own_line if line is None else line
        if isinstance(target, ScalarNode):
            return self._scalar(target, own_line)
        with self._guard(node, target, own_line):
            if isinstance(target, SequenceNode):
                self._check_tag(target, _SEQ, own_line)
                return [self.convert(item, path + (i,), depth + 1) for i, item in enumerate(target.value)]
            if isinstance(target, MappingNode):
                return {
                    key: self.convert(value, path + (key,), depth + 1, key_line)
                    for key, (key_line, value) in self._entries(target, own_line, depth).items()
                }
        _fail(f"line {own_line}: unsupported YAML node", own_line)  # unreachable for composed graphs

    def _enter(self, node: Node, depth: int) -> tuple[Node, int]:
        """Counts one visit (through aliases too: this is what stops billion laughs) and unwraps aliases."""
        self._visits += 1
        if self._visits > self._max_nodes:
            _fail(f"the document expands to more than {self._max_nodes} values (YAML aliases?)", None)
        line = _line(node.start_mark)
        if depth > self._max_depth:
            _fail(f"line {line}: nesting is deeper than {self._max_depth} levels (through aliases)", line)
        return (node.target if isinstance(node, _AliasNode) else node), line

    def _guard(self, node: Node, target: Node, line: int) -> _Active:
        if id(target) in self._active:
            name = f"*{node.anchor} " if isinstance(node, _AliasNode) else ""
            _fail(f"line {line}: recursive alias {name}(a value that contains itself)", line)
        return _Active(self._active, id(target))

    @staticmethod
    def _check_tag(node: Node, expected: str, line: int) -> None:
        if node.tag != expected:
            _fail(f"line {line}: unsupported tag {_tag_name(node.tag)} on a {_kind(node)}", line)

    def _scalar(self, node: ScalarNode, line: int) -> object:
        value: str = node.value
        if node.tag in _RAW_TAGS:
            return value
        construct = self._scalars.get(node.tag)
        if construct is None:
            _fail(f"line {line}: unsupported tag {_tag_name(node.tag)}", line)
        if node.tag == _INT and len(value) > _MAX_INT_CHARS:
            _fail(f"line {line}: integer {_shown(value)} is too long", line)
        try:
            return construct(node)
        except (ValueError, LookupError, TypeError, ArithmeticError):
            # e.g. `!!int abc`, `!!bool maybe`, `!!int ""`
            _fail(f"line {line}: {_shown(value)} is not a valid {_tag_name(node.tag)}", line)

    def _key(self, node: Node, line: int) -> str:
        """Keys are names: strings, or integers (kept as written, e.g. "80"); anything else is an error."""
        if not isinstance(node, ScalarNode):
            _fail(f"line {line}: a mapping key must be a string, not a {_kind(node)}", line)
        value = self._scalar(node, line)
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(node.value)
        # e.g. `yes:` or `on:` (YAML 1.1 booleans), `~:` or `1.5:` -- almost always meant as text.
        kind = "null" if value is None else type(value).__name__
        _fail(f"line {line}: mapping key {_shown(node.value)} is read as {kind}; quote it to use it", line)

    def _entries(self, node: MappingNode, line: int, depth: int) -> _Entries:
        """A mapping's keys with merges (`<<`) applied: own keys win, then earlier merge sources."""
        self._check_tag(node, _MAP, line)
        own: _Entries = {}
        merged: _Entries = {}
        merge_line: int | None = None
        for key_node, value_node in node.value:
            key_target, key_line = self._enter(key_node, depth + 1)
            if isinstance(key_target, ScalarNode) and key_target.tag == _MERGE:
                if merge_line is not None:
                    _fail(f"line {key_line}: duplicate key '<<' (first at line {merge_line})", key_line)
                merge_line = key_line
                for key, entry in self._merged(value_node, depth + 1).items():
                    merged.setdefault(key, entry)
                continue
            key = self._key(key_target, key_line)
            if key in own:
                _fail(f"line {key_line}: duplicate key {key!r} (first at line {own[key][0]})", key_line)
            own[key] = (key_line, value_node)
        merged.update(own)
        return merged

    def _merged(self, value: Node, depth: int) -> _Entries:
        """The entries a merge key's value contributes: one mapping or a list of them, first wins."""
        target, line = self._enter(value, depth)
        sources = [(value, target, line)]
        if isinstance(target, SequenceNode):
            self._check_tag(target, _SEQ, line)
            sources = [(item, *self._enter(item, depth + 1)) for item in target.value]
        entries: _Entries = {}
        for source, source_target, source_line in sources:
            if not isinstance(source_target, MappingNode):
                message = "a merge key ('<<') takes a mapping or a list of mappings"
                _fail(f"line {source_line}: {message}", source_line)
            # Guarded like a value: `&a {<<: *a}` would otherwise merge itself forever.
            with self._guard(source, source_target, source_line):
                for key, entry in self._entries(source_target, source_line, depth + 1).items():
                    entries.setdefault(key, entry)
        return entries


class _Active:
    """Marks a collection as being converted for the duration of a `with` block."""

    def __init__(self, active: set[int], key: int) -> None:
        self._active = active
        self._key = key

    def __enter__(self) -> None:
        self._active.add(self._key)

    def __exit__(self, *exc: object) -> None:
        self._active.discard(self._key)
