"""The API tests talk to the app through Starlette's TestClient, whose requests carry
`Host: testserver`: that name is trusted here as a deployment would trust its own
(BILEX_TRUSTED_HOSTS), before any Settings object is built."""

from __future__ import annotations

import os

os.environ.setdefault("BILEX_TRUSTED_HOSTS", "127.0.0.1,localhost,testserver")
