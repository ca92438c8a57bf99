"""`netlab fault`: each fault really breaks the path it names (seen by real probes), leaves the rest alone,
and `--clear` puts the lab back exactly as it was."""

from __future__ import annotations

import json

from netlab import naming
from netlab.kernel import netns, processes
from netlab.state import LabState

from .conftest import LabFactory, netlab

LAB = """\
name: faultlab
cluster: {cni: host-gw}
nodes: [{name: node1}, {name: node2}]
pods:
  - {name: web1, node: node1, serve: ["http:80", "udp:53"]}
  - {name: web2, node: node2, serve: ["http:80"]}
  - {name: client1, node: node1}
  - {name: client2, node: node2}
probes:
  - {name: c1-web1, from: client1, to: "web1:80", protocol: http}
  - {name: c1-web2, from: client1, to: "web2:80", protocol: http}
  - {name: c2-web1, from: client2, to: "web1:80", protocol: http}
  - {name: c2-web1-udp, from: client2, to: "web1:53", protocol: udp}
  - {name: c2-web2, from: client2, to: "web2:80", protocol: http}
"""


PROBES = ("c1-web1", "c1-web2", "c2-web1", "c2-web1-udp", "c2-web2")


def reachable() -> dict[str, bool]:
    """Each declared probe: did real traffic get an answer?"""
    done = netlab("probe", "faultlab", "--json")
    result = {r["name"]: r["reachable"] for r in json.loads(done.stdout)}
    assert tuple(result) == PROBES, done.stderr
    return result


def kernel_view(ns: str) -> str:
    """What a fault may change in a namespace: whether each link is set up, routes, rules, neighbours, nftables.
    (Not the carrier or operational state, which follow a moment later: a bridge that was down is NO-CARRIER
    until its ports forward again.)"""
    links = [f"{name} {'UP' in flags.strip('<>').split(',')}" for name, _, _, flags in
             (line.split() for line in netns.run(ns, ["ip", "-br", "link"]).stdout.splitlines())]
    return "\n".join(links) + "\n" + "\n".join(netns.run(ns, argv).stdout for argv in (
        ["ip", "-4", "route", "show", "table", "all"], ["ip", "rule"],
        ["ip", "neigh", "show", "nud", "permanent"], ["nft", "-s", "list", "ruleset"]))  # -s: without counters


def test_each_fault_breaks_its_path_and_clear_restores_the_lab(lab: LabFactory) -> None:
    lab(LAB)
    all_up = reachable()
    assert all_up == dict.fromkeys(PROBES, True)
    before = {n: kernel_view(naming.netns("faultlab", n)) for n in ("client1", "node1", "node2")}
    cases = [
        (("link-down", "client1"), {"c1-web1": False, "c1-web2": False, "c2-web1": True}),
        (("link-down", "node2", "eth0"), {"c1-web2": False, "c2-web2": True, "c1-web1": True}),
        # br_netfilter: even client1 → web1, bridged on node1's cni0, passes node1's prerouting hook
        (("drop", "node1", "web1:80", "tcp"), {"c2-web1": False, "c2-web1-udp": True, "c1-web1": False,
                                               "c2-web2": True}),
        (("blackhole", "node2", "10.244.0.0/24"), {"c2-web1": False, "c2-web2": True}),
        (("kill-pod", "web1"), {"c1-web1": False, "c2-web1-udp": False, "c2-web2": True}),
    ]
    for fault, expected in cases:
        done = netlab("fault", "faultlab", *fault)
        assert done.returncode == 0, done.stderr
        seen = reachable()
        assert {k: seen[k] for k in expected} == expected, (fault, seen)
        listed = json.loads(netlab("fault", "faultlab", "--json").stdout)["faults"]
        assert [f["kind"] for f in listed] == [fault[0]]
        assert netlab("fault", "faultlab", "--clear").returncode == 0
        assert reachable() == all_up, fault
        assert {n: kernel_view(naming.netns("faultlab", n)) for n in before} == before, fault


def test_faults_pile_up_and_clear_together_and_restarted_servers_are_the_labs(lab: LabFactory) -> None:
    lab(LAB)
    for fault in (("kill-pod", "web2"), ("drop", "client2"), ("link-down", "node1", "cni0")):
        assert netlab("fault", "faultlab", *fault).returncode == 0
    assert reachable() == dict.fromkeys(PROBES, False)
    assert "3 fault(s)" in netlab("fault", "faultlab", "--clear").stdout
    assert reachable() == dict.fromkeys(PROBES, True)
    ns = naming.netns("faultlab", "web2")
    alive = [p for p in LabState("faultlab").processes() if p.netns == ns and processes.still_ours(p.pid, p.start_time)]
    assert len(alive) == 1  # the restarted server is journaled, so `down` stops it (the leak check would see it)


def test_bad_faults_are_named(lab: LabFactory) -> None:
    lab(LAB)
    for args, message in [(("link-down", "node1", "eth9"), "'node1' has no interface 'eth9'"),
                          (("kill-pod", "node1"), "'node1' is not a pod"),
                          (("blackhole", "nodeX", "web1"), "has no 'nodeX'"),
                          (("blackhole", "node1", "nowhere"), "'nowhere' is not a name in lab"),
                          (("drop", "node1", "web1:99999"), "'99999' is not a port")]:
        done = netlab("fault", "faultlab", *args)
        assert done.returncode == 2 and message in done.stderr, (args, done.stderr)
    assert json.loads(netlab("fault", "faultlab", "--json").stdout) == {"faults": [], "problems": []}


def test_faults_of_a_lab_that_is_not_up_or_a_damaged_record_are_named(lab: LabFactory) -> None:
    for args in (("--clear",), (), ("drop", "node1")):
        done = netlab("fault", "nosuchlab", *args)
        assert done.returncode == 2 and "lab 'nosuchlab' is not up" in done.stderr, done.stderr
    done = netlab("fault", "..", "--clear")
    assert done.returncode == 2 and "'..' is not a lab name" in done.stderr
    lab(LAB)
    (LabState("faultlab").dir / "faults.json").write_text('{"not": "a list"}')
    done = netlab("fault", "faultlab", "--clear")
    assert done.returncode == 3 and "faults.json is damaged" in done.stderr and "Traceback" not in done.stderr


def test_a_fault_that_cannot_be_applied_is_not_recorded_and_leaves_what_it_found(lab: LabFactory) -> None:
    lab(LAB)
    node1 = naming.netns("faultlab", "node1")
    assert netns.run(node1, ["nft", "create", "table", "inet", "netlab_fault_0"]).returncode == 0  # by hand
    before = kernel_view(node1)
    done = netlab("fault", "faultlab", "drop", "node1", "web1:80", "tcp")
    assert done.returncode == 2 and "File exists" in done.stderr, done.stderr
    assert kernel_view(node1) == before  # the hand-made table is still there; nothing of the fault is
    assert json.loads(netlab("fault", "faultlab", "--json").stdout)["faults"] == []
    done = netlab("fault", "faultlab", "drop", "node1", "web1:80", "icmp")
    assert done.returncode == 2 and "icmp has no ports" in done.stderr
