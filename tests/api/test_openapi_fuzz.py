"""The OpenAPI document states what the server enforces: a bounded, seeded schemathesis run
over every operation finds no server error and no response that disagrees with the schema.

Driven through schemathesis's Python API (each operation's Hypothesis strategy) rather than
its pytest plugin, which does not load under this pytest; the checks are the same
(``case.call_and_validate``: no 5xx, documented status codes, content types and bodies)."""

from __future__ import annotations

import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from api.app import create_app

EXAMPLES_PER_OPERATION = 25
# Generous: a generated POST /analyze body can hold hundreds of texts, and CI machines are
# shared; the server's own limit (api/analysis_work.TIME_LIMIT_S) answers before this.
REQUEST_TIMEOUT_S = 120
# No server error, and every answer as described: status code, media type, headers, body.
# (Not "schema-valid requests are accepted": rules such as date_from ≤ date_to or the search
# syntax cannot be written in OpenAPI; they are stated in the descriptions and answered with
# a documented 400/422.)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


def test_every_operation_keeps_its_description(settings, store):
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(settings, store))
    failures: dict[str, str] = {}
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(operation.as_strategy())
        @hypothesis_settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            case.call_and_validate(checks=CHECKS, timeout=REQUEST_TIMEOUT_S)

        try:
            run()
        except BaseException as exc:  # noqa: B902 — hypothesis raises an exception group; collect every operation's first failure, then report them all
            failures[operation.label] = str(exc)[:1500]
    assert operations >= 15
    assert not failures, "\n\n".join(f"{label}:\n{why}" for label, why in failures.items())
