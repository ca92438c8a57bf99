"""What runs in the pods and on the internet hosts: netlab's echo server, which answers with its name and the
client address it saw, on the ports the topology's `serve:` lists.

A pod of several containers runs one echo server per container, each on its own container's ports, all in the
pod's one network namespace, beside a sandbox process that does nothing but hold the pod, as the pause container
does on a node (kubelet starts it first; the containers join its namespace). A pod of one container is its echo
server alone: the namespace is held by its mount under /run/netns either way."""

from __future__ import annotations

from netlab import naming
from netlab.plan import PYTHON, Daemon, Note, Step
from netlab.topology.model import Pod, Serve, Topology

ECHO = "netlab.workloads.echo"


PAUSE = ("sleep", "infinity")  # the sandbox: a process that holds the pod and waits to be stopped


def daemon_names(pod: Pod) -> tuple[str, ...]:
    """The processes that make a pod ready: its sandbox and one per container; or its echo server, or a coredns
    pod's DNS server (features/dns). None for a pod that serves nothing: it is ready as soon as it exists."""
    if pod.several:  # the sandbox holds a namespace of its own only
        return (*((f"pause-{pod.name}",) if pod.own_namespace else ()),
                *(container_daemon(pod.name, c.name) for c in pod.containers))
    if pod.workload == "cluster-dns":
        return (f"dns-{pod.name}",)
    return (f"echo-{pod.name}",) if pod.serve and pod.workload == "echo" else ()


def echo_daemon(lab: str, name: str, serve: tuple[Serve, ...], version: str | None = None,
                container: str = "", home: str = "") -> Daemon:
    """`name`'s echo server, in its own namespace or in `home`'s (a container in host mode runs in its node's)."""
    argv = [PYTHON, "-m", ECHO, "--name", name] + (["--version", version] if version else []) + (
        ["--container", container] if container else [])
    for s in serve:
        argv += [f"--{s.kind}", str(s.port)]
    ports = tuple(f"{s.kind.transport}/{s.port}" for s in serve)
    return Daemon(naming.netns(lab, home or name), container_daemon(name, container) if container else f"echo-{name}",
                  tuple(argv), ports=ports)


def container_daemon(pod: str, container: str) -> str:
    """The echo server of one container of a pod of several; a dot, which no pod name has, keeps pod `web`'s
    container `api` apart from a pod `web-api`."""
    return f"echo-{pod}.{container}"


def pod_processes(t: Topology, pod: Pod) -> list[Daemon]:
    """A pod of several containers: its sandbox first (when it has a namespace of its own to hold), then each
    container's echo server, in the namespace the pod runs in."""
    home = t.home_of(pod.name)
    sandbox = [Daemon(naming.netns(t.name, pod.name), f"pause-{pod.name}", PAUSE, ready="listen")] \
        if pod.own_namespace else []
    return [*sandbox, *(echo_daemon(t.name, pod.name, c.serve, pod.version, c.name, home=home)
                        for c in pod.containers)]


def compile_workloads(t: Topology) -> list[Step]:
    servers = [(p.name, p.serve, p.version) for p in t.pods if p.serve and p.workload == "echo" and not p.several
               ] + [(h.name, h.serve, None) for h in t.internet.hosts if h.serve]
    several = [p for p in t.pods if p.several and p.workload == "echo"]
    if not servers and not several:
        return []
    steps: list[Step] = [Note("workloads: the echo server answers with its name and the client address it saw")]
    steps += [echo_daemon(t.name, name, serve, version, home=t.home_of(name)) for name, serve, version in servers]
    for pod in several:
        steps += pod_processes(t, pod)
    return steps
