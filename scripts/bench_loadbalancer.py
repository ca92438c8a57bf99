"""Benchmark: MetalLB's layer 2 failover, on topologies/loadbalancer-l2.yaml (renamed).

* node failure: the announcing node's uplink goes down (`netlab fault link-down NODE`): the seconds until an
  internet host's first new connection to the address succeeds again — the speakers must miss the node's
  heartbeats (memberlist: a probe, then 4 s of suspicion), the next node in the election must announce and
  send gratuitous ARP, and the router must take its MAC;
* speaker failure: only the announcing node's speaker dies (`netlab fault stop-speaker NODE`): the seconds
  until the router's neighbour entry holds the next node's MAC (meanwhile the old node still forwards: its
  kube-proxy rules did not go);
* the speaker's size: its resident memory (it loads scapy for the ARP frames);
* BGP mode (topologies/loadbalancer-bgp.yaml): a node's bgpd dies (`netlab fault stop-speaker NODE`): the seconds
  until the router's route has lost that node's next hop (the withdrawal), and until `--clear` has it back.

Prints a Markdown table for docs/loadbalancer.md. Run as root: scripts/bench-loadbalancer [--runs 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from netlab import naming  # noqa: E402
from netlab.kernel import netns  # noqa: E402
from netlab.lifecycle import down, faults  # noqa: E402

NAME, BGP_NAME = "bench-lb", "bench-lbb"
VIP, BGP_VIP = "192.168.56.240", "198.51.100.10"
NODES = ["node1", "node2", "node3"]
NETLAB = [sys.executable, "-m", "netlab"]


def netlab(*args: str) -> None:
    subprocess.run([*NETLAB, *args], check=True, capture_output=True, cwd=ROOT)


def elected(nodes: list[str]) -> str:
    return min(nodes, key=lambda n: hashlib.sha256(f"{n}#{VIP}".encode()).digest())


def connects() -> bool:
    """One new TCP connection from the internet host to the address, answered within 0.3 s."""
    with netns.inside(naming.netns(NAME, "client")):
        s = socket.socket()
    with s:
        s.settimeout(0.3)
        try:
            s.connect((VIP, 80))
            s.sendall(b"GET / HTTP/1.0\r\n\r\n")
            return bool(s.recv(64))
        except OSError:
            return False


def router_mac() -> str | None:
    out = netns.run(naming.netns(NAME, naming.INTERNET), ["ip", "-j", "neigh", "show", VIP]).stdout
    return next((e.get("lladdr") for e in json.loads(out or "[]")), None)


def mac_of(node: str) -> str:
    out = netns.run(naming.netns(NAME, node), ["ip", "-j", "link", "show", "eth0"]).stdout
    return str(json.loads(out)[0]["address"])


def until(check: Callable[[], bool], limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"bench: nothing changed in {limit:g} s")
        time.sleep(0.02)


def settled() -> bool:
    """Every speaker sees every other one again: only the elected node announces the address (after --clear
    the others may still count the node back from a fault as dead for a few seconds)."""
    announcing = [json.loads(Path(f"/run/netlab/{NAME}/metallb/{n}.announcing.json").read_text())["announcing"]
                  for n in NODES]
    return [VIP in a for a in announcing] == [n == elected(NODES) for n in NODES]


def node_failure() -> float:
    first = elected(NODES)
    assert connects() and router_mac() == mac_of(first)
    start = time.monotonic()
    faults.inject(NAME, "link-down", first)
    try:
        until(connects)
        return time.monotonic() - start
    finally:
        faults.clear(NAME)
        until(lambda: router_mac() == mac_of(first) and connects() and settled())


def speaker_failure() -> float:
    first = elected(NODES)
    second = elected([n for n in NODES if n != first])
    connects()
    start = time.monotonic()
    faults.inject(NAME, "stop-speaker", first)
    try:
        until(lambda: router_mac() == mac_of(second))
        return time.monotonic() - start
    finally:
        faults.clear(NAME)
        until(lambda: router_mac() == mac_of(first) and settled())


def router_hops() -> set[str]:
    out = netns.run(naming.netns(BGP_NAME, naming.INTERNET), ["ip", "-j", "route", "show", BGP_VIP]).stdout
    hops: set[str] = set()
    for route in json.loads(out or "[]"):
        hops |= {h["gateway"] for h in route.get("nexthops", [])}
        hops |= {route["gateway"]} if "gateway" in route else set()
    return hops


def bgp_withdrawal() -> tuple[float, float]:
    """node3's bgpd killed: the seconds until the router's route lacks node3's next hop; then `--clear` (which
    restarts bgpd and waits for the session and the route): the seconds until node3 is a next hop again."""
    node3 = "192.168.56.13"
    assert node3 in router_hops()
    start = time.monotonic()
    faults.inject(BGP_NAME, "stop-speaker", "node3")
    until(lambda: node3 not in router_hops())
    gone = time.monotonic() - start
    start = time.monotonic()
    faults.clear(BGP_NAME)
    until(lambda: node3 in router_hops())
    return gone, time.monotonic() - start


def lab_file(folder: str, topology: str, name: str) -> Path:
    path = Path(folder) / f"{name}.yaml"
    text = (ROOT / "topologies" / f"{topology}.yaml").read_text()
    path.write_text(text.replace(f"name: {topology}", f"name: {name}"))
    return path


def speaker_rss_mib() -> float:
    pid = int(Path(f"/run/netlab/{NAME}/metallb/node1.pid").read_text())
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        start = time.monotonic()
        netlab("up", str(lab_file(folder, "loadbalancer-l2", NAME)))
        up_l2 = time.monotonic() - start
        try:
            nodes = [node_failure() for _ in range(args.runs)]
            speakers = [speaker_failure() for _ in range(args.runs)]
            rss = speaker_rss_mib()
        finally:
            down.down(NAME)
        start = time.monotonic()
        netlab("up", str(lab_file(folder, "loadbalancer-bgp", BGP_NAME)))
        up_bgp = time.monotonic() - start
        try:
            withdrawals = [bgp_withdrawal() for _ in range(args.runs)]
        finally:
            down.down(BGP_NAME)
    print(f"`up`, 3 nodes: layer 2 {up_l2:.2f} s (3 speakers), BGP {up_bgp:.2f} s (3 nodes' and the router's FRR); "
          f"a layer 2 speaker's resident memory: {rss:.0f} MiB\n")
    print(f"| mode | what fails ({args.runs} runs) | until | median | min | max |")
    print("|---|---|---|---|---|---|")
    for mode, what, until_what, figures in [
        ("layer 2", "the announcing node's uplink", "an internet host's first new connection succeeds", nodes),
        ("layer 2", "the announcing node's speaker", "the router's neighbour entry holds the next node's MAC",
         speakers),
        ("BGP", "a node's bgpd (stop-speaker)", "the router's route has lost its next hop",
         [gone for gone, _ in withdrawals]),
        ("BGP", "— (`fault --clear` restarts it)", "the router's route has its next hop again",
         [back for _, back in withdrawals])]:
        print(f"| {mode} | {what} | {until_what} | {statistics.median(figures):.2f} s | {min(figures):.2f} s "
              f"| {max(figures):.2f} s |")


if __name__ == "__main__":
    main()
