"""Starts a netlab workload (echo server, docker-proxy) as a real subprocess and waits for its ready line."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def spawn(module: str, args: list[str]) -> tuple[subprocess.Popen[bytes], bytes]:
    """Runs `python -m MODULE ARGS --ready-fd N`; returns the process and what it wrote to N."""
    read_fd, write_fd = os.pipe()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    try:
        proc = subprocess.Popen([sys.executable, "-m", module, *args, "--ready-fd", str(write_fd)],
                                pass_fds=(write_fd,), cwd=REPO_ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except BaseException:
        os.close(read_fd)
        raise
    finally:
        os.close(write_fd)  # else our own copy would keep the pipe open forever
    try:
        readable, _, _ = select.select([read_fd], [], [], 10.0)
        ready = os.read(read_fd, 64) if readable else b"<timeout>"
    finally:
        os.close(read_fd)
    return proc, ready


class Daemons:
    """The workload processes one test started; whatever is still running is killed at teardown."""

    module = ""  # set by each test's launcher

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []

    def spawn(self, args: list[str]) -> tuple[subprocess.Popen[bytes], bytes]:
        proc, ready = spawn(self.module, args)
        self.procs.append(proc)
        return proc, ready

    def kill_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.communicate(timeout=10)
