"""What each object of a pod costs the kernel: the floor under `netlab up`.

Builds N pods on one bridge, one thread, with netlab's own request builders (kernel/messages.py) on raw
netlink sockets (kernel/rtnl.py), one request per write, and times each system call by kind: creating the
namespace (unshare + bind mount), the veth pair, enslaving it, and the pod's own four requests. Python's
share is the difference between the total and the sum. Prints a Markdown table. Run as root:
    .venv/bin/python scripts/bench_kernel_costs.py [--pods 500]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from netlab.kernel import messages, netns  # noqa: E402
from netlab.kernel.rtnl import RtnlSocket  # noqa: E402
from netlab.plan import Address, Bridge, LinkSet, Route, Veth  # noqa: E402

PREFIX = "netlab-bench-costs"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pods", type=int, default=500)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench_kernel_costs: needs root")
    spent: dict[str, float] = defaultdict(float)
    names = [f"{PREFIX}.node"] + [f"{PREFIX}.p{i}" for i in range(args.pods)]
    fds: list[int] = []

    def timed(kind: str, sock: RtnlSocket, request: messages.Request) -> None:
        sock.queue(*request, tag=kind)
        start = time.perf_counter()
        sock.flush()
        spent[kind] += time.perf_counter() - start

    started = time.perf_counter()
    try:
        netns.create(names[0])
        fds.append(os.open(netns.path_of(names[0]), os.O_RDONLY))
        node = RtnlSocket(fds[0])
        timed("bridge", node, messages.bridge(Bridge(names[0], "br0", 1500), 2))
        timed("bridge", node, messages.link_set(LinkSet(names[0], "br0", None), 2, None))
        for i, name in enumerate(names[1:]):
            start = time.perf_counter()
            netns.create(name)
            spent["namespace (unshare + mount)"] += time.perf_counter() - start
            fd = os.open(netns.path_of(name), os.O_RDONLY)
            fds.append(fd)
            veth = Veth(names[0], f"veth{i}", name, "eth0", 1500)
            timed("veth pair, peer in the pod", node, messages.veth(veth, 3 + i, 2, fd))
            timed("enslave to the bridge + up", node,
                  messages.link_set(LinkSet(names[0], f"veth{i}", None, "br0"), 3 + i, 2))
            pod = RtnlSocket(fd)
            timed("pod: lo up", pod, messages.link_set(LinkSet(name, "lo", None), 1, None))
            timed("pod: address", pod, messages.address(Address(name, "eth0", f"10.{i // 250}.{i % 250}.2/8"), 2))
            timed("pod: eth0 up", pod, messages.link_set(LinkSet(name, "eth0", None), 2, None))
            timed("pod: default route", pod, messages.route(Route(name, "default", "eth0", "10.0.0.1"), 2))
            pod.close()
        total = time.perf_counter() - started
    finally:
        for fd in fds:
            os.close(fd)
        for name in names:
            netns.delete(name)
    print(f"{args.pods} pods on one bridge, one thread, one request per write; kernel {os.uname().release}\n")
    print("| object | total s | µs per pod |\n|---|---:|---:|")
    for kind, seconds in spent.items():
        print(f"| {kind} | {seconds:.3f} | {1e6 * seconds / args.pods:.0f} |")
    kernel = sum(spent.values())
    print(f"| **all system calls** | {kernel:.3f} | {1e6 * kernel / args.pods:.0f} |")
    print(f"| Python (encoding, bookkeeping) | {total - kernel:.3f} | {1e6 * (total - kernel) / args.pods:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
