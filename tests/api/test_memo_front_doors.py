"""Issue #18: a memo can be submitted from every front door that drafts one (REST, CLI, the sidebar), a
submitted memo goes on a limit request and the approver's card links to it; the sidebar's hint follows the
proposal (a freeze is a freeze, no figure equal to the current limit); no page shows an engine code."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from api.launch import sign_launch
from creditdesk.wiring import Container
from tests.api.conftest import ANNA, NORTH_CLIENT, SOUTH_RM

# an engine or policy code written as code: cap_ebitda, no_increase, above_recommendation, conc_group …
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def _shown(page: str) -> str:
    """The page's visible text and attribute-borne messages (the hint's templates live in data-*)."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    attrs = " ".join(re.findall(r'data-(?:text|figure|partial|use)="([^"]*)"', page))
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + attrs)


def _launch(container: Container, ref: str, officer: str = ANNA) -> str:
    return sign_launch(container.settings.sidebar_key, officer, ref)  # type: ignore[arg-type]


def _approver_of(container: Container, request_id: str) -> str:
    return next(
        o.officer_id
        for o in container.adapter.list_officers()
        if any(
            r.request_id == request_id
            for r in container.approvals.list_awaiting(container.actor(o.officer_id))
        )
    )


def test_a_memo_is_submitted_over_rest_attached_and_linked_on_the_approvers_card(
    client: TestClient, demo_container: Container, token_for: Callable[[str], dict[str, str]],
    anna: dict[str, str],
) -> None:  # fmt: skip
    drafted = client.post(f"/api/v1/clients/{NORTH_CLIENT}/memos", headers=anna)
    assert drafted.status_code == 201 and drafted.json()["status"] == "draft"
    memo_id, version = drafted.json()["memo_id"], drafted.json()["version"]
    body = {"client_id": NORTH_CLIENT, "kind": "increase", "facility_id": "F-1001-1", "new_limit": "400k",
            "reason": "seasonal stock build", "memo_id": memo_id}  # fmt: skip
    draft_refused = client.post(
        "/api/v1/approvals", headers={**anna, "Idempotency-Key": "memo-door-0"}, json=body
    )
    assert draft_refused.status_code == 409 and "draft" in draft_refused.json()["detail"]

    url = f"/api/v1/memos/{memo_id}/submit"
    assert client.post(url, headers=token_for(SOUTH_RM)).status_code == 404  # outside the scope: not found
    lead = client.post(url, headers=token_for("lead.north"))  # sees the client, neither author nor its RM
    assert lead.status_code == 403 and "author" in lead.json()["detail"]
    submitted = client.post(url, headers=anna)
    assert submitted.status_code == 200, submitted.text
    assert (submitted.json()["memo_id"], submitted.json()["status"]) == (memo_id, "submitted")
    assert client.post(url, headers=anna).status_code == 409  # once only
    events = demo_container.audit.events_for("memo", str(memo_id))
    assert [e.action for e in events].count("memo.submitted") == 1
    # immutable: drafting again makes a new version, a draft; the submitted one is unchanged
    again = client.post(f"/api/v1/clients/{NORTH_CLIENT}/memos", headers=anna).json()
    assert (again["version"], again["status"]) == (version + 1, "draft")
    assert client.get(f"/api/v1/memos/{memo_id}", headers=anna).json()["status"] == "submitted"

    raised = client.post("/api/v1/approvals", headers={**anna, "Idempotency-Key": "memo-door-1"}, json=body)
    assert raised.status_code == 201, raised.text
    request_id = raised.json()["request_id"]
    assert raised.json()["memo_id"] == memo_id

    approver = _approver_of(demo_container, request_id)
    client.get("/dashboard", params={"token": _launch(demo_container, "", approver)})
    for lang in ("en", "zh"):
        page = client.get("/dashboard", params={"lang": lang}).text
        card = page.split(f'id="request-{request_id}"', 1)[1].split("</li>\n", 1)[0]
        assert f'href="/api/v1/memos/{memo_id}/download?format=pdf"' in card
        assert SNAKE.findall(_shown(card)) == [], lang
        if lang == "en":  # ACME's proposal keeps the limit: no "target" equal to the current total is shown
            said = _shown(card.split('data-field="recommendation">', 1)[1].split("</dd>", 1)[0])
            assert "Maintain" in said and "target" not in said and "recommended client total" in said
    pdf = client.get(f"/api/v1/memos/{memo_id}/download", params={"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"


def test_the_cli_submits_the_draft_and_approvals_raise_attaches_it(
    demo_cli, demo_container: Container
) -> None:  # type: ignore[no-untyped-def]
    result = demo_cli("memo", str(NORTH_CLIENT), "--as", ANNA, "--submit")
    assert result.exit_code == 0, result.output
    latest = demo_container.memos.list_versions(demo_container.actor(ANNA), NORTH_CLIENT)[0]
    assert latest.status == "submitted"
    assert f"Memo {latest.memo_id} (v{latest.version}) submitted" in result.output
    raised = demo_cli("approvals", "raise", str(NORTH_CLIENT), "--facility", "F-1001-1", "--new-limit", "400k",
                      "--reason", "seasonal stock build", "--memo", str(latest.memo_id), "--as", ANNA, "--json")  # fmt: skip
    assert raised.exit_code == 0, raised.output
    assert f'"memo_id": {latest.memo_id}' in raised.output
    request_id = re.search(r'"request_id": "(AR-\d+)"', raised.output)[1]  # type: ignore[index]
    shown = demo_cli("approvals", "show", request_id, "--as", ANNA)
    assert shown.exit_code == 0 and f"review memo {latest.memo_id} attached" in shown.output
    # a submitted memo is never changed: the next --submit drafts a new version and submits that one
    assert demo_cli("memo", str(NORTH_CLIENT), "--as", ANNA, "--submit").exit_code == 0
    versions = demo_container.memos.list_versions(demo_container.actor(ANNA), NORTH_CLIENT)
    assert [(v.version, v.status) for v in versions[:2]] == [(latest.version + 1, "submitted"),
                                                               (latest.version, "submitted")]  # fmt: skip


@pytest.mark.parametrize(("client_id", "action", "mode"), [
    (1004, "freeze", "freeze"), (1003, "decrease", "change"), (1005, "increase", "change"),
    (NORTH_CLIENT, "maintain", "keep"),
])  # fmt: skip
def test_the_sidebar_hint_follows_the_proposal(
    client: TestClient, demo_container: Container, client_id: int, action: str, mode: str
) -> None:
    a = demo_container.credit_engine.assess_client(
        demo_container.actor(ANNA), client_id, as_of=demo_container.today()
    )
    assert a.proposal.action == action
    for lang in ("en", "zh"):
        page = client.get(f"/sidebar/{client_id}", params={"token": _launch(demo_container, str(client_id)),
                                                           "lang": lang}).text  # fmt: skip
        hint = page.split('id="target-hint"', 1)[1].split(">", 1)[0]
        assert f'data-mode="{mode}"' in hint
        tags = re.findall(r"<option [^>]*data-limit=[^>]*>", page)
        options = [(re.search(r'data-limit="([^"]+)"', t)[1], (re.search(r'data-suggested="([^"]+)"', t) or ["", ""])[1])
                   for t in tags]  # fmt: skip
        assert options and all(s == "" or Decimal(s) != Decimal(limit) for limit, s in options)
        if mode != "change":
            assert all(s == "" for _, s in options), "a freeze or a maintain offers no figure"
        else:
            assert any(s for _, s in options)
        assert SNAKE.findall(_shown(page)) == [], (lang, SNAKE.findall(_shown(page)))
        assert ('id="use-freeze"' in page) and (mode != "freeze" or "改为申请冻结" in page or lang == "en")
    if mode == "freeze":
        english = html.unescape(client.get(f"/sidebar/{client_id}", params={"lang": "en"}).text)
        assert "Proposal: freeze the client's lines, not a new limit" in english
        assert "Propose a freeze instead" in english


def test_the_preview_names_the_binding_constraint_in_the_readers_language(
    client: TestClient, anna: dict[str, str]
) -> None:
    url = f"/api/v1/clients/{NORTH_CLIENT}/limit-requests/prepare"
    said = {}
    for lang in ("en", "zh"):
        resp = client.post(url, headers={**anna, "Accept-Language": lang},
                           json={"facility_id": "F-1001-1", "new_limit": "3M"})  # fmt: skip
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert body["binding"] == "no_increase"  # the code stays for API clients …
        said[lang] = body["said"]
        words = " ".join([said[lang]["binding"], *said[lang]["concentration"], *said[lang]["exceptions"],
                          *said[lang]["chain"]])  # fmt: skip
        assert SNAKE.findall(words) == [], (lang, words)  # … the words never show it
    assert said["en"]["binding"] == "No increase at this grade" and said["zh"]["binding"] == "该评级不得提额"
    assert any("该评级不得提额" in line for line in said["zh"]["exceptions"])
    assert said["zh"]["chain"] and all(not re.search(r"[A-Za-z]", name) for name in said["zh"]["chain"])


def test_the_preview_says_the_kind_and_why_the_chain_goes_that_high_as_the_cli_does(
    client: TestClient, anna: dict[str, str]
) -> None:
    """A freeze reduces exposure: the risk-reducing level (1, Team lead) decides, whatever the grade; the
    same words `creditdesk approvals raise --preview` prints after "routing:" (tools/approvals/preview)."""
    url = f"/api/v1/clients/{NORTH_CLIENT}/limit-requests/prepare"
    said = {}
    for lang in ("en", "zh"):
        resp = client.post(url, headers={**anna, "Accept-Language": lang},
                           json={"facility_id": "F-1001-1", "kind": "freeze", "reason": "x"})  # fmt: skip
        assert resp.status_code == 200, resp.text
        said[lang] = resp.json()["said"]
    assert (said["en"]["kind"], said["zh"]["kind"]) == ("freeze", "冻结")
    assert said["en"]["routing"] == ["a freeze reduces exposure: Team lead decides"]
    assert said["zh"]["routing"] == ["冻结降低风险敞口：由团队负责人审批"]
    assert (said["en"]["chain"], said["zh"]["chain"]) == (["Team lead"], ["团队负责人"])
