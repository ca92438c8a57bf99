"""Renders a Plan as the bash script of `ip`, `sysctl`, `iptables-restore` and `nft` commands it stands for."""

from __future__ import annotations

from shlex import quote

from netlab.plan import (
    ArpAnswer, BgpSessions, IpipTunnel, nexthops_text, protocol_name,
    PYTHON, RULE_LOADERS, STATE, Address, Bridge, BridgePort, Daemon, Dummy, Exec, FdbEntry, File, LinkSet, Neighbor,
    Netns, NetnsFile, Note, Plan, Records, Route, RuleSet, Step, Sysctl, Veth, Vxlan,
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


def route_protocol(number: int) -> list[str]:
    name = protocol_name(number)
    return ["proto", name] if name else []


def route_text(step: Route) -> str:
    """As `ip route` shows it."""
    name = protocol_name(step.protocol)
    proto = f" proto {name}" if name else ""
    if step.blackhole:
        return f"blackhole {step.dst}{proto}"
    via = f" via {step.via}" if step.via else ""
    metric = f" metric {step.metric}" if step.metric else ""
    if step.nexthops:
        return f"{step.dst}{proto}{metric} " + nexthops_text((hop, step.dev, 1) for hop in step.nexthops)
    return f"{step.dst}{via} dev {step.dev}{proto}{metric}" + (" onlink" if step.onlink else "")


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
        case Bridge(netns=ns, name=name, mtu=mtu, mac=mac):
            return ip(ns, "link add", quote(name), *(["address", mac] if mac else []), f"mtu {mtu}", "type bridge")
        case Dummy(netns=ns, name=name):
            return ip(ns, "link add", quote(name), "type dummy")
        case IpipTunnel(netns=ns, name=name, mtu=mtu):
            return ip(ns, "link set dev", quote(name), f"mtu {mtu}") + "  # the ipip module's, in every namespace"
        case Veth(netns=ns, name=name, peer_netns=pns, peer_name=peer, mtu=mtu, mac=mac):
            return ip(ns, "link add", quote(name), *(["address", mac] if mac else []), f"mtu {mtu}",
                      "type veth peer name", quote(peer),
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
        case Route(netns=ns, dst=dst, learned_from=daemon) if daemon:
            shown = ip(ns, "route show exact", dst, *route_protocol(step.protocol))
            return in_netns(ns, "sh -c", quote(f'until [ -n "$({shown})" ]; do sleep 0.1; done'),
                            f"  # {daemon} installs it: {route_text(step)}")
        case Route(netns=ns, dst=dst, blackhole=True, protocol=protocol):
            return ip(ns, "route add blackhole", dst, *route_protocol(protocol))
        case Route(netns=ns, dst=dst, dev=dev, via=via, onlink=onlink, protocol=protocol, metric=metric):
            args = ["route add", dst] + (["via", via] if via else []) + ["dev", quote(dev)]
            return ip(ns, *args, *(["onlink"] if onlink else []), *route_protocol(protocol),
                      *([f"metric {metric}"] if metric else []))
        case Sysctl(netns=ns, key_name=key, value=value):
            return in_netns(ns, "sysctl -qw", quote(f"{key}={value}"))
        case RuleSet(netns=ns, tool=tool, payload=payload):
            return in_netns(ns, " ".join(RULE_LOADERS[tool]), heredoc(payload))
        case File(path=path, content=content):
            return write_file(f"$NETLAB_STATE/{path}", content)
        case NetnsFile(content=content):
            return write_file(step.full_path, content)
        case Daemon(netns=ns, name=name, argv=argv, files=files, user=user):
            lines = [write_file(f"$NETLAB_STATE/{path}", content) for path, content in files]
            lines += [f'chown {user}:{user} "$NETLAB_STATE/{folder}"'
                      for folder in dict.fromkeys(path.rpartition("/")[0] for path, _ in files) if user]
            lines.append(in_netns(ns, "setsid -f", *(argument(a) for a in argv),
                                  f'>"$NETLAB_STATE/logs/{name}.log" 2>&1 </dev/null'))
            return "\n".join(lines)
        case BgpSessions(netns=ns, socket=socket, sessions=sessions, speaker="frr"):
            count = 'vtysh --vty_socket "$0" -c "show bgp summary json" | grep -c \'"state":"Established"\''
            return in_netns(ns, "sh -c", quote(f'until [ "$({count})" = {len(sessions)} ]; do sleep 0.2; done'),
                            argument(socket))
        case BgpSessions(netns=ns, socket=socket, sessions=sessions):
            established = " ".join(f"-e {quote('^' + s + ' .*Established')}" for s in sessions)
            count = f'birdc -s "$0" show protocols | grep -c {established}'
            return in_netns(ns, "sh -c", quote(f'until [ "$({count})" = {len(sessions)} ]; do sleep 0.2; done'),
                            argument(socket))
        case ArpAnswer(announced=announced, ip=addr):
            return f"until grep -q {quote(addr)} \"$NETLAB_STATE/{announced}\"; do sleep 0.05; done"
        case Records(netns=ns, config=conf, payload=payload):
            wait = in_netns(ns, "sh -c", quote('until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; '
                                                'done'), argument(conf))
            return "\n".join([wait, records_command(step, "", payload)])
        case Exec(netns=ns, argv=argv):
            return in_netns(ns, *(argument(a) for a in argv))
    raise TypeError(f"cannot render {step!r}")


def records_command(step: Records, old: str, new: str) -> str:
    """The control commands that change what a DNS server holds from `old` to `new` payload."""
    from netlab.features.dns import unbound
    return "\n".join(in_netns(step.netns, *(argument(a) for a in argv), heredoc(stdin))
                     for argv, stdin in unbound.changes(step.config, old, new))


# -- the changes of `netlab apply` --------------------------------------------------------------------------

def change_command(op: object) -> str:
    """The commands one change of `netlab apply` stands for, as `apply --dry-run` prints them."""
    from netlab.plan import rulesets
    from netlab.plan.diff import Change, Create, Delete, Resync
    match op:
        case Create(step=step):
            return command(step)
        case Delete(step=step):
            return delete_command(step)
        case Change(old=old, new=new):
            return replace_command(old, new)
        case Resync(netns=ns, tool=tool, old=old, new=new):
            return in_netns(ns, " ".join(RULE_LOADERS[tool]), heredoc(rulesets.iptables_resync(old, new)))
    raise TypeError(f"cannot render {op!r}")



def delete_command(step: Step) -> str:
    """What takes away what a step made."""
    from netlab.plan import rulesets
    match step:
        case Netns(name=name):
            return f"ip netns del {quote(name)}"
        case Bridge(netns=ns, name=name) | Dummy(netns=ns, name=name) | Veth(netns=ns, name=name) | \
                Vxlan(netns=ns, name=name):
            return ip(ns, "link del", quote(name))
        case LinkSet(netns=ns, name=name, master=master):
            return ip(ns, "link set dev", quote(name), *(["nomaster"] if master else []), "alias ''", "down")
        case BridgePort(netns=ns, name=name):
            return f"bridge -n {quote(ns)} link set dev {quote(name)} hairpin off"
        case Address(netns=ns, dev=dev, cidr=cidr):
            return ip(ns, "addr del", cidr, "dev", quote(dev))
        case Route(learned_from=daemon) if daemon:
            return f"# {daemon} withdraws it: {route_text(step)}"
        case BgpSessions(daemon=daemon):
            return f"# the sessions of {daemon} go with it"
        case ArpAnswer(daemon=daemon, ip=addr):
            return f"# {daemon} stops answering ARP for {addr}"
        case IpipTunnel(name=name, netns=ns):
            return f"# {name} stays: it goes only with {ns}"
        case Route(netns=ns, dst=dst, blackhole=True):
            return ip(ns, "route del blackhole", dst)
        case Route(netns=ns, dst=dst, dev=dev):
            return ip(ns, "route del", dst, "dev", quote(dev))
        case Neighbor(netns=ns, dev=dev, ip=addr):
            return ip(ns, "neigh del", addr, "dev", quote(dev))
        case FdbEntry(netns=ns, dev=dev, mac=mac):
            return f"bridge -n {quote(ns)} fdb del {mac} dev {quote(dev)} self"
        case Sysctl(netns=ns, key_name=key):
            return f"# {key} in {ns} goes back to what a new namespace has"
        case RuleSet(netns=ns, tool=tool):
            payload = rulesets.iptables_removal((step,)) if step.is_iptables else rulesets.removal(step)
            return in_netns(ns, " ".join(RULE_LOADERS[tool]), heredoc(payload))
        case File(path=path):
            return f'rm -f "$NETLAB_STATE/{path}"'
        case NetnsFile():
            return f"rm -f {quote(step.full_path)}"
        case Daemon(netns=ns, name=name):
            return f"# stop daemon {name} in {ns} (SIGTERM to its pid, then SIGKILL)"
        case Records(server=server):
            return f"# the records of {server} go with it"
        case Exec(netns=ns, argv=argv):
            return f"# (not undone: {' '.join(argv)} in {ns})"
    raise TypeError(f"cannot render the removal of {step!r}")


def replace_command(old: Step, new: Step) -> str:
    """What changes a step's object in place (or makes it again, when old == new: a change elsewhere reset it)."""
    from netlab.plan import rulesets
    match new:
        case Route(learned_from=daemon) if daemon:
            return command(new)
        case Route() | Neighbor() | FdbEntry():
            return command(new).replace(" route add ", " route replace ").replace(" neigh add ", " neigh replace ") \
                .replace(" fdb add ", " fdb replace ")
        case LinkSet(netns=ns, name=name) if isinstance(old, LinkSet) and old.master and not new.master:
            return command(new).replace(f"link set dev {quote(name)}", f"link set dev {quote(name)} nomaster")
        case RuleSet(netns=ns, tool=tool) if isinstance(old, RuleSet):
            payload = rulesets.iptables_resync((old,), (new,)) if new.is_iptables else rulesets.resync(old, new)
            return in_netns(ns, " ".join(RULE_LOADERS[tool]), heredoc(payload))
        case Daemon(netns=ns, name=name, files=files, reload=reload) if isinstance(old, Daemon) and new.reloads(old):
            lines = [write_file(f"$NETLAB_STATE/{path}", content) for path, content in files]
            return "\n".join([f"# {name} reads its files again", *lines, in_netns(ns, *(argument(a) for a in reload))])
        case Daemon(name=name):
            return f"# restart daemon {name}\n" + command(new)
        case Records() if isinstance(old, Records):
            return records_command(new, old.payload, new.payload)
        case Bridge(netns=ns, name=name, mtu=mtu):
            return ip(ns, "link set dev", quote(name), f"mtu {mtu}")
    return command(new)
