"""The Plan: an ordered tuple of small frozen primitives, one per kernel object or setting.

Each primitive mirrors one `ip` / `sysctl` / `iptables-restore` / `nft` command, so `render/shell.py`
prints it as that command and `kernel/apply.py` performs it as the equivalent netlink call: the script a
student reads is exactly what `netlab up` builds. Namespace fields hold full netns names.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any, ClassVar, get_args


@dataclass(frozen=True)
class Note:
    """A heading in the rendered script (`# ...`); applies nothing. It keeps `netlab plan` readable."""

    kind: ClassVar[str] = "note"
    text: str

    @property
    def key(self) -> str:
        return f"note {self.text}"


@dataclass(frozen=True)
class Netns:
    """`ip netns add NAME` — a named network namespace (a pod, node, host, switch or router)."""

    kind: ClassVar[str] = "netns"
    name: str
    role: str  # node | pod | host | underlay | internet: what the namespace plays in the lab

    @property
    def key(self) -> str:
        return f"netns {self.name}"


@dataclass(frozen=True)
class Bridge:
    """`ip link add NAME type bridge` — a Linux bridge (docker0, cni0, a switch)."""

    kind: ClassVar[str] = "bridge"
    netns: str
    name: str
    mtu: int

    @property
    def key(self) -> str:
        return f"link {self.netns} {self.name}"


@dataclass(frozen=True)
class Dummy:
    """`ip link add NAME type dummy` — an interface that only holds addresses (IPVS mode's kube-ipvs0)."""

    kind: ClassVar[str] = "dummy"
    netns: str
    name: str

    @property
    def key(self) -> str:
        return f"link {self.netns} {self.name}"


@dataclass(frozen=True)
class Veth:
    """`ip link add NAME type veth peer name PEER netns PEER_NETNS` — both ends created at once."""

    kind: ClassVar[str] = "veth"
    netns: str
    name: str
    peer_netns: str
    peer_name: str
    mtu: int

    @property
    def key(self) -> str:
        return f"link {self.netns} {self.name}"


VXLAN_DEFAULT_PORT = 8472  # what Linux uses when a vxlan link has no dstport: flannel's port too


@dataclass(frozen=True)
class Vxlan:
    """`ip link add NAME address MAC mtu M type vxlan id VNI local IP dev DEV nolearning` (a VTEP).

    No `dstport` means the kernel's default, 8472 — exactly what flannel asks for (it sends no port)."""

    kind: ClassVar[str] = "vxlan"
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
        return f"link {self.netns} {self.name}"


@dataclass(frozen=True)
class BridgePort:
    """`bridge link set dev NAME hairpin on`: a frame may leave by the port it came in (pod → own Service)."""

    kind: ClassVar[str] = "bridge-port"
    netns: str
    name: str
    hairpin: bool

    @property
    def key(self) -> str:
        return f"bridge-port {self.netns} {self.name}"


@dataclass(frozen=True)
class Neighbor:
    """`ip neigh add IP lladdr MAC dev DEV nud permanent` (flannel: the remote VTEP's address)."""

    kind: ClassVar[str] = "neighbor"
    netns: str
    dev: str
    ip: str
    mac: str

    @property
    def key(self) -> str:
        return f"neighbor {self.netns} {self.dev} {self.ip}"


@dataclass(frozen=True)
class FdbEntry:
    """`bridge fdb add MAC dev DEV dst IP self permanent` (flannel: where to send frames for a VTEP MAC)."""

    kind: ClassVar[str] = "fdb"
    netns: str
    dev: str
    mac: str
    dst: str

    @property
    def key(self) -> str:
        return f"fdb {self.netns} {self.dev} {self.mac}"


@dataclass(frozen=True)
class LinkSet:
    """`ip link set dev NAME [master M] alias A [up]` — enslave, mark as the lab's, and bring up (or not)."""

    kind: ClassVar[str] = "link-set"
    netns: str
    name: str
    alias: str | None
    master: str | None = None
    up: bool = True

    @property
    def key(self) -> str:
        return f"link-set {self.netns} {self.name}"


@dataclass(frozen=True)
class Address:
    """`ip addr add CIDR dev DEV`."""

    kind: ClassVar[str] = "address"
    netns: str
    dev: str
    cidr: str

    @property
    def key(self) -> str:
        return f"address {self.netns} {self.dev} {self.cidr}"


@dataclass(frozen=True)
class Route:
    """`ip route add DST [via GW] dev DEV [onlink]`; DST is a CIDR or `default`."""

    kind: ClassVar[str] = "route"
    netns: str
    dst: str
    dev: str
    via: str | None = None
    onlink: bool = False

    @property
    def key(self) -> str:
        return f"route {self.netns} {self.dst}"


@dataclass(frozen=True)
class Sysctl:
    """`sysctl -w KEY=VALUE` inside the namespace (net.* sysctls are per namespace)."""

    kind: ClassVar[str] = "sysctl"
    netns: str
    key_name: str  # dotted, e.g. net.ipv4.ip_forward
    value: str

    @property
    def key(self) -> str:
        return f"sysctl {self.netns} {self.key_name}"


# The command with which each RuleSet tool loads one payload from standard input, atomically.
RULE_LOADERS = {
    "iptables": ("iptables-restore", "--noflush"),
    "nft": ("nft", "-f", "-"),
    "ipset": ("ipset", "restore", "-exist"),
    "ipvsadm": ("ipvsadm", "--restore"),
}


@dataclass(frozen=True)
class RuleSet:
    """One atomic load of one table: `iptables-restore --noflush`, `nft -f`, `ipset restore` or `ipvsadm -R`."""

    kind: ClassVar[str] = "ruleset"
    netns: str
    tool: str  # iptables | nft | ipset | ipvsadm
    table: str
    payload: str
    origin: str = "netlab"  # netlab | user: who wrote the rules (user rules come from the topology)

    @property
    def key(self) -> str:
        return f"ruleset {self.netns} {self.tool} {self.table} {self.origin}"


@dataclass(frozen=True)
class File:
    """A file in the lab's state directory (e.g. a node's subnet.env), for students to read."""

    kind: ClassVar[str] = "file"
    path: str  # relative to the lab's state directory
    content: str

    @property
    def key(self) -> str:
        return f"file {self.path}"


@dataclass(frozen=True)
class Process:
    """A long-running program in a namespace, e.g. the echo server: `python -m MODULE ARGS`."""

    kind: ClassVar[str] = "process"
    netns: str
    name: str  # unique in the lab; also the log file's name
    module: str
    args: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"process {self.name}"


@dataclass(frozen=True)
class Exec:
    """`ip netns exec NETNS ARGV…` — a command an exercise runs once the lab is built, to break it."""

    kind: ClassVar[str] = "exec"
    netns: str
    argv: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"exec {self.netns} {' '.join(self.argv)}"


Step = (Note | Netns | Bridge | Dummy | Veth | Vxlan | LinkSet | BridgePort | Address | Route | Neighbor | FdbEntry
        | Sysctl | RuleSet | File | Process | Exec)
STEP_TYPES: dict[str, type[Any]] = {t.kind: t for t in get_args(Step)}  # for reading a plan back from JSON


@dataclass(frozen=True)
class Plan:
    lab: str
    steps: tuple[Step, ...]

    def namespaces(self) -> list[Netns]:
        return [s for s in self.steps if isinstance(s, Netns)]

    def to_json(self) -> str:
        steps = [{"kind": s.kind, **dataclasses.asdict(s)} for s in self.steps]
        return json.dumps({"lab": self.lab, "steps": steps}, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Plan:
        data = json.loads(text)
        steps = []
        for item in data["steps"]:
            fields = {k: tuple(v) if isinstance(v, list) else v for k, v in item.items() if k != "kind"}
            steps.append(STEP_TYPES[item["kind"]](**fields))
        return cls(data["lab"], tuple(steps))
