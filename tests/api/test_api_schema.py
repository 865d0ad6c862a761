"""A bounded schemathesis run over the OpenAPI spec: no input may cause a 5xx."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from api.app import create_app
from kg.graph.store import OxigraphGraphStore
from kg.ingest import ingest
from kg.reading.readers import read_articles
from kg.settings import Settings

SEED = Path(__file__).resolve().parents[2] / "seeds" / "soleimani-2020-01-05.txt"


@pytest.fixture(scope="module")
def api_schema(extractor):
    store = OxigraphGraphStore(None)
    ingest(read_articles([SEED]), extractor, store)
    # A token is set, so generated POST bodies are refused before any ingest runs.
    app = create_app(Settings(update_token="not-for-clients", sparql_timeout=2.0), store)
    app.state.extractor = extractor
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_no_input_causes_a_server_error(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 8, "every route is in the OpenAPI spec"
    failures = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def run(case) -> None:
            response = case.call()
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} {case.query}: "
                    f"{response.status_code} {response.text[:200]}"
                )

        run()
    assert not failures, "\n".join(failures)
