"""Policy retrieval evaluation: questions phrased unlike the manuals, with the section that answers each.

Two sets per language, each expected section written by hand from the shipped documents
(`knowledge/policies/`):
- DEV_*: the questions retrieval was tuned against;
- HELD_OUT_*: written before this round's tuning; `recall_at` on these is asserted by
  tests/knowledge/test_retrieval_eval.py and printed by `bench knowledge` (their misses were looked at
  while tuning, see docs/knowledge-base.md);
- FRESH_*: written after tuning and never run before being committed: a blind check, printed only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from knowledge.models import SECTION_SEPARATOR

if TYPE_CHECKING:
    from knowledge.store import PolicyStore, SearchMode

EN_DOC = "credit-policy-manual"
ZH_DOC = "credit-policy-summary-zh"

DEV_EN: list[tuple[str, str]] = [
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

DEV_ZH: list[tuple[str, str]] = [
    ("评级为8级的客户多久做一次信用评估?", "3.1 评估频率"),
    ("哪些行业的授信占比上限更低?", "8 风险分散与集中度限额"),
    ("五百万以上的额度要谁来批?", "7 多层次审批机制"),
    ("什么情况下要暂停客户的额度?", "5 动态调整授信额度"),
    ("额度使用率多高会触发红色预警?", "6 风险预警"),
    ("哪些客户必须购买信用保险?", "9 信用保险"),
    ("财务报表多旧就不能用了?", "3.2 财务状况分析"),
    ("多久要回访一次客户?", "10 客户沟通与增值服务"),
]

HELD_OUT_EN: list[tuple[str, str]] = [
    ("who approves an exception?", "7.2 Exceptions"),
    ("approving limits above 10 million", "7.1 Authority levels"),
    ("Does a request above the recommended limit need a higher approver?", "7.2 Exceptions"),
    ("How long does the business-unit head have to decide?", "7.1 Authority levels"),
    ("Can a team lead sign off a freeze?", "7.4 Maker-checker and risk-reducing decisions"),
    ("reviews for clients with limits of 20 million or more", "3.1 Review frequency"),
    ("When is a financial statement too old to use?", "3.2 Financial condition analysis"),
    ("What is the red threshold for high utilisation?", "6.2 Early-warning indicators"),
    ("How much insurance cover is needed for a grade 8 client?", "9.1 When cover is required"),
    ("What is the sector limit for hospitality?", "8.1 Concentration limits"),
    ("single name limit as a share of capital", "8.1 Concentration limits"),
    ("What buffer is added to the working capital need?", "4.2 Business need"),
    ("How are limit recommendations rounded?", "4.5 Weak grades, rounding and minimum"),
    ("Who can unfreeze a frozen line?", "5.4 Freeze"),
    ("How often must I visit a grade 8 client?", "10.1 Contact frequency"),
    ("What happens to a pending request if the exposure changes by 5%?", "7.5 Stale requests"),
    ("What is the capital base used for single-name limits?", "1.3 Definitions"),
    ("What does DPD mean?", "1.3 Definitions"),
    ("Which grade does a client get at 90 days past due?", "2.2 Default definition"),
    (
        "How is the insured part of an exposure treated for loss given default?",
        "9.3 Expiry and loss given default",
    ),
    ("Who owns the policy manual?", "15 Policy ownership"),
    (
        "What must be validated before a statistical scorecard replaces the expert one?",
        "12 Scoring and early-warning models",
    ),
    ("Is a downgrade of two notches a reason to cut the limit?", "5.3 Decrease"),
    ("How is an adverse news item weighted over time?", "3.5 Market reputation"),
]

HELD_OUT_ZH: list[tuple[str, str]] = [
    ("例外情况由谁审批?", "7 多层次审批机制"),
    ("一千万的额度需要谁批准?", "7 多层次审批机制"),
    ("首席信贷官能审批多大金额?", "7 多层次审批机制"),
    ("申请人可以审批自己的申请吗?", "7 多层次审批机制"),
    ("逾期多少天算违约?", "2 信用评级"),
    ("评级分几级?", "2 信用评级"),
    ("7级客户多久评估一次?", "3.1 评估频率"),
    ("授信两千万以上的客户多久评估?", "3.1 评估频率"),
    ("财务报表超过多久算过期?", "3.2 财务状况分析"),
    ("负面新闻怎么加权?", "3.3 还款历史与市场口碑"),
    ("还款记录看哪些指标?", "3.3 还款历史与市场口碑"),
    ("建议额度怎么计算?", "4 授信额度的确定"),
    ("额度低于五万还能授信吗?", "4 授信额度的确定"),
    ("什么时候提出增额建议?", "5 动态调整授信额度"),
    ("什么情况下冻结额度?", "5 动态调整授信额度"),
    ("黄色预警后多久要联系客户?", "6 风险预警"),
    ("超限多少触发红色预警?", "6 风险预警"),
    ("建筑业集中度上限是多少?", "8 风险分散与集中度限额"),
    ("单一客户占资本的上限?", "8 风险分散与集中度限额"),
    ("信用保险金额至少占敞口多少?", "9 信用保险"),
    ("保险快到期怎么办?", "9 信用保险"),
    ("5级客户多久回访一次?", "10 客户沟通与增值服务"),
    ("评分模型使用前要做什么?", "11 客户关系管理系统与模型"),
    ("内部审计多久检查一次?", "12 内部控制与审计"),
    ("奖金和绩效考核看什么?", "13 员工培训与激励"),
]

FRESH_EN: list[tuple[str, str]] = [
    ("Who decides on a 4 million limit for a group?", "7.1 Authority levels"),
    ("how many members make a quorum of the committee", "7.1 Authority levels"),
    ("breaching the construction cap after an increase - who must approve?", "7.2 Exceptions"),
    ("how soon after a red flag do I have to reach the client", "6.3 Watch-list and follow-up"),
    ("what counts as a limit excess warning", "6.2 Early-warning indicators"),
    ("minimum line we will recommend", "4.5 Weak grades, rounding and minimum"),
    ("insurance uplift cap", "4.4 Insurance uplift"),
    ("which data is held in the CRM", "11 Client data and CRM"),
    ("training requirements for officers", "14.1 Training"),
    ("can a team lead approve for another team's client?", "7.1 Authority levels"),
]

FRESH_ZH: list[tuple[str, str]] = [
    ("四百万的集团授信谁审批?", "7 多层次审批机制"),
    ("信贷委员会审批时限是多久?", "7 多层次审批机制"),
    ("红色预警后几天内联系客户?", "6 风险预警"),
    ("使用率超过95%会怎样?", "6 风险预警"),
    ("酒店业的集中度上限?", "8 风险分散与集中度限额"),
    ("建议额度怎么取整?", "4 授信额度的确定"),
    ("逾期60天会冻结吗?", "5 动态调整授信额度"),
    ("客户数据存放在哪里?", "11 客户关系管理系统与模型"),
    ("员工培训包括哪些内容?", "13 员工培训与激励"),
    ("本摘要和英文手册不一致时以哪个为准?", "1 目的与适用范围"),
]

SETS: dict[str, tuple[list[tuple[str, str]], str]] = {
    "en dev": (DEV_EN, EN_DOC), "zh dev": (DEV_ZH, ZH_DOC),
    "en held-out": (HELD_OUT_EN, EN_DOC), "zh held-out": (HELD_OUT_ZH, ZH_DOC),
    "en fresh": (FRESH_EN, EN_DOC), "zh fresh": (FRESH_ZH, ZH_DOC),
}  # fmt: skip


def recall_at(store: PolicyStore, cases: Sequence[tuple[str, str]], document_id: str, *,
              mode: SearchMode = "hybrid") -> tuple[float, float, list[str]]:  # fmt: skip
    """(recall@1, recall@5, the questions missed at 1): a hit is the expected document and section."""
    at1 = at5 = 0
    missed: list[str] = []
    for question, expected in cases:
        hits = [
            (h.document_id, h.section.split(SECTION_SEPARATOR)[-1])
            for h in store.search(question, k=5, mode=mode)
        ]
        at1 += hits[:1] == [(document_id, expected)]
        at5 += (document_id, expected) in hits
        if hits[:1] != [(document_id, expected)]:
            missed.append(question)
    return at1 / len(cases), at5 / len(cases), missed
