"""Raw-netlink baseline for scripts/bench: builds a lab from `netlab plan --format json` the plainest way,
one pyroute2 IPRoute call per step, one thread, each socket opened with the thread switched into the
namespace (no fork per object). It is what netlab's own `up` did before it batched requests, without the
journal, the checks or the rollback: the yardstick "a minimal raw-netlink script doing the same work".

Link steps only (netns, bridge, veth, link set, address, route, sysctl, rules); a plan with processes,
VXLAN or IPVS is refused. Usage (root): python3 bench_rawnetlink.py PLAN.json   (tear down: netlab down LAB)
"""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
from ipaddress import IPv4Interface
from typing import Any

from pyroute2 import IPRoute

CLONE_NEWNET, MS_BIND = 0x40000000, 0x1000
libc = ctypes.CDLL(None, use_errno=True)
sockets: dict[str, Any] = {}
fds: dict[str, int] = {}
indexes: dict[tuple[str, str], int] = {}


def fd(ns: str) -> int:
    if ns not in fds:
        fds[ns] = os.open(f"/run/netns/{ns}", os.O_RDONLY)
    return fds[ns]


def inside(ns: str, work: Any) -> Any:
    home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    try:
        libc.setns(fd(ns), CLONE_NEWNET)
        return work()
    finally:
        libc.setns(home, CLONE_NEWNET)
        os.close(home)


def ipr(ns: str) -> Any:
    if ns not in sockets:
        sockets[ns] = inside(ns, IPRoute)
    return sockets[ns]


def index(ns: str, name: str) -> int:
    if (ns, name) not in indexes:
        indexes[ns, name] = int(ipr(ns).link("get", ifname=name)[0]["index"])
    return indexes[ns, name]


def create_netns(name: str) -> None:
    os.makedirs("/run/netns", exist_ok=True)
    path = f"/run/netns/{name}"
    os.close(os.open(path, os.O_CREAT | os.O_EXCL, 0))
    home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    try:
        libc.unshare(CLONE_NEWNET)
        if libc.mount(b"/proc/thread-self/ns/net", path.encode(), b"none", MS_BIND, None) != 0:
            raise OSError(ctypes.get_errno(), f"mount {path}")
    finally:
        libc.setns(home, CLONE_NEWNET)
        os.close(home)


def apply(step: dict[str, Any]) -> None:
    kind, ns = step["kind"], step.get("netns", "")
    if kind == "note" or kind == "file":
        return
    if kind == "netns":
        create_netns(step["name"])
    elif kind == "bridge":
        ipr(ns).link("add", ifname=step["name"], kind="bridge", mtu=step["mtu"])
    elif kind == "veth":
        ipr(ns).link("add", ifname=step["name"], kind="veth", mtu=step["mtu"],
                     peer={"ifname": step["peer_name"], "net_ns_fd": fd(step["peer_netns"]), "mtu": step["mtu"]})
    elif kind == "link-set":
        attrs: dict[str, Any] = {"state": "up"} if step["up"] else {}
        if step["master"]:
            attrs["master"] = index(ns, step["master"])
        if step["alias"]:
            attrs["ifalias"] = step["alias"]
        ipr(ns).link("set", index=index(ns, step["name"]), **attrs)
    elif kind == "address":
        iface = IPv4Interface(step["cidr"])
        ipr(ns).addr("add", index=index(ns, step["dev"]), address=str(iface.ip), prefixlen=iface.network.prefixlen)
    elif kind == "route":
        spec = {"dst": "0.0.0.0/0" if step["dst"] == "default" else step["dst"], "oif": index(ns, step["dev"]),
                "proto": 3}
        if step["via"]:
            spec["gateway"] = step["via"]
        ipr(ns).route("add", **spec)
    elif kind == "sysctl":
        def write() -> None:
            with open("/proc/sys/" + step["key_name"].replace(".", "/"), "w") as f:
                f.write(step["value"])
        inside(ns, write)
    elif kind == "ruleset":
        loader = {"iptables": ["iptables-restore", "--noflush"], "nft": ["nft", "-f", "-"]}[step["tool"]]
        inside(ns, lambda: subprocess.run(loader, input=step["payload"], text=True, check=True))
    else:
        sys.exit(f"bench_rawnetlink: no {kind} steps here (a plan with one-node pods only)")


def main() -> int:
    with open(sys.argv[1]) as f:
        plan = json.load(f)
    for step in plan["steps"]:
        apply(step)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
