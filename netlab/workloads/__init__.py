"""Built-in workloads that netlab runs inside lab namespaces, and what every one of them does the same way:
stop cleanly on SIGTERM or Ctrl-C, and tell `up` through --ready-fd that it is serving.

Standard library only, so a workload starts in a few tens of milliseconds; the one exception is MetalLB's layer 2
speaker, one per node, which builds and parses ARP frames with scapy (imported once it is running).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from pathlib import Path
from types import FrameType


class Stop(BaseException):
    """Raised by the signal handler; BaseException so `except OSError` cannot eat it."""


def _stop(signum: int, frame: FrameType | None) -> None:
    # Ignore repeats so a second signal cannot interrupt the cleanup the first started.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise Stop


class StopRequest:
    """SIGTERM and SIGINT noted, not raised: the server finishes the step it is in, wakes from its select (the
    signal writes to a pipe it watches) and stops between two steps. A connection half accepted when the signal
    came is never dropped."""

    def __init__(self) -> None:
        self.read_fd, write_fd = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        self.received = False
        signal.set_wakeup_fd(write_fd)
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._note)

    def _note(self, signum: int, frame: FrameType | None) -> None:
        self.received = True

    def clear(self) -> None:
        with contextlib.suppress(BlockingIOError):
            os.read(self.read_fd, 64)


def stop_on_signals() -> None:
    """SIGTERM (from `down`) and SIGINT raise Stop in the main loop."""
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)


def close_quietly(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


def signal_ready(fd: int, program: str) -> None:
    """Writes "ready PID" to the pipe `up` waits on, and closes it. EOF without it means startup failed."""
    try:
        os.write(fd, f"ready {os.getpid()}\n".encode())
    except OSError as exc:
        # The parent may have stopped waiting; serving is still useful.
        print(f"{program}: cannot write to --ready-fd {fd}: {exc.strerror or exc}", file=sys.stderr, flush=True)
    finally:
        close_quietly(fd)


def signal_reload(config: Path) -> None:
    """A workload's --reload: SIGHUP to the PID it wrote beside its config, which makes it read the file again."""
    os.kill(int(config.with_suffix(".pid").read_text()), signal.SIGHUP)
