"""A real uvicorn server (in a thread, on a free loopback port) and a real Chromium (Playwright)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from api.app import create_app
from api.build import build_all
from api.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerThread:
    """`bilex serve` in a thread: the app as the CLI builds it, on 127.0.0.1:<free port>."""

    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port,
                                log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="bilex-e2e-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 120
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the Bilex server did not start (see the log above)")
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture(scope="session")
def e2e_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    built = Settings(data_dir=tmp_path_factory.getbasetemp() / "bilex-data", rate_limit="1000/minute")
    build_all(built)  # a no-op when the API tests built it already
    return built


@pytest.fixture(scope="session")
def server(e2e_settings: Settings) -> Iterator[ServerThread]:
    with ServerThread(e2e_settings) as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium; "
                    ".ci/run does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def context(browser: Any, server: ServerThread) -> Iterator[Any]:
    """A fresh browser profile (empty localStorage), French locale, desktop width."""
    ctx = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900},
                              base_url=server.url)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    yield ctx
    ctx.close()


def open_page(context: Any, path: str, console: tuple[str, ...] = ("error",)) -> Iterator[Any]:
    """A page of ours, loaded; fails the test on any script error or CSP violation, or on a
    console message of the given levels."""
    new_page = context.new_page()
    problems: list[str] = []
    new_page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    new_page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}")
                if msg.type in console else None)
    new_page.goto(path)
    new_page.wait_for_selector("body.ready")
    yield new_page
    assert not problems, problems


@pytest.fixture()
def page(context: Any) -> Iterator[Any]:
    """The chat page, loaded."""
    yield from open_page(context, "/")
