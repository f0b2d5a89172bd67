"""Property-based walk of the OpenAPI schema (schemathesis, in-process ASGI): no 5xx anywhere."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from api.app import create_app
from creditdesk.wiring import Container
from tests.conftest import _demo_template, make_container  # noqa: F401

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api_schema(_demo_template, tmp_path_factory):  # type: ignore[no-untyped-def]  # noqa: F811
    import shutil

    home = tmp_path_factory.mktemp("schemathesis") / "home"
    shutil.copytree(_demo_template, home)
    container: Container = make_container(home)
    from bot.brains.offline.classifier import classifier

    classifier()  # the offline brain's intent classifier trains once per process, not within a request timeout
    token = container.tokens.create("rm.anna").token
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(container))
    return schema, {"Authorization": f"Bearer {token}"}, hasattr(type(container), "policy_store")


def test_no_server_errors(api_schema) -> None:  # type: ignore[no-untyped-def]
    schema, headers, knowledge_wired = api_schema
    failures: list[str] = []
    for op in schema.get_all_operations():
        operation = op.ok()
        if operation.path.endswith("/stream"):
            continue  # an event stream; covered by the assistant tests
        if operation.path.startswith("/api/v1/knowledge") and not knowledge_wired:
            continue  # the knowledge base (issue 4) is not wired into the container yet

        @settings(max_examples=5, deadline=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(case=operation.as_strategy())
        def run(case) -> None:  # type: ignore[no-untyped-def]
            resp = case.call(headers=headers)
            if resp.status_code >= 500 and not (case.path == "/readyz" and resp.status_code == 503):
                failures.append(
                    f"{case.method} {case.formatted_path} -> {resp.status_code}: {resp.text[:200]}"
                )

        run()
    assert not failures, "\n".join(failures[:20])
