"""The shipped manual states the same figures as the credit engine's policy YAML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from knowledge.ingest import DEFAULT_POLICY_DIR
from knowledge.loaders import load_document

POLICY_YAML = Path(__file__).parents[2] / "tools" / "policy" / "default_policy.yaml"
MANUAL = DEFAULT_POLICY_DIR / "credit-policy-manual.md"
SUMMARY_ZH = DEFAULT_POLICY_DIR / "credit-policy-summary.zh.md"


@pytest.fixture(scope="module")
def policy() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(POLICY_YAML.read_text(encoding="utf-8"))


def _section(path: Path, heading: str) -> str:
    """Text of the section whose heading starts with `heading` (up to the next heading)."""
    blocks = load_document(path).blocks
    start = next(i for i, b in enumerate(blocks) if b.kind == "heading" and b.text.startswith(heading))
    out = []
    for block in blocks[start + 1 :]:
        if block.kind == "heading":
            break
        out.append(block.text)
    return "\n".join(out)


def _rows(text: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("|").split("|")] for line in text.splitlines()
            if line.startswith("|") and not line.startswith("|---")][1:]  # fmt: skip


def _pct(share: float) -> str:
    return f"{share * 100:g}%"


def _grade_bands(bands: list[dict], key: str, value: str) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    """YAML bands by max grade merged into "first–last" ranges with the same value, as the tables show."""
    out: list[tuple[str, str]] = []
    low = 1
    for band in bands:
        label = value.format(band[key])
        if out and out[-1][1] == label:
            low = int(out[-1][0].split("–")[0])
            out.pop()
        out.append((f"{low}–{band['max_grade']}", label))
        low = band["max_grade"] + 1
    return out


def test_version_matches(policy: dict) -> None:  # type: ignore[type-arg]
    for path in (MANUAL, SUMMARY_ZH):
        assert load_document(path).version == policy["version"]


def test_rating_scale(policy: dict) -> None:  # type: ignore[type-arg]
    rows = _rows(_section(MANUAL, "2.1 Rating master scale"))
    expected = [
        [str(g["grade"]), g["name"], str(g["min_score"]), f"{g['pd'] * 100:.2f}%"]
        for g in policy["rating"]["grades"]
    ]
    assert rows == expected
    assert f"{policy['rating']['default_dpd']} or more days past due" in _section(MANUAL, "2.2 Default")


def test_review_cadence(policy: dict) -> None:  # type: ignore[type-arg]
    review = policy["review"]
    rows = [tuple(r) for r in _rows(_section(MANUAL, "3.1 Review frequency"))]
    assert rows == _grade_bands(review["frequency_months_by_grade"], "months", "{} months")
    [override] = review["exposure_overrides"]
    text = _section(MANUAL, "3.1 Review frequency")
    assert (
        f"{override['min_exposure']:,} or more is reviewed at least every {override['max_months']} months"
        in text
    )
    assert f"{review['due_horizon_days']} days before" in text
    zh = [tuple(r) for r in _rows(_section(SUMMARY_ZH, "3.1"))]
    assert zh == [(f"{g}级", f"每{m.split()[0]}个月") for g, m in rows]


def test_authority_matrix(policy: dict) -> None:  # type: ignore[type-arg]
    authority = policy["authority"]
    for path, unbounded, hours in ((MANUAL, "no upper bound", "{} hours"), (SUMMARY_ZH, "无上限", "{}小时")):
        heading = "7.1 Authority levels" if path == MANUAL else "7 多层次审批机制"
        rows = _rows(_section(path, heading))
        assert [(r[0], r[2], r[3]) for r in rows] == [
            (str(lv["level"]), f"{lv['max_group_exposure']:,}" if lv["max_group_exposure"] else unbounded,
             hours.format(lv["sla_hours"])) for lv in authority["levels"]]  # fmt: skip
    assert [r[1] for r in _rows(_section(MANUAL, "7.1"))] == [lv["name"] for lv in authority["levels"]]
    floors = _section(MANUAL, "7.3 Weak grades")
    for floor in authority["grade_floors"]:
        assert f"grade {floor['min_grade']} or worse" in floors and f"(level {floor['level']})" in floors
    assert f"quorum of {authority['levels'][-1]['quorum']}" in _section(MANUAL, "7.1")
    stale = _section(MANUAL, "7.5 Stale requests")
    assert (
        _pct(authority["stale"]["exposure_change"]) in stale
        and _pct(authority["stale"]["recommendation_change"]) in stale
    )


def test_concentration_limits(policy: dict) -> None:  # type: ignore[type-arg]
    c = policy["concentration"]
    rows = {r[0]: r[1:] for r in _rows(_section(MANUAL, "8.1 Concentration limits"))}
    assert rows["Any one industry"][0] == _pct(c["industry"]["max_share"])
    for industry, share in c["industry_overrides"].items():
        assert rows[industry.capitalize()][0] == _pct(share)
    assert rows["Any one region"][0] == _pct(c["region"]["max_share"])
    assert rows["Any one size segment"][0] == _pct(c["size_segment"]["max_share"])
    for label, key in (("Single name", "single_name"), ("Group of connected clients", "group")):
        assert rows[label] == [_pct(c[key]["max_share"]), _pct(c[key]["max_share_of_capital"])]
    zh = {r[0]: r[1:] for r in _rows(_section(SUMMARY_ZH, "8 风险分散"))}
    assert zh["单一客户"] == rows["Single name"] and zh["关联集团"] == rows["Group of connected clients"]
    assert f"{int(policy['capital_base']):,}" in _section(MANUAL, "1.3 Definitions")


def test_contact_frequency_and_warnings(policy: dict) -> None:  # type: ignore[type-arg]
    contact = policy["contact"]
    text = _section(MANUAL, "10.1 Contact frequency")
    assert [tuple(r) for r in _rows(text)] == _grade_bands(
        contact["frequency_days_by_grade"], "days", "{} days"
    )
    assert f"amber warning: every {contact['amber_days']} days" in text
    assert f"red warning: every {contact['red_days']} days" in text
    follow_up = _section(MANUAL, "6.3 Watch-list")
    assert (
        f"within {contact['amber_days']} days" in follow_up
        and f"within {contact['red_days']} days" in follow_up
    )


def test_early_warning_thresholds(policy: dict) -> None:  # type: ignore[type-arg]
    ews = policy["ews"]
    rows = {r[0]: r[1:] for r in _rows(_section(MANUAL, "6.2 Early-warning indicators"))}
    assert rows["New past due (days past due)"] == [
        f"{ews['new_past_due']['amber']} day",
        f"{ews['new_past_due']['red']} days",
    ]
    assert rows["High utilisation"] == [
        _pct(ews["high_utilisation"]["amber"]),
        _pct(ews["high_utilisation"]["red"]),
    ]
    inflow = rows["Drop in bank inflows (last 3 months vs. the 9 before)"]
    assert inflow == [_pct(ews["inflow_drop"]["amber"]), _pct(ews["inflow_drop"]["red"])]
    assert (
        rows["Outstanding above the limit (share of the limit)"][1]
        == f"more than {_pct(ews['limit_excess']['red'])}"
    )
    assert rows["Rating downgrade since the previous review"] == [
        "1 notch",
        f"{ews['rating_downgrade']['red']} notches",
    ]
    stmt = ews["statements_overdue"]
    assert rows["Latest financial statements older than"] == [
        f"{stmt['amber_months']} months",
        f"{stmt['red_months']} months",
    ]
    assert rows["Credit insurance"][0] == f"cover expiring within {ews['insurance']['expiring_days']} days"
    assert (
        rows["Concentration (use of the name or group limit)"][0]
        == f"{_pct(ews['concentration']['amber_share_of_limit'])} or more"
    )
    assert f"within {ews['adverse_signal']['window_days']} days" in str(rows.keys())


def test_limits_adjustment_and_insurance(policy: dict) -> None:  # type: ignore[type-arg]
    limits, adj, ins = policy["limits"], policy["adjustment"], policy["insurance"]
    caps = _rows(_section(MANUAL, "4.3 Rating-based caps"))
    assert caps == [[str(c["grade"]), f"{c['ebitda_multiple']}x", _pct(c["revenue_share"]), f"{c['equity_multiple']}x",
                     _pct(c["flow_share"])] for c in limits["caps_by_grade"]]  # fmt: skip
    need = _section(MANUAL, "4.2 Business need")
    assert _pct(limits["need"]["buffer"]) in need and f"{limits['need']['flow_months']} months" in need
    assert f"at least {limits['need']['min_ccc_days']} days" in need
    weak = _section(MANUAL, "4.5")
    assert f"grade {limits['no_increase_from_grade']} onwards" in weak and f"{limits['rounding']:,}" in weak
    assert f"{limits['minimum']:,}" in weak
    assert _pct(ins["max_uplift_share"]) in _section(MANUAL, "4.4")
    increase = _section(MANUAL, "5.2 Increase")
    assert (
        _pct(adj["increase_gap"]) in increase and f"grade {adj['increase_max_grade']} or better" in increase
    )
    assert _pct(adj["increase_min_utilisation"]) in increase
    decrease = _section(MANUAL, "5.3 Decrease")
    assert _pct(adj["decrease_gap"]) in decrease and f"{adj['downgrade_notches']} notches" in decrease
    assert _pct(adj["low_utilisation"]) in decrease
    assert f"{adj['freeze_dpd']} or more days past due" in _section(MANUAL, "5.4 Freeze")
    cover = _section(MANUAL, "9.1 When cover is required")
    assert f"grade {ins['required_from_grade']} or worse" in cover and _pct(ins["min_cover_ratio"]) in cover
    assert ins["required_products"] == ["trade_credit"] and "trade-credit lines" in cover
    expiry = _section(MANUAL, "9.3")
    assert f"within {ins['expiring_days']} days" in expiry and _pct(policy["lgd"]["insured_lgd"]) in expiry
    assert re.search(rf"halves every {policy['reputation']['half_life_days']} days", _section(MANUAL, "3.5"))
