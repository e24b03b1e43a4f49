"""Schemathesis: generated requests (valid and invalid) against the app's own OpenAPI schema.

Every response must match what /openapi.json declares (status, content type, body, headers),
no request may cause a 500, and schema-invalid input must be rejected with a 4xx.

One built-in check is replaced: `positive_data_acceptance` expects every schema-valid body to be
accepted, but a question can fit the schema (a string of 1 to max_question_chars characters)
and still not be text a person wrote (control characters, no letters, only spaces). JSON Schema
cannot say "looks like a question", so those are refused with a 422 on purpose;
`rejections_of_valid_data_explain_the_question` allows exactly that and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from api.app import create_app
from api.build import build_all
from api.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    built = Settings(data_dir=tmp_path_factory.getbasetemp() / "bilex-data",
                     rate_limit="100000/minute")
    build_all(built)  # a no-op when another module built it already
    application = create_app(built)
    with TestClient(application):  # runs the lifespan: the bot is loaded once for the module
        yield application


@pytest.fixture(scope="module")
def api_schema(app: FastAPI) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", app)


OPERATIONS = [("POST", "/ask"), ("GET", "/passages/{passage_id}"), ("GET", "/articles/{article_id}"),
              ("GET", "/sources"), ("GET", "/about"), ("GET", "/health"), ("GET", "/metrics"),
              ("GET", "/align/articles"), ("GET", "/align/units"), ("POST", "/align/reports"),
              ("GET", "/align/reports"), ("GET", "/align/reports.json"), ("GET", "/align/reports.csv"),
              ("GET", "/align/export.tmx"), ("GET", "/align/export.csv"), ("GET", "/align/glossary"),
              ("GET", "/align/glossary.csv"), ("GET", "/align/glossary.tbx"), ("GET", "/suggest"),
              ("POST", "/feedback"),
              ("GET", "/feedback.json"), ("GET", "/feedback.csv"), ("GET", "/analytics")]
ADMIN = ("/feedback.json", "/feedback.csv", "/analytics", "/align/reports",
         "/align/reports.json", "/align/reports.csv")  # 403 for the test client (not loopback)
NOT_TEXT = ("the question is empty", "does not look like text")


def rejections_of_valid_data_explain_the_question(ctx: Any, response: Any, case: Any) -> None:
    """A schema-valid request is accepted, or refused (422) because its question is not text."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code < 400:
        return
    if response.status_code == 403 and case.operation.path in ADMIN:
        return
    if response.status_code == 404 and (case.operation.method.upper() == "GET"  # unknown ids
                                        or case.operation.path == "/align/reports"):
        return
    body = response.json()
    assert response.status_code == 422 and any(reason in body["error"] for reason in NOT_TEXT), (
        f"valid data refused with {response.status_code}: {body}")


def test_schema_lists_every_operation(api_schema: Any) -> None:
    found = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


# Negative data exists only where there is input to break: the bodies of POST /ask and
# POST /align/reports, and the query of GET /align/units (a string path parameter has no
# invalid value, and the other routes take nothing).
CASES = [(method, path, GenerationMode.POSITIVE) for method, path in OPERATIONS] + [
    ("POST", "/ask", GenerationMode.NEGATIVE), ("POST", "/align/reports", GenerationMode.NEGATIVE),
    ("POST", "/feedback", GenerationMode.NEGATIVE), ("GET", "/suggest", GenerationMode.NEGATIVE),
    ("GET", "/align/units", GenerationMode.NEGATIVE)]


@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_operation_conforms_to_its_schema(api_schema: Any, method: str, path: str,
                                          mode: GenerationMode) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=30, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        response = case.call()
        excluded = [positive_data_acceptance]
        if response.status_code == 413:  # a body over the size limit is refused before parsing
            excluded.append(negative_data_rejection)
        case.validate_response(response, excluded_checks=excluded,
                               additional_checks=[rejections_of_valid_data_explain_the_question])
        assert "traceback" not in response.text.lower()
        if response.status_code >= 400:
            body = response.json()
            assert body == {"ok": False, "error": body["error"], "status": response.status_code}

    check()
