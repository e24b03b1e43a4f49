"""The HTTP bodies as pydantic models: the request is validated with them, the responses are
documented with them (routes return the bot's dicts as they are; CONTRACT.md is the shape).

Response models allow extra fields: the contract lets Bilex add fields, never drop one.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

OPEN = ConfigDict(extra="allow")


def _whole_number(value: object) -> object:
    """JSON Schema counts 5.0 as an integer, so `k` takes it too (5.5, "5" and true stay errors)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Integer = Annotated[int, BeforeValidator(_whole_number)]


class Turn(BaseModel):
    """An earlier turn of the conversation: what was asked, and the ids of the results shown."""

    model_config = ConfigDict(strict=True, extra="forbid")
    question: str = Field(max_length=100_000, description="The earlier question.")
    ids: list[str] = Field(default_factory=list, max_length=50,
                           description="Ids of the results shown for it, best first.")


class AskRequest(BaseModel):
    """The body of POST /ask. Length and `k` bounds come from the settings (see `create_app`)."""

    model_config = ConfigDict(strict=True, extra="forbid", json_schema_extra={
        "example": {"question": "Qui finance la convention de reclassement personnalisé ?"}})

    question: str = Field(description="The question, in French or English.")
    lang: Literal["fr", "en"] | None = Field(
        None, description="Answer language; null or absent: detected from the question.")
    k: Integer | None = Field(None, description="How many results at most (default from settings).")
    history: list[Turn] | None = Field(
        None, max_length=10, description="Earlier turns of the same conversation, oldest first "
                                         "(at most 10): a follow-up is answered in their light.")


class Side(BaseModel):
    """One language's text of a result, and the source file it comes from."""

    model_config = OPEN
    text: str
    source: str = Field(description="The source file's name.")


class Citation(BaseModel):
    """The formal citation in each language (null for a side the result does not have)."""

    model_config = OPEN
    fr: str | None
    en: str | None


class Alignment(BaseModel):
    """How sure the FR/EN pairing is, and what drift the checks saw."""

    model_config = OPEN
    confidence: float = Field(ge=0, le=1)
    flags: list[str] = Field(description="e.g. number_mismatch, reference_mismatch, "
                                         "term_inconsistent, length_ratio, unit_without_counterpart")


class Result(BaseModel):
    """One answer card: an aligned statute unit (both sides) or a commentary passage (one side)."""

    model_config = OPEN
    id: str
    kind: Literal["statute", "commentary"]
    score: float
    citation: Citation
    fr: Side | None
    en: Side | None
    alignment: Alignment | None


class Suggestions(BaseModel):
    """Completions of what is being typed, in the asked language."""

    model_config = OPEN
    suggestions: list[str]


class FeedbackRequest(BaseModel):
    """A "did this help?" answer about one answer."""

    model_config = ConfigDict(strict=True, extra="forbid")
    question: str = Field(min_length=1, max_length=2000)
    ids: list[str] = Field(default_factory=list, max_length=50)
    helpful: bool
    comment: str | None = Field(None, max_length=2000)
    lang: Literal["fr", "en"] | None = None


class FeedbackCreated(BaseModel):
    model_config = OPEN
    ok: Literal[True]
    id: int


class AskResponse(BaseModel):
    """The answer to one question; `answered` false means the sources do not cover it."""

    model_config = OPEN
    question: str
    language: Literal["fr", "en"]
    answered: bool
    message: str | None = Field(description="Why there is no answer, in `language`; null when answered.")
    results: list[Result]


class Health(BaseModel):
    """The service is up and its index loaded."""

    model_config = OPEN
    status: Literal["ok"]
    model: str = Field(description="The embedding model the index was built with.")
    units: int = Field(description="Aligned statute units (alinéas).")
    commentary: int = Field(description="Commentary passages.")
    sources: int
    articles: list[str]


class Source(BaseModel):
    """A source file as its manifest describes it; `provenance` gives each field's origin."""

    model_config = OPEN
    file: str
    kind: str
    languages: list[str]
    jurisdiction: str
    title: str
    provenance: dict[str, dict[str, Any]] = Field(
        description="Manifest field -> {\"value\", \"origin\"}: where each fact comes from.")


class About(BaseModel):
    """What the chat page says the sources are, per language (null: the page's generic text)."""

    model_config = OPEN
    title: dict[str, str] | None
    tagline: dict[str, str] | None
    intro: dict[str, str] | None
    placeholder: dict[str, str] | None
    examples: dict[str, list[str]] | None
    origin: str | None


class Sources(BaseModel):
    """The sources, the checks of second copies, and terms rendered more than one way."""

    model_config = OPEN
    sources: list[Source]
    copies: list[dict[str, Any]]
    term_variants: list[dict[str, Any]]
