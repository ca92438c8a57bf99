"""The CLI's contract: exit statuses, output formats, one clear message and no traceback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from netlab.cli import main

ROOT = Path(__file__).parents[2]
DOCKER = str(ROOT / "topologies" / "docker-bridge.yaml")


def test_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", DOCKER]) == 0
    assert "lab docker-bridge" in capsys.readouterr().out


def test_validate_bad_file_exits_2_with_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\npodz: []\nnodes: [{name: Node1}]\n")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "2 problems found" in err and "did you mean 'pods'" in err and "'Node1' is not a valid name" in err
    assert "Traceback" not in err


def test_missing_file_and_binary_junk_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope.yaml")]) == 2
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(b"\x00\xff\xfe garbage \x80")
    assert main(["validate", str(junk)]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_plan_formats(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", DOCKER]) == 0
    assert capsys.readouterr().out.startswith("#!/usr/bin/env bash")
    assert main(["plan", DOCKER, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["lab"] == "docker-bridge"


def test_unknown_option_is_a_usage_error() -> None:
    assert main(["plan", DOCKER, "--format", "yaml"]) == 2
    assert main(["down"]) == 2


def test_commands_needing_root_say_so(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("os.geteuid", lambda: 1000)
    assert main(["down", "some-lab"]) == 3
    assert main(["exec", "some-lab", "pod", "--", "true"]) == 3
    assert main(["up", DOCKER]) == 3
    err = capsys.readouterr().err
    assert "needs root" in err and "not running as root" in err and "Traceback" not in err


def test_a_trace_piped_to_a_file_wraps_long_rule_text_instead_of_cutting_it(capsys: pytest.CaptureFixture[str]) -> None:
    services = str(ROOT / "topologies" / "services-iptables.yaml")
    assert main(["trace", "--predict", services, "client1", "web:80", "-v"]) == 0
    out = capsys.readouterr().out
    squeezed = "".join(c for c in out if c not in "│├└─ \n")
    rules = [line.split(": ", 1)[1] for line in out.splitlines() if ": -A KUBE-SEP-" in line]
    assert rules and all(len(line) <= 160 for line in out.splitlines())
    assert "-AKUBE-SEP-" in squeezed and re.search(r"--to-destination10\.244\.\d\.\d+:80", squeezed)


def test_trace_predict_runs_without_root_and_without_pyroute2() -> None:
    """The plan's view of a packet is for a student's laptop: no root, no netlink library."""
    services = str(ROOT / "topologies" / "services-iptables.yaml")
    code = f"""
import os, sys
class NoPyroute2:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "pyroute2":
            raise ImportError("pyroute2 is not installed here")
sys.meta_path.insert(0, NoPyroute2())
os.geteuid = lambda: 1000
from netlab.cli import main
sys.exit(main(["trace", "--predict", {services!r}, "client1", "web:80"]))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "DNAT" in done.stdout and "delivered" in done.stdout.lower()


def netlab(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`netlab ARGS` in a process of its own, as the colour settings are read when it starts."""
    return subprocess.run([sys.executable, "-m", "netlab", *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


def test_reports_are_plain_text_when_piped_and_json_when_asked() -> None:
    for env in ({}, {"NO_COLOR": "1"}):
        done = netlab("validate", DOCKER, env=env)
        assert done.returncode == 0 and "\x1b[" not in done.stdout
    green = "\x1b[32m"  # "ok" is green on a terminal; off above because the output is not one
    assert green in netlab("validate", DOCKER, env={"FORCE_COLOR": "1"}).stdout
    assert green not in netlab("validate", DOCKER, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout  # bold stays
    assert json.loads(netlab("validate", "--json", DOCKER).stdout)["lab"] == "docker-bridge"


def test_an_unknown_doctor_mode_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "--mode", "cilium"]) == 2
    assert "unknown mode 'cilium'" in capsys.readouterr().err
