"""Unit tests for netlab.topology.yaml_source: data, line numbers, and hostile input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netlab.topology.yaml_source import (
    SourceProblem,
    YamlDocument,
    YamlSourceError,
    load_yaml,
    load_yaml_file,
)

NESTED = """\
name: lab
nodes:
  - name: web
    ports:
      - 80
      - 443
  - name: db
    labels:
      tier: data
"""


def problem(text: str | bytes, **limits: int) -> SourceProblem:
    with pytest.raises(YamlSourceError) as info:
        load_yaml(text, **limits)
    return info.value.problem


# -- data and lines ------------------------------------------------------------------------------------


def test_nested_document_data() -> None:
    doc = load_yaml(NESTED)
    assert doc.data == {
        "name": "lab",
        "nodes": [
            {"name": "web", "ports": [80, 443]},
            {"name": "db", "labels": {"tier": "data"}},
        ],
    }


def test_nested_document_lines() -> None:
    lines = load_yaml(NESTED).lines
    assert lines[()] == 1
    assert lines[("name",)] == 1
    assert lines[("nodes", 0)] == 3
    assert lines[("nodes", 0, "name")] == 3
    assert lines[("nodes", 0, "ports", 1)] == 6
    assert lines[("nodes", 1)] == 7
    assert lines[("nodes", 1, "labels", "tier")] == 9


def test_mapping_value_records_the_key_line() -> None:
    # The value of `nodes` starts on line 2 and `labels`' on line 4, but errors belong on the key.
    doc = load_yaml("nodes:\n  - a\nlabels:\n\n  x: 1\n")
    assert doc.lines[("nodes",)] == 1
    assert doc.lines[("labels",)] == 3
    assert doc.lines[("labels", "x")] == 5


def test_line_of_falls_back_to_the_longest_existing_prefix() -> None:
    doc = load_yaml(NESTED)
    assert doc.line_of(("nodes", 1, "labels", "tier")) == 9
    assert doc.line_of(("nodes", 1, "image")) == 7  # missing key: its mapping's line
    assert doc.line_of(("nodes", 5, "name")) == 2  # missing index: the list's key line
    assert doc.line_of(("missing",)) == 1  # the root
    assert doc.line_of(()) == 1
    assert YamlDocument(None, {}).line_of(("x",)) is None


def test_lines_are_read_only() -> None:
    doc = load_yaml("a: 1\n")
    with pytest.raises(TypeError):
        doc.lines[("b",)] = 2  # type: ignore[index]


def test_scalar_types() -> None:
    doc = load_yaml(
        "port: 80\nhex: 0x10\nenabled: true\ndisabled: false\nratio: 1.5\nnothing: ~\nempty:\n"
        "null_: null\ncidr: 10.244.0.0/16\nip: 10.0.0.1\nday: 2024-01-31\nstamp: 2024-01-31 10:00:00\n"
        "quoted: '80'\nforced: !!str 443\nversion: '1.0'\n"
    )
    assert doc.data == {
        "port": 80,
        "hex": 16,
        "enabled": True,
        "disabled": False,
        "ratio": 1.5,
        "nothing": None,
        "empty": None,
        "null_": None,
        "cidr": "10.244.0.0/16",
        "ip": "10.0.0.1",
        "day": "2024-01-31",  # dates stay text, not datetime.date
        "stamp": "2024-01-31 10:00:00",
        "quoted": "80",
        "forced": "443",
        "version": "1.0",
    }
    data = doc.data
    assert isinstance(data, dict)
    assert type(data["port"]) is int and type(data["enabled"]) is bool and type(data["ratio"]) is float
    assert type(data["day"]) is str and type(data["stamp"]) is str


def test_bool_looking_key_is_an_error_with_a_hint() -> None:
    # `on:` is a YAML 1.1 boolean; as a key it is almost always a mistake.
    p = problem("a: 1\non: 2\n")
    assert p.line == 2 and "'on' is read as bool" in p.message and "quote it" in p.message


def test_int_key_becomes_its_text() -> None:
    assert load_yaml("ports:\n  80: http\n  8080: alt\n").data == {"ports": {"80": "http", "8080": "alt"}}


@pytest.mark.parametrize("text", ["~: x\n", "1.5: x\n", "? [a, b]\n: x\n", "{a: 1}: x\n"])
def test_non_string_keys_are_errors(text: str) -> None:
    p = problem(text)
    assert p.line == 1 and "key" in p.message


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
def test_empty_document_is_none(text: str) -> None:
    assert load_yaml(text).data is None


def test_explicit_empty_document_is_none() -> None:
    assert load_yaml("---\n").data is None


def test_bytes_input_with_bom() -> None:
    assert load_yaml(b"\xef\xbb\xbfname: caf\xc3\xa9\n").data == {"name": "café"}


# -- structural errors ---------------------------------------------------------------------------------


def test_duplicate_key() -> None:
    p = problem("a: 1\nb:\n  x: 1\n  y: 2\n  x: 3\n")
    assert p == SourceProblem("line 5: duplicate key 'x' (first at line 3)", 5)


def test_duplicate_key_in_flow_mapping() -> None:
    assert problem("{a: 1, a: 2}").message.startswith("line 1: duplicate key 'a'")


def test_multiple_documents() -> None:
    p = problem("a: 1\n---\nb: 2\n")
    assert "expected one YAML document, found several" in p.message and p.line == 2


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("nodes:\n\t- a\n", 2),  # a tab used for indentation
        ("a: 1\nb: c: d\n", 2),
        ("a: [1, 2\n", 2),
        ("a: 'unterminated\n", 2),
        ("a: 1\n  b: 2\n", 2),
        ("a: *nowhere\n", 1),
    ],
)
def test_syntax_errors_have_line_and_column(text: str, line: int) -> None:
    p = problem(text)
    assert p.line == line
    assert p.message.startswith(f"line {line}, column ")


def test_syntax_error_message_shape() -> None:
    assert problem("key: value\nother: a: b\n") == SourceProblem(
        "line 2, column 9: mapping values are not allowed here", 2
    )


def test_binary_junk_is_a_line_numbered_error() -> None:
    p = problem("a: 1\nb: \x00\x01\x02\n")
    assert p.line == 2 and "unacceptable character #x0000" in p.message


# -- tags ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a: !!python/object:os.system {}\n", "!!python/object:os.system"),
        ("a: !!python/name:os.system ''\n", "!!python/name:os.system"),
        ("a: !!binary aGVsbG8=\n", "!!binary"),
        ("a: !custom x\n", "!custom"),
        ("a: !!set {x: null}\n", "!!set"),
        ("a: !!omap [x: 1]\n", "!!omap"),
    ],
)
def test_unsupported_tags(text: str, tag: str) -> None:
    p = problem(text)
    assert p.line == 1 and f"unsupported tag {tag}" in p.message


def test_invalid_explicitly_tagged_scalar() -> None:
    assert problem("a:\n  b: !!int abc\n") == SourceProblem("line 2: 'abc' is not a valid !!int", 2)


def test_overlong_integer_is_rejected_quickly() -> None:
    # A long sexagesimal literal would take PyYAML quadratic time to build.
    started = time.monotonic()
    p = problem("a: 1" + ":30" * 100_000 + "\n")
    assert "too long" in p.message and time.monotonic() - started < 2


# -- aliases and merges --------------------------------------------------------------------------------


def test_alias_is_expanded_and_recorded_where_used() -> None:
    doc = load_yaml("base: &b [1, 2]\nuse:\n  - x\n  - *b\n")
    assert doc.data == {"base": [1, 2], "use": ["x", [1, 2]]}
    assert doc.lines[("use", 1)] == 4  # the alias, not the anchor on line 1


def test_merge_keys() -> None:
    doc = load_yaml(
        "defaults: &d {image: alpine, cpu: 1}\n"
        "big: &big {cpu: 4, mem: 8}\n"
        "node:\n"
        "  <<: [*d, *big]\n"
        "  image: nginx\n"
    )
    data = doc.data
    assert isinstance(data, dict)
    # Own keys win, then earlier merge sources (as SafeLoader does).
    assert data["node"] == {"image": "nginx", "cpu": 1, "mem": 8}
    assert doc.lines[("node", "image")] == 5
    assert doc.lines[("node", "cpu")] == 1  # where the merged value is written
    assert doc.lines[("node", "mem")] == 2


def test_merge_of_a_single_mapping() -> None:
    assert load_yaml("a: &a {x: 1}\nb: {<<: *a, y: 2}\n").data == {"a": {"x": 1}, "b": {"x": 1, "y": 2}}


def test_merge_of_a_scalar_is_an_error() -> None:
    p = problem("a: &a 1\nb:\n  <<: *a\n")
    assert p.line == 3 and "merge" in p.message


def test_billion_laughs_fails_fast() -> None:
    text = "a0: &a0 [" + ", ".join(["lol"] * 9) + "]\n"
    for i in range(1, 10):
        text += f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n"
    started = time.monotonic()
    with pytest.raises(YamlSourceError, match=r"expands to more than 200000 values \(YAML aliases\?\)"):
        load_yaml(text)
    assert time.monotonic() - started < 2


def test_billion_laughs_through_merge_keys_fails_fast() -> None:
    text = "m0: &m0 {" + ", ".join(f"k{i}: v" for i in range(9)) + "}\n"
    for i in range(1, 10):
        text += f"m{i}: &m{i} {{<<: [" + ", ".join([f"*m{i - 1}"] * 9) + "]}\n"
    started = time.monotonic()
    with pytest.raises(YamlSourceError, match="expands to more than"):
        load_yaml(text)
    assert time.monotonic() - started < 2


def test_node_limit_is_configurable() -> None:
    with pytest.raises(YamlSourceError, match="more than 10 values"):
        load_yaml("[" + ", ".join(["x"] * 20) + "]", max_nodes=10)
    assert load_yaml("[" + ", ".join(["x"] * 9) + "]", max_nodes=10).data == ["x"] * 9


@pytest.mark.parametrize("text", ["&a [*a]", "a: &a {b: *a}\n", "a: &a {<<: *a}\n", "- &a [1, [2, *a]]\n"])
def test_recursive_alias(text: str) -> None:
    p = problem(text)
    assert "recursive alias" in p.message and p.line is not None


def test_aliases_cannot_deepen_past_the_limit() -> None:
    text = "a: &a [[[x]]]\nb: [[[*a]]]\n"
    assert load_yaml(text, max_depth=8).data == {"a": [[["x"]]], "b": [[[[[["x"]]]]]]}
    assert "nesting is deeper than 6 levels" in problem(text, max_depth=6).message


# -- size, depth and encoding limits -------------------------------------------------------------------


def test_depth_bomb() -> None:
    started = time.monotonic()
    p = problem("[" * 10_000 + "]" * 10_000)
    assert p.message == "line 1, column 65: nesting is deeper than 64 levels" and p.line == 1
    assert time.monotonic() - started < 2


def test_depth_limit_is_inclusive() -> None:
    assert load_yaml("[" * 64 + "]" * 64).data is not None
    problem("[" * 65 + "]" * 65)


def test_huge_max_depth_still_cannot_overflow_the_stack() -> None:
    p = problem("[" * 5_000 + "]" * 5_000, max_depth=1_000_000)
    assert "nested too deeply" in p.message


@pytest.mark.parametrize("text", ["a: " + "x" * 2_000_000, ("a: " + "x" * 2_000_000).encode()])
def test_two_megabytes_is_too_big(text: str | bytes) -> None:
    assert problem(text) == SourceProblem("file is 2000003 bytes; the limit is 1000000", None)


def test_size_limit_counts_utf8_bytes() -> None:
    assert load_yaml("é" * 10, max_bytes=20).data == "é" * 10
    assert problem("é" * 11, max_bytes=20).message == "file is 22 bytes; the limit is 20"


def test_invalid_utf8() -> None:
    assert problem(b"a: 1\nb: \xff\xfe\n") == SourceProblem("line 2: invalid UTF-8 at byte offset 8", 2)


def test_utf16_is_not_utf8() -> None:
    assert "invalid UTF-8 at byte offset 0" in problem("a: 1\n".encode("utf-16")).message


# -- files ---------------------------------------------------------------------------------------------


def test_load_file(tmp_path: Path) -> None:
    path = tmp_path / "lab.yaml"
    path.write_text(NESTED, encoding="utf-8")
    assert load_yaml_file(path).lines[("nodes", 1, "labels", "tier")] == 9


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(YamlSourceError) as info:
        load_yaml_file(path)
    assert str(path) in info.value.problem.message and "No such file" in info.value.problem.message


def test_directory_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(YamlSourceError, match=str(tmp_path)):
        load_yaml_file(tmp_path)


def test_big_file_is_refused_with_its_size(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * 3_000)
    with pytest.raises(YamlSourceError, match="file is 3000 bytes; the limit is 1000"):
        load_yaml_file(path, max_bytes=1_000)


# -- anything at all -----------------------------------------------------------------------------------

YAMLISH = st.text(alphabet=list("ab01:-,[]{}&*!|>?#'\"%@`<= \t\n\r.~\x00\u00e9\ufeff"), max_size=200)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=st.one_of(st.text(max_size=300), st.binary(max_size=300), YAMLISH))
def test_any_input_loads_or_raises_source_error(source: str | bytes) -> None:
    try:
        doc = load_yaml(source, max_nodes=500, max_depth=16)
    except YamlSourceError as exc:
        assert exc.problem.message
        assert exc.problem.line is None or exc.problem.line >= 1
    else:
        assert all(line >= 1 for line in doc.lines.values())
