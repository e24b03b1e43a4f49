"""`bilex serve`: uvicorn configured to hold (see README, "Serving behind a proxy").

- `X-Forwarded-For` is believed only from BILEX_FORWARDED_ALLOW_IPS (default: from nobody;
  uvicorn's own default trusts loopback, which let any local proxy or client pick its address);
- idle keep-alive connections close after `KEEP_ALIVE` seconds, at most `MAX_CONNECTIONS`
  requests are in progress at once (uvicorn answers 503 beyond), a request body must keep
  arriving (`api.guard.BODY_TIMEOUT`) and headers stay under `api.guard.MAX_HEADER_BYTES`;
- the banner is printed once the index is loaded and the port is bound, not before;
- SIGHUP loads a rebuilt index beside the serving one and switches to it (`api.load`).
"""

from __future__ import annotations

import socket
import sys

import uvicorn

from api.app import create_app
from api.settings import Settings

KEEP_ALIVE = 5
MAX_CONNECTIONS = 512
GRACEFUL = 10


class BannerServer(uvicorn.Server):
    """uvicorn's server, saying where it serves only once it does."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            config = self.config
            sys.stderr.write(f"Bilex is serving on http://{config.host}:{config.port} "
                             f"(kill -HUP to load a rebuilt index)\n")
            sys.stderr.flush()


def uvicorn_config(settings: Settings) -> uvicorn.Config:
    allowed = settings.forwarded_allow_ips.strip()
    return uvicorn.Config(
        create_app(settings, reload_on_hup=True), host=settings.host, port=settings.port,
        log_level="warning", proxy_headers=bool(allowed), forwarded_allow_ips=allowed or "",
        timeout_keep_alive=KEEP_ALIVE, limit_concurrency=MAX_CONNECTIONS,
        timeout_graceful_shutdown=GRACEFUL, server_header=False)


def run(settings: Settings) -> None:
    """Serve until SIGINT/SIGTERM."""
    BannerServer(uvicorn_config(settings)).run()
