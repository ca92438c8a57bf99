"""The rtnetlink request each link-level plan step becomes: the message `ip` sends for the same command.

Pure: interface indexes come in resolved, nothing is sent. Each function returns (message type, flags, body):
the fixed header of the message family (struct ifinfomsg, ifaddrmsg, rtmsg or ndmsg) and its attributes, for
`rtnl.RtnlSocket.queue` to put behind a netlink header. The layouts are the kernel's uapi headers
(linux/rtnetlink.h, if_link.h, if_addr.h, neighbour.h). They are packed here with struct rather than with
pyroute2's message classes, which are ten times slower, a third of `up`'s own time at 500 pods;
tests/unit/test_messages.py decodes every one with pyroute2 and compares it with what pyroute2's IPRoute API
sends for the same call.
"""

from __future__ import annotations

import socket
import struct
from ipaddress import IPv4Interface, IPv4Network

from netlab.kernel.rtnl import ADD, CHANGE, REPLACE, attr, text
from netlab.plan import Address, Bridge, BridgePort, Dummy, FdbEntry, LinkSet, Neighbor, Route, Veth, Vxlan

Request = tuple[int, int, bytes]  # (message type, flags, body)

RTM_NEWLINK, RTM_DELLINK, RTM_NEWADDR, RTM_DELADDR = 16, 17, 20, 21
RTM_NEWROUTE, RTM_DELROUTE, RTM_NEWNEIGH, RTM_DELNEIGH = 24, 25, 28, 29
# struct ifinfomsg {family, pad, type, index, flags, change}, ifaddrmsg, rtmsg, ndmsg
IFINFOMSG = struct.Struct("=BxHiII")
IFADDRMSG = struct.Struct("=BBBBI")
RTMSG = struct.Struct("=BBBBBBBBI")
NDMSG = struct.Struct("=BxxxiHBB")

IFF_UP = 0x1
IFLA_ADDRESS, IFLA_IFNAME, IFLA_MTU, IFLA_MASTER, IFLA_LINKINFO, IFLA_IFALIAS, IFLA_NET_NS_FD = 1, 3, 4, 10, 18, 20, 28
IFLA_INFO_KIND, IFLA_INFO_DATA, IFLA_INFO_SLAVE_KIND, IFLA_INFO_SLAVE_DATA = 1, 2, 4, 5
VETH_INFO_PEER = 1
IFLA_VXLAN_ID, IFLA_VXLAN_LINK, IFLA_VXLAN_LOCAL, IFLA_VXLAN_LEARNING, IFLA_VXLAN_PORT = 1, 3, 4, 7, 15
IFLA_BRPORT_MODE = 4  # hairpin
IFA_ADDRESS, IFA_LOCAL = 1, 2
RTA_DST, RTA_OIF, RTA_GATEWAY, RTA_PRIORITY = 1, 4, 5, 6
NDA_DST, NDA_LLADDR = 1, 2

AF_BRIDGE = 7
NUD_NOARP, NUD_PERMANENT = 0x40, 0x80
NTF_SELF = 0x02  # the entry belongs to the device itself (the VXLAN driver), not to a bridge's table
RTNH_F_ONLINK = 4
RT_TABLE_MAIN = 254
RTN_UNICAST = 1
RTN_BLACKHOLE = 6
RT_SCOPE_UNIVERSE, RT_SCOPE_LINK = 0, 253


# -- attribute payloads -----------------------------------------------------------------------------------

def u8(kind: int, value: int) -> bytes:
    return attr(kind, struct.pack("=B", value))


def u32(kind: int, value: int) -> bytes:
    return attr(kind, struct.pack("=I", value))


def ipv4(kind: int, value: str) -> bytes:
    return attr(kind, socket.inet_aton(value))


def mac(kind: int, value: str) -> bytes:
    return attr(kind, bytes.fromhex(value.replace(":", "")))


# -- links ------------------------------------------------------------------------------------------------

def _new_link(index: int, name: str, info: bytes, *extra: bytes) -> Request:
    # The index is chosen by netlab, as the kernel would choose it (see apply.Kernel.new_index).
    body = IFINFOMSG.pack(0, 0, index, 0, 0) + text(IFLA_IFNAME, name) + b"".join(extra) + attr(IFLA_LINKINFO, info)
    return RTM_NEWLINK, ADD, body


def bridge(step: Bridge, index: int) -> Request:
    address = (mac(IFLA_ADDRESS, step.mac),) if step.mac else ()
    return _new_link(index, step.name, text(IFLA_INFO_KIND, "bridge"), *address, u32(IFLA_MTU, step.mtu))


def dummy(step: Dummy, index: int) -> Request:
    return _new_link(index, step.name, text(IFLA_INFO_KIND, "dummy"))


def veth(step: Veth, index: int, peer_index: int, peer_netns_fd: int) -> Request:
    """Both ends at once, the peer created directly in its namespace (no move afterwards)."""
    peer = (IFINFOMSG.pack(0, 0, peer_index, 0, 0) + text(IFLA_IFNAME, step.peer_name) + u32(IFLA_MTU, step.mtu)
            + u32(IFLA_NET_NS_FD, peer_netns_fd))
    info = text(IFLA_INFO_KIND, "veth") + attr(IFLA_INFO_DATA, attr(VETH_INFO_PEER, peer))
    own = mac(IFLA_ADDRESS, step.mac) if step.mac else b""
    return _new_link(index, step.name, info, own, u32(IFLA_MTU, step.mtu))


def vxlan(step: Vxlan, index: int, link_index: int) -> Request:
    data = (u32(IFLA_VXLAN_ID, step.vni) + ipv4(IFLA_VXLAN_LOCAL, step.local) + u32(IFLA_VXLAN_LINK, link_index)
            + u8(IFLA_VXLAN_LEARNING, int(step.learning)))
    if step.port:  # none: the kernel's default, 8472, as flannel gets it
        data += attr(IFLA_VXLAN_PORT, struct.pack("!H", step.port))
    info = text(IFLA_INFO_KIND, "vxlan") + attr(IFLA_INFO_DATA, data)
    return _new_link(index, step.name, info, mac(IFLA_ADDRESS, step.mac), u32(IFLA_MTU, step.mtu))


def bridge_port(step: BridgePort, index: int) -> Request:
    """`ip link set dev NAME type bridge_slave hairpin on|off`."""
    info = text(IFLA_INFO_SLAVE_KIND, "bridge_slave") + attr(IFLA_INFO_SLAVE_DATA,
                                                               u8(IFLA_BRPORT_MODE, int(step.hairpin)))
    return RTM_NEWLINK, CHANGE, IFINFOMSG.pack(0, 0, index, 0, 0) + attr(IFLA_LINKINFO, info)


def link_set(step: LinkSet, index: int, master_index: int | None) -> Request:
    """`ip link set`; a master index of 0 is `nomaster` (a change that takes a port off its bridge)."""
    up = IFF_UP if step.up else 0
    body = IFINFOMSG.pack(0, 0, index, up, up)
    if master_index is not None:
        body += u32(IFLA_MASTER, master_index)
    if step.alias:
        body += text(IFLA_IFALIAS, step.alias)
    return RTM_NEWLINK, CHANGE, body


def link_mtu(index: int, mtu: int) -> Request:
    """`ip link set dev DEV mtu M`."""
    return RTM_NEWLINK, CHANGE, IFINFOMSG.pack(0, 0, index, 0, 0) + u32(IFLA_MTU, mtu)


def link_delete(index: int) -> Request:
    """`ip link del DEV` (a veth takes its peer with it, a bridge frees its ports)."""
    return RTM_DELLINK, CHANGE, IFINFOMSG.pack(0, 0, index, 0, 0)


# -- addresses, routes, neighbours ------------------------------------------------------------------------

def address(step: Address, index: int, *, delete: bool = False) -> Request:
    iface = IPv4Interface(step.cidr)
    ip = str(iface.ip)
    body = IFADDRMSG.pack(socket.AF_INET, iface.network.prefixlen, 0, 0, index) + ipv4(IFA_LOCAL, ip) \
        + ipv4(IFA_ADDRESS, ip)
    return (RTM_DELADDR, CHANGE, body) if delete else (RTM_NEWADDR, ADD, body)


def route(step: Route, oif: int | None, *, how: str = "add") -> Request:
    """`ip route add` (how="add"), `ip route replace` ("replace") or `ip route del` ("delete")."""
    msg_type, flags, body = _route(step, oif)
    if how == "delete":
        return RTM_DELROUTE, CHANGE, body
    return msg_type, REPLACE if how == "replace" else flags, body


def _route(step: Route, oif: int | None) -> Request:
    dst = IPv4Network("0.0.0.0/0" if step.dst == "default" else step.dst)
    # Like `ip route add`: a route with no gateway reaches its destination directly, on the link.
    scope = RT_SCOPE_UNIVERSE if step.via or step.blackhole else RT_SCOPE_LINK
    flags = RTNH_F_ONLINK if step.onlink else 0
    kind = RTN_BLACKHOLE if step.blackhole else RTN_UNICAST
    body = RTMSG.pack(socket.AF_INET, dst.prefixlen, 0, 0, RT_TABLE_MAIN, step.protocol, scope, kind, flags)
    if dst.prefixlen:
        body += ipv4(RTA_DST, str(dst.network_address))
    if step.via:
        body += ipv4(RTA_GATEWAY, step.via)
    if step.metric:
        body += u32(RTA_PRIORITY, step.metric)
    return RTM_NEWROUTE, ADD, body + (u32(RTA_OIF, oif) if oif is not None else b"")


def neighbor(step: Neighbor, index: int, *, how: str = "add") -> Request:
    body = NDMSG.pack(socket.AF_INET, index, NUD_PERMANENT, 0, 0) + ipv4(NDA_DST, step.ip) + mac(NDA_LLADDR, step.mac)
    return _neigh(body, how)


def fdb(step: FdbEntry, index: int, *, how: str = "add") -> Request:
    # What `bridge fdb add MAC dev DEV dst IP self permanent` sends.
    body = NDMSG.pack(AF_BRIDGE, index, NUD_PERMANENT | NUD_NOARP, NTF_SELF, 0) + mac(NDA_LLADDR, step.mac) \
        + ipv4(NDA_DST, step.dst)
    return _neigh(body, how)


def _neigh(body: bytes, how: str) -> Request:
    if how == "delete":
        return RTM_DELNEIGH, CHANGE, body
    return RTM_NEWNEIGH, REPLACE if how == "replace" else ADD, body
