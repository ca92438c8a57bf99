"""What runs in the pods and on the internet hosts: netlab's echo server, which answers with its name and the
client address it saw, on the ports the topology's `serve:` lists."""

from __future__ import annotations

from netlab import naming
from netlab.plan import PYTHON, Daemon, Note, Step
from netlab.topology.model import Pod, Serve, Topology

ECHO = "netlab.workloads.echo"


def daemon_name(pod: Pod) -> str:
    """The daemon that makes a pod ready: its echo server, or a coredns pod's DNS server (features/dns)."""
    return f"dns-{pod.name}" if pod.workload == "cluster-dns" else f"echo-{pod.name}"


def echo_daemon(lab: str, name: str, serve: tuple[Serve, ...], version: str | None = None) -> Daemon:
    argv = [PYTHON, "-m", ECHO, "--name", name] + (["--version", version] if version else [])
    for s in serve:
        argv += [f"--{s.kind}", str(s.port)]
    ports = tuple(f"{s.kind.transport}/{s.port}" for s in serve)
    return Daemon(naming.netns(lab, name), f"echo-{name}", tuple(argv), ports=ports)


def compile_workloads(t: Topology) -> list[Step]:
    servers = [(p.name, p.serve, p.version) for p in t.pods if p.serve and p.workload == "echo"] + [
        (h.name, h.serve, None) for h in t.internet.hosts if h.serve]
    if not servers:
        return []
    steps: list[Step] = [Note("workloads: the echo server answers with its name and the client address it saw")]
    steps += [echo_daemon(t.name, name, serve, version) for name, serve, version in servers]
    return steps
