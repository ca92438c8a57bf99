"""Small builders for the step patterns every mode repeats: a namespace on the end of a veth, a bridge."""

from __future__ import annotations

from netlab import naming
from netlab.plan import Address, Bridge, LinkSet, Netns, Note, Route, Step, Sysctl, Veth
from netlab.topology.model import Node, Pod, Topology


def bridge(lab: str, netns: str, name: str, mtu: int, address: str | None = None) -> list[Step]:
    steps: list[Step] = [Bridge(netns, name, mtu, naming.mac(netns, name))]
    if address:
        steps.append(Address(netns, name, address))
    steps.append(LinkSet(netns, name, naming.alias(lab)))
    return steps


def attached_namespace(lab: str, *, netns: str, role: str, outer_netns: str, outer_name: str,
                       master: str | None, address: str, gateway: str | None, mtu: int, host: str = "",
                       sysctls: tuple[tuple[str, str], ...] = (), outer_mac: str | None = None) -> list[Step]:
    """A new namespace whose eth0 is a veth to `outer_netns` (enslaved to `master` there).

    This is a container joined to docker0, a pod to cni0, a node or host plugged into a switch. `host` is the
    node a pod runs on; `sysctls` are set inside before eth0 comes up.
    """
    inner = naming.UPLINK
    steps: list[Step] = [
        Netns(netns, role, host),
        Veth(outer_netns, outer_name, netns, inner, mtu, outer_mac),
        LinkSet(outer_netns, outer_name, naming.alias(lab), master),
        *(Sysctl(netns, key, value) for key, value in sysctls),
        LinkSet(netns, "lo", None),
        Address(netns, inner, address),
        LinkSet(netns, inner, naming.alias(lab)),
    ]
    if gateway:
        steps.append(Route(netns, "default", inner, via=gateway))
    return steps


def containers_on_bridge(t: Topology, node: Node, bridge_name: str, *, hex_digits: int, label: str,
                         pods: tuple[Pod, ...] | None = None, gateway: str | None = None,
                         taken: set[str] | None = None) -> list[Step]:
    """Each pod of `node` (or `pods`) on `bridge_name` through a hashed veth, its default route via the bridge's
    address (or `gateway`): a container on docker0 or a user-defined network, a host on a home router's LAN."""
    steps: list[Step] = []
    taken = set() if taken is None else taken
    for pod in t.pods_on(node.name) if pods is None else pods:
        veth = naming.hashed_veth(t.name, node.name, pod.name, hex_digits=hex_digits, taken=taken)
        steps += [Note(f"{label} {pod.name}: {pod.ip} on {bridge_name} through {veth}")]
        steps += attached_namespace(t.name, netns=naming.netns(t.name, pod.name), role="pod",
                                    outer_netns=naming.netns(t.name, node.name), outer_name=veth, master=bridge_name,
                                    address=str(pod.ip), gateway=gateway or str(node.bridge.ip), mtu=1500,
                                    host=node.name)
    return steps
