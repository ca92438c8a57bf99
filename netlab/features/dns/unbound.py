"""unbound, Debian's DNS server, standing in for CoreDNS in the coredns pods, and serving the internet's zone.

A coredns pod's unbound answers for cluster.local from local data (a `static` zone: a name it does not hold does
not exist, NXDOMAIN with the zone's SOA, as CoreDNS answers), for the reverse zones of the Service and pod
networks the same way, and forwards everything else to the internet's name server (kubeadm's `forward .
/etc/resolv.conf`; CoreDNS's pod has dnsPolicy Default, so that is the node's name server). An ExternalName
Service is a `redirect` zone holding its CNAME: unbound then resolves the target upstream and answers with both,
as CoreDNS does. Forwarded answers are cached for at most 30 s (kubeadm's `cache 30`).

Records change while it runs, through its control channel (unbound-control on 127.0.0.1:8953 inside the pod):
`local_zones`, `local_datas`, and their `_remove`s — no restart, no lost query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from netlab.features.dns.records import Record

CONTROL_PORT = 8953
STATIC, REDIRECT, NODEFAULT = "static", "redirect", "nodefault"


@dataclass(frozen=True, order=True)
class Zone:
    name: str
    type: str  # static | redirect | nodefault

    def __str__(self) -> str:
        return f"{self.name} {self.type}"


def config(*, forward_to: str | None, zones: Sequence[Zone] = ()) -> str:
    """unbound.conf: where it listens, what it may be asked, where it forwards, and its lasting zones (the
    static and nodefault ones, which only change with the lab's networks). Records, and the redirect zones of
    ExternalName Services, come through its control channel once it runs (unbound-control, below).

    The lasting zones must be in the file: a zone added at run time above zones unbound already holds (its
    default local zones, such as onion. under ".") is not always found as their parent by unbound 1.17's
    lookup, which then recurses to the root servers for some names and times out."""
    lines = [
        "server:",
        "    interface: 0.0.0.0",
        "    port: 53",
        "    do-ip6: no",
        "    access-control: 0.0.0.0/0 allow",  # every address of the lab: it is the lab's own server
        '    username: ""',  # stays root in its namespace: no chroot, no user switch, no pidfile, logs to stderr
        '    chroot: ""',
        '    pidfile: ""',
        "    use-syslog: no",
        '    logfile: ""',
        "    verbosity: 1",
        "    num-threads: 1",
        '    module-config: "iterator"',  # no DNSSEC validation: the lab's zones are not signed
        "    cache-max-ttl: 30",
        "    cache-max-negative-ttl: 30",
    ]
    lines += [f'    local-zone: "{z.name}" {z.type}' for z in sorted(set(zones)) if z.type != REDIRECT]
    if forward_to:
        lines += ["forward-zone:", '    name: "."', f"    forward-addr: {forward_to}"]
    lines += ["remote-control:", "    control-enable: yes", "    control-interface: 127.0.0.1",
              f"    control-port: {CONTROL_PORT}", "    control-use-cert: no"]
    return "\n".join(lines) + "\n"


def payload(zones: list[Zone], records: list[Record]) -> str:
    """What a Records step holds: `zone NAME TYPE` and `data RR` lines, in the order they are loaded."""
    return "".join(f"zone {z}\n" for z in sorted(set(zones))) + "".join(f"data {r}\n" for r in records)


def parse(text: str) -> tuple[list[str], dict[str, list[str]]]:
    """The zones (`NAME TYPE`) and, by owner name, the records of a payload."""
    zones: list[str] = []
    data: dict[str, list[str]] = defaultdict(list)
    for line in text.splitlines():
        kind, _, rest = line.partition(" ")
        if kind == "zone":
            zones.append(rest)
        elif kind == "data":
            data[rest.split(" ", 1)[0]].append(rest)
    return zones, dict(data)


def control(conf: str, verb: str) -> list[str]:
    """unbound-control, run in the server's namespace, with the server's own configuration (its control port,
    and no certificates)."""
    return ["unbound-control", "-c", conf, verb]


def changes(conf: str, old: str, new: str) -> list[tuple[list[str], str]]:
    """The unbound-control runs (argv, standard input) that turn a server holding `old` (nothing: "") into one
    holding `new`: zones added, then the
    records of every name whose records changed removed and added again (local_data adds to a name; removing the
    name clears it), then zones that went removed (and their data with them)."""
    old_zones, old_data = parse(old)
    new_zones, new_data = parse(new)
    runs: list[tuple[list[str], str]] = []
    added = [z for z in new_zones if z not in old_zones]
    gone = [z for z in old_zones if z not in new_zones]
    changed = [name for name in {**old_data, **new_data} if old_data.get(name) != new_data.get(name)]
    if added:
        runs.append((control(conf, "local_zones"), "".join(f"{z}\n" for z in added)))
    stale = [name for name in changed if name in old_data]
    if stale:
        runs.append((control(conf, "local_datas_remove"), "".join(f"{name}\n" for name in stale)))
    fresh = [rr for name in changed for rr in new_data.get(name, [])]
    if fresh:
        runs.append((control(conf, "local_datas"), "".join(f"{rr}\n" for rr in fresh)))
    if gone:
        runs.append((control(conf, "local_zones_remove"), "".join(f"{z.split(' ', 1)[0]}\n" for z in gone)))
    return runs


def reload(conf: str, payload: str) -> list[tuple[list[str], str]]:
    """The runs that make a server hold exactly `payload`'s zones and records whatever it held of them before
    (a rollback does not know how far a change went)."""
    zones, data = parse(payload)
    runs = [(control(conf, "local_zones"), "".join(f"{z}\n" for z in zones))] if zones else []
    if data:
        runs.append((control(conf, "local_datas_remove"), "".join(f"{name}\n" for name in data)))
        runs.append((control(conf, "local_datas"), "".join(f"{rr}\n" for rrs in data.values() for rr in rrs)))
    return runs

