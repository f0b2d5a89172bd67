"""Retrieval evaluation on the shipped policy manual: questions phrased unlike the text, expected sections.

Reports recall@1 and recall@5 for dense, lexical and hybrid retrieval (run with -s to see the table;
docs/knowledge-base.md records the figures). Targets: hybrid recall@5 >= 0.9 in English; Chinese works.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.ingest import ensure_default_policies
from knowledge.models import SECTION_SEPARATOR
from knowledge.store import PolicyStore, SearchMode
from tests.knowledge.conftest import open_store

EN = "credit-policy-manual"
ZH = "credit-policy-summary-zh"

ENGLISH: list[tuple[str, str]] = [
    ("How often do we need to re-assess a client rated 7?", "3.1 Review frequency"),
    ("Our biggest borrower has 25 million of lines - is a yearly check enough?", "3.1 Review frequency"),
    (
        "Which ratios should I look at in the balance sheet and P&L when doing the annual check?",
        "3.2 Financial condition analysis",
    ),
    (
        "The accounts we hold are from two years ago, can I still rely on them?",
        "3.2 Financial condition analysis",
    ),
    ("Compare recent money coming into the account with earlier months", "3.3 Bank-flow analysis"),
    ("What counts towards the payment track record, like late instalments?", "3.4 Repayment history"),
    ("How do lawsuits and bad press affect how we see the company?", "3.5 Market reputation"),
    ("What goes into the write-up at the end of the periodic assessment?", "3.6 The review memo"),
    ("How is the recommended amount of the facility determined?", "4.1 Principle"),
    ("How big a cushion on top of the working capital gap do we allow?", "4.2 Business need"),
    ("What multiple of EBITDA can a grade 3 company borrow?", "4.3 Rating-based caps"),
    ("Does having trade credit cover let us lend more?", "4.4 Insurance uplift"),
    ("Can a grade 9 company get a bigger line?", "4.5 Weak grades, rounding and minimum"),
    ("When will the system suggest raising a customer's limit?", "5.2 Increase"),
    ("Under what conditions is a facility cut back?", "5.3 Decrease"),
    ("When do we stop further drawdowns on a line?", "5.4 Freeze"),
    ("Can the assistant change a limit on its own?", "5.5 Decisions stay with people"),
    ("At what usage level does a utilisation warning go red?", "6.2 Early-warning indicators"),
    ("What signal do we get when deposits into the account fall sharply?", "6.2 Early-warning indicators"),
    ("How quickly must I call a client after an amber alert?", "6.3 Watch-list and follow-up"),
    ("Who signs off a request taking the group to 3 million?", "7.1 Authority levels"),
    ("How many committee members must be present to decide?", "7.1 Authority levels"),
    ("What happens if someone asks for more than the engine recommends?", "7.2 Exceptions"),
    ("A grade 8 client asks for a small increase - can the team lead approve it?", "7.3 Weak grades"),
    ("Can I approve the request I submitted myself?", "7.4 Maker-checker and risk-reducing decisions"),
    ("The client's exposure moved while the approval was pending - what now?", "7.5 Stale requests"),
    ("What is the maximum share of the portfolio in construction firms?", "8.1 Concentration limits"),
    ("How much can a single counterparty take as a share of capital?", "8.1 Concentration limits"),
    ("Which clients must buy credit insurance and how much cover?", "9.1 When cover is required"),
    ("How should we pick an insurer and a product for a client?", "9.2 Choosing products and insurers"),
    ("How often should I visit a grade 5 customer?", "10.1 Contact frequency"),
    ("What extra services can we offer customers besides lending?", "10.3 Value-added services"),
    ("Is every action of the assistant logged somewhere we can't edit?", "13.2 Audit trail"),
    (
        "How often does internal audit check that the credit rules are followed?",
        "13.3 Periodic internal audit",
    ),
    (
        "What requirements apply before a machine-learning scorecard can be used?",
        "12 Scoring and early-warning models",
    ),
    ("How are bonuses of relationship managers linked to credit quality?", "14.2 Incentives"),
    ("What is the PD of a grade 6 borrower?", "2.1 Rating master scale"),
    ("When is a client treated as defaulted?", "2.2 Default definition"),
]

CHINESE: list[tuple[str, str]] = [
    ("评级为8级的客户多久做一次信用评估?", "3.1 评估频率"),
    ("哪些行业的授信占比上限更低?", "8 风险分散与集中度限额"),
    ("五百万以上的额度要谁来批?", "7 多层次审批机制"),
    ("什么情况下要暂停客户的额度?", "5 动态调整授信额度"),
    ("额度使用率多高会触发红色预警?", "6 风险预警"),
    ("哪些客户必须购买信用保险?", "9 信用保险"),
    ("财务报表多旧就不能用了?", "3.2 财务状况分析"),
    ("多久要回访一次客户?", "10 客户沟通与增值服务"),
]

MODES: tuple[SearchMode, ...] = ("dense", "lexical", "hybrid")


@pytest.fixture(scope="module")
def manual_store(tmp_path_factory: pytest.TempPathFactory) -> PolicyStore:
    store = open_store(Path(tmp_path_factory.mktemp("eval")))
    assert not ensure_default_policies(store).failed
    return store


def _recall(
    store: PolicyStore, cases: list[tuple[str, str]], document_id: str, mode: SearchMode
) -> tuple[float, float]:
    at1 = at5 = 0
    for question, expected in cases:
        hits = [
            (h.document_id, h.section.split(SECTION_SEPARATOR)[-1])
            for h in store.search(question, k=5, mode=mode)
        ]
        at1 += hits[:1] == [(document_id, expected)]
        at5 += (document_id, expected) in hits
    return at1 / len(cases), at5 / len(cases)


def test_retrieval_recall(manual_store: PolicyStore) -> None:
    assert len(ENGLISH) >= 25
    table = {(lang, mode): _recall(manual_store, cases, doc, mode)
             for lang, cases, doc in (("en", ENGLISH, EN), ("zh", CHINESE, ZH)) for mode in MODES}  # fmt: skip
    print("\nlanguage mode     recall@1 recall@5")
    for (lang, mode), (r1, r5) in table.items():
        print(f"{lang:8} {mode:8} {r1:8.2f} {r5:8.2f}")
    assert table["en", "hybrid"][1] >= 0.9
    assert table["zh", "hybrid"][1] >= 0.75
    assert table["zh", "lexical"][1] >= 0.75
