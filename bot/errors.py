"""Errors raised by the bot layer.

    BotError                    base
    ├── QuestionError           the question itself is unusable (empty, too long, garbage)
    ├── OptionError             a bad `lang` or `k`
    └── NotFoundError           no passage or article with that id

Each message says what to fix; `api/errors.py` maps them to HTTP 4xx.
"""

from __future__ import annotations


class BotError(Exception):
    """Base class for the bot layer."""


class QuestionError(BotError, ValueError):
    """The question is empty, too long, or not text a person wrote."""


class OptionError(BotError, ValueError):
    """`lang` is not 'fr'/'en', or `k` is out of range."""


class NotFoundError(BotError, LookupError):
    """No passage or article has the requested id."""
