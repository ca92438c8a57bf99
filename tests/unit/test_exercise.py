"""The exercise section: what an exercise may run, and the problems a broken one is refused with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netlab.compile import compile_plan
from netlab.errors import TopologyError
from netlab.exercise import shows
from netlab.plan import Exec
from netlab.render.shell import render_script
from netlab.topology import load_topology, load_topology_text
from netlab.topology.model import Command, Edit

ROOT = Path(__file__).parents[2]
EXERCISES = sorted((ROOT / "topologies" / "exercises").glob("*.yaml"))
BASE = """\
name: ex
cluster: {cni: host-gw}
nodes: [{name: node1}, {name: node2}]
pods: [{name: a, node: node1, serve: ["http:80"]}, {name: b, node: node2}]
probes: [{name: b to a, from: b, to: "a:80", protocol: http}]
"""


def exercise(body: str) -> str:
    return BASE + "exercise:\n" + "".join(f"  {line}\n" for line in body.strip().splitlines())


GOOD = """\
title: t
task: do it
break: [{in: node2, run: "ip route del 10.244.0.0/24"}]
checks:
  - {name: route, in: node2, run: "ip route", contains: "10.244.0.0/24 via"}
  - {probe: b to a}
solution: [{in: node2, run: "ip route add 10.244.0.0/24 via 192.168.56.11"}]
"""


def problems(text: str) -> list[str]:
    with pytest.raises(TopologyError) as e:
        load_topology_text(text)
    return [f"{p.path}: {p.message}" for p in e.value.problems]


def test_shipped_exercises_load_and_each_has_checks_a_task_and_a_solution() -> None:
    assert len(EXERCISES) >= 5
    for path in EXERCISES:
        t = load_topology(path)
        ex = t.exercise
        assert ex and ex.task and ex.hints and ex.solution, path.name
        # A check of the kernel's state too — but an Ingress routes HTTP requests, which only requests can grade
        # (probes with a Host and a path): no network tool shows which location nginx picks.
        assert any(c.probe for c in ex.checks), path.name
        assert any(c.command or c.bgp for c in ex.checks) or t.ingresses, path.name


def test_break_commands_end_the_plan_and_render_as_ip_netns_exec() -> None:
    plan = compile_plan(load_topology_text(exercise(GOOD)))
    assert plan.steps[-1] == Exec("netlab.ex.node2", ("ip", "route", "del", "10.244.0.0/24"))
    assert render_script(plan).rstrip().endswith("ip netns exec netlab.ex.node2 ip route del 10.244.0.0/24")
    ex = load_topology_text(exercise(GOOD)).exercise
    assert ex is not None and ex.solution == (Command("node2", ("ip", "route", "add", "10.244.0.0/24", "via",
                                                                  "192.168.56.11")),)


def test_an_edit_solution_is_read() -> None:
    text = exercise(GOOD.replace('solution: [{in: node2, run: "ip route add 10.244.0.0/24 via 192.168.56.11"}]',
                                 'solution: [{edit: {replace: "a: 1", with: "a: 2"}}]'))
    ex = load_topology_text(text).exercise
    assert ex is not None and ex.solution == (Edit("a: 1", "a: 2"),)


ESCAPES = [
    "bash -c 'rm -rf /'", "ip netns exec other ip link", "ip -n other link", "ip -net ../../proc/1/ns/net link",
    "ip --netns x link", "ip link set eth0 netns 1", "ip vrf exec default sh", "ip -force -batch topology.yaml",
    "ip -b cmds", "ip monitor", "bridge -n other fdb", "sysctl -w kernel.panic=1", "sysctl --load=x.conf",
    "sysctl -pFILE", "sysctl --system", "iptables-save -f rules", "iptables --modprobe=evil -L",
    "iptables-restore", "ipset -f saved save", "nft -f rules.nft", "nft include rules.nft", "nft 'include \"x\"'",
    "tc qdisc add dev eth0 root netem delay 1s", "ss -K", "iptables -A INPUT -m comment --comment a/b -j DROP",
    "ip route 'unclosed",
]


@pytest.mark.parametrize("command", ESCAPES)
def test_commands_that_could_leave_the_lab_are_refused(command: str) -> None:
    found = problems(exercise(GOOD.replace('run: "ip route del 10.244.0.0/24"', f"run: {json.dumps(command)}")))
    assert len(found) == 1 and found[0].startswith("exercise.break[0].run:"), found


@pytest.mark.parametrize("command", [
    "ip route add 10.244.0.0/24 via 192.168.56.11 dev eth0 onlink", "ip -4 -br -j addr", "ip -s -s link show eth0",
    "ip neigh replace 10.244.1.0 lladdr 02:00:00:00:00:01 dev flannel.1 nud permanent", "bridge fdb show",
    "iptables -t nat -I POSTROUTING 1 -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE", "iptables-save -t nat",
    "nft list ruleset", "sysctl -w net.ipv4.ip_forward=0", "conntrack -L", "ipvsadm -Ln", "ipset list",
    "iptables -A FORWARD ! -s 10.0.0.0/8 -j DROP"])
def test_what_lessons_need_is_allowed(command: str) -> None:
    load_topology_text(exercise(GOOD.replace('run: "ip route del 10.244.0.0/24"', f"run: {json.dumps(command)}")))


def test_a_command_on_an_unknown_namespace_is_refused() -> None:
    assert problems(exercise(GOOD.replace("in: node2, run: \"ip route del", "in: node9, run: \"ip route del"))) == [
        "exercise.break[0].in: unknown namespace 'node9'"]


def test_checks_must_name_a_declared_probe_and_say_what_to_look_for() -> None:
    found = problems(exercise(GOOD.replace("{probe: b to a}", "{probe: nope}").replace(
        ', contains: "10.244.0.0/24 via"', "")))
    assert "exercise.checks[0]: a command check needs 'contains' or 'absent'" in found
    assert "exercise.checks[1].probe: the lab declares no probe named 'nope'" in found


def test_an_exercise_needs_a_task_checks_and_a_solution() -> None:
    found = problems(exercise("title: t\nhints: [h]"))
    assert {"exercise: an exercise needs 'task'", "exercise: an exercise needs 'checks'",
            "exercise: an exercise needs a 'solution'"} <= set(found)


def test_a_probe_size_is_for_icmp_only() -> None:
    text = BASE.replace('protocol: http}]', 'protocol: http, size: 1500}]')
    assert problems(text) == ["probes[0].size: only an icmp probe has a size"]
    icmp = load_topology_text(BASE.replace('to: "a:80", protocol: http}]', "to: a, size: 1500}]"))
    assert icmp.probes[0].size == 1500


@pytest.mark.parametrize(("output", "text", "found"), [
    ("-j DNAT --to-destination 192.168.1.3:8080", "--to-destination 192.168.1.3:80", False),
    ("-j DNAT --to-destination 192.168.1.3:80", "--to-destination 192.168.1.3:80", True),
    ('--comment "default/web:http has no endpoints" -j REJECT', "default/web:http has no endpoints", True),
    ("eth0: <UP> mtu 14500 qdisc", "mtu 1450", False),
    ("eth0: <UP> mtu 1450 qdisc", "mtu 1450", True),
    ("-A DOCKER-USER -j DROPPED", "-j DROP", False),
    ("-A X -j DROP\n", "-j DROP", True),
    ("10.244.0.0/24 via 192.168.56.11 dev eth0", "192.168.56.1", False),
])
def test_checked_text_is_found_as_whole_words_only(output: str, text: str, found: bool) -> None:
    assert shows(output, text) is found


def test_a_check_may_be_a_guard() -> None:
    t = load_topology_text(exercise(GOOD.replace("{probe: b to a}", "{probe: b to a, guard: true}")))
    assert t.exercise is not None and [c.guard for c in t.exercise.checks] == [False, True]


def test_a_bgp_restart_and_a_bgp_check_are_for_the_nodes_that_run_bird() -> None:
    text = exercise(GOOD.replace('break: [{in: node2, run: "ip route del 10.244.0.0/24"}]',
                                 "break: [{restartBgp: node1}]")
                    .replace("  - {probe: b to a}", "  - {bgp: {in: node2, peer: node1}}"))
    assert problems(text) == ["exercise.break[0].restartBgp: 'node1' is not a node running BIRD",
                              "exercise.checks[1].bgp.in: 'node2' is not a node running BIRD",
                              "exercise.checks[1].bgp.peer: 'node1' is not a node running BIRD"]
    calico = load_topology_text(text.replace("cni: host-gw", "cni: calico, calico: {encapsulation: None}"))
    assert calico.exercise is not None and calico.exercise.checks[1].bgp == ("node2", "node1")
    restart = [s for s in compile_plan(calico).steps if isinstance(s, Exec)]
    assert [s.argv[3:] for s in restart] == [("restart", '"*_*"')]
    assert "birdc -s \"$NETLAB_STATE/calico/node1/bird.ctl\" restart" in render_script(compile_plan(calico))
