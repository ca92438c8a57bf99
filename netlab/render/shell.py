"""Renders a Plan as the bash script of `ip`, `sysctl`, `iptables-restore` and `nft` commands it stands for."""

from __future__ import annotations

from shlex import quote

from netlab.plan import (
    PYTHON, RULE_LOADERS, STATE, Address, Bridge, BridgePort, Daemon, Dummy, Exec, FdbEntry, File, LinkSet, Neighbor,
    Netns, NetnsFile, Note, Plan, Route, RuleSet, Step, Sysctl, Veth, Vxlan,
)

HEADER = """\
#!/usr/bin/env bash
# netlab plan for lab {lab}: the exact commands `netlab up` performs (through netlink), in order.
# Run it as root on a machine where the lab is not up; tear it down with `netlab down {lab}`.
set -euo pipefail
NETLAB_PYTHON=${{NETLAB_PYTHON:-python3}}
NETLAB_STATE=${{NETLAB_STATE:-/run/netlab/{lab}}}
mkdir -p "$NETLAB_STATE/logs"
"""


def render_script(plan: Plan) -> str:
    lines = [HEADER.format(lab=plan.lab).rstrip("\n")]
    for step in plan.steps:
        if isinstance(step, Note):
            lines.append(f"\n# {step.text}")
        else:
            lines.append(command(step))
    return "\n".join(lines) + "\n"


def ip(netns: str, *args: str) -> str:
    return " ".join(["ip", "-n", quote(netns), *args])


def in_netns(netns: str, *args: str) -> str:
    return " ".join(["ip", "netns", "exec", quote(netns), *args])


def heredoc(payload: str) -> str:
    marker = "EOF"
    while marker in payload.splitlines():
        marker += "_"
    body = payload if payload.endswith("\n") else payload + "\n"
    return f"<<'{marker}'\n{body}{marker}"


def write_file(path: str, content: str) -> str:
    """`mkdir -p DIR && cat > PATH <<EOF`; a path may start with $NETLAB_STATE (kept for the shell to expand)."""
    folder = path.rpartition("/")[0]
    return f'mkdir -p "{folder}" && cat > "{path}" ' + heredoc(content)


def argument(arg: str) -> str:
    """One word of a daemon's argv for the shell: its placeholders as the script's variables, the rest quoted."""
    if PYTHON not in arg and STATE not in arg:
        return quote(arg)
    expanded = arg.replace(PYTHON, "$NETLAB_PYTHON").replace(STATE, "$NETLAB_STATE")
    return '"' + expanded.replace('"', '\\"') + '"'


def command(step: Step) -> str:
    """The one shell command a step stands for (also used to name a failing step in errors)."""
    match step:
        case Netns(name=name):
            return f"ip netns add {quote(name)}"
        case Bridge(netns=ns, name=name, mtu=mtu):
            return ip(ns, "link add", quote(name), f"mtu {mtu}", "type bridge")
        case Dummy(netns=ns, name=name):
            return ip(ns, "link add", quote(name), "type dummy")
        case Veth(netns=ns, name=name, peer_netns=pns, peer_name=peer, mtu=mtu):
            return ip(ns, "link add", quote(name), f"mtu {mtu}", "type veth peer name", quote(peer),
                      f"mtu {mtu}", "netns", quote(pns))
        case Vxlan(netns=ns, name=name, vni=vni, local=local, dev=dev, mtu=mtu, mac=mac, port=port, learning=learning):
            args = ["link add", quote(name), "address", mac, f"mtu {mtu}", f"type vxlan id {vni}", "local", local,
                    "dev", quote(dev)] + ([f"dstport {port}"] if port else []) + ([] if learning else ["nolearning"])
            return ip(ns, *args)
        case BridgePort(netns=ns, name=name, hairpin=hairpin):
            return f"bridge -n {quote(ns)} link set dev {quote(name)} hairpin {'on' if hairpin else 'off'}"
        case Neighbor(netns=ns, dev=dev, ip=addr, mac=mac):
            return ip(ns, "neigh add", addr, "lladdr", mac, "dev", quote(dev), "nud permanent")
        case FdbEntry(netns=ns, dev=dev, mac=mac, dst=dst):
            return f"bridge -n {quote(ns)} fdb add {mac} dev {quote(dev)} dst {dst} self permanent"
        case LinkSet(netns=ns, name=name, alias=alias, master=master, up=up):
            args = ["link set dev", quote(name)]
            if master:
                args += ["master", quote(master)]
            if alias:
                args += ["alias", quote(alias)]
            return ip(ns, *args, *(["up"] if up else []))
        case Address(netns=ns, dev=dev, cidr=cidr):
            return ip(ns, "addr add", cidr, "dev", quote(dev))
        case Route(netns=ns, dst=dst, dev=dev, via=via, onlink=onlink):
            args = ["route add", dst] + (["via", via] if via else []) + ["dev", quote(dev)]
            return ip(ns, *args, *(["onlink"] if onlink else []))
        case Sysctl(netns=ns, key_name=key, value=value):
            return in_netns(ns, "sysctl -qw", quote(f"{key}={value}"))
        case RuleSet(netns=ns, tool=tool, payload=payload):
            return in_netns(ns, " ".join(RULE_LOADERS[tool]), heredoc(payload))
        case File(path=path, content=content):
            return write_file(f"$NETLAB_STATE/{path}", content)
        case NetnsFile(content=content):
            return write_file(step.full_path, content)
        case Daemon(netns=ns, name=name, argv=argv, files=files):
            lines = [write_file(f"$NETLAB_STATE/{path}", content) for path, content in files]
            lines.append(in_netns(ns, "setsid -f", *(argument(a) for a in argv),
                                  f'>"$NETLAB_STATE/logs/{name}.log" 2>&1 </dev/null'))
            return "\n".join(lines)
        case Exec(netns=ns, argv=argv):
            return in_netns(ns, *(quote(a) for a in argv))
    raise TypeError(f"cannot render {step!r}")
