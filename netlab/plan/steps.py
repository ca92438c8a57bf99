"""The Plan's primitives: small frozen records, one per kernel object, setting, file or daemon.

Each primitive mirrors one `ip` / `sysctl` / `iptables-restore` / `nft` command, so `render/shell.py` prints
it as that command and `kernel/apply.py` performs it as the equivalent netlink call: the script a student
reads is exactly what `netlab up` builds. Namespace fields hold full netns names.

A primitive has an identity, its `key`: two plans hold "the same" object when the keys match, and the object
changed when the records differ. `requires` names the keys it cannot exist without (its namespace, the link
it sits on); `in_kernel` says whether the kernel removes it by itself when one of those goes (a route dies
with its link), or whether netlab must (a daemon outlives its namespace, a file its link). That is all
`plan/diff.py` needs to turn two plans into the steps between them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

RTPROT_KERNEL = 2  # the kernel's own: a connected route
RTPROT_BOOT = 3  # what `ip route add` and Go's netlink (flannel, Calico's CNI plugin) use; `ip route` hides it
RTPROT_BIRD = 12  # iproute2's rt_protos name for it: `proto bird`
RTPROT_BGP = 186  # FRR's zebra, for a route bgpd chose: `proto bgp`


def protocol_name(number: int) -> str | None:
    """As `ip route` prints a route's protocol: nothing for boot, a name from rt_protos, else the number."""
    return {RTPROT_KERNEL: "kernel", RTPROT_BOOT: None, RTPROT_BIRD: "bird", RTPROT_BGP: "bgp"}.get(number, str(number))
VXLAN_DEFAULT_PORT = 8472  # what Linux uses when a vxlan link has no dstport: flannel's port too

# Placeholders a daemon's argv and files may hold, filled in where the lab runs: the Python that runs netlab
# (for its own workloads) and the lab's state directory. The rendered script uses $NETLAB_PYTHON and
# $NETLAB_STATE for them, so a plan stays the same on every machine.
PYTHON = "{python}"
STATE = "{state}"


def netns_key(name: str) -> str:
    return f"netns {name}"


def link_key(netns: str, name: str) -> str:
    return f"link {netns} {name}"


def link_set_key(netns: str, name: str) -> str:
    return f"link-set {netns} {name}"


@dataclass(frozen=True)
class Note:
    """A heading in the rendered script (`# ...`); applies nothing. It keeps `netlab plan` readable."""

    kind: ClassVar[str] = "note"
    in_kernel: ClassVar[bool] = False
    text: str

    @property
    def key(self) -> str:
        return f"note {self.text}"

    @property
    def requires(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True)
class Netns:
    """`ip netns add NAME` — a named network namespace (a pod, node, host, switch or router)."""

    kind: ClassVar[str] = "netns"
    in_kernel: ClassVar[bool] = True
    name: str
    role: str  # node | pod | host | underlay | internet: what the namespace plays in the lab
    host: str = ""  # a pod's node: a pod never moves, so one that changes node is a new pod (a new namespace)

    @property
    def key(self) -> str:
        return netns_key(self.name)

    @property
    def requires(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True)
class Bridge:
    """`ip link add NAME address MAC type bridge` — a Linux bridge (docker0, cni0, a switch).

    Its MAC is set, as the CNI bridge plugin and dockerd set it: a bridge left to itself takes the lowest MAC of
    its ports, so a pod added later could change the gateway's MAC under the other pods' ARP caches."""

    kind: ClassVar[str] = "bridge"
    in_kernel: ClassVar[bool] = True
    netns: str
    name: str
    mtu: int
    mac: str | None = None

    @property
    def key(self) -> str:
        return link_key(self.netns, self.name)

    @property
    def requires(self) -> tuple[str, ...]:
        return (netns_key(self.netns),)


@dataclass(frozen=True)
class IpipTunnel:
    """`ip link set tunl0 mtu MTU`: the IPIP device felix uses is the one the ipip module gives every namespace
    (its fallback tunnel, which no `ip link del` removes); felix only finds it and sets it up."""

    kind: ClassVar[str] = "ipip"
    in_kernel: ClassVar[bool] = True
    netns: str
    name: str  # tunl0
    mtu: int

    @property
    def key(self) -> str:
        return link_key(self.netns, self.name)

    @property
    def requires(self) -> tuple[str, ...]:
        return (netns_key(self.netns),)


@dataclass(frozen=True)
class Dummy:
    """`ip link add NAME type dummy` — an interface that only holds addresses (IPVS mode's kube-ipvs0)."""

    kind: ClassVar[str] = "dummy"
    in_kernel: ClassVar[bool] = True
    netns: str
    name: str

    @property
    def key(self) -> str:
        return link_key(self.netns, self.name)

    @property
    def requires(self) -> tuple[str, ...]:
        return (netns_key(self.netns),)


@dataclass(frozen=True)
class Veth:
    """`ip link add NAME [address MAC] type veth peer name PEER netns PEER_NETNS` — both ends created at once."""

    kind: ClassVar[str] = "veth"
    in_kernel: ClassVar[bool] = True
    netns: str
    name: str
    peer_netns: str
    peer_name: str
    mtu: int
    mac: str | None = None  # NAME's MAC (Calico's host side is ee:ee:ee:ee:ee:ee); else the kernel picks one

    @property
    def key(self) -> str:
        return link_key(self.netns, self.name)

    @property
    def peer_key(self) -> str:
        """The other end is a link of its own, made and removed with this one."""
        return link_key(self.peer_netns, self.peer_name)

    @property
    def requires(self) -> tuple[str, ...]:
        return (netns_key(self.netns), netns_key(self.peer_netns))


@dataclass(frozen=True)
class Vxlan:
    """`ip link add NAME address MAC mtu M type vxlan id VNI local IP dev DEV nolearning` (a VTEP).

    No `dstport` means the kernel's default, 8472 — exactly what flannel asks for (it sends no port)."""

    kind: ClassVar[str] = "vxlan"
    in_kernel: ClassVar[bool] = True
    netns: str
    name: str
    vni: int
    local: str
    dev: str
    mtu: int
    mac: str
    port: int | None = None
    learning: bool = False

    @property
    def key(self) -> str:
        return link_key(self.netns, self.name)

    @property
    def requires(self) -> tuple[str, ...]:
        return (netns_key(self.netns), link_key(self.netns, self.dev))  # the kernel deletes it with its dev


@dataclass(frozen=True)
class LinkSet:
    """`ip link set dev NAME [master M] alias A [up]` — enslave, mark as the lab's, and bring up (or not)."""

    kind: ClassVar[str] = "link-set"
    in_kernel: ClassVar[bool] = True
    netns: str
    name: str
    alias: str | None
    master: str | None = None
    up: bool = True

    @property
    def key(self) -> str:
        return link_set_key(self.netns, self.name)

    @property
    def requires(self) -> tuple[str, ...]:
        own = (netns_key(self.netns),) if self.name == "lo" else (link_key(self.netns, self.name),)
        return own + ((link_key(self.netns, self.master),) if self.master else ())


@dataclass(frozen=True)
class BridgePort:
    """`bridge link set dev NAME hairpin on`: a frame may leave by the port it came in (pod → own Service)."""

    kind: ClassVar[str] = "bridge-port"
    in_kernel: ClassVar[bool] = True
    netns: str
    name: str
    hairpin: bool

    @property
    def key(self) -> str:
        return f"bridge-port {self.netns} {self.name}"

    @property
    def requires(self) -> tuple[str, ...]:
        # A port's settings are the bridge's: enslaved again, it starts from the defaults.
        return (link_key(self.netns, self.name), link_set_key(self.netns, self.name))


@dataclass(frozen=True)
class Neighbor:
    """`ip neigh add IP lladdr MAC dev DEV nud permanent` (flannel: the remote VTEP's address)."""

    kind: ClassVar[str] = "neighbor"
    in_kernel: ClassVar[bool] = True
    netns: str
    dev: str
    ip: str
    mac: str

    @property
    def key(self) -> str:
        return f"neighbor {self.netns} {self.dev} {self.ip}"

    @property
    def requires(self) -> tuple[str, ...]:
        return (link_key(self.netns, self.dev),)


@dataclass(frozen=True)
class FdbEntry:
    """`bridge fdb add MAC dev DEV dst IP self permanent` (flannel: where to send frames for a VTEP MAC)."""

    kind: ClassVar[str] = "fdb"
    in_kernel: ClassVar[bool] = True
    netns: str
    dev: str
    mac: str
    dst: str

    @property
    def key(self) -> str:
        return f"fdb {self.netns} {self.dev} {self.mac}"

    @property
    def requires(self) -> tuple[str, ...]:
        return (link_key(self.netns, self.dev),)


@dataclass(frozen=True)
class Address:
    """`ip addr add CIDR dev DEV`."""

    kind: ClassVar[str] = "address"
    in_kernel: ClassVar[bool] = True
    netns: str
    dev: str
    cidr: str

    @property
    def key(self) -> str:
        return f"address {self.netns} {self.dev} {self.cidr}"

    @property
    def requires(self) -> tuple[str, ...]:
        return (link_key(self.netns, self.dev),)


def nexthops_text(hops: Iterable[tuple[str, str, int]]) -> str:
    """An ECMP route's next hops, (gateway, device, weight) each, as `ip route` prints them on one line."""
    return " ".join(f"nexthop via {via} dev {dev} weight {weight}" for via, dev, weight in hops)


@dataclass(frozen=True)
class Route:
    """`ip route add DST [via GW] dev DEV [onlink] [proto P] [metric M]`, or `ip route add blackhole DST [proto P]`
    (DEV is then ""); DST is a CIDR or `default`."""

    kind: ClassVar[str] = "route"
    in_kernel: ClassVar[bool] = True
    netns: str
    dst: str
    dev: str
    via: str | None = None
    onlink: bool = False
    protocol: int = RTPROT_BOOT  # who installed it: `ip route` and Go's netlink say boot; felix says 80
    metric: int = 0  # its priority among routes to DST (felix gives a pod's /32 1024)
    blackhole: bool = False  # dropped here: a node's own IPAM block, so that no packet for it leaves the node
    # The daemon that installs it (BIRD, from what BGP taught it): netlab does not add it, it waits for it.
    learned_from: str = ""
    # Equal-cost next hops (ECMP), all on `dev`, for a route a daemon installs (`via` is then the first): the
    # kernel hashes each flow's addresses to one of them.
    nexthops: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"route {self.netns} {self.dst}"

    @property
    def requires(self) -> tuple[str, ...]:
        if self.learned_from:
            return (f"bgp-sessions {self.learned_from}",)
        if self.blackhole:
            return (netns_key(self.netns),)
        # A link that goes down loses its routes; so does one that loses its last address (plan/diff.py).
        return (link_key(self.netns, self.dev), link_set_key(self.netns, self.dev))


@dataclass(frozen=True)
class Sysctl:
    """`sysctl -w KEY=VALUE` inside the namespace (net.* sysctls are per namespace)."""

    kind: ClassVar[str] = "sysctl"
    in_kernel: ClassVar[bool] = True
    netns: str
    key_name: str  # dotted, e.g. net.ipv4.ip_forward
    value: str

    @property
    def key(self) -> str:
        return f"sysctl {self.netns} {self.key_name}"

    @property
    def requires(self) -> tuple[str, ...]:
        parts = self.key_name.split(".")  # net.ipv4.conf.<dev>.proxy_arp belongs to a link
        if len(parts) > 4 and parts[2] in ("conf", "neigh") and parts[3] not in ("all", "default"):
            return (link_key(self.netns, parts[3]),)
        return (netns_key(self.netns),)


# The command with which each RuleSet tool loads one payload from standard input, atomically.
RULE_LOADERS = {
    "iptables": ("iptables-restore", "--noflush"),  # the host's own iptables, whichever its backend
    "iptables-nft": ("iptables-nft-restore", "--noflush"),
    "iptables-legacy": ("iptables-legacy-restore", "-w", "--noflush"),  # -w: the xtables lock is machine-wide
    "nft": ("nft", "-f", "-"),
    "ipset": ("ipset", "restore", "-exist"),
    "ipvsadm": ("ipvsadm", "--restore"),
}
IPTABLES_TOOLS = ("iptables", "iptables-nft", "iptables-legacy")


@dataclass(frozen=True)
class RuleSet:
    """One atomic load of one table: `iptables-restore --noflush`, `nft -f`, `ipset restore` or `ipvsadm -R`.

    `rewrite` names chains a re-sync always writes out in full even when they did not change, as kube-proxy
    does with its top-level chains (KUBE-SERVICES, KUBE-NODEPORTS…)."""

    kind: ClassVar[str] = "ruleset"
    in_kernel: ClassVar[bool] = True
    netns: str
    tool: str  # iptables[-nft|-legacy] | nft | ipset | ipvsadm
    table: str
    payload: str
    origin: str = "netlab"  # netlab | user: who wrote the rules (user rules come from the topology)
    rewrite: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"ruleset {self.netns} {self.tool} {self.table} {self.origin}"

    @property
    def requires(self) -> tuple[str, ...]:
        return (netns_key(self.netns),)

    @property
    def is_iptables(self) -> bool:
        return self.tool in IPTABLES_TOOLS


@dataclass(frozen=True)
class File:
    """A file in the lab's state directory (e.g. a node's subnet.env), for students to read."""

    kind: ClassVar[str] = "file"
    in_kernel: ClassVar[bool] = False
    path: str  # relative to the lab's state directory
    content: str

    @property
    def key(self) -> str:
        return f"file {self.path}"

    @property
    def requires(self) -> tuple[str, ...]:
        return ()


NETNS_ETC = "/etc/netns"  # `ip netns exec NETNS` bind-mounts /etc/netns/NETNS/FILE over /etc/FILE


@dataclass(frozen=True)
class NetnsFile:
    """A file that `ip netns exec` shows a namespace in place of the host's (/etc/netns/NETNS/resolv.conf is
    the namespace's /etc/resolv.conf). It lives outside the state directory but belongs to the lab: `down`
    removes it, and `doctor --leaks` finds one left behind."""

    kind: ClassVar[str] = "netns-file"
    in_kernel: ClassVar[bool] = False
    netns: str
    path: str  # relative to /etc, e.g. resolv.conf
    content: str

    @property
    def key(self) -> str:
        return f"netns-file {self.netns} {self.path}"

    @property
    def requires(self) -> tuple[str, ...]:
        return (netns_key(self.netns),)

    @property
    def full_path(self) -> str:
        return f"{NETNS_ETC}/{self.netns}/{self.path}"


@dataclass(frozen=True)
class Records:
    """The zones and records a DNS server of the lab answers with, loaded into it while it runs through its
    control channel: a change reaches it without a restart (features/dns/unbound.py)."""

    kind: ClassVar[str] = "records"
    in_kernel: ClassVar[bool] = False
    netns: str
    server: str  # the Daemon's name
    config: str  # the server's configuration, which its control tool reads (under the state directory)
    payload: str  # `zone NAME TYPE` and `data RR` lines

    @property
    def key(self) -> str:
        return f"records {self.server}"

    @property
    def requires(self) -> tuple[str, ...]:
        return (netns_key(self.netns), f"daemon {self.server}")


@dataclass(frozen=True)
class BgpSessions:
    """Waits (bounded) until the BGP daemon `daemon` has every one of `sessions` Established, asking it through
    its control socket; names the ones that are not. The routes it learns are Routes with `learned_from`.
    `speaker` says how to ask: bird (birdc, sessions are protocol names) or frr (vtysh, neighbour addresses)."""

    kind: ClassVar[str] = "bgp-sessions"
    in_kernel: ClassVar[bool] = False
    netns: str
    daemon: str
    socket: str  # its control socket (FRR: the folder of its vty sockets), under the state directory
    sessions: tuple[str, ...]  # BIRD's protocol names (Mesh_10_0_0_12), FRR's neighbour addresses
    speaker: str = "bird"

    @property
    def key(self) -> str:
        return f"bgp-sessions {self.daemon}"

    @property
    def requires(self) -> tuple[str, ...]:
        return (f"daemon {self.daemon}",)


@dataclass(frozen=True)
class ArpAnswer:
    """A daemon answers ARP for `ip` on `dev` though no interface holds it: MetalLB's speaker, for a load balancer
    address its node won. netlab does not set it up, it waits (bounded) until the daemon says, in the JSON file
    `announced` under the state directory ({"pid": …, "announcing": {ip: …}}), that it announces the address
    (and the daemon that wrote it is still alive: a killed one never takes its word back)."""

    kind: ClassVar[str] = "arp-answer"
    in_kernel: ClassVar[bool] = False
    netns: str
    dev: str
    ip: str
    daemon: str
    announced: str

    @property
    def key(self) -> str:
        return f"arp-answer {self.netns} {self.ip}"

    @property
    def requires(self) -> tuple[str, ...]:
        return (f"daemon {self.daemon}",)

    def answered(self, state_dir: Path) -> bool:
        try:
            said = json.loads((state_dir / self.announced).read_text())
            return self.ip in said.get("announcing", {}) and Path(f"/proc/{int(said['pid'])}").exists()
        except (OSError, ValueError, KeyError, TypeError):
            return False


@dataclass(frozen=True)
class Daemon:
    """A long-running program in a namespace: argv (no shell, ever), the files it reads (written under the
    lab's state directory first), the ports it listens on, and how to tell it is ready:
      fd      netlab's own workloads: `--ready-fd N` is added, and the program writes "ready PID" there;
      listen  every port in `ports` is listening in the namespace;
      path:P  the file or socket P (under the state directory) exists, e.g. a daemon's control socket.
    It runs in the foreground (netlab keeps its PID), logs to logs/NAME.log, and is stopped by `down`. When only
    its files change, `reload` (if it has one) makes it read them again in place, as `birdc configure` does:
    what did not change keeps running (a BGP session stays up)."""

    kind: ClassVar[str] = "daemon"
    in_kernel: ClassVar[bool] = False
    netns: str
    name: str  # unique in the lab; also the log file's name
    argv: tuple[str, ...]
    ports: tuple[str, ...] = ()  # "tcp/80", "udp/53": what it listens on
    ready: str = "fd"
    files: tuple[tuple[str, str], ...] = ()  # (path under the state directory, content)
    reload: tuple[str, ...] = ()  # argv, run in its namespace, that makes it read its files again
    user: str = ""  # who owns the folder of its files: a daemon that drops root (FRR's) writes its sockets there

    def reloads(self, old: Daemon) -> bool:
        """Whether a change from `old` is a reload: the same program, only its files changed (and with them the
        ports it listens on, which a daemon opens and closes itself when it reads its files again)."""
        return bool(self.reload) and (old.netns, old.argv, old.ready, old.reload) == \
            (self.netns, self.argv, self.ready, self.reload)

    @property
    def key(self) -> str:
        return f"daemon {self.name}"

    @property
    def requires(self) -> tuple[str, ...]:
        return (netns_key(self.netns),)

    def listens(self) -> set[tuple[str, int]]:
        """(tcp|udp, port) for each port it serves."""
        found = set()
        for spec in self.ports:
            proto, _, port = spec.partition("/")
            found.add((proto, int(port)))
        return found


@dataclass(frozen=True)
class Exec:
    """`ip netns exec NETNS ARGV…` — a command an exercise runs once the lab is built, to break it. It cannot be
    undone: it changes the kernel in ways no record says."""

    kind: ClassVar[str] = "exec"
    in_kernel: ClassVar[bool] = False
    netns: str
    argv: tuple[str, ...]
    number: int = 0  # its place among the exercise's commands: the same command may break a lab twice

    @property
    def key(self) -> str:
        return f"exec {self.number} {self.netns} {' '.join(self.argv)}"

    @property
    def requires(self) -> tuple[str, ...]:
        return (netns_key(self.netns),)


Step = (Note | Netns | Bridge | Dummy | IpipTunnel | Veth | Vxlan | LinkSet | BridgePort | Address | Route | Neighbor
        | FdbEntry | Sysctl | RuleSet | File | NetnsFile | Daemon | Records | BgpSessions | ArpAnswer | Exec)
LINK_TYPES = (Bridge, Dummy, Veth, Vxlan)


def provides(step: Step) -> tuple[str, ...]:
    """The keys a step brings into being: its own, and a veth's far end too."""
    return (step.key, step.peer_key) if isinstance(step, Veth) else (step.key,)
