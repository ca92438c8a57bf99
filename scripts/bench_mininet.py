"""Mininet baseline for scripts/bench: N hosts, each with a veth into one Linux bridge, no controller.

Run by bench.py with Debian's python3 (the `mininet` package) inside a network namespace of its own, so that
the switch and its ports, which Mininet puts in the namespace it runs in, never touch the host's. Prints one
JSON line: {"hosts": N, "up": seconds, "down": seconds}.
"""

from __future__ import annotations

import json
import sys
import time

from mininet.link import Link
from mininet.log import setLogLevel
from mininet.net import Mininet
from mininet.nodelib import LinuxBridge
from mininet.topo import SingleSwitchTopo


def main() -> int:
    hosts = int(sys.argv[1])
    setLogLevel("error")
    started = time.perf_counter()
    net = Mininet(topo=SingleSwitchTopo(k=hosts), switch=LinuxBridge, controller=None, link=Link,
                  autoSetMacs=False, waitConnected=False)
    net.start()
    up = time.perf_counter() - started
    started = time.perf_counter()
    net.stop()
    down = time.perf_counter() - started
    print(json.dumps({"hosts": hosts, "up": up, "down": down}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
