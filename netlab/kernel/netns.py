"""Named network namespaces, created, entered and deleted from the calling thread, as `ip netns` does.

setns() and unshare() act on the calling thread only, so a thread can step into a namespace, open a
netlink socket or start a process there (both stay in that namespace for good), and step back — no fork
per object. The thread's own namespace is read from /proc/thread-self, never /proc/self.
"""

from __future__ import annotations

import ctypes
import errno
import os
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from netlab.errors import EnvironmentProblem

NETNS_DIR = "/run/netns"  # where iproute2 keeps named namespaces: `ip netns list` reads this directory
CLONE_NEWNET = 0x40000000
MS_REC, MS_BIND, MS_SHARED = 0x4000, 0x1000, 1 << 20
MNT_DETACH = 2

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{what}: {os.strerror(code)}")


def path_of(name: str) -> str:
    return os.path.join(NETNS_DIR, name)


def exists(name: str) -> bool:
    return os.path.exists(path_of(name))


def list_names() -> list[str]:
    try:
        return sorted(os.listdir(NETNS_DIR))
    except FileNotFoundError:
        return []


def setns(fd: int) -> None:
    _check(_libc.setns(fd, CLONE_NEWNET), "setns")


@contextmanager
def _coming_back() -> Iterator[None]:
    """Returns the calling thread to the namespace it started the block in, whatever the block did."""
    home = os.open("/proc/thread-self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
    try:
        yield
    finally:
        try:
            setns(home)
        finally:
            os.close(home)


@contextmanager
def entered(fd: int) -> Iterator[None]:
    """Runs the block with this thread in the namespace `fd`, then returns it to where it was."""
    with _coming_back():
        setns(fd)
        yield


@contextmanager
def inside(name: str) -> Iterator[None]:
    """`entered`, by namespace name: for one-off work (a socket, a read, a command) in a lab namespace."""
    fd = os.open(path_of(name), os.O_RDONLY | os.O_CLOEXEC)
    try:
        with entered(fd):
            yield
    finally:
        os.close(fd)


def run(name: str, argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Runs a command in namespace `name` (the child inherits the thread's namespace): `ip netns exec`
    without its extra fork and /sys remount. Stdin is `input=` or nothing; output is captured as text; the
    caller reads the exit status."""
    if "input" not in kwargs:
        kwargs["stdin"] = subprocess.DEVNULL
    with inside(name):
        return subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)


def run_tool(name: str, argv: list[str], *, payload: str | None = None,
             timeout: float = 10) -> subprocess.CompletedProcess[str]:
    """`run` for a command a user named (an exercise's, a fault's): a missing namespace, a missing tool or a
    hang is one clear EnvironmentProblem."""
    if not exists(name):
        raise EnvironmentProblem(f"namespace {name} does not exist", hint="netlab status shows what is up")
    if Path("/etc/netns", name).is_dir():  # the namespace's own files (resolv.conf): `ip netns exec` mounts them
        argv = ["ip", "netns", "exec", name, *argv]
    try:
        return run(name, argv, timeout=timeout, **({} if payload is None else {"input": payload}))
    except FileNotFoundError:
        raise EnvironmentProblem(f"tool {argv[0]}: not found on PATH", hint="run scripts/setup") from None
    except subprocess.TimeoutExpired:
        raise EnvironmentProblem(f"`{' '.join(argv)}` did not finish in {timeout:g} s") from None


@contextmanager
def anonymous() -> Iterator[None]:
    """Runs the block in a fresh, nameless namespace that vanishes afterwards (for feature probes)."""
    with _coming_back():
        _check(_libc.unshare(CLONE_NEWNET), "unshare")
        yield


def _ensure_dir() -> None:
    """Makes /run/netns a shared mount point, as iproute2 does, so `ip netns exec` sees our namespaces."""
    os.makedirs(NETNS_DIR, exist_ok=True)
    target = NETNS_DIR.encode()
    if _libc.mount(b"none", target, None, MS_SHARED | MS_REC, None) == 0:
        return
    if ctypes.get_errno() != errno.EINVAL:  # EINVAL: not a mount point yet
        _check(-1, f"mount --make-shared {NETNS_DIR}")
    _check(_libc.mount(target, target, b"none", MS_BIND | MS_REC, None), f"mount --bind {NETNS_DIR}")
    _check(_libc.mount(b"none", target, None, MS_SHARED | MS_REC, None), f"mount --make-shared {NETNS_DIR}")


_dir_ready = False


def create(name: str) -> None:
    """`ip netns add NAME`: a new namespace, kept alive by a bind mount at /run/netns/NAME."""
    global _dir_ready
    if not _dir_ready:
        _ensure_dir()
        _dir_ready = True
    path = path_of(name)
    fd = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0)
    os.close(fd)
    try:
        with anonymous():
            _check(_libc.mount(b"/proc/thread-self/ns/net", path.encode(), b"none", MS_BIND, None),
                   f"mount {path}")
    except BaseException:
        os.unlink(path)
        raise


def delete(name: str) -> bool:
    """`ip netns del NAME`. The kernel frees the namespace, and every link in it, once nothing uses it."""
    path = path_of(name)
    if not os.path.exists(path):
        return False
    if _libc.umount2(path.encode(), MNT_DETACH) != 0 and ctypes.get_errno() not in (errno.EINVAL, errno.ENOENT):
        _check(-1, f"umount {path}")
    try:
        os.unlink(path)
    except FileNotFoundError:
        return False
    return True


def inode(name: str) -> int | None:
    """The namespace's inode number, which is how /proc/<pid>/ns/net says which namespace a process is in."""
    try:
        return os.stat(path_of(name)).st_ino
    except OSError:
        return None


class Creator:
    """Creates namespaces in a background thread, in order, ahead of the thread that fills them.

    A namespace costs about a millisecond of kernel work, most of it outside the lock that serialises
    netlink requests, so on a second core it overlaps with the netlink work for the previous pods.
    `wait_for` returns once a namespace exists, or raises the error that stopped the creator.
    """

    def __init__(self, names: list[str]) -> None:
        self._names = names
        self._position = {name: i for i, name in enumerate(names)}
        self._done = 0  # how many of `names` exist
        self._error: BaseException | None = None
        self._stopping = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="netns-creator", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        for name in self._names:
            if self._stopping:
                return
            try:
                create(name)
            except BaseException as e:
                with self._changed:
                    self._error = e
                    self._changed.notify_all()
                return
            with self._changed:
                self._done += 1
                self._changed.notify_all()

    def wait_for(self, name: str) -> None:
        position = self._position[name]
        with self._changed:
            while self._done <= position and self._error is None:
                self._changed.wait()
            if self._done <= position:
                assert self._error is not None
                raise self._error

    def stop(self) -> None:
        """Stops creating (what exists stays: teardown deletes it) and waits for the thread."""
        self._stopping = True
        self._thread.join()
