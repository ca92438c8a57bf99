"""The topology key `docker:` — which dockerd's rules a host has, and its user-defined networks:

    docker:
      layout: current                  # current (Docker 29) | "28" | classic (≤ 27): rules.py
      networks:                        # docker network create
        - name: shop                   # a container joins it with `network: shop`
          subnet: 172.18.0.0/16        # default: Docker's next free pool (172.18.0.0/16, 172.19.0.0/16, …)
          bridge: br-shop              # default: br-<12 hex of its id>, as com.docker.network.bridge.name sets it

and the pods' `network:` (bridge, the default; a network's name), resolved once every name and range is known.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from ipaddress import IPv4Network

from netlab.features.docker.rules import LAYOUTS
from netlab.topology.model import DockerNetwork
from netlab.topology.reader import Path, Reader

# libnetwork/ipamutils: the local scope's default pools, in the order a new network takes them
DEFAULT_POOLS = (*(IPv4Network(f"172.{n}.0.0/16") for n in range(17, 32)),
                 *(IPv4Network(f"192.168.{n}.0/20") for n in range(0, 256, 16)))
PREDEFINED = ("bridge", "host", "none")  # the networks every Docker host has; none can be created
MAX_NETWORKS = 16


@dataclass(frozen=True)
class NetworkDraft:
    path: Path
    name: str
    subnet: IPv4Network | None
    bridge: str | None


def read_docker(r: Reader, value: object, kubernetes: bool) -> tuple[str, tuple[NetworkDraft, ...]]:
    """(layout, networks) of `docker:`."""
    m = r.mapping(value, ("docker",), ("layout", "networks"))
    layout = str(m.get("layout", "current"))
    if layout not in LAYOUTS:
        r.problem(("docker", "layout"), f"'{layout}' is not a Docker rule layout",
                  "current (Docker 29), 28 (Docker 28) or classic (Docker 27 and before)")
        layout = "current"
    if kubernetes:
        r.problem(("docker",), "Docker settings in a Kubernetes lab", "set cluster.cni: docker-bridge, or drop them")
    path: Path = ("docker", "networks")
    items = r.sequence(m.get("networks"), path)
    if len(items) > MAX_NETWORKS:
        r.problem(path, f"{len(items)} networks; a lab holds at most {MAX_NETWORKS}")
        return layout, ()
    drafts: list[NetworkDraft] = []
    for i, item in enumerate(items):
        where = path + (i,)
        n = r.mapping(item, where, ("name", "subnet", "bridge"))
        name = r.name(n, "name", where, max_len=63)
        subnet = r.network(n, "subnet", where, "") if "subnet" in n else None
        bridge = r.name(n, "bridge", where, max_len=15,
                        why="it names the network's bridge, and Linux allows 15 characters") if "bridge" in n else None
        if name in PREDEFINED:
            r.problem(where + ("name",), f"pre-defined network {name} cannot be created",
                      "Docker's own words: pick another name")
            continue
        if name and any(d.name == name for d in drafts):
            r.problem(where + ("name",), f"network with name {name} already exists")
            continue
        if name:
            drafts.append(NetworkDraft(where, name, subnet, bridge))
    return layout, tuple(drafts)


def bridge_name(lab: str, network: str) -> str:
    """br- and the first 12 hex digits of the network's ID, which netlab derives instead of drawing at random."""
    return "br-" + hashlib.sha256(f"{lab}/{network}".encode()).hexdigest()[:12]


def resolve_networks(r: Reader, lab: str, drafts: tuple[NetworkDraft, ...],
                     used: list[IPv4Network]) -> tuple[DockerNetwork, ...]:
    """Each network with its subnet: the one written, or the lowest default pool that overlaps nothing the lab
    uses (docker0's among them), as libnetwork's allocatePredefinedPool picks it."""
    taken = list(used)
    found: list[DockerNetwork] = []
    for d in drafts:
        subnet = d.subnet
        if subnet is not None:
            clash = next((net for net in taken if net.overlaps(subnet)), None)
            if clash is not None:
                r.problem(d.path + ("subnet",), f"Pool overlaps with other one on this address space ({clash})",
                          "Docker refuses a subnet that overlaps another network's: pick another, or leave it out")
                continue
        else:
            subnet = next((pool for pool in DEFAULT_POOLS if not any(pool.overlaps(t) for t in taken)), None)
            if subnet is None:
                r.problem(d.path, "could not find an available, non-overlapping IPv4 address pool among the "
                                  "defaults to assign to the network", "give it a subnet")
                continue
        if subnet.prefixlen > 30:
            r.problem(d.path + ("subnet",), f"{subnet} has no room for a gateway and a container",
                      "a /30 or wider")
            continue
        taken.append(subnet)
        bridge = d.bridge or bridge_name(lab, d.name)
        if bridge in ("docker0", *(n.bridge for n in found)):
            r.problem(d.path + ("bridge",), f"bridge name {bridge} is already in use on the host")
            continue
        found.append(DockerNetwork(d.name, bridge, subnet))
    return tuple(found)


__all__ = ["DEFAULT_POOLS", "NetworkDraft", "read_docker", "resolve_networks"]
