"""The edge: settings, the `bilex` CLI and the FastAPI service with its web pages."""
