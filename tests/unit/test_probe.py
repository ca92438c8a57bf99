"""`netlab probe` without root: the JUnit report, ICMP packets, echo answers and command-line probe checks."""

from __future__ import annotations

import socket
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from netlab.cli import cli, main
from netlab.errors import TopologyError, UsageError
from netlab.probe import (
    ProbeResult, ad_hoc, checksum, icmp_echo, junit_xml, only, parse_answer, read_icmp,
)
from netlab.topology import codec, load_topology, load_topology_text
from netlab.topology.model import Expectation, Probe

ROOT = Path(__file__).parents[2]
FLANNEL = load_topology(ROOT / "topologies" / "flannel-vxlan.yaml")


def result(name: str, *, reachable: bool = True, expect: bool = True, seen: str | None = "10.244.0.4",
           want: str | None = "10.244.0.4", seconds: float = 0.0012) -> ProbeResult:
    probe = Probe(name, "client1", "web2", 80, "http", Expectation(expect, "self" if want else None))
    return ProbeResult(probe, "10.244.1.2", reachable, "web2" if reachable else None, seen if reachable else None,
                       want, frozenset({want} if want else set()),
                       "answered by web2" if reachable else "no answer in 2 s", seconds)


# -- expectations and the JUnit report -------------------------------------------------------------------

def test_ok_compares_reachability_and_the_source_seen() -> None:
    assert result("a").ok
    assert not result("b", seen="192.168.56.11").ok
    assert not result("c", reachable=False).ok
    assert result("d", reachable=False, expect=False).ok
    assert not result("e", expect=False).ok
    assert result("f", want=None, seen=None).ok


def test_junit_has_one_suite_and_a_case_per_probe_with_failures_saying_expected_and_observed() -> None:
    results = [result("passes", seconds=0.0016), result("wrong source", seen="192.168.56.11"),
               result("unreachable", reachable=False, seconds=2.0)]
    suite = ET.fromstring(junit_xml("flannel-vxlan", results))
    assert suite.tag == "testsuite" and suite.get("name") == "netlab probe flannel-vxlan"
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "2", "0")
    cases = suite.findall("testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("netlab.flannel-vxlan", "passes"), ("netlab.flannel-vxlan", "wrong source"),
        ("netlab.flannel-vxlan", "unreachable")]
    assert [c.get("time") for c in cases] == ["0.002", "0.001", "2.000"]
    assert cases[0].find("failure") is None
    wrong = cases[1].find("failure")
    assert wrong is not None and wrong.get("message") == (
        "expected reachable, source 10.244.0.4, observed reachable (answered by web2), source 192.168.56.11")
    lost = cases[2].find("failure")
    assert lost is not None and lost.get("message") == (
        "expected reachable, source 10.244.0.4, observed unreachable (no answer in 2 s)")
    assert "client1 -> web2:80 (http, 10.244.1.2)" in (lost.text or "")


def test_junit_of_no_probes_is_an_empty_suite() -> None:
    suite = ET.fromstring(junit_xml("x", []))
    assert suite.get("tests") == "0" and suite.findall("testcase") == []


def test_json_fields() -> None:
    data = result("a", seconds=0.00123456).as_dict()
    assert data["ok"] is True and data["seconds"] == 0.0012 and data["accepted_sources"] == ["10.244.0.4"]
    assert {"name", "from", "to", "target_ip", "port", "protocol", "seen_source", "expected_source"} <= data.keys()


# -- the wire ------------------------------------------------------------------------------------------

def test_echo_request_checksums_to_zero() -> None:
    packet = icmp_echo(0x1234, 7)
    assert packet[0] == 8 and struct.unpack("!HH", packet[4:8]) == (0x1234, 7)
    assert checksum(packet) == 0
    assert checksum(b"\x01") == checksum(b"\x01\x00")  # odd lengths are padded


def ip_header(proto: int = socket.IPPROTO_ICMP) -> bytes:
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 0, 0, 0, 64, proto, 0, bytes(4), bytes(4))


def test_only_our_echo_reply_or_an_error_quoting_our_request_counts() -> None:
    reply = ip_header() + struct.pack("!BBHHH", 0, 0, 0, 0x1234, 7)
    assert read_icmp(reply, "10.0.0.2", 0x1234, 7) == (True, "echo reply")
    assert read_icmp(reply, "10.0.0.2", 0x1234, 8) is None  # someone else's ping
    assert read_icmp(ip_header() + icmp_echo(0x1234, 7), "10.0.0.1", 0x1234, 7) is None  # our own request
    unreachable = ip_header() + struct.pack("!BBHI", 3, 1, 0, 0) + ip_header() + icmp_echo(0x1234, 7)
    assert read_icmp(unreachable, "10.0.0.1", 0x1234, 7) == (False, "host unreachable from 10.0.0.1")
    assert read_icmp(unreachable, "10.0.0.1", 0x1234, 9) is None
    assert read_icmp(ip_header() + b"\x00", "10.0.0.1", 1, 1) is None  # truncated


def test_echo_answers_bare_or_in_http_and_anything_else_is_empty() -> None:
    line = b'{"server": "web1", "client": "10.244.0.4", "local": "10.244.0.2"}\n'
    assert parse_answer(line)["server"] == "web1"
    assert parse_answer(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n" + line)["client"] == "10.244.0.4"
    assert parse_answer(b"SSH-2.0-OpenSSH_9.2\r\n") == {}
    assert parse_answer(b"") == {} and parse_answer(b"[1, 2]\n") == {}


# -- which probes --------------------------------------------------------------------------------------

def test_an_ad_hoc_probe_is_checked_against_the_lab_and_takes_the_loader_defaults() -> None:
    p = ad_hoc(FLANNEL, source="client1", target="web2:80", source_seen="self")
    assert (p.name, p.source, p.target, p.port, p.protocol) == ("client1 -> web2:80", "client1", "web2", 80, "tcp")
    assert p.expect == Expectation(True, "self")
    p = ad_hoc(FLANNEL, source="node1", target="web1", reachable=False, name="ping")
    assert p.protocol == "icmp" and p.name == "ping" and not p.expect.reachable


@pytest.mark.parametrize(("options", "message"), [
    ({"source": "ghost", "target": "web1:80"}, "--from: unknown probe source 'ghost'"),
    ({"source": "client1", "target": "nowhere"}, "--to: unknown probe target 'nowhere'"),
    ({"source": "client1", "target": "web1", "protocol": "tcp"}, "--to: a tcp probe needs a port"),
    ({"source": "client1", "target": "web1:70000"}, "--to: port 70000 is out of range 1-65535"),
    ({"source": "client1", "target": "web1:80", "protocol": "sctp"}, "--protocol: 'sctp' is not a probe protocol"),
    ({"source": "client1", "target": "web1", "source_seen": "self"},
     "--source-seen: an icmp probe cannot check the source seen"),
    ({"source": "client1", "target": "web1:80", "source_seen": "nobody"},
     "--source-seen: sourceSeen 'nobody' is not self, node, a name or an address"),
    ({"source": "web", "target": "web1:80", "source_seen": "node"},
     "--source-seen: 'node' needs a pod as the source or a node as the target"),
    ({"source": "ghost", "target": "nowhere"},
     "--from: unknown probe source 'ghost'; --to: unknown probe target 'nowhere'"),
])
def test_ad_hoc_problems_name_the_option(options: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        ad_hoc(FLANNEL, **options)  # type: ignore[arg-type]
    assert caught.value.message == message


def test_the_same_checks_apply_to_probes_in_a_file() -> None:
    with pytest.raises(TopologyError) as caught:
        load_topology_text("name: x\npods: [{name: a}]\nprobes:\n  - {from: a, to: a, expect: {sourceSeen: self}}\n"
                           "  - {from: a, to: 'a:80', expect: {sourceSeen: b}}\n")
    assert [str(p).splitlines()[0] for p in caught.value.problems] == [
        "probes[0].expect.sourceSeen (line 4): an icmp probe cannot check the source seen",
        "probes[1].expect.sourceSeen (line 5): sourceSeen 'b' is not self, node, a name or an address"]


def test_only_keeps_the_file_order_and_names_unknown_probes() -> None:
    t = FLANNEL
    assert [p.name for p in only(t, ["and back", "pod to pod on one node"])] == ["pod to pod on one node", "and back"]
    with pytest.raises(UsageError) as caught:
        only(t, ["and back", "nope"])
    assert caught.value.message == "lab 'flannel-vxlan' declares no probe named 'nope'"
    assert caught.value.hint is not None and "'udp across the overlay'" in caught.value.hint


# -- the command line ----------------------------------------------------------------------------------

@pytest.fixture
def lab_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A lab that looks up to the CLI (its state directory holds the model); nothing is built."""
    monkeypatch.setenv("NETLAB_RUN_DIR", str(tmp_path))
    (tmp_path / "flannel-vxlan").mkdir()
    (tmp_path / "flannel-vxlan" / "model.json").write_text(codec.to_json(FLANNEL))
    return "flannel-vxlan"


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "client1"], "--from and --to go together"),
    (["--to", "web1:80"], "--from and --to go together"),
    (["--protocol", "udp", "--source-seen", "self"], "--protocol, --source-seen need --from and --to"),
    (["--only", "and back", "--from", "client1", "--to", "web1"],
     "--only picks declared probes; --from/--to send one of your own"),
    (["--only", "nope"], "lab 'flannel-vxlan' declares no probe named 'nope'"),
    (["--from", "client9", "--to", "web1:80", "--protocol", "http"], "--from: unknown probe source 'client9'"),
])
def test_command_line_problems_are_usage_errors(lab_up: str, args: list[str], message: str) -> None:
    outcome = CliRunner().invoke(cli, ["probe", lab_up, *args])
    assert isinstance(outcome.exception, UsageError) and outcome.exception.message == message


def test_usage_errors_exit_2_and_a_valid_probe_gets_as_far_as_needing_root(
        lab_up: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["probe", lab_up, "--from", "client1", "--to", "nowhere:80"]) == 2
    assert main(["probe", lab_up, "--expect", "maybe", "--from", "client1", "--to", "web1:80"]) == 2
    assert main(["probe", "not-up"]) == 2
    monkeypatch.setattr("os.geteuid", lambda: 1000)
    assert main(["probe", lab_up, "--from", "client1", "--to", "web1:80", "--protocol", "http"]) == 3
    assert main(["probe", lab_up, "--only", "and back"]) == 3
    err = capsys.readouterr().err
    assert "--to: unknown probe target 'nowhere'" in err and "lab 'not-up' is not up" in err
    assert "netlab probe needs root" in err and "Traceback" not in err
