"""Performs plan steps on the kernel: netlink through pyroute2, rule loads through iptables-restore / nft.

One Kernel object holds one netlink socket per namespace, opened from inside that namespace (a socket
stays in the namespace it was created in), so no step forks a helper. Sockets are kept in a small LRU
cache because pods are visited one after another and 1,000 open sockets would exhaust file descriptors.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import OrderedDict
from collections.abc import Callable
from ipaddress import IPv4Interface
from pathlib import Path
from typing import Any

from pyroute2 import IPRoute
from pyroute2.netlink.exceptions import NetlinkError

from netlab.kernel import netns
from netlab.kernel.processes import process_start_time
from netlab.plan import (
    RULE_LOADERS, Address, Bridge, BridgePort, Dummy, FdbEntry, File, LinkSet, Neighbor, Netns, Note, Process, Route,
    RuleSet, Step, Sysctl, Veth, Vxlan,
)

RTNH_F_ONLINK = 4
NUD_PERMANENT = 0x80
NTF_SELF = 0x02  # the entry belongs to the device itself (the VXLAN driver), not to a bridge's table
RTPROT_BOOT = 3  # what `ip route add` and Go's netlink (flannel) use; `ip route` does not print it
SOCKET_CACHE = 32
READY_TIMEOUT = 10.0


class StepFailed(Exception):
    """A kernel call failed; carries the kernel's own words."""


class StartedProcess:
    def __init__(self, name: str, netns: str, pid: int, start_time: int) -> None:
        self.name, self.netns, self.pid, self.start_time = name, netns, pid, start_time


class Kernel:
    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self._fds: dict[str, int] = {}
        self._sockets: OrderedDict[str, Any] = OrderedDict()
        self._indexes: dict[tuple[str, str], int] = {}
        self.on_process: Callable[[StartedProcess], None] = lambda p: None
        self._starting: list[tuple[Process, int]] = []

    # -- handles ----------------------------------------------------------------------------------------

    def fd(self, name: str) -> int:
        if name not in self._fds:
            self._fds[name] = os.open(netns.path_of(name), os.O_RDONLY | os.O_CLOEXEC)
        return self._fds[name]

    def ipr(self, name: str) -> Any:
        sock = self._sockets.get(name)
        if sock is not None:
            self._sockets.move_to_end(name)
            return sock
        with netns.entered(self.fd(name)):
            sock = IPRoute()
        self._sockets[name] = sock
        if len(self._sockets) > SOCKET_CACHE:
            _, old = self._sockets.popitem(last=False)
            old.close()
        return sock

    def index(self, ns: str, ifname: str) -> int:
        key = (ns, ifname)
        if key not in self._indexes:
            # One RTM_GETLINK by name; pyroute2's link_lookup() dumps every link, quadratic on a busy bridge.
            try:
                self._indexes[key] = self.ipr(ns).link("get", ifname=ifname)[0]["index"]
            except NetlinkError as e:
                raise StepFailed(f"no interface {ifname} in {ns} ({e.args[-1]})") from e
        return self._indexes[key]

    def close(self) -> None:
        for _, read_end in self._starting:
            os.close(read_end)
        self._starting.clear()
        for sock in self._sockets.values():
            sock.close()
        self._sockets.clear()
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()

    # -- steps ------------------------------------------------------------------------------------------

    def apply(self, step: Step) -> None:
        APPLIERS[type(step)](self, step)

    def netns(self, step: Netns) -> None:
        netns.create(step.name)

    def bridge(self, step: Bridge) -> None:
        self.ipr(step.netns).link("add", ifname=step.name, kind="bridge", mtu=step.mtu)

    def dummy(self, step: Dummy) -> None:
        self.ipr(step.netns).link("add", ifname=step.name, kind="dummy")

    def veth(self, step: Veth) -> None:
        peer = {"ifname": step.peer_name, "net_ns_fd": self.fd(step.peer_netns), "mtu": step.mtu}
        self.ipr(step.netns).link("add", ifname=step.name, kind="veth", mtu=step.mtu, peer=peer)

    def vxlan(self, step: Vxlan) -> None:
        spec: dict[str, Any] = {"ifname": step.name, "kind": "vxlan", "vxlan_id": step.vni, "address": step.mac,
                                "vxlan_local": step.local, "vxlan_link": self.index(step.netns, step.dev),
                                "vxlan_learning": int(step.learning), "mtu": step.mtu}
        if step.port:
            spec["vxlan_port"] = step.port
        self.ipr(step.netns).link("add", **spec)

    def bridge_port(self, step: BridgePort) -> None:
        self.ipr(step.netns).brport("set", index=self.index(step.netns, step.name), mode=int(step.hairpin))

    def neighbor(self, step: Neighbor) -> None:
        self.ipr(step.netns).neigh("add", dst=step.ip, lladdr=step.mac, ifindex=self.index(step.netns, step.dev),
                                   state=NUD_PERMANENT)

    def fdb(self, step: FdbEntry) -> None:
        self.ipr(step.netns).fdb("add", ifindex=self.index(step.netns, step.dev), lladdr=step.mac, dst=step.dst,
                                 state=NUD_PERMANENT, flags=NTF_SELF)

    def link_set(self, step: LinkSet) -> None:
        attrs: dict[str, Any] = {"state": "up"} if step.up else {}
        if step.master:
            attrs["master"] = self.index(step.netns, step.master)
        if step.alias:
            attrs["ifalias"] = step.alias
        self.ipr(step.netns).link("set", index=self.index(step.netns, step.name), **attrs)

    def address(self, step: Address) -> None:
        iface = IPv4Interface(step.cidr)
        self.ipr(step.netns).addr("add", index=self.index(step.netns, step.dev), address=str(iface.ip),
                                  prefixlen=iface.network.prefixlen)

    def route(self, step: Route) -> None:
        spec: dict[str, Any] = {"dst": "0.0.0.0/0" if step.dst == "default" else step.dst,
                                "oif": self.index(step.netns, step.dev), "proto": RTPROT_BOOT}
        if step.via:
            spec["gateway"] = step.via
        if step.onlink:
            spec["flags"] = RTNH_F_ONLINK
        self.ipr(step.netns).route("add", **spec)

    def sysctl(self, step: Sysctl) -> None:
        # /proc/sys/net resolves against the calling thread's namespace.
        with netns.entered(self.fd(step.netns)):
            with open("/proc/sys/" + step.key_name.replace(".", "/"), "w") as f:
                f.write(step.value)

    def ruleset(self, step: RuleSet) -> None:
        argv = list(RULE_LOADERS[step.tool])
        with netns.entered(self.fd(step.netns)):  # the child inherits this thread's namespace
            done = subprocess.run(argv, input=step.payload, text=True, capture_output=True, check=False)
        if done.returncode != 0:
            raise StepFailed((done.stderr or done.stdout).strip() or f"{argv[0]} exited {done.returncode}")

    def file(self, step: File) -> None:
        path = self.state_dir / step.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(step.content)

    def process(self, step: Process) -> None:
        """Starts a daemon (setsid -f, so it is nobody's child); `wait_started` collects its 'ready <pid>'.

        Daemons start in parallel: Python's start-up (~0.1 s each) would otherwise add up, one after another.
        """
        log_dir = self.state_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        read_end, write_end = os.pipe()
        argv = ["setsid", "-f", sys.executable, "-m", step.module, *step.args, "--ready-fd", str(write_end)]
        try:
            with open(log_dir / f"{step.name}.log", "ab") as log, netns.entered(self.fd(step.netns)):
                subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, pass_fds=(write_end,),
                               check=True)
        except BaseException:
            os.close(read_end)
            raise
        finally:
            os.close(write_end)
        self._starting.append((step, read_end))

    def wait_started(self) -> None:
        """Waits for every daemon started so far to listen; names the first one that did not."""
        starting, self._starting = self._starting, []
        try:
            for step, read_end in starting:
                word, _, pid_text = read_ready(read_end).partition(" ")
                if word != "ready" or not pid_text.isdigit():
                    log = self.state_dir / "logs" / f"{step.name}.log"
                    tail = log.read_text(errors="replace").strip().splitlines()[-3:]
                    raise StepFailed(f"{step.module} in {step.netns} did not start: "
                                     + (" | ".join(tail) or "no output"))
                pid = int(pid_text)
                self.on_process(StartedProcess(step.name, step.netns, pid, process_start_time(pid) or 0))
        finally:
            for _, read_end in starting:
                os.close(read_end)


def read_ready(fd: int) -> str:
    """Reads the child's one-line 'ready <pid>' (empty if it died first)."""
    import select

    data = b""
    while b"\n" not in data:
        ready, _, _ = select.select([fd], [], [], READY_TIMEOUT)
        if not ready:
            break
        chunk = os.read(fd, 64)
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace").strip()


def _note(kernel: Kernel, step: Note) -> None:
    pass


APPLIERS: dict[type, Callable[[Kernel, Any], None]] = {
    Note: _note,
    Netns: Kernel.netns,
    Bridge: Kernel.bridge,
    Dummy: Kernel.dummy,
    Veth: Kernel.veth,
    Vxlan: Kernel.vxlan,
    BridgePort: Kernel.bridge_port,
    Neighbor: Kernel.neighbor,
    FdbEntry: Kernel.fdb,
    LinkSet: Kernel.link_set,
    Address: Kernel.address,
    Route: Kernel.route,
    Sysctl: Kernel.sysctl,
    RuleSet: Kernel.ruleset,
    File: Kernel.file,
    Process: Kernel.process,
}
