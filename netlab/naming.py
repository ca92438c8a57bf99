"""Every name netlab gives a kernel object, and the ownership marks that let it find them again."""

from __future__ import annotations

import hashlib
import re
from ipaddress import IPv4Address

# A lab's namespaces are `netlab.<lab>.<name>`. Lab and object names are DNS labels (no dots), so the
# dots make the owner unambiguous: lab "a" can never claim "netlab.a-b.node1".
NETNS_PREFIX = "netlab."
ALIAS_PREFIX = "netlab:"
UNDERLAY = "underlay"  # the namespace holding the underlay switch
INTERNET = "internet"  # the namespace of the internet router
UNDERLAY_BRIDGE = "br0"
INTERNET_BRIDGE = "br0"
# A DNS label (RFC 1123), as Kubernetes requires of pod, node, namespace and service names.
DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
UPLINK = "eth0"  # a node's, pod's or host's interface towards the outside


def is_name(text: str) -> bool:
    """A lab or object name: a DNS label (RFC 1123), as the loader requires."""
    return bool(DNS_LABEL.fullmatch(text))


def is_domain(text: str) -> bool:
    """A DNS name: dot-separated labels, 253 characters at most, an optional final dot (RFC 1123)."""
    labels = text.removesuffix(".").split(".")
    return 0 < len(text.removesuffix(".")) <= 253 and all(DNS_LABEL.fullmatch(label) for label in labels) \
        and not text.replace(".", "").isdigit()


def is_ipv4(text: str) -> bool:
    """A dotted IPv4 address, as a probe or a Host header may name one instead of a name."""
    try:
        IPv4Address(text)
    except ValueError:
        return False
    return True


def is_query_name(text: str) -> bool:
    """A name one may look up: a DNS name whose labels may also start with an underscore, as SRV names'
    `_<port>._<proto>` do (RFC 2782)."""
    return is_domain(".".join(label.removeprefix("_") for label in text.split(".")))


def underlay_bridge(segment: int) -> str:
    """The switch of an underlay segment: br0, br1, …"""
    return f"br{segment}"


def netns(lab: str, name: str) -> str:
    return f"{NETNS_PREFIX}{lab}.{name}"


def split_netns(name: str) -> tuple[str, str] | None:
    """(lab, object) for a netlab namespace name, None for anything else."""
    if not name.startswith(NETNS_PREFIX):
        return None
    lab, dot, obj = name[len(NETNS_PREFIX):].partition(".")
    return (lab, obj) if dot and lab and obj and "." not in obj else None


def alias(lab: str) -> str:
    """The ifalias netlab puts on every interface it creates."""
    return f"{ALIAS_PREFIX}{lab}"


def mac(*parts: str) -> str:
    """A locally administered unicast MAC derived from `parts`, where a component picks a random one (flannel's
    VTEP, a bridge's own address): the same lab gets the same addresses, so plans are stable."""
    raw = bytearray(hashlib.sha256("/".join(parts).encode()).digest()[:6])
    raw[0] = (raw[0] & 0xFE) | 0x02
    return ":".join(f"{b:02x}" for b in raw)


def hashed_veth(*parts: str, hex_digits: int, taken: set[str]) -> str:
    """`veth` + hex, like Docker (7 digits) and the CNI plugins (8): deterministic here, and unique on a node."""
    salt = 0
    while True:
        seed = "/".join(parts) + (f"#{salt}" if salt else "")
        name = "veth" + hashlib.sha256(seed.encode()).hexdigest()[:hex_digits]
        if name not in taken:
            taken.add(name)
            return name
        salt += 1
