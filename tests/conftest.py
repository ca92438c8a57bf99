"""Shared test set-up: kernel tests need root, and no test may leave a netlab namespace behind."""

from __future__ import annotations

import os

import pytest

from netlab import naming
from netlab.kernel import netns


def netlab_namespaces() -> list[str]:
    return [n for n in netns.list_names() if naming.split_netns(n)]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.geteuid() == 0:
        return
    skip = pytest.mark.skip(reason="kernel test: needs root")
    for item in items:
        if "kernel" in item.keywords:
            item.add_marker(skip)


def netlab_workloads() -> set[int]:
    """Running netlab daemons (echo server, docker-proxy), wherever they are."""
    found = set()
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and b"netlab.workloads." in open(f"/proc/{entry}/cmdline", "rb").read():
                found.add(int(entry))
        except OSError:
            continue
    return found


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[LEFT_BEFORE] = set(netlab_namespaces())
    session.config.stash[RUNNING_BEFORE] = netlab_workloads()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    leaked = sorted(set(netlab_namespaces()) - session.config.stash[LEFT_BEFORE])
    if leaked:
        print(f"\nLEAK: the tests left {len(leaked)} netlab namespace(s): {', '.join(leaked[:10])}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    daemons = sorted(netlab_workloads() - session.config.stash[RUNNING_BEFORE])
    if daemons:
        print(f"\nLEAK: the tests left {len(daemons)} netlab daemon(s) running: pids {daemons[:10]}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


LEFT_BEFORE = pytest.StashKey[set[str]]()
RUNNING_BEFORE = pytest.StashKey[set[int]]()
