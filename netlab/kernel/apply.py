"""Performs plan steps on the kernel: batched rtnetlink for links, addresses, routes and neighbours; one
`iptables-restore` / `nft -f` per table; sysctls through /proc; daemons started in parallel.

One Kernel holds one netlink socket per namespace, opened from inside it (a socket stays in the namespace it
was created in), so no step forks a helper. Consecutive netlink steps on one namespace go to the kernel in
one write (a pod's four, a node's side of its veth and bridge port); any other step, or a step on another
namespace, sends what is queued first, so the kernel sees the plan's order. Sockets are kept in a small LRU
cache: 1,000 open sockets would exhaust file descriptors.

Interface indexes are chosen here, the next free one in each namespace, as the kernel itself would choose
them, so that a pod's address and route can be queued right behind the veth they need without asking the
kernel for the new link's index first.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netlab.kernel import inspect, messages, netns
from netlab.kernel import processes
from netlab.kernel.processes import process_start_time
from netlab.kernel.rtnl import RequestFailed, RtnlSocket
from netlab.plan import (
    PYTHON, RULE_LOADERS, STATE, Address, ArpAnswer, BgpSessions, Bridge, BridgePort, Daemon, Dummy, Exec, FdbEntry,
    File, IpipTunnel, LinkSet, Neighbor, Netns, NetnsFile, Note, Records, Route, RuleSet, Step, Sysctl, Veth, Vxlan,
)

SOCKET_CACHE = 32
READY_TIMEOUT = 10.0
# BGP: BIRD connects 2 s after it starts (Calico's `connect delay time 2`), retries every 5 s and waits up to
# 30 s after an error, scans the kernel every 2 s. When many peers connect to one BIRD at once, some find its
# listen queue full and back off: the bound grows with the number of sessions.
CONVERGE_TIMEOUT = 60.0
CONVERGE_PER_SESSION = 3.0
MAX_STARTING = 256  # daemons started before waiting for them: each holds a pipe until it says it is ready
PIPE_BUFFER = 60_000  # bytes a pipe takes without a reader (64 KiB on Linux)
COMMAND_TIMEOUT = 120  # seconds for one rule load or exercise command; kube-proxy-sized rule sets load in a few


class StepFailed(Exception):
    """A kernel call failed; carries the kernel's own words and, when known, the step it failed on."""

    def __init__(self, message: str, step: object = None) -> None:
        super().__init__(message)
        self.step = step  # the plan step, or the change of `apply`, it failed on


class StartedProcess:
    def __init__(self, name: str, netns: str, pid: int, start_time: int) -> None:
        self.name, self.netns, self.pid, self.start_time = name, netns, pid, start_time


class Starting:
    """A daemon started and not yet known to be ready."""

    def __init__(self, step: Daemon, process: subprocess.Popen[bytes], ready_fd: int | None) -> None:
        self.step, self.process, self.ready_fd = step, process, ready_fd


# Why a rule loader can be that slow, and what loads the same rules in seconds (docs/services.md).
_NFT_BACKEND = ("; iptables' nft backend loads a rule set of thousands of chains very slowly (kube-proxy's iptables "
                "mode with thousands of Services) — `cluster: {iptablesBackend: legacy}` or `proxy: nftables` loads "
                "it in seconds (docs/services.md, two iptables backends)")
SLOW_LOADERS = {"iptables-nft-restore": _NFT_BACKEND, "iptables-restore": _NFT_BACKEND}


MAX_LOADING = 2 * (os.cpu_count() or 1)  # rule loads at once


@dataclass
class Loading:
    """A rule loader (or other tool) started in a namespace, not yet waited for."""

    ns: str
    process: subprocess.Popen[str]
    argv: list[str]
    payload: str | None  # what is left to write to its stdin
    blame: object


class Kernel:
    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self._fds: dict[str, int] = {}
        self._sockets: OrderedDict[str, RtnlSocket] = OrderedDict()
        self._tables: dict[str, list[inspect.KernelRoute]] = {}  # main tables read while waiting for learnt routes
        self._queued_on: RtnlSocket | None = None  # the one socket with requests not yet sent
        self._indexes: dict[tuple[str, str], int] = {}
        self._next_index: dict[str, int] = {}
        self.namespaces: netns.Creator | None = None  # set by `up`: creates the plan's namespaces ahead
        # Told of each daemon the moment it exists (its pid), before it is ready: a crash right after still
        # leaves it on record for `down`. Told of each file outside the state directory before it is written.
        self.on_process: Callable[[StartedProcess], None] = lambda p: None
        self.on_file: Callable[[str], None] = lambda path: None
        self._starting: list[Starting] = []
        # For `apply`: the daemons running now, by name (from the journal), so that a change can stop them; and
        # the errnos a rollback lets pass (deleting what a crash kept from being made).
        self.running: dict[str, StartedProcess] = {}
        self.tolerate: frozenset[int] = frozenset()
        self._namespaces_of: dict[int, int] | None = None
        # Rule loads started and not yet waited for: each node loads its own rules while netlab goes on with
        # the next node (a lab of 250 nodes has 750 of them). A namespace's next rule load, or any other step
        # there that is not a netlink request, waits for the ones before it; wait_loads() for all of them.
        self._loading: list[Loading] = []

    def processes_in(self, ns: str) -> set[int]:
        """The processes in a namespace (a student's shell, say): /proc is read once per Kernel — the daemons it
        starts itself it knows already."""
        inode = netns.inode(ns)
        if inode is None:
            return set()
        if self._namespaces_of is None:
            self._namespaces_of = processes.network_namespaces()
        # Looked at again now: a pid of the first reading may have ended, and its number been given to another.
        return {pid for pid, ino in self._namespaces_of.items() if ino == inode and processes.in_namespace(pid, inode)}

    # -- handles ----------------------------------------------------------------------------------------

    def fd(self, name: str) -> int:
        if name not in self._fds:
            self._fds[name] = os.open(netns.path_of(name), os.O_RDONLY | os.O_CLOEXEC)
        return self._fds[name]

    def _socket(self, name: str) -> RtnlSocket:
        sock = self._sockets.get(name)
        if sock is not None:
            self._sockets.move_to_end(name)
            return sock
        sock = RtnlSocket(self.fd(name))
        self._sockets[name] = sock
        if len(self._sockets) > SOCKET_CACHE:
            _, old = self._sockets.popitem(last=False)
            if old is self._queued_on:
                self.flush()
            old.close()
        return sock

    def send(self, ns: str, request: messages.Request, step: object) -> None:
        """Queues one request on the namespace's socket, after sending what another namespace had queued."""
        sock = self._socket(ns)
        if self._queued_on is not sock:
            self.flush()
        sock.queue(*request, tag=step)
        self._queued_on = sock

    def flush(self) -> None:
        sock, self._queued_on = self._queued_on, None
        if sock is None:
            return
        try:
            sock.flush(self.tolerate)
        except RequestFailed as e:
            raise StepFailed(str(e.args[1]), e.tag) from e

    def forget(self, ns: str, ifname: str | None = None) -> None:
        """A link (or a whole namespace, with ifname None) is gone: drop what is cached about it."""
        if ifname is not None:
            self._indexes.pop((ns, ifname), None)
            return
        self.flush()
        self._indexes = {k: v for k, v in self._indexes.items() if k[0] != ns}
        self._next_index.pop(ns, None)
        sock = self._sockets.pop(ns, None)
        if sock is not None:
            sock.close()
        fd = self._fds.pop(ns, None)
        if fd is not None:
            os.close(fd)


    def new_index(self, ns: str, ifname: str) -> int:
        """The index a new link in `ns` gets: the next after the highest there (what the kernel picks)."""
        if ns not in self._next_index:
            self.flush()  # the dump must see every link asked for so far
            present = self._socket(ns).links()
            self._indexes.update({(ns, name): index for name, index in present.items()})
            self._next_index[ns] = max(present.values(), default=0) + 1
        index = self._next_index[ns]
        self._next_index[ns] = index + 1
        self._indexes[(ns, ifname)] = index
        return index

    def delete_links(self, ns: str) -> None:
        """Deletes every link of a namespace (but lo), at once: one that went with another (a VXLAN device with
        the link under it, a veth's peer) is no error, nor is a tunnel module's fallback device (tunl0), which
        only goes with its namespace."""
        self.flush()
        sock = self._socket(ns)
        for name, index in sock.links().items():
            if name != "lo":
                sock.queue(*messages.link_delete(index), tag=name)
        try:
            sock.flush(self.tolerate | {errno.ENODEV, errno.EOPNOTSUPP})
        except RequestFailed as e:
            raise StepFailed(str(e.args[1]), e.tag) from e

    def index(self, ns: str, ifname: str) -> int:
        key = (ns, ifname)
        if key not in self._indexes:
            self.flush()
            found = self._socket(ns).link_index(ifname)
            if found is None:
                raise StepFailed(f"no interface {ifname} in {ns}")
            self._indexes[key] = found
        return self._indexes[key]

    def close(self) -> None:
        if self.namespaces is not None:
            self.namespaces.stop()
        for run in self._loading:  # a build that failed elsewhere: what is still loading goes with the lab
            run.process.kill()
            run.process.communicate()
        self._loading.clear()
        for starting in self._starting:
            if starting.ready_fd is not None:
                os.close(starting.ready_fd)
        self._starting.clear()
        self._queued_on = None
        for sock in self._sockets.values():
            sock.close()
        self._sockets.clear()
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()

    # -- steps ------------------------------------------------------------------------------------------

    def apply(self, step: Step) -> None:
        if not (isinstance(step, Route) and step.learned_from):
            self._tables.clear()  # what a namespace's table held is known only until the next change
        applier = NETLINK_STEPS.get(type(step))
        if applier is None:
            self.flush()
            if isinstance(ns := getattr(step, "netns", getattr(step, "name", None)), str):
                self.wait_loads(ns)
            applier = OTHER_STEPS[type(step)]
        applier(self, step)

    def netns(self, step: Netns) -> None:
        if self.namespaces is not None:
            self.namespaces.wait_for(step.name)
        else:
            netns.create(step.name)

    def bridge(self, step: Bridge) -> None:
        self.send(step.netns, messages.bridge(step, self.new_index(step.netns, step.name)), step)

    def dummy(self, step: Dummy) -> None:
        self.send(step.netns, messages.dummy(step, self.new_index(step.netns, step.name)), step)

    def ipip_tunnel(self, step: IpipTunnel) -> None:
        try:
            index = self.index(step.netns, step.name)
        except StepFailed as e:
            raise StepFailed(f"there is no {step.name}: the ipip module gives every namespace one once it is "
                             "loaded (modprobe ipip)", step) from e
        self.send(step.netns, messages.link_mtu(index, step.mtu), step)

    def veth(self, step: Veth) -> None:
        index = self.new_index(step.netns, step.name)
        peer_index = self.new_index(step.peer_netns, step.peer_name)
        self.send(step.netns, messages.veth(step, index, peer_index, self.fd(step.peer_netns)), step)

    def vxlan(self, step: Vxlan) -> None:
        link = self.index(step.netns, step.dev)
        self.send(step.netns, messages.vxlan(step, self.new_index(step.netns, step.name), link), step)

    def bridge_port(self, step: BridgePort) -> None:
        self.send(step.netns, messages.bridge_port(step, self.index(step.netns, step.name)), step)

    def neighbor(self, step: Neighbor) -> None:
        self.send(step.netns, messages.neighbor(step, self.index(step.netns, step.dev)), step)

    def fdb(self, step: FdbEntry) -> None:
        self.send(step.netns, messages.fdb(step, self.index(step.netns, step.dev)), step)

    def link_set(self, step: LinkSet) -> None:
        master = self.index(step.netns, step.master) if step.master else None
        self.send(step.netns, messages.link_set(step, self.index(step.netns, step.name), master), step)

    def address(self, step: Address) -> None:
        self.send(step.netns, messages.address(step, self.index(step.netns, step.dev)), step)

    def route(self, step: Route) -> None:
        if step.learned_from:
            self.wait_for_route(step)
        else:
            self.send(step.netns, messages.route(step, self.route_oif(step)), step)

    def wait_for_route(self, step: Route) -> None:
        """A route a daemon installs (BIRD, from BGP): waits until it is in the main table, as the plan says it.
        A node's learnt routes come one after another in a plan: one read of its table answers for all of them
        that are there, and only a missing one reads it again."""
        self.flush()
        self.wait_started()
        deadline = time.monotonic() + CONVERGE_TIMEOUT
        table = self._tables.get(step.netns)
        while table is None or not has_route(table, step):
            if table is not None:
                if time.monotonic() > deadline:
                    raise StepFailed(f"{step.learned_from} did not install it in {CONVERGE_TIMEOUT:g} s", step)
                time.sleep(0.1)
            table = self._tables[step.netns] = inspect.main_routes(step.netns)

    def arp_answer(self, step: ArpAnswer) -> None:
        """Waits until the daemon announces the address (a speaker elects as it starts: this is quick)."""
        self.flush()
        self.wait_started()
        deadline = time.monotonic() + CONVERGE_TIMEOUT
        while not step.answered(self.state_dir):
            if time.monotonic() > deadline:
                raise StepFailed(f"{step.daemon} does not announce {step.ip} after {CONVERGE_TIMEOUT:g} s", step)
            time.sleep(0.05)

    def bgp_sessions(self, step: BgpSessions) -> None:
        """Waits until every BGP session of a daemon is Established; names those that are not, with BIRD's words."""
        from netlab.features import bgp_speakers
        self.flush()
        self.wait_started()
        bound = max(CONVERGE_TIMEOUT, CONVERGE_PER_SESSION * len(step.sessions))
        deadline = time.monotonic() + bound
        while True:
            waiting = bgp_speakers.sessions_down(step, self.state_dir)
            if waiting == []:
                return
            if time.monotonic() > deadline:
                said = "; ".join(waiting) if waiting else f"{step.daemon} does not answer on its control socket"
                raise StepFailed(f"BGP sessions not Established in {bound:g} s: {said}", step)
            time.sleep(0.2)

    def route_oif(self, step: Route) -> int | None:
        """The index of the device a route leaves through; a blackhole route has none."""
        return None if step.blackhole else self.index(step.netns, step.dev)

    def sysctl(self, step: Sysctl) -> None:
        # /proc/sys/net resolves against the calling thread's namespace.
        with netns.entered(self.fd(step.netns)):
            with open("/proc/sys/" + step.key_name.replace(".", "/"), "w") as f:
                f.write(step.value)

    def ruleset(self, step: RuleSet) -> None:
        if len(self._loading) >= MAX_LOADING:
            self._finish(self._loading.pop(0))
        self._loading.append(self._start(step.netns, list(RULE_LOADERS[step.tool]), step.payload, step))

    def wait_loads(self, ns: str | None = None) -> None:
        """Waits for the rule loads started in `ns` (all of them: None); raises for the first that failed."""
        waiting = [run for run in self._loading if ns is None or run.ns == ns]
        self._loading = [run for run in self._loading if run not in waiting]
        failed: StepFailed | None = None
        for run in waiting:
            try:
                self._finish(run)
            except StepFailed as e:
                failed = failed or e
        if failed is not None:
            raise failed

    def exec(self, step: Exec) -> None:
        self.command(step.netns, self.resolved(step.argv))

    def command(self, ns: str, argv: list[str], payload: str | None = None) -> None:
        """Runs a tool in `ns` (the child inherits this thread's namespace), with the payload or nothing on stdin."""
        self.commands([(ns, argv, payload, None)])

    def commands(self, runs: Iterable[tuple[str, list[str], str | None, object]]) -> None:
        """Runs tools in their namespaces side by side, as each node's own agent would (kube-proxy syncs every node
        at once): (namespace, argv, stdin payload, what to blame), each started as soon as `runs` yields it.
        Raises for the first that failed."""
        started = []
        for ns, argv, payload, blame in runs:
            self.wait_loads(ns)
            started.append(self._start(ns, argv, payload, blame))
        failed: StepFailed | None = None
        for run in started:
            try:
                self._finish(run)
            except StepFailed as e:
                failed = failed or e
        if failed is not None:
            raise failed

    def _start(self, ns: str, argv: list[str], payload: str | None, blame: object) -> Loading:
        with netns.entered(self.fd(ns)):
            process = subprocess.Popen(argv, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       stdin=subprocess.PIPE if payload is not None else subprocess.DEVNULL)
        if payload is not None and len(payload) < PIPE_BUFFER and process.stdin is not None:
            process.stdin.write(payload)  # fits in the pipe: it starts at once, beside the others
            process.stdin.flush()  # (communicate closes it)
            payload = None
        return Loading(ns, process, argv, payload, blame)

    @staticmethod
    def _finish(run: Loading) -> None:
        try:
            out, err = run.process.communicate(run.payload, timeout=COMMAND_TIMEOUT) if run.payload is not None \
                else run.process.communicate(timeout=COMMAND_TIMEOUT)
        except subprocess.TimeoutExpired:
            run.process.kill()
            run.process.communicate()
            raise StepFailed(f"{run.argv[0]} did not finish in {COMMAND_TIMEOUT} s" + SLOW_LOADERS.get(run.argv[0], ""),
                             run.blame) from None
        if run.process.returncode != 0:
            raise StepFailed((err or out).strip() or f"{run.argv[0]} exited {run.process.returncode}", run.blame)

    def file(self, step: File) -> None:
        path = self.state_dir / step.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(step.content)

    def netns_file(self, step: NetnsFile) -> None:
        """/etc/netns/NETNS/PATH, which `ip netns exec` shows the namespace as /etc/PATH."""
        self.on_file(step.full_path)
        path = Path(step.full_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(step.content)

    def records(self, step: Records, old: str | None = "") -> None:
        """Loads what a DNS server answers with into it, once it is ready, through its control channel: from
        nothing (""), from `old` (only what changed), or whatever it holds (None)."""
        from netlab.features.dns import unbound
        self.wait_started()
        conf = step.config.replace(STATE, str(self.state_dir))
        self._wait_for_control(step.netns, unbound.control(conf, "status"), step)
        runs = unbound.reload(conf, step.payload) if old is None else unbound.changes(conf, old, step.payload)
        for argv, stdin in runs:
            self.command(step.netns, argv, stdin)

    def _wait_for_control(self, ns: str, argv: list[str], step: Step) -> None:
        """A daemon listens for queries a moment before its control channel answers (unbound opens port 53
        first): asks until it does, or names the last answer."""
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            try:
                self.command(ns, argv)
                return
            except StepFailed as e:
                if time.monotonic() > deadline:
                    raise StepFailed(f"its control channel did not answer in {READY_TIMEOUT:g} s: {e}", step) from e
                time.sleep(0.05)

    def daemon(self, step: Daemon) -> None:
        """Starts a daemon in its namespace, in the foreground of a session of its own (no shell, no fork by a
        helper), and records its pid at once; `wait_started` then waits for it to be ready.

        Daemons start in parallel: Python's start-up (~0.1 s each) would otherwise add up, one after another.
        """
        self.write_daemon_files(step)
        log_dir = self.state_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        argv = self.resolved(step.argv)
        read_end = write_end = None
        if step.ready == "fd":
            read_end, write_end = os.pipe()
            argv += ["--ready-fd", str(write_end)]
        try:
            with open(log_dir / f"{step.name}.log", "ab") as log, netns.entered(self.fd(step.netns)):
                process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                           pass_fds=() if write_end is None else (write_end,), start_new_session=True)
        except BaseException:
            if read_end is not None:
                os.close(read_end)
            raise
        finally:
            if write_end is not None:
                os.close(write_end)
        self._starting.append(Starting(step, process, read_end))
        started = StartedProcess(step.name, step.netns, process.pid, process_start_time(process.pid) or 0)
        self.running[step.name] = started
        self.on_process(started)
        if len(self._starting) >= MAX_STARTING:
            self.wait_started()

    def reload_daemon(self, step: Daemon) -> None:
        """Its files rewritten, then its reload command (`birdc configure`): it keeps running, and what did
        not change in its configuration keeps working."""
        self.write_daemon_files(step)
        self.command(step.netns, self.resolved(step.reload))
        if step.ready == "listen":  # a port it listens on now (it opened it on reload): wait for it as at start
            deadline = time.monotonic() + READY_TIMEOUT
            while not self.listens(step):
                if time.monotonic() > deadline:
                    raise StepFailed(f"not listening on {', '.join(step.ports)} {READY_TIMEOUT:g} s after its reload",
                                     step)
                time.sleep(0.01)

    def listens(self, step: Daemon) -> bool:
        """Whether every port the daemon serves is listening (or bound, for UDP) in its namespace."""
        return step.listens() <= listening(self.fd(step.netns))

    def resolved(self, argv: tuple[str, ...]) -> list[str]:
        """A plan's argv for this machine: its placeholders for the Python that runs netlab and the lab's state."""
        return [a.replace(PYTHON, sys.executable).replace(STATE, str(self.state_dir)) for a in argv]

    def write_daemon_files(self, step: Daemon) -> None:
        for path, content in step.files:
            target = self.state_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content.replace(STATE, str(self.state_dir)))
            if step.user:
                shutil.chown(target.parent, step.user, step.user)

    def wait_started(self) -> None:
        """Waits for every rule load and daemon started so far to be done and ready; names the first that is not."""
        self.wait_loads()
        starting, self._starting = self._starting, []
        deadline = time.monotonic() + READY_TIMEOUT
        try:
            for s in starting:
                if not self._ready(s, deadline):
                    log = self.state_dir / "logs" / f"{s.step.name}.log"
                    tail = log.read_text(errors="replace").strip().splitlines()[-3:] if log.exists() else []
                    why = "exited" if s.process.poll() is not None else f"was not ready in {READY_TIMEOUT:g} s"
                    raise StepFailed(f"daemon {s.step.name} in {s.step.netns} {why}: "
                                     + (" | ".join(tail) or "no output"), s.step)
        finally:
            for s in starting:
                if s.ready_fd is not None:
                    os.close(s.ready_fd)

    def _ready(self, s: Starting, deadline: float) -> bool:
        if s.ready_fd is not None:  # netlab's workloads say "ready PID" on the pipe, or close it dying
            word, _, pid_text = read_ready(s.ready_fd, deadline).partition(" ")
            return word == "ready" and pid_text == str(s.process.pid)
        while time.monotonic() < deadline:
            if s.process.poll() is not None:
                return False
            if s.step.ready == "listen" and self.listens(s.step):
                return True
            if s.step.ready.startswith("path:") and (self.state_dir / s.step.ready[5:]).exists():
                return True
            time.sleep(0.01)
        return False


def has_route(table: list[inspect.KernelRoute], step: Route) -> bool:
    """Whether a namespace's main table holds the route (destination, protocol, kind, next hops, device)."""
    wanted = (step.dst, step.protocol, step.blackhole)
    for route in table:
        if (route.dst, route.protocol, route.blackhole) != wanted:
            continue
        if step.nexthops:  # ECMP: the set of gateways; `via` is only the one the model follows
            if route.nexthops == tuple(sorted(step.nexthops)):
                return True
        elif not route.nexthops and route.via == step.via and route.dev == (step.dev or None):
            return True
    return False


def listening(ns_fd: int) -> set[tuple[str, int]]:
    """(tcp|udp, port) of every socket listening (or bound, for UDP) in the namespace: its /proc/net tables."""
    found: set[tuple[str, int]] = set()
    with netns.entered(ns_fd):
        for proto in ("tcp", "udp"):
            try:
                with open(f"/proc/thread-self/net/{proto}") as table:
                    lines = table.read().splitlines()[1:]
            except OSError:
                continue
            for line in lines:
                fields = line.split()
                # st 0A is LISTEN for TCP; 07 is a UDP socket that is bound (unconnected).
                if len(fields) > 3 and fields[3] == ("0A" if proto == "tcp" else "07"):
                    found.add((proto, int(fields[1].rpartition(":")[2], 16)))
    return found


def read_ready(fd: int, deadline: float) -> str:
    """Reads the child's one-line 'ready <pid>' (empty if it died first)."""
    import select

    data = b""
    poller = select.poll()  # not select(): a lab of a thousand daemons has file descriptors past 1024
    poller.register(fd, select.POLLIN)
    while b"\n" not in data:
        if not poller.poll(max(0.0, deadline - time.monotonic()) * 1000):
            break
        chunk = os.read(fd, 64)
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace").strip()


def _note(kernel: Kernel, step: Note) -> None:
    pass


# Steps that become one rtnetlink request each, batched per namespace; the others send the batch first.
NETLINK_STEPS: dict[type, Callable[[Kernel, Any], None]] = {
    Bridge: Kernel.bridge,
    Dummy: Kernel.dummy,
    IpipTunnel: Kernel.ipip_tunnel,
    Veth: Kernel.veth,
    Vxlan: Kernel.vxlan,
    BridgePort: Kernel.bridge_port,
    Neighbor: Kernel.neighbor,
    FdbEntry: Kernel.fdb,
    LinkSet: Kernel.link_set,
    Address: Kernel.address,
    Route: Kernel.route,
}
OTHER_STEPS: dict[type, Callable[[Kernel, Any], None]] = {
    Note: _note,
    Netns: Kernel.netns,
    Sysctl: Kernel.sysctl,
    RuleSet: Kernel.ruleset,
    File: Kernel.file,
    NetnsFile: Kernel.netns_file,
    Daemon: Kernel.daemon,
    Records: Kernel.records,
    BgpSessions: Kernel.bgp_sessions,
    ArpAnswer: Kernel.arp_answer,
    Exec: Kernel.exec,
}
