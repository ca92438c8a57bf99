"""Lifecycle guarantees on real kernels: refusal, rollback, crash recovery, drift, host isolation, equivalence
of the rendered script and `up`."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from netlab import naming, state
from netlab.compile import compile_plan
from netlab.errors import ApplyError
from netlab.kernel import inspect, netns
from netlab.lifecycle import down, status, up
from netlab.render.shell import render_script
from netlab.topology import load_topology_text

from .conftest import ROOT, LabFactory, ipvs_missing, netlab, renamed_file
from .netutil import http_get, leaks_of, ns_socket, run_in, workloads_in

SMALL = """
name: {name}
pods:
  - {{name: a, serve: ["http:80"], publish: ["8080:80"]}}
  - {{name: b}}
internet:
  hosts: [{{name: h, serve: ["http:80"]}}]
"""


def write(tmp_path: Path, text: str, name: str = "lab.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_second_up_is_refused_and_the_lab_is_left_alone(lab: LabFactory, tmp_path: Path) -> None:
    lab(SMALL.format(name="twice"))
    done = netlab("up", str(write(tmp_path, SMALL.format(name="twice"))))
    assert done.returncode == 3
    assert "lab 'twice' is already up" in done.stderr and "Traceback" not in done.stderr
    assert http_get("twice", "h", "192.168.56.11", 8080)["server"] == "a"


def test_a_kernel_error_halfway_rolls_everything_back(tmp_path: Path) -> None:
    text = SMALL.format(name="broken") + "nodes:\n  - name: node1\n    rules:\n      iptables: |\n" \
        "        *filter\n        -A NO-SUCH-CHAIN -j ACCEPT\n        COMMIT\n"
    topology = load_topology_text(text)
    with pytest.raises(ApplyError) as caught:
        up.up(compile_plan(topology), model=topology, source="test", topology_text=text)
    assert "iptables-restore --noflush" in caught.value.message
    assert "NO-SUCH-CHAIN" in caught.value.message or "line 2" in caught.value.message
    assert down.lab_namespaces("broken") == [] and not state.LabState("broken").exists()


def test_an_existing_address_halfway_rolls_back_and_names_the_step(tmp_path: Path) -> None:
    topology = load_topology_text(SMALL.format(name="clash"))
    plan = compile_plan(topology)
    # Fault injection: the same address twice makes the kernel answer EEXIST in the middle of the build.
    from netlab.plan import Address, Note, Plan
    address = next(s for s in plan.steps if isinstance(s, Address) and s.dev == "docker0")
    again = dataclasses.replace(address)  # equal to the original, but a step of its own
    steps = list(plan.steps)
    steps.insert(steps.index(address) + 1, again)
    with pytest.raises(ApplyError) as caught:
        up.up(Plan(plan.lab, tuple(steps)), model=topology, source="test", topology_text="")
    applied = [s for s in steps if not isinstance(s, Note)]
    number = next(i for i, s in enumerate(applied, 1) if s is again)
    assert f"step {number}/{len(applied)} failed" in caught.value.message  # the copy, not the original
    assert "addr add 172.17.0.1/16 dev docker0" in caught.value.message
    assert "File exists" in caught.value.message
    assert down.lab_namespaces("clash") == []


def test_the_namespace_creator_reports_its_error_where_the_namespace_is_awaited() -> None:
    names = ["netlab.creator.a", "netlab.creator.b", "netlab.creator.c"]
    netns.create(names[1])  # in the way: the creator fails on it and stops there
    try:
        creator = netns.Creator(names)
        creator.wait_for(names[0])
        with pytest.raises(FileExistsError):
            creator.wait_for(names[1])
        with pytest.raises(FileExistsError):
            creator.wait_for(names[2])
        creator.stop()
        assert not netns.exists(names[2])
    finally:
        for name in names:
            netns.delete(name)


def test_down_is_idempotent_and_works_after_the_file_is_gone(tmp_path: Path) -> None:
    path = write(tmp_path, SMALL.format(name="gone"))
    assert netlab("up", str(path)).returncode == 0
    path.unlink()
    first = netlab("down", "gone")
    assert first.returncode == 0 and "removed 7 namespaces" in first.stdout
    second = netlab("down", "gone")
    assert second.returncode == 0 and "not up" in second.stdout
    assert down.lab_namespaces("gone") == []


def test_down_by_file_and_down_all(tmp_path: Path) -> None:
    one = write(tmp_path, SMALL.format(name="one"), "one.yaml")
    two = write(tmp_path, SMALL.format(name="two"), "two.yaml")
    assert netlab("up", str(one)).returncode == 0 and netlab("up", str(two)).returncode == 0
    assert netlab("down", str(one)).returncode == 0
    assert down.lab_namespaces("one") == [] and down.lab_namespaces("two")
    done = netlab("down", "--all")
    assert done.returncode == 0 and down.lab_namespaces("two") == []


def test_status_reports_drift_behind_netlabs_back(lab: LabFactory) -> None:
    lab(SMALL.format(name="drift"))
    assert status.lab_status("drift").drift == []
    node = naming.netns("drift", "node1")
    veth = next(n for n, link in inspect.snapshot(node).links.items() if link.master == "docker0")
    subprocess.run(["ip", "-n", node, "link", "del", veth], check=True)
    subprocess.run(["ip", "netns", "exec", node, "iptables", "-t", "nat", "-F", "POSTROUTING"], check=True)
    drift = {d.key: d.problem for d in status.lab_status("drift").drift}
    assert drift[f"link {node} {veth}"] == "interface is missing"
    # Docker 29's POSTROUTING: the subnet's MASQUERADE alone (no hairpin rule per published port since Docker 28)
    assert drift[f"rules {node} nat POSTROUTING"] == "0 rules, expected 1"
    done = netlab("status", "drift")
    assert done.returncode == 0 and "difference(s) from the plan" in done.stdout
    # A namespace deleted behind netlab's back, with its daemon still in it: down copes with that too.
    subprocess.run(["ip", "netns", "del", naming.netns("drift", "a")], check=True)
    assert netlab("down", "drift").returncode == 0
    assert leaks_of("drift") == []


def test_non_root_gets_a_clear_message(tmp_path: Path) -> None:
    path = ROOT / "topologies" / "docker-bridge.yaml"  # readable by everyone, unlike pytest's tmp_path
    done = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m",
                           "netlab", "up", str(path)], capture_output=True, text=True, timeout=60,
                          cwd=str(ROOT))
    assert done.returncode == 3, done.stderr
    assert "not running as root" in done.stderr and "Traceback" not in done.stderr


def lab_fingerprint(lab_name: str, state_dir: str) -> dict[str, object]:
    """What a student would compare; a daemon's files are named relative to the lab's state directory."""
    result: dict[str, object] = {}
    for name in sorted(down.lab_namespaces(lab_name)):
        snap = inspect.snapshot(name)
        links = sorted((link.name, link.kind, link.mtu, link.up, link.master, link.alias)
                       for link in snap.links.values())
        # Interface indexes as `ip` shows them ("7: veth1@if2"): up chooses them itself, as the kernel would.
        indexes = re.findall(r"^(\d+): (\S+):", netns.run(name, ["ip", "-o", "link"]).stdout, re.M)
        routes = netns.run(name, ["ip", "route", "show"]).stdout  # with scope and proto, as a student reads them
        result[name] = (links, indexes, sorted(snap.addresses), sorted(map(str, snap.routes)), routes,
                        inspect.iptables_save(name), inspect.read_sysctl(name, "net.ipv4.ip_forward"),
                        [w.replace(state_dir, "$STATE") for w in workloads_in(name)])
    return result


@pytest.mark.parametrize("topology", ["docker-bridge", "flannel-vxlan"])
def test_the_rendered_script_builds_exactly_what_up_builds(tmp_path: Path, topology: str) -> None:
    path = ROOT / "topologies" / f"{topology}.yaml"
    text = path.read_text().replace(f"name: {topology}", "name: scripted")
    plan = compile_plan(load_topology_text(text))
    script = write(tmp_path, render_script(plan), "plan.sh")
    env = {**os.environ, "NETLAB_PYTHON": sys.executable, "NETLAB_STATE": str(tmp_path / "state")}
    try:
        done = subprocess.run(["bash", str(script)], capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        time.sleep(0.5)  # the script does not wait for its daemons to listen
        by_script = lab_fingerprint("scripted", str(tmp_path / "state"))
    finally:
        down.down("scripted")
    assert by_script, "the script created no namespaces"
    try:
        up.up(plan, model=load_topology_text(text), source=str(path), topology_text=text)
        by_up = lab_fingerprint("scripted", str(state.run_dir() / "scripted"))
    finally:
        down.down("scripted")
    assert by_script == by_up


def test_user_rules_from_the_topology_are_applied_after_netlabs(lab: LabFactory) -> None:
    lab("""
        name: userrules
        nodes:
          - name: node1
            rules:
              iptables: |
                *filter
                -I DOCKER-USER -d 203.0.113.11/32 -j DROP
                COMMIT
              nft: |
                table inet lesson {
                  chain out { type filter hook output priority 0; ip daddr 203.0.113.10 tcp dport 7 counter; }
                }
        pods: [{name: a}]
        internet:
          hosts: [{name: h1, serve: ["http:80", "tcp:7"]}, {name: h2, serve: ["http:80"]}]
    """)
    assert http_get("userrules", "a", "203.0.113.10")["server"] == "h1"
    with pytest.raises(TimeoutError):  # dropped, not refused: the instructor's DOCKER-USER rule
        http_get("userrules", "a", "203.0.113.11", timeout=1)
    dropped = run_in("userrules", "node1", "iptables", "-L", "DOCKER-USER", "-v", "-n", "-x").stdout
    assert any(line.split()[2] == "DROP" and int(line.split()[0]) >= 1 for line in dropped.splitlines()[2:]), dropped
    with ns_socket("userrules", "node1", socket.SOCK_STREAM) as s:  # the node's own output: the nft chain's hook
        s.settimeout(2)
        s.connect(("203.0.113.10", 7))
    counted = run_in("userrules", "node1", "nft", "list", "table", "inet", "lesson").stdout
    assert re.search(r"tcp dport 7 counter packets [1-9]", counted), counted


def tools_without(tmp_path: Path, missing: str) -> str:
    """A PATH holding every tool netlab uses except `missing` (links to the real ones)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("ip", "setsid", "iptables-restore", "iptables", "iptables-save", "nft", "ipset", "ipvsadm",
                 "sysctl", "conntrack"):
        found = shutil.which(tool)
        if found and tool != missing:
            (bin_dir / tool).symlink_to(found)
    return str(bin_dir)


@pytest.mark.parametrize("topology,tool", [("services-nftables", "nft"), ("services-ipvs", "ipset"),
                                           ("docker-bridge", "iptables-restore")])
def test_a_missing_tool_is_reported_before_anything_is_built(tmp_path: Path, topology: str, tool: str) -> None:
    before = netns.list_names()
    try:
        done = netlab("up", str(renamed_file(tmp_path, topology, "notools")),
                      env={"PATH": tools_without(tmp_path, tool)})
        after = netns.list_names()  # before any cleanup: nothing may have been built
    finally:
        down.down("notools")
    assert done.returncode == 3, done.stderr
    assert f"tool {tool}: not found on PATH" in done.stderr and "apt-get install" in done.stderr
    assert after == before


def test_a_missing_kernel_module_is_reported_before_anything_is_built(tmp_path: Path) -> None:
    if not ipvs_missing():
        pytest.skip("this kernel has ip_vs and dummy: nothing is missing")
    before = netns.list_names()
    try:
        done = netlab("up", str(renamed_file(tmp_path, "services-ipvs", "nomodule")))
        after = netns.list_names()  # before any cleanup: nothing may have been built
    finally:
        down.down("nomodule")
    assert done.returncode == 3, done.stderr
    assert "this machine cannot run the lab" in done.stderr and "modprobe" in done.stderr
    assert "kernel ip_vs" in done.stderr or "kernel dummy" in done.stderr
    assert after == before
