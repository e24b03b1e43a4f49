"""Fixtures for the indexer tests: the sample corpus and a guard that refuses the network."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from indexer_support import make_chunks

from indexer.chunk import Chunk


@pytest.fixture
def chunks() -> list[Chunk]:
    return make_chunks()


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test."""

    def refuse(self: socket.socket, address: Any, *args: Any) -> None:
        if self.family == socket.AF_UNIX:
            return original(self, address, *args)
        raise AssertionError(f"test tried to reach the network: {address!r}")

    original = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect", refuse)
