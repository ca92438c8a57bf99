"""The topology key `cluster.loadBalancer:`, read and checked as MetalLB checks an IPAddressPool, and the Service
fields a load balancer reads (`loadBalancerIP`, `loadBalancerSourceRanges`), checked as the apiserver does."""

from __future__ import annotations

import re
from ipaddress import AddressValueError, IPv4Address, IPv4Network

from netlab.features.metallb.model import BGP, MODES, PROVIDERS, AddressRange, LoadBalancerConfig
from netlab.topology.reader import Path, Reader

FIELDS = ("provider", "mode", "addresses", "myASN", "peerASN", "holdTime", "keepaliveTime")
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
    hold, keepalive = timers(r, m, path) if mode == BGP else (None, None)
    return LoadBalancerConfig(
        provider=r.one_of(m, "provider", path, list(PROVIDERS), default.provider),
        mode=mode,
        addresses=tuple(ranges),
        my_asn=asns["myASN"],
        peer_asn=asns["peerASN"],
        hold_time=hold,
        keepalive_time=keepalive,
    )


def timers(r: Reader, m: dict[str, object], path: Path) -> tuple[int | None, int | None]:
    """BGPPeer's holdTime and keepaliveTime (durations: 90s, 1m30s), as MetalLB's parseTimers reads them: one
    given, the other follows (keepalive = hold / 3, hold = keepalive × 3); the hold time is 0 or at least 3 s
    (RFC 4271), and the keepalive no longer than the hold time."""
    hold, keepalive = (duration(r, m, key, path) for key in ("holdTime", "keepaliveTime"))
    if hold is None and keepalive is None:
        return None, None
    if hold is None:
        hold = keepalive * 3 if keepalive is not None else None
    elif keepalive is None:
        keepalive = hold // 3
    if hold is not None and 0 < hold < 3:
        r.problem(path + ("holdTime",), f"invalid hold time {hold}s: must be 0 or >=3s")
    elif hold is not None and keepalive is not None and keepalive > hold:
        r.problem(path + ("keepaliveTime",), f"invalid keepaliveTime {keepalive}s, must be lower than holdTime "
                  f"{hold}s")
    return hold, keepalive


DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


def duration(r: Reader, m: dict[str, object], key: str, path: Path) -> int | None:
    """A Kubernetes duration in whole seconds (`9s`, `1m30s`); None when not given."""
    value = m.get(key)
    if value is None:
        return None
    found = DURATION.match(str(value)) if isinstance(value, str) and value else None
    if found is None or not any(found.groups()):
        r.problem(path + (key,), f"'{value}' is not a duration", "as in a BGPPeer: 90s, 1m30s")
        return None
    h, mins, s = (int(g or 0) for g in found.groups())
    return h * 3600 + mins * 60 + s


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
