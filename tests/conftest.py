"""Shared test set-up: kernel tests need root, and the test suite must leave nothing behind.

At the end of the session the leak detector (`netlab doctor --leaks`) runs; anything it finds that was not
there at the start fails the run. In CI, labs that an earlier run left when it was killed (its builder is gone)
are taken down first: the tests use fixed lab names, and a stale `ap-crash` would fail them all at setup.
"""

from __future__ import annotations

import os

import pytest

from netlab.lifecycle import leaks


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.geteuid() == 0:
        return
    skip = pytest.mark.skip(reason="kernel test: needs root")
    for item in items:
        if "kernel" in item.keywords:
            item.add_marker(skip)


def leftovers() -> set[tuple[str, str, str]]:
    if os.geteuid() != 0:
        return set()  # other users' namespaces and processes cannot be looked into
    return {(leak.kind, leak.lab, leak.what) for leak in leaks.find()}


def take_down_orphaned_labs() -> None:
    """On a CI machine every lab belongs to a test run; one whose builder process is dead and that no netlab is
    working on was left by a run that was killed."""
    from netlab import state
    from netlab.lifecycle import down
    for lab in state.list_labs():
        pid = state.LabState(lab).meta().get("pid")
        if isinstance(pid, int) and not os.path.exists(f"/proc/{pid}") and not state.is_locked(lab):
            print(f"\nCI: taking down lab {lab!r}, left by a killed run (pid {pid})")
            down.down(lab)


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.geteuid() == 0 and os.environ.get("CI") == "true":
        take_down_orphaned_labs()
    session.config.stash[LEFT_BEFORE] = leftovers()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    leaked = sorted(leftovers() - session.config.stash[LEFT_BEFORE])
    if leaked:
        print(f"\nLEAK: the tests left {len(leaked)} thing(s) carrying a netlab mark (netlab doctor --leaks):")
        for kind, lab, what in leaked[:20]:
            print(f"  {kind:10} {lab:12} {what}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


LEFT_BEFORE = pytest.StashKey[set[tuple[str, str, str]]]()
