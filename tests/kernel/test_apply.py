"""`netlab apply`: every kind of change, judged by the oracle — after `apply`, the kernel holds what `down` + `up`
of the new lab builds (kernel_state.py) — and by what must not move: a pod that did not change keeps its
namespace and its processes."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from netlab import naming, state
from netlab.compile import compile_plan
from netlab.errors import ApplyError, TopologyError
from netlab.lifecycle import apply as apply_mod
from netlab.lifecycle import down, up
from netlab.plan.diff import Change, Create, Delete, diff
from netlab.topology import load_topology_text

from .conftest import netlab, skip_without_ipvs
from .kernel_state import differences, kernel_state
from .netutil import http_get, leaks_of, ns_socket, udp_query

BASE = """\
name: {name}
cluster: {{cni: flannel-vxlan, proxy: {mode}}}
nodes:
  - name: node1
    rules:
      iptables: |
        *filter
        -A FORWARD -p tcp --dport 9 -j DROP
        COMMIT
  - name: node2
pods:
  - {{name: web1, node: node1, labels: {{app: web}}, serve: ["http:80", "udp:53"]}}
  - {{name: web2, node: node2, labels: {{app: web}}, serve: ["http:80", "udp:53"]}}
  - {{name: db1, node: node1, labels: {{app: db}}, serve: ["tcp:5432"]}}
  - {{name: client1, node: node1}}
  - {{name: client2, node: node2}}
services:
  - name: web
    type: NodePort
    selector: {{app: web}}
    ports:
      - {{name: http, port: 80, nodePort: 30080}}
      - {{name: dns, port: 53, protocol: UDP}}
  - name: db
    selector: {{app: db}}
    ports: [{{port: 5432}}]
internet:
  hosts:
    - {{name: outside, serve: ["http:80"]}}
"""

Edit = Callable[[str], str]


def replace(old: str, new: str) -> Edit:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)
    return edit


POD_LINE = '  - {{name: client2, node: node2}}\n'.replace("{{", "{").replace("}}", "}")
CHANGES: dict[str, Edit] = {
    "pod added": replace("  - {name: client2, node: node2}\n",
                         '  - {name: client2, node: node2}\n  - {name: web3, labels: {app: web}, serve: ["http:80", '
                         '"udp:53"]}\n'),
    "pod removed": replace("  - {name: client2, node: node2}\n", ""),
    "pod removed from the middle": replace('  - {name: web1, node: node1, labels: {app: web}, serve: ["http:80", '
                                           '"udp:53"]}\n', ""),
    "pod moved to another node": replace("{name: db1, node: node1,", "{name: db1, node: node2,"),
    "pod relabelled": replace("{name: db1, node: node1, labels: {app: db}",
                              "{name: db1, node: node1, labels: {app: web}"),
    "pod serves another port": replace('serve: ["tcp:5432"]', 'serve: ["tcp:5432", "tcp:5433"]'),
    "service added": replace("internet:", "  - name: db2\n    selector: {app: db}\n    ports: [{port: 5433, "
                             "targetPort: 5432}]\ninternet:"),
    "service removed": replace("  - name: db\n    selector: {app: db}\n    ports: [{port: 5432}]\n", ""),
    "service port changed": replace("ports: [{port: 5432}]", "ports: [{port: 15432, targetPort: 5432}]"),
    "service selector changed": replace("    selector: {app: db}\n", "    selector: {app: nothing}\n"),
    "service made a NodePort": replace("  - name: db\n    selector", "  - name: db\n    type: NodePort\n    selector"),
    "nodePort changed": replace("nodePort: 30080", "nodePort: 30090"),
    "session affinity": replace("  - name: db\n", "  - name: db\n    sessionAffinity: ClientIP\n"),
    "externalTrafficPolicy Local": replace("    type: NodePort\n", "    type: NodePort\n    externalTrafficPolicy: "
                                           "Local\n"),
    "node added": replace("  - name: node2\n", "  - name: node2\n  - name: node3\n"),
    "node removed": lambda text: text.replace("  - name: node2\n", "").replace("node: node2", "node: node1"),
    "node rules changed": replace("--dport 9 -j DROP", "--dport 19 -j REJECT"),
    "node rules removed": replace("""    rules:
      iptables: |
        *filter
        -A FORWARD -p tcp --dport 9 -j DROP
        COMMIT
""", ""),
    "nft rules added": replace("  - name: node2\n", "  - name: node2\n    rules:\n      nft: |\n"
                               "        table inet lab {\n"
                               "          chain f { type filter hook forward priority 10; tcp dport 7 drop; }\n"
                               "        }\n"),
    "internet host added": replace("    - {name: outside, serve: [\"http:80\"]}\n",
                                   "    - {name: outside, serve: [\"http:80\"]}\n    - {name: mirror}\n"),
    "internet host removed": lambda text: text.replace("internet:\n  hosts:\n    - {name: outside, serve: "
                                                       "[\"http:80\"]}\n", ""),
    # kube-router's chains and ipsets come with the first policy (cluster.networkPolicy defaults to it then).
    "network policy added": lambda text: text + "networkPolicies:\n  - {name: db-from-web, podSelector: "
                                                "{matchLabels: {app: db}}, ingress: [{from: [{podSelector: "
                                                "{matchLabels: {app: web}}}], ports: [{port: 5432}]}]}\n",
}
# What the oracle's fresh `up` numbers differently (a pod removed from the middle: the others keep their
# addresses, where a fresh `up` renumbers them in file order; a pod added: the coredns pods, which come after
# the file's own, keep theirs): compared with the lab's own model instead.
# Changes after which a pod keeps an address a fresh build would give another way (apply leases addresses):
# the coredns pods come after the file's pods, so a pod added or removed shifts them in a fresh build.
LEASED = {"pod removed from the middle", "node removed", "pod moved to another node", "pod added", "pod removed"}


def namespaces_and_pids(lab: str) -> dict[str, tuple[int, tuple[int, ...]]]:
    """Each namespace of the lab: its inode (the very namespace) and the processes in it."""
    found = {}
    for name in down.lab_namespaces(lab):
        inode = os.stat(f"/run/netns/{name}").st_ino
        pids = subprocess.run(["ip", "netns", "pids", name], capture_output=True, text=True).stdout.split()
        found[name] = (inode, tuple(sorted(map(int, pids))))
    return found


def build(text: str) -> None:
    topology = load_topology_text(text)
    up.up(compile_plan(topology), model=topology, source="test", topology_text=text)


def settled(lab: str) -> dict[str, dict[str, object]]:
    time.sleep(0.1)  # the daemons are listening; let their sockets show in /proc
    return kernel_state(lab)


@pytest.fixture(params=["iptables", "nftables", "iptables, iptablesBackend: legacy", "ipvs"],
                ids=["iptables", "nftables", "iptables-legacy", "ipvs"])
def mode(request: pytest.FixtureRequest) -> str:
    """What follows `proxy:` in the cluster's flow mapping. IPVS mode where the kernel has it (the VM tier)."""
    if request.param == "ipvs":
        skip_without_ipvs()
    return str(request.param)


MODES = {"iptables": "iptables", "nftables": "nftables", "iptables-legacy": "iptables, iptablesBackend: legacy",
         "ipvs": "ipvs"}
# The changes each mode is held to. iptables mode takes every one. The nodes' own rules, the internet's hosts and
# the ports a pod serves come out the same whatever kube-proxy's mode, so the others leave them out; and
# iptables-legacy differs from iptables only in the program that loads the same rules: a change of each kind.
SAME_IN_EVERY_MODE = {"node rules changed", "node rules removed", "nft rules added", "internet host added",
                      "internet host removed", "pod serves another port", "network policy added"}
LEGACY = ("pod added", "service removed", "node rules changed", "network policy added")
# IPVS mode runs in the VM tier, where a case takes minutes: one apply there holds both kinds of change IPVS mode
# makes on its own, real servers and ipset members added, and eTP=Local's per-node sets.
IPVS_CASE = "pod added, externalTrafficPolicy Local"
CHANGES[IPVS_CASE] = lambda text: CHANGES["externalTrafficPolicy Local"](CHANGES["pod added"](text))
LEASED.add(IPVS_CASE)
ORACLE_CASES = [(mode, change) for mode in MODES for change in CHANGES
                if (change == IPVS_CASE) == (mode == "ipvs") and
                (mode == "iptables" or (change in LEGACY if mode == "iptables-legacy" else
                                        change not in SAME_IN_EVERY_MODE))]


@pytest.mark.parametrize(("mode_id", "change"), ORACLE_CASES, ids=[f"{m}-{c}" for m, c in ORACLE_CASES])
def test_apply_leaves_the_kernel_as_a_fresh_build_of_the_new_lab(mode_id: str, change: str) -> None:
    if mode_id == "ipvs":
        skip_without_ipvs()
    mode = MODES[mode_id]
    name = f"ap-{mode[:3]}{'-leg' if 'legacy' in mode else ''}"
    before = BASE.format(name=name, mode=mode)
    after = CHANGES[change](before)
    build(before)
    try:
        old_model = state.LabState(name).built_topology()
        untouched = namespaces_and_pids(name)
        apply_mod.apply(after, "test")
        applied = settled(name)
        model = state.LabState(name).built_topology()
        # What did not change stayed as it was: the same namespaces, the same processes in them.
        plan_before, plan_after = compile_plan(old_model), compile_plan(model)
        ops = diff(plan_before, plan_after)
        touched = {getattr(op.step if isinstance(op, (Create, Delete)) else op.new if isinstance(op, Change) else op,
                           "netns", "") for op in ops}
        now = namespaces_and_pids(name)
        for ns, (inode, pids) in untouched.items():
            if ns in now and ns not in touched:
                assert now[ns] == (inode, pids), f"{ns} was touched"
    finally:
        down.down(name)
    if change not in LEASED:
        assert model == load_topology_text(after), "the lab's model is not what a fresh build of the file resolves"
    up.up(plan_after, model=model, source="oracle", topology_text=after)
    try:
        fresh = settled(name)
    finally:
        down.down(name)
    assert differences(applied, fresh) == []


def test_an_unchanged_file_changes_nothing() -> None:
    text = BASE.format(name="ap-same", mode="iptables")
    build(text)
    try:
        before = namespaces_and_pids("ap-same")
        result = apply_mod.apply(text, "test")
        assert result.operations == 0 and result.changes == []
        assert namespaces_and_pids("ap-same") == before
    finally:
        down.down("ap-same")


def test_endpoints_follow_the_pods_and_traffic_goes_where_the_rules_say() -> None:
    text = BASE.format(name="ap-traffic", mode="iptables")
    build(text)
    try:
        grown = CHANGES["pod added"](text)
        apply_mod.apply(grown, "test")
        seen = {http_get("ap-traffic", "client2", "10.96.0.11")["server"] for _ in range(40)}
        assert seen == {"web1", "web2", "web3"}
        apply_mod.apply(CHANGES["pod removed from the middle"](grown), "test")
        seen = {http_get("ap-traffic", "client2", "10.96.0.11")["server"] for _ in range(30)}
        assert seen == {"web2", "web3"}
        assert udp_query("ap-traffic", "client1", "10.96.0.11", 53, timeout=1)["server"] in ("web2", "web3")
    finally:
        down.down("ap-traffic")


@pytest.mark.parametrize("mode", ["iptables", "nftables"])
def test_udp_flows_to_an_endpoint_that_went_are_deleted_as_kube_proxy_does(mode: str) -> None:
    """A client that keeps its UDP source port keeps its conntrack entry, DNATed to one endpoint; when that
    endpoint leaves the Service (its pod relabelled, still answering), kube-proxy deletes the flow, so the next
    datagram is DNATed afresh to an endpoint that is still one. TCP flows are left alone."""
    name = f"ap-udp-{mode[:3]}"
    text = BASE.format(name=name, mode=mode)
    build(text)
    try:
        with ns_socket(name, "client1", socket.SOCK_DGRAM) as s:
            s.settimeout(2)

            def ask() -> str:
                s.sendto(b"hello\n", ("10.96.0.11", 53))
                return str(json.loads(s.recv(4096))["server"])
            first = ask()
            assert {ask() for _ in range(5)} == {first}, "one flow, one endpoint"
            gone = f"{{name: {first}, node: node{first[-1]}, labels: {{app: web}}"
            result = apply_mod.apply(text.replace(gone, gone.replace("app: web", "app: old")), "test")
            assert any("conntrack: deleted" in line for line in result.log), result.log
            assert {ask() for _ in range(5)} == {"web2" if first == "web1" else "web1"}
    finally:
        down.down(name)


def test_the_dry_run_prints_the_change_and_changes_nothing(tmp_path: Path) -> None:
    text = BASE.format(name="ap-dry", mode="iptables")
    build(text)
    try:
        before = kernel_state("ap-dry")
        path = tmp_path / "lab.yaml"
        path.write_text(CHANGES["pod removed"](CHANGES["service removed"](text)))
        done = netlab("apply", str(path), "--dry-run")
        assert done.returncode == 0, done.stderr
        assert "ip netns del netlab.ap-dry.client2" in done.stdout  # deletions are printed too
        assert "iptables-restore --noflush" in done.stdout and ":KUBE-SERVICES - [0:0]" in done.stdout
        assert "-X KUBE-SVC-" in done.stdout and "-X KUBE-SEP-" in done.stdout  # the chains of the db Service
        assert "nothing was changed (dry run)" in done.stderr
        assert kernel_state("ap-dry") == before
    finally:
        down.down("ap-dry")


def test_a_partial_sync_rewrites_only_the_changed_chains_and_the_top_level_ones(tmp_path: Path) -> None:
    """kube-proxy's partial sync: a changed endpoint rewrites its Service's chains and KUBE-SERVICES & co., and
    nothing of the other Services; the hooks in the built-in chains are left alone."""
    text = BASE.format(name="ap-sync", mode="iptables")
    build(text)
    try:
        path = tmp_path / "lab.yaml"
        path.write_text(CHANGES["pod removed"](replace('{name: web2, node: node2, labels: {app: web}',
                                                       '{name: web2, node: node2, labels: {app: other}')(text)))
        script = netlab("apply", str(path), "--dry-run").stdout
        declared = {line.split()[0][1:] for line in script.splitlines() if line.startswith(":")}
        assert {"KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-MARK-MASQ"} <= declared
        db_chain = next(line.split()[-1] for line in subprocess.run(
            ["ip", "netns", "exec", naming.netns("ap-sync", "node1"), "iptables", "-t", "nat", "-S", "KUBE-SERVICES"],
            capture_output=True, text=True).stdout.splitlines() if "default/db cluster IP" in line)
        # The db Service did not change: KUBE-SERVICES names its chain, but the chain is not written again.
        assert f":{db_chain} " not in script and f"-A {db_chain} " not in script
        assert "PREROUTING" not in script and "-I " not in script  # no hook is inserted again
        assert netlab("apply", str(path)).returncode == 0
        nat = subprocess.run(["ip", "netns", "exec", naming.netns("ap-sync", "node1"), "iptables-save", "-t", "nat"],
                             capture_output=True, text=True).stdout
        assert nat.count("-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES") == 1
    finally:
        down.down("ap-sync")


def test_a_file_that_does_not_validate_changes_nothing(tmp_path: Path) -> None:
    text = BASE.format(name="ap-bad", mode="iptables")
    build(text)
    try:
        before = kernel_state("ap-bad")
        path = tmp_path / "bad.yaml"
        path.write_text(text.replace("nodePort: 30080", "nodePort: 80"))
        done = netlab("apply", str(path))
        assert done.returncode == 2 and "nodePort" in done.stderr and "line" in done.stderr
        with pytest.raises(TopologyError):
            apply_mod.apply(text.replace("{name: db1, node: node1", "{name: db1, node: node9"), "test")
        assert kernel_state("ap-bad") == before
    finally:
        down.down("ap-bad")


def test_a_lab_that_is_not_up_is_named(tmp_path: Path) -> None:
    path = tmp_path / "lab.yaml"
    path.write_text(BASE.format(name="ap-nobody", mode="iptables"))
    done = netlab("apply", str(path))
    assert done.returncode == 2 and "lab 'ap-nobody' is not up" in done.stderr and "netlab up" in done.stderr


def test_a_change_the_kernel_refuses_rolls_everything_back(tmp_path: Path) -> None:
    text = BASE.format(name="ap-fail", mode="iptables")
    build(text)
    try:
        before = kernel_state("ap-fail")
        pids_before = namespaces_and_pids("ap-fail")
        # A new pod and Service, and node rules the kernel refuses (a jump to a chain that does not exist).
        broken = CHANGES["pod added"](CHANGES["service added"](text)).replace(
            "-A FORWARD -p tcp --dport 9 -j DROP", "-A FORWARD -p tcp --dport 9 -j NO-SUCH-CHAIN")
        with pytest.raises(ApplyError) as caught:
            apply_mod.apply(broken, "test")
        assert "iptables-restore --noflush" in caught.value.message and "failed" in caught.value.message
        assert caught.value.hint == apply_mod.ROLLED_BACK
        time.sleep(0.1)
        assert differences(kernel_state("ap-fail"), before) == []
        after = namespaces_and_pids("ap-fail")
        assert {ns: v for ns, v in after.items() if ns in pids_before} == pids_before
        assert not (state.LabState("ap-fail").dir / "next.plan.json").exists()
        assert apply_mod.apply(text, "test").operations == 0  # the lab and its record agree
    finally:
        down.down("ap-fail")


# -- crashes ---------------------------------------------------------------------------------------------

DRIVER = """
import os, signal, sys
from netlab import cli
from netlab.kernel import changes
sig, at, calls = getattr(signal, sys.argv[1]), int(sys.argv[2]), 0
run = changes.run
def counted(kernel, op):
    global calls
    calls += 1
    if calls == at:
        os.kill(os.getpid(), sig)
    return run(kernel, op)
changes.run = counted
sys.exit(cli.main(["apply", sys.argv[3]]))
"""


def interrupted_apply(path: Path, sig: str, at: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", DRIVER, sig, str(at), str(path)], capture_output=True, text=True,
                          timeout=60)


@pytest.fixture
def crash_lab(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    text = BASE.format(name="ap-crash", mode="iptables")
    build(text)
    path = tmp_path / "new.yaml"
    path.write_text(CHANGES["pod moved to another node"](CHANGES["pod added"](CHANGES["service added"](text))))
    try:
        yield text, path
    finally:
        down.down("ap-crash")


@pytest.mark.parametrize("at", [1, 3, 8, 14, 20])
def test_sigkill_during_apply_is_recovered_by_the_next_apply(crash_lab: tuple[str, Path], at: int) -> None:
    text, path = crash_lab
    before = kernel_state("ap-crash")
    assert interrupted_apply(path, "SIGKILL", at).returncode == -signal.SIGKILL
    # The lab is as it was until an apply or a down comes: its record still says the old plan.
    assert state.LabState("ap-crash").built_topology() == load_topology_text(text)
    # The next apply first puts back the lab as it was, then makes the change whole.
    result = apply_mod.apply(path.read_text(), "test")
    assert result.operations > 0
    applied = settled("ap-crash")
    assert applied != before
    model = state.LabState("ap-crash").built_topology()
    down.down("ap-crash")
    up.up(compile_plan(model), model=model, source="oracle", topology_text="")
    assert differences(applied, settled("ap-crash")) == []


@pytest.mark.parametrize("at", [2, 9, 17])
def test_sigkill_during_apply_then_down_leaves_nothing(crash_lab: tuple[str, Path], at: int) -> None:
    _, path = crash_lab
    assert interrupted_apply(path, "SIGKILL", at).returncode == -signal.SIGKILL
    down.down("ap-crash")
    assert down.lab_namespaces("ap-crash") == [] and not state.LabState("ap-crash").exists()
    assert leaks_of("ap-crash") == []


@pytest.mark.parametrize("at", [1, 6, 15])
def test_ctrl_c_during_apply_rolls_back(crash_lab: tuple[str, Path], at: int) -> None:
    _, path = crash_lab
    before = kernel_state("ap-crash")
    done = interrupted_apply(path, "SIGINT", at)
    assert done.returncode == 4, done.stderr
    assert "interrupted" in done.stderr and "as it was before this apply" in done.stderr
    time.sleep(0.1)
    assert differences(kernel_state("ap-crash"), before) == []
