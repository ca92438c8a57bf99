"""The leak detector (`netlab doctor --leaks`) finds what carries a netlab mark outside a lab that is up,
and `netlab down --all` removes it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from netlab import state
from netlab.kernel import netns

from .conftest import LabFactory, netlab
from .netutil import leaks_of


@pytest.fixture
def scratch() -> Iterator[list[str]]:
    """Namespaces a test creates by hand; deleted afterwards whatever happened."""
    names: list[str] = []
    yield names
    for name in names:
        netns.delete(name)


def namespace_with_a_marked_veth(scratch: list[str], name: str, *, lab: str) -> str:
    scratch.append(name)
    netns.create(name)
    netns.run(name, ["ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1"])
    netns.run(name, ["ip", "link", "set", "v0", "alias", f"netlab:{lab}"])
    return name


def test_a_lab_that_is_up_or_being_built_is_not_a_leak(lab: LabFactory) -> None:
    lab("name: inuse\npods: [{name: a}]\n")
    assert leaks_of("inuse") == []
    lab_state = state.LabState("inuse")
    (lab_state.dir / "journal.jsonl").write_text("")  # as if its `up` had not finished …
    assert ("state", str(lab_state.dir)) in leaks_of("inuse")
    with state.locked("inuse"):  # … but an `up` holds the lock: it is at work, not leaked
        assert leaks_of("inuse") == []


def test_namespaces_and_state_left_by_a_crash_are_found_and_removed(scratch: list[str]) -> None:
    scratch.append("netlab.crashed.node1")
    netns.create("netlab.crashed.node1")
    (state.run_dir() / "crashed").mkdir(parents=True)
    report = netlab("doctor", "--leaks", "--json")
    assert report.returncode == 1 and "leftover" in report.stderr
    assert {(x["kind"], x["what"]) for x in json.loads(report.stdout) if x["lab"] == "crashed"} == {
        ("namespace", "netlab.crashed.node1"), ("state", str(state.run_dir() / "crashed"))}
    assert netlab("down", "--all").returncode == 0
    assert "netlab.crashed.node1" not in netns.list_names() and not (state.run_dir() / "crashed").exists()
    assert leaks_of("crashed") == []
    assert netlab("doctor", "--leaks").returncode == 0


def test_a_daemon_holding_an_unnamed_namespace_is_found_and_stopped(scratch: list[str]) -> None:
    name = namespace_with_a_marked_veth(scratch, "netlab.orphan.pod", lab="orphan")
    with netns.inside(name):
        daemon = subprocess.Popen([sys.executable, "-m", "netlab.workloads.echo", "--name", "x", "--tcp", "7"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        netns.delete(name)  # as `ip netns del` behind netlab's back: the daemon keeps the namespace alive
        time.sleep(0.2)
        leftovers = leaks_of("orphan")
        assert len(leftovers) == 1 and leftovers[0][0] == "namespace"
        assert f"held by pid {daemon.pid}" in leftovers[0][1]
        done = netlab("down", "--all")
        assert done.returncode == 0 and "1 leftover netlab process" in done.stdout
        daemon.wait(timeout=5)  # raises if `down --all` left it running
        assert leaks_of("orphan") == []
    finally:
        if daemon.poll() is None:
            daemon.kill()
        daemon.wait()


def test_a_marked_interface_in_the_host_namespace_is_leaks_of(scratch: list[str]) -> None:
    # The detector treats the namespace it runs in as the host's: run it in a scratch one, never the real host.
    host = namespace_with_a_marked_veth(scratch, "netlab-leaktest-host", lab="strayed")
    report = netns.run(host, [sys.executable, "-m", "netlab", "doctor", "--leaks", "--json"])
    assert report.returncode == 1, report.stderr
    assert [(x["kind"], x["lab"]) for x in json.loads(report.stdout) if x["lab"] == "strayed"] == [
        ("interface", "strayed")]


def test_files_left_in_etc_netns_are_found_and_removed() -> None:
    """A lab's /etc/netns/netlab.LAB.*/ files (a pod's resolv.conf) outlive a crash that took its state."""
    folder = Path("/etc/netns/netlab.etcleft.pod")
    folder.mkdir(parents=True)
    try:
        (folder / "resolv.conf").write_text("nameserver 10.96.0.10\n")
        report = netlab("doctor", "--leaks", "--json")
        assert report.returncode == 1, report.stderr
        assert [x["kind"] for x in json.loads(report.stdout) if x["lab"] == "etcleft"] == ["file"]
        done = netlab("down", "--all")
        assert done.returncode == 0, done.stderr
        assert not folder.exists() and leaks_of("etcleft") == []
    finally:
        shutil.rmtree(folder, ignore_errors=True)
