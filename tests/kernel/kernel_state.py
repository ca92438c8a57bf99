"""A lab's whole kernel state, read with the tools a student would use, in a form two builds can be compared in.

Read from each of the lab's namespaces: links (kind, MTU, flags, master, alias, VXLAN settings, veth peer),
IPv4 addresses, every IPv4 route of every table, permanent neighbours, VXLAN FDB entries, `iptables-save` of
both backends without counters, `nft list ruleset` without state, ipsets, IPVS, the net.* sysctls netlab
touches, the daemons running (their command lines) and the files of /etc/netns. Interface indexes and MAC
addresses are left out (the kernel numbers links in the order they come, and most MACs are random), except
the VTEP MACs the plan sets. Nothing here uses netlab's own code to read the kernel.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

from netlab import naming

from .netutil import workloads_in

SYSCTLS = re.compile(r"^net\.(ipv4\.(ip_forward|conf\.(all|default)\.(route_localnet|arp_ignore|arp_announce|"
                     r"forwarding|proxy_arp)|vs\.\w+)|bridge\.bridge-nf-call-\w+) = ")


def run(ns: str, *argv: str) -> str:
    done = subprocess.run(["ip", "netns", "exec", ns, *argv], capture_output=True, text=True, timeout=60)
    return done.stdout if done.returncode == 0 else f"({argv[0]} failed: {done.stderr.strip()[:200]})"


def kernel_state(lab: str) -> dict[str, dict[str, Any]]:
    """Everything a lab's namespaces hold, by lab object."""
    prefix = naming.NETNS_PREFIX + lab + "."
    names = sorted(n for n in subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout.split()
                   if n.startswith(prefix))
    return {name[len(prefix):]: namespace_state(name) for name in names}


def namespace_state(ns: str) -> dict[str, Any]:
    links = json.loads(run(ns, "ip", "-j", "-d", "link", "show") or "[]")
    by_index = {link["ifindex"]: link["ifname"] for link in links}
    state: dict[str, Any] = {"links": sorted(link_state(link, by_index) for link in links)}
    state["addresses"] = sorted((a["ifname"], f"{i['local']}/{i['prefixlen']}")
                                for a in json.loads(run(ns, "ip", "-4", "-j", "addr") or "[]")
                                for i in a.get("addr_info", []))
    # "linkdown" is the carrier, not the configuration: a bridge whose last port left has none, where one that
    # never had a port still has it (a quirk of the kernel's bridge), so a host removed leaves it on the route.
    state["routes"] = sorted(line.replace(" linkdown", "")
                             for line in run(ns, "ip", "-4", "route", "show", "table", "all").splitlines())
    state["neighbours"] = sorted(run(ns, "ip", "-4", "neigh", "show", "nud", "permanent").splitlines())
    state["fdb"] = sorted(line for line in run(ns, "bridge", "fdb", "show").splitlines() if " dst " in line)
    for backend in ("iptables-nft", "iptables-legacy"):
        state[backend] = [line for line in re.sub(r"\[\d+:\d+\]", "[0:0]", run(ns, f"{backend}-save")).splitlines()
                          if not line.startswith("#")]
    state["nft"] = nft_blocks(run(ns, "nft", "-s", "list", "ruleset"))
    # `initval` is the set's random hash seed (ipset ≥ 7.14 prints it): two builds never share it.
    state["ipsets"] = sorted(re.sub(r" initval 0x[0-9a-f]+", "", line)
                             for line in run(ns, "ipset", "save").splitlines())
    state["ipvs"] = sorted(run(ns, "ipvsadm", "-Sn").splitlines()) if Path("/proc/net/ip_vs").exists() else []
    state["sysctls"] = sorted(line for line in run(ns, "sysctl", "-a").splitlines() if SYSCTLS.match(line))
    state["daemons"] = workloads_in(ns)
    folder = Path("/etc/netns") / ns
    state["files"] = sorted((str(p.relative_to(folder)), p.read_text()) for p in folder.rglob("*") if p.is_file()) \
        if folder.is_dir() else []
    return state


def nft_blocks(listing: str) -> list[str]:
    """`nft list ruleset` as its chains and sets, each with its table and its lines in order, sorted: nft lists
    chains in the order they were made, which a re-sync changes and a fresh build does not."""
    blocks: list[str] = []
    table, current = "", []
    for line in listing.splitlines():
        stripped = line.strip()
        if stripped.startswith("table "):
            table = stripped.rstrip(" {")
        elif stripped.startswith(("chain ", "set ", "map ")):
            current = [stripped]
        elif stripped == "}" and current:
            blocks.append(table + " | " + " | ".join(current))
            current = []
        elif current:
            current.append(stripped)
    return sorted(blocks)


def link_state(link: dict[str, Any], by_index: dict[int, str]) -> tuple[str, ...]:
    info = link.get("linkinfo", {})
    kind = info.get("info_kind", "")
    data = info.get("info_data", {})
    extra = ""
    if kind == "vxlan":
        extra = f"vni {data.get('id')} local {data.get('local')} port {data.get('port')} learning " \
                f"{data.get('learning')} mac {link.get('address')}"
    peer = link.get("link") or (by_index.get(link.get("link_index", -1)) if "link_netnsid" not in link else "(other)")
    flags = ",".join(f for f in link.get("flags", []) if f in ("UP", "NOARP"))
    return (link["ifname"], kind, str(link.get("mtu")), flags, link.get("master", ""), link.get("ifalias", ""),
            extra, str(peer or ""), str(info.get("info_slave_data", {}).get("hairpin", "")))



def differences(a: dict[str, dict[str, Any]], b: dict[str, dict[str, Any]]) -> list[str]:
    """What differs between two kernel states, readable in a test failure."""
    found = []
    for obj in sorted(set(a) | set(b)):
        if obj not in a or obj not in b:
            found.append(f"{obj}: only in {'the first' if obj in a else 'the second'}")
            continue
        for part in a[obj]:
            if a[obj][part] != b[obj][part]:
                only_a = [x for x in a[obj][part] if x not in b[obj][part]]
                only_b = [x for x in b[obj][part] if x not in a[obj][part]]
                found.append(f"{obj} {part}: first has {only_a[:6]}, second has {only_b[:6]}"
                             if only_a or only_b else f"{obj} {part}: same items, another order")
    return found
