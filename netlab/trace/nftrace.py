"""nftables tracing: which chains and rules a probe met in a node, and what each one decided.

A tiny table marks the probe's packets with `meta nftrace set 1` at priority -350, before conntrack and
NAT (raw is -300, dstnat -100). From then on, every chain the packet enters — kube-proxy's nftables
table and the iptables-nft tables alike — reports to netlink group NFNLGRP_NFTRACE, with the rule
handle, the verdict, and the packet's headers as that chain saw them (before or after DNAT). This is
`nft monitor trace`, read straight from a socket. Encapsulation clears the mark (skb_scrub_packet), so
the VXLAN envelope itself is never traced; the inner packet is traced again after decapsulation.
"""

from __future__ import annotations

import select
import socket
import struct
import subprocess
import time
from dataclasses import dataclass

from netlab.errors import EnvironmentProblem
from netlab.kernel import netns as netns_mod

from netlab.trace.frames import decode_ipv4
from netlab.trace.model import Packet

TABLE_PREFIX = "netlab-trace-"  # one table per tracer (named by its first key), so two can run at once
NETLINK_NETFILTER = 12
NFNLGRP_NFTRACE = 9
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
NFNL_SUBSYS_NFTABLES = 10
NFT_MSG_TRACE = 17
NLMSG_HDR = struct.Struct("=IHHII")  # length, type, flags, seq, pid
NFGEN_HDR = 4  # family, version, resource id
NLA_TYPE_MASK = 0x3FFF  # strips NLA_F_NESTED and NLA_F_NET_BYTEORDER

# The NFTA_TRACE_* attributes read here (include/uapi/linux/netfilter/nf_tables.h); the event also carries
# interfaces, marks and conntrack state, which the capture and the conntrack listener already give.
A_TABLE, A_CHAIN, A_HANDLE, A_TYPE, A_VERDICT = 1, 2, 3, 4, 5
A_NETWORK, A_TRANSPORT, A_POLICY = 8, 9, 16
TRACE_TYPES = {1: "policy", 2: "return", 3: "rule"}
VERDICTS = {0: "drop", 1: "accept", 2: "stolen", 3: "queue", 4: "repeat", -1: "continue", -2: "break",
            -3: "jump", -4: "goto", -5: "return"}


@dataclass(frozen=True)
class RuleHit:
    """One trace event: the packet met `chain` of `table` and `verdict` was decided there."""

    netns: str
    table: str
    chain: str
    kind: str  # rule | policy | return
    handle: int | None
    verdict: str  # accept, drop, jump, continue, return…
    target_chain: str | None  # for jump/goto
    packet: Packet | None  # headers as this chain saw them (first event of a hook only)


def table_name(first: int) -> str:
    return f"{TABLE_PREFIX}{first}"


def trace_table(first: int, last: int) -> list[str]:
    """`nft` commands for a table that marks probes (both directions) whose source port or echo id is in
    first-last. The table is flagged `owner`: the kernel deletes it when the nft process that made it
    exits — however the tracer ends, even by SIGKILL, the table cannot outlive it."""
    table, keys = table_name(first), f"{first}-{last}"
    match = [f"meta l4proto {{ tcp, udp }} th sport {keys}", f"meta l4proto {{ tcp, udp }} th dport {keys}",
             f"icmp id {keys}", "icmp type { destination-unreachable, time-exceeded }"]  # an error about a probe
    commands = [f"add table ip {table} {{ flags owner; }}"]
    for hook in ("prerouting", "output"):
        commands.append(f"add chain ip {table} {hook} {{ type filter hook {hook} priority -350; policy accept; }}")
        commands += [f"add rule ip {table} {hook} {m} meta nftrace set 1" for m in match]
    return commands


class TraceTables:
    """One `nft -i` per namespace holding the trace table; closing its input removes the table."""

    def __init__(self, namespaces: list[str], first: int, last: int) -> None:
        self.processes: list[tuple[str, subprocess.Popen[str]]] = []
        table = table_name(first)
        try:
            for name in namespaces:  # all start at once; each is born in its namespace
                with netns_mod.inside(name):
                    process = subprocess.Popen(["nft", "-i"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                               stderr=subprocess.STDOUT, text=True, bufsize=1)
                self.processes.append((name, process))
                assert process.stdin is not None
                process.stdin.write("\n".join(trace_table(first, last)) + f"\nlist table ip {table}\n")
                process.stdin.flush()
            for name, process in self.processes:
                _await_listing(name, process, table)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        for _, process in self.processes:
            if process.stdin is not None:
                process.stdin.close()
        for _, process in self.processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
        self.processes.clear()


def _await_listing(name: str, process: subprocess.Popen[str], table: str) -> None:
    """Reads nft's answer until it lists the table (loaded) or reports an error."""
    assert process.stdout is not None
    deadline = time.monotonic() + 5
    errors = []
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], deadline - time.monotonic())
        line = process.stdout.readline() if ready else ""
        if not line:
            break
        if line.startswith(f"table ip {table}"):
            return
        if line.startswith("Error"):
            errors.append(line.strip())
    why = "; ".join(errors) or "nft gave no answer"
    raise EnvironmentProblem(f"could not install the trace table in {name}: {why}")


def open_socket() -> socket.socket:
    """A socket for trace events of the calling thread's namespace (call it inside the node's netns)."""
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW | socket.SOCK_NONBLOCK | socket.SOCK_CLOEXEC,
                         NETLINK_NETFILTER)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        sock.bind((0, 0))
        sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, NFNLGRP_NFTRACE)
    except BaseException:
        sock.close()
        raise
    return sock


def decode(netns: str, data: bytes) -> list[RuleHit]:
    """Every trace event in one netlink datagram."""
    hits = []
    offset = 0
    while offset + NLMSG_HDR.size <= len(data):
        length, msg_type, _flags, _seq, _pid = NLMSG_HDR.unpack_from(data, offset)
        if length < NLMSG_HDR.size:
            break
        if msg_type == (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_TRACE:
            attrs = _attributes(data[offset + NLMSG_HDR.size + NFGEN_HDR: offset + length])
            hits.append(_hit(netns, attrs))
        offset += (length + 3) & ~3
    return hits


def _attributes(data: bytes) -> dict[int, bytes]:
    attrs = {}
    offset = 0
    while offset + 4 <= len(data):
        length, kind = struct.unpack_from("=HH", data, offset)
        if length < 4:
            break
        attrs[kind & NLA_TYPE_MASK] = data[offset + 4: offset + length]
        offset += (length + 3) & ~3
    return attrs


def _u32(attrs: dict[int, bytes], kind: int) -> int | None:
    raw = attrs.get(kind)
    return struct.unpack("!I", raw[:4])[0] if raw and len(raw) >= 4 else None


def _text(raw: bytes | None) -> str:
    return raw.rstrip(b"\0").decode(errors="replace") if raw else ""


def _hit(netns: str, attrs: dict[int, bytes]) -> RuleHit:
    kind = TRACE_TYPES.get(_u32(attrs, A_TYPE) or 0, "unknown")
    verdict, target = "continue", None
    if kind == "policy":
        verdict = VERDICTS.get(_u32(attrs, A_POLICY) or 0, "?")
    elif A_VERDICT in attrs:
        nested = _attributes(attrs[A_VERDICT])
        code = struct.unpack("!i", nested[1][:4])[0] if 1 in nested else -1
        verdict = VERDICTS.get(code, str(code))
        target = _text(nested.get(2)) or None
    handle = attrs.get(A_HANDLE)
    packet = None
    if A_NETWORK in attrs:
        decoded = decode_ipv4(attrs[A_NETWORK] + attrs.get(A_TRANSPORT, b""))
        packet = decoded[0] if decoded else None
    return RuleHit(netns=netns, table=_text(attrs.get(A_TABLE)), chain=_text(attrs.get(A_CHAIN)), kind=kind,
                   handle=struct.unpack("!Q", handle[:8])[0] if handle and len(handle) >= 8 else None,
                   verdict=verdict, target_chain=target, packet=packet)
