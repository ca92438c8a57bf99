"""Every rtnetlink request `up` sends, decoded by pyroute2 and compared with what pyroute2's own IPRoute API
sends for the same call (no root: pyroute2's IPBatch only encodes). Three differences are deliberate and
checked as such: they are where netlab follows `ip` (iproute2) rather than pyroute2."""

from __future__ import annotations

import struct
from typing import Any

import pytest
from pyroute2 import IPBatch
from pyroute2.netlink import nla_slot
from pyroute2.netlink.rtnl.ifaddrmsg import ifaddrmsg
from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg
from pyroute2.netlink.rtnl.ndmsg import ndmsg
from pyroute2.netlink.rtnl.rtmsg import rtmsg

from netlab.kernel import messages
from netlab.plan import Address, Bridge, BridgePort, FdbEntry, LinkSet, Neighbor, Route, Veth, Vxlan

DECODERS: dict[int, Any] = {16: ifinfmsg, 20: ifaddrmsg, 24: rtmsg, 28: ndmsg}
MAC = "aa:bb:cc:dd:ee:ff"


def decoded(data: bytes) -> tuple[int, int, str]:
    """(type, flags, the decoded message with attributes in a canonical order)."""
    msg_type, flags = struct.unpack_from("=HH", data, 4)
    msg = DECODERS[msg_type](data)
    msg.decode()

    def canonical(value: Any) -> Any:
        if hasattr(value, "items"):  # a dict, or a nested pyroute2 message
            return {k: canonical(v) for k, v in value.items() if k != "header"}
        if isinstance(value, list):
            return sorted((canonical(v) for v in value), key=repr)
        if isinstance(value, nla_slot):  # one attribute: (name, value)
            return (value[0], canonical(value[1]))
        return value

    return msg_type, flags, repr(canonical(dict(msg)))


def ours(request: messages.Request) -> bytes:
    msg_type, flags, body = request
    return struct.pack("=IHHII", 16 + len(body), msg_type, flags, 0, 0) + body


def pyroute2_sends(method: str, *args: Any, **kwargs: Any) -> bytes:
    batch = IPBatch()
    getattr(batch, method)(*args, **kwargs)
    return bytes(batch.batch)


SAME = [
    (messages.bridge(Bridge("n", "cni0", 1450), 7),
     ("link", "add"), dict(index=7, ifname="cni0", kind="bridge", mtu=1450)),
    (messages.bridge(Bridge("n", "cni0", 1450, MAC), 7),
     ("link", "add"), dict(index=7, ifname="cni0", kind="bridge", mtu=1450, address=MAC)),
    (messages.vxlan(Vxlan("n", "flannel.1", 1, "192.168.56.11", "eth0", 1450, MAC), 9, 2),
     ("link", "add"), dict(index=9, ifname="flannel.1", kind="vxlan", vxlan_id=1, address=MAC,
                           vxlan_local="192.168.56.11", vxlan_link=2, vxlan_learning=0, mtu=1450)),
    (messages.vxlan(Vxlan("n", "vx", 1, "192.168.56.11", "eth0", 1450, MAC, port=4789), 9, 2),
     ("link", "add"), dict(index=9, ifname="vx", kind="vxlan", vxlan_id=1, address=MAC, vxlan_local="192.168.56.11",
                           vxlan_link=2, vxlan_learning=0, mtu=1450, vxlan_port=4789)),
    (messages.link_set(LinkSet("n", "veth1", "netlab:x", "cni0", True), 8, 7),
     ("link", "set"), dict(index=8, state="up", master=7, ifalias="netlab:x")),
    (messages.link_set(LinkSet("n", "lo", None, None, True), 1, None), ("link", "set"), dict(index=1, state="up")),
    (messages.link_set(LinkSet("n", "x", "netlab:x", None, False), 3, None),
     ("link", "set"), dict(index=3, ifalias="netlab:x")),
    (messages.address(Address("p", "eth0", "10.244.0.2/24"), 2),
     ("addr", "add"), dict(index=2, address="10.244.0.2", prefixlen=24)),
    (messages.route(Route("p", "default", "eth0", "10.244.0.1"), 2),
     ("route", "add"), dict(dst="0.0.0.0/0", oif=2, proto=3, gateway="10.244.0.1")),
    (messages.route(Route("n", "10.244.1.0/24", "flannel.1", "10.244.1.0", True), 5),
     ("route", "add"), dict(dst="10.244.1.0/24", oif=5, proto=3, gateway="10.244.1.0", flags=4)),
    (messages.neighbor(Neighbor("n", "flannel.1", "10.244.1.0", MAC), 5),
     ("neigh", "add"), dict(dst="10.244.1.0", lladdr=MAC, ifindex=5, state=0x80)),
    (messages.fdb(FdbEntry("n", "flannel.1", MAC, "192.168.56.12"), 5),
     ("fdb", "add"), dict(ifindex=5, lladdr=MAC, dst="192.168.56.12", state=0x80, flags=2)),
]


@pytest.mark.parametrize(("request_", "call", "kwargs"), SAME, ids=lambda v: v[0] if isinstance(v, tuple) else "")
def test_the_request_is_what_pyroute2_sends(request_: messages.Request, call: tuple[str, str],
                                            kwargs: dict[str, Any]) -> None:
    assert decoded(ours(request_)) == decoded(pyroute2_sends(call[0], call[1], **kwargs))


def test_a_veth_peer_gets_its_index_chosen_too() -> None:
    # pyroute2 leaves the peer's index to the kernel; netlab chooses it, so the pod's address can follow at once.
    ours_text = decoded(ours(messages.veth(Veth("n", "veth1", "p", "eth0", 1450), 8, 2, 5)))[2]
    theirs = decoded(pyroute2_sends("link", "add", index=8, ifname="veth1", kind="veth", mtu=1450,
                                    peer={"ifname": "eth0", "net_ns_fd": 5, "mtu": 1450}))[2]
    assert theirs.replace("'ifi_type': 0, 'index': 0", "'ifi_type': 0, 'index': 2") == ours_text


def test_hairpin_is_set_as_ip_sets_it() -> None:
    # `ip link set … type bridge_slave hairpin on` names the port kind as IFLA_INFO_SLAVE_KIND.
    ours_text = decoded(ours(messages.bridge_port(BridgePort("n", "veth1", True), 8)))[2]
    theirs = decoded(pyroute2_sends("brport", "set", index=8, mode=1))[2]
    slave_data = "('IFLA_INFO_SLAVE_DATA', {'attrs': [('IFLA_BRPORT_MODE', 1)]})"
    assert theirs.replace(f"('IFLA_INFO_KIND', 'bridge_slave'), {slave_data}",
                          f"{slave_data}, ('IFLA_INFO_SLAVE_KIND', 'bridge_slave')") == ours_text


def test_a_route_without_gateway_has_scope_link_as_ip_gives_it() -> None:
    msg_type, flags, text = decoded(ours(messages.route(Route("p", "10.96.0.0/12", "eth0"), 5)))
    assert "'scope': 253" in text
    assert (msg_type, flags, text.replace("'scope': 253", "'scope': 0")) == \
        decoded(pyroute2_sends("route", "add", dst="10.96.0.0/12", oif=5, proto=3))
