"""For the tests of `netlab ui`: its real server (uvicorn, on a free loopback port, in a thread) and a real
browser (Debian's chromium, headless, driven by selenium through Debian's chromedriver)."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from netlab.ui import server
from netlab.ui.lab import LabView

ROOT = Path(__file__).parents[1]
ARTIFACTS = Path(os.environ.get("NETLAB_ARTIFACTS", ROOT / ".cache" / "artifacts"))
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@dataclass(frozen=True)
class Running:
    view: LabView
    port: int
    token: str

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return server.url("127.0.0.1", self.port, self.token)


@contextmanager
def running(source: str) -> Iterator[Running]:
    """`netlab ui SOURCE --port 0` in this process; stopped when the block ends."""
    view = LabView(source)
    token = server.new_token()
    sock = server.bind("127.0.0.1", 0)
    uv = server.server(view, sock, token)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert uv.started, "the ui server did not start"
    try:
        yield Running(view, sock.getsockname()[1], token)
    finally:
        uv.should_exit = True
        thread.join(10)
        sock.close()


def browser_missing() -> str | None:
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        return "Debian's chromium and chromium-driver are not installed (scripts/setup installs them)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return None


@contextmanager
def browser() -> Iterator[Any]:
    """Headless chromium. In CI a missing browser fails the test: the browser tests must run there."""
    missing = browser_missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    profile = tempfile.mkdtemp(prefix="netlab-ui-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # This machine's network is closed: without these, chromium tries Google's hosts at every start.
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1600,1000", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait_for(driver: Any, script: str, timeout: float = 15) -> Any:
    """Until the page's `script` (a JavaScript expression) is truthy; its value."""
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, timeout).until(lambda d: d.execute_script(f"return {script}"))


def screenshot(driver: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path
