"""The aligned unit that `bilex align` prints: lines of English and French that correspond."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BitextUnit:
    """Lines that translate each other, joined by "\\n" ("" for a side with no counterpart),
    with their 1-based line numbers in the two input texts."""

    en: str
    fr: str
    section: str | None
    confidence: float
    flags: tuple[str, ...]
    en_lines: tuple[int, ...]
    fr_lines: tuple[int, ...]

    def as_dict(self) -> dict[str, object]:
        """The JSON object of the contract (`en`, `fr`, `section`, `confidence`, `flags`)."""
        return {
            "en": self.en,
            "fr": self.fr,
            "section": self.section,
            "confidence": self.confidence,
            "flags": list(self.flags),
            "en_lines": list(self.en_lines),
            "fr_lines": list(self.fr_lines),
        }
