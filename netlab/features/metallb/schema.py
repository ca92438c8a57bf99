"""The topology key `cluster.loadBalancer:`, read and checked as MetalLB checks an IPAddressPool, and the Service
fields a load balancer reads (`loadBalancerIP`, `loadBalancerSourceRanges`), checked as the apiserver does."""

from __future__ import annotations

from ipaddress import AddressValueError, IPv4Address, IPv4Network

from netlab.features.metallb.model import BGP, MODES, PROVIDERS, AddressRange, LoadBalancerConfig
from netlab.topology.reader import Path, Reader

FIELDS = ("provider", "mode", "addresses", "myASN", "peerASN")
AS_NUMBERS = (1, 4294967295)


def read_load_balancer(r: Reader, value: object, path: Path) -> LoadBalancerConfig:
    m = r.mapping(value, path, FIELDS)
    default = LoadBalancerConfig()
    ranges: list[AddressRange] = []
    for i, item in enumerate(r.sequence(m.get("addresses"), path + ("addresses",))):
        found = address_range(item)
        if found is None:
            r.problem(path + ("addresses", i), f"'{item}' is not a CIDR or an address range",
                      "as in an IPAddressPool: 192.168.56.240/28 or 192.168.56.240-192.168.56.250")
            continue
        clash = next((other for other in ranges if found.first <= other.last and other.first <= found.last), None)
        if clash is not None:
            r.problem(path + ("addresses", i), f"{found.text} overlaps {clash.text}")
            continue
        ranges.append(found)
    if not ranges:
        r.problem(path + ("addresses",), "a load balancer needs addresses to give out",
                  "an IPAddressPool's addresses, e.g. [192.168.56.240/28], on the nodes' underlay")
    mode = r.one_of(m, "mode", path, list(MODES), default.mode)
    asns = {}
    for key, fallback in (("myASN", default.my_asn), ("peerASN", default.peer_asn)):
        if key in m and mode != BGP:
            r.problem(path + (key,), f"{key} is for mode bgp", "in layer2 mode MetalLB speaks no BGP")
        asns[key] = r.integer(m, key, path, fallback, *AS_NUMBERS) or fallback
    return LoadBalancerConfig(
        provider=r.one_of(m, "provider", path, list(PROVIDERS), default.provider),
        mode=mode,
        addresses=tuple(ranges),
        my_asn=asns["myASN"],
        peer_asn=asns["peerASN"],
    )


def address_range(item: object) -> AddressRange | None:
    """`a.b.c.d/n` (every address of it, as MetalLB gives out a CIDR's network and broadcast addresses unless
    avoidBuggyIPs is set) or `first-last`."""
    if not isinstance(item, str):
        return None
    text = item.strip()
    try:
        if "-" in text:
            first_text, last_text = (part.strip() for part in text.split("-", 1))
            first, last = IPv4Address(first_text), IPv4Address(last_text)
            return AddressRange(text, first, last) if first <= last else None
        net = IPv4Network(text, strict=True)
    except (AddressValueError, ValueError):
        return None
    return AddressRange(text, net.network_address, net.broadcast_address)


def read_source_ranges(r: Reader, value: object, path: Path) -> tuple[IPv4Network, ...]:
    """spec.loadBalancerSourceRanges: CIDRs (the apiserver's ValidateLoadBalancerSourceRanges), each once."""
    found: list[IPv4Network] = []
    for i, item in enumerate(r.sequence(value, path)):
        try:
            net = IPv4Network(str(item).strip(), strict=False) if isinstance(item, str) else None
        except ValueError:
            net = None
        if net is None or "/" not in str(item):
            r.problem(path + (i,), f"'{item}' is not a CIDR", "source ranges are CIDRs, e.g. 203.0.113.0/24")
        elif net in found:
            r.problem(path + (i,), f"{net} is listed twice")
        else:
            found.append(net)
    return tuple(found)
