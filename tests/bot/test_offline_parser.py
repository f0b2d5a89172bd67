"""The offline brain's plan from a message: slots decide between readings the words leave open, follow-ups
carry the last client, amount and dimension, and an unsure reading asks or says what it can do."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bot.brains.offline.entities import IndexedClient, NameIndex
from bot.brains.offline.intents import Intent
from bot.brains.offline.parser import _folds, _readings, plan
from bot.conversations import ConversationState

AS_OF = dt.date(2026, 11, 28)
INDEX = NameIndex([IndexedClient(1001, "ACME Holdings", True), IndexedClient(1003, "Globex Trading", True),
                   IndexedClient(1004, "Initech Systems", True), IndexedClient(1095, "Orion Wholesale Co", True),
                   IndexedClient(1118, "Falcon Construction Co", True),
                   IndexedClient(1028, "Granite Structures Group", True)])  # fmt: skip
NEW = ConversationState()


def _plan(text: str, state: ConversationState = NEW):  # type: ignore[no-untyped-def]
    return plan(text, INDEX, state, as_of=AS_OF)


def test_a_named_client_folds_the_book_readings_into_the_client_ones() -> None:
    into = _folds(True, True, False, None, None)
    assert into["high_utilisation"] == "exposure" and into["concentration"] == "exposure"
    assert "concentration" not in _folds(True, True, False, "industry", None)  # a dimension asked: keep it
    assert _folds(False, False, False, None, None) == {
        "review_status": "reviews_due", "contact": "contacts_due", "early_warnings": "watchlist",
    }  # fmt: skip
    p = _plan("how maxed out is initech")
    assert p.intents == [Intent.EXPOSURE] and p.client_id == 1004


def test_a_client_named_like_a_sector_is_the_client() -> None:
    p = _plan("how exposed are we to Orion Wholesale")
    assert p.intents == [Intent.EXPOSURE] and p.client_id == 1095 and p.dimension is None
    p = _plan("how concentrated are we in construction")
    assert p.intents == [Intent.CONCENTRATION] and p.client_id is None
    assert (p.dimension, p.bucket) == ("industry", "construction")


def test_amounts_in_every_form_reach_the_plan() -> None:
    cases = {
        "should we bump Globex to 3M?": Decimal(3_000_000),
        "what if initech went to 1.5m": Decimal(1_500_000),
        "simulate 750k on globex": Decimal(750_000),
        "what if ACME was USD 1,200,000": Decimal(1_200_000),
        "what if initech had $2.5 million": Decimal(2_500_000),
        "Globex 要不要提到两百万": Decimal(2_000_000),
        "如果 Initech 额度调到三千万，对集中度有什么影响": Decimal(30_000_000),
        "Initech 额度改成1.2亿的话行业集中度会怎样": Decimal(120_000_000),
        "Globex 给500万元合适吗": Decimal(5_000_000),
    }
    for text, amount in cases.items():
        p = _plan(text)
        assert p.amount == amount, (text, p.amount)
        assert Intent.WHAT_IF in p.intents and Intent.RAISE not in p.intents, (text, p.intents)


def test_follow_ups_carry_client_amount_and_dimension() -> None:
    after_what_if = ConversationState(last_client_id=1004, last_intents=["what_if_limit"],
                                      last_amount=Decimal(4_000_000), last_dimension="region")  # fmt: skip
    p = _plan("what would that do to concentration?", after_what_if)
    assert p.intents == [Intent.WHAT_IF] and (p.client_id, p.amount) == (1004, Decimal(4_000_000))
    p = _plan("那600万呢", after_what_if)
    assert p.intents == [Intent.WHAT_IF] and (p.client_id, p.amount) == (1004, Decimal(6_000_000))
    assert p.dimension == "region"
    after_rating = ConversationState(last_client_id=1004, last_intents=["rating"])
    assert (_plan("那 Globex 呢?", after_rating).intents, _plan("那 Globex 呢?", after_rating).client_id) == (
        [Intent.RATING], 1003)  # fmt: skip
    p = _plan("它的违约概率是多少", ConversationState(last_client_id=1001, last_intents=["exposure"]))
    assert p.intents == [Intent.RATING] and p.client_id == 1001


def test_two_questions_in_one_message() -> None:
    assert _plan("globex dpd and also their grade").intents == [Intent.REPAYMENT, Intent.RATING]
    assert _plan("ACME 的使用率是多少，是否到期复审").intents == [Intent.EXPOSURE, Intent.REVIEW]


def test_an_unsure_reading_offers_two_or_three_readings() -> None:
    assert _readings([("exposure", 0.4), ("utilisation_trend", 0.07), ("help", 0.2), ("rating", 0.04)]) == [
        Intent.EXPOSURE, Intent.UTIL_TREND]  # fmt: skip
    assert _readings([("exposure", 0.3), ("rating", 0.2), ("memo", 0.15), ("policy", 0.12)]) == [
        Intent.EXPOSURE, Intent.RATING, Intent.MEMO]  # fmt: skip
    assert _readings([("approvals", 0.44), ("unsupported", 0.3), ("rating", 0.01)]) == [Intent.PENDING]


def test_small_talk_is_not_answered_with_a_client_or_a_quiz() -> None:
    for text in ("tell me a fun fact", "周末去哪玩好", "给我讲讲八卦", "remind me to call the dentist"):
        p = _plan(text)
        assert not p.intents and not p.clarify and p.unsupported, (text, p.intents, p.clarify)
        assert p.client_id is None


def test_my_versus_team() -> None:
    assert _plan("which of my clients are >95% drawn").scope == "mine"
    assert _plan("team clients over 90% utilisation").scope == "team"
    assert _plan("clients over 90% utilisation").scope is None


def test_more_follow_up_frames_and_slot_readings() -> None:
    after_rating = ConversationState(last_client_id=1003, last_intents=["rating"])
    p = _plan("same question for initech", after_rating)
    assert p.intents == [Intent.RATING] and p.client_id == 1004
    after_what_if = ConversationState(last_client_id=1004, last_intents=["what_if_limit"],
                                      last_amount=Decimal(3_000_000))  # fmt: skip
    p = _plan("and by region?", after_what_if)
    assert p.intents == [Intent.WHAT_IF] and (p.client_id, p.amount, p.dimension) == (
        1004,
        Decimal(3_000_000),
        "region",
    )
    p = _plan("what's our retail exposure")  # a sector named, no client: the book's concentration
    assert p.intents == [Intent.CONCENTRATION] and (p.dimension, p.bucket) == ("industry", "retail")
    assert _plan("AR-3 的状态").intents == [Intent.APPROVAL_STATUS]
    assert _plan("set Globex to 2 mil").amount == Decimal(2_000_000)
    for ack in ("ok", "thanks!", "好的"):  # an acknowledgement is never advice on the last client
        assert not _plan(ack, after_rating).intents, ack


def test_misspelt_credit_words_are_read() -> None:
    from bot.brains.offline.classifier import classifier

    spell = classifier().spell
    assert spell("pioneer produce utlisation") == "pioneer produce utilisation"
    assert spell("umbrella foods repaymnet histroy") == "umbrella foods repayment history"
    assert spell("Stark Components rating") == "Stark Components rating"  # a name stays a name
    assert spell("Globex Trading util") == "Globex Trading util"  # "trading" is no typo of "trending"


def test_a_facility_question_without_an_amount_or_a_verb_is_not_a_request() -> None:
    p = _plan("F-1003-2 额度多少")
    assert p.intents == [Intent.EXPOSURE] and p.facility_id == "F-1003-2"
    assert _plan("raise Globex to 3M").intents == [Intent.RAISE]
    assert _plan("freeze Globex").intents == [Intent.RAISE]


def test_a_plus_joins_two_questions() -> None:
    assert _plan("acme util + review date").intents == [Intent.EXPOSURE, Intent.REVIEW]


def test_a_resolved_clients_name_is_masked_before_classifying() -> None:
    from bot.brains.offline.classifier import CLIENT_TOKEN
    from bot.brains.offline.entities import find_client
    from bot.brains.offline.parser import _masked

    text = "how's orion wholesale's ebitda looking"
    assert (
        _masked(text, find_client(text, INDEX), "Orion Wholesale Co")
        == f"how's {CLIENT_TOKEN}'s ebitda looking"
    )
    assert _masked("globx util", find_client("globx util", INDEX)) == f"{CLIENT_TOKEN} util"  # the typo too
    # "transport", "construction" in a name never read as the question
    p = _plan("falcon construction util")
    assert p.intents == [Intent.EXPOSURE] and p.client_id == 1118


def test_several_questions_are_read_clause_by_clause_in_the_order_asked() -> None:
    cases = {
        "ACME financials and rating pls": [Intent.FINANCIALS, Intent.RATING],
        "show my watchlist and overdue reviews": [Intent.WATCHLIST, Intent.REVIEWS_DUE],
        "Globex 敞口多少，年审什么时候到期": [Intent.EXPOSURE, Intent.REVIEW],
        "Initech 的 DSCR 和还款记录": [Intent.FINANCIALS, Intent.REPAYMENT],
    }
    for text, intents in cases.items():
        assert _plan(text).intents[: len(intents)] == intents, (text, _plan(text).intents)
    # a comma that joins context to the one question does not cut it
    assert _plan("按 Globex 的财务情况，给多少额度合适").intents[0] is Intent.LIMIT
    # a greeting asks nothing; "what can you do" does
    assert _plan("hi, what's ACME's exposure").intents == [Intent.EXPOSURE]
    assert _plan("hello! what can you do? also list my clients").intents == [Intent.HELP, Intent.MY_CLIENTS]


def test_a_request_s_fate_and_the_approver_s_queue_are_told_apart_clause_by_clause() -> None:
    p = _plan("status of REQ-9 and what's waiting for my approval")
    assert p.intents == [Intent.APPROVAL_STATUS, Intent.PENDING]
    assert _plan("did the globex request go through").intents == [Intent.APPROVAL_STATUS]
    assert _plan("我给 Initech 报的提额批了吗").intents == [Intent.APPROVAL_STATUS]
    assert _plan("what approvals are waiting for me").intents == [Intent.PENDING]


def test_follow_ups_keep_advice_advice_and_act_only_when_told() -> None:
    advised = ConversationState(last_client_id=1003, last_intents=["limit_recommendation"],
                                last_amount=Decimal(2_000_000))  # fmt: skip
    p = _plan("what about 3m instead", advised)
    assert p.intents[0] is Intent.LIMIT and Intent.RAISE not in p.intents and p.amount == Decimal(3_000_000)
    p = _plan("ok go ahead, raise it to 2m", advised)
    assert p.intents == [Intent.RAISE] and p.client_id == 1003
    tried = ConversationState(
        last_client_id=1004, last_intents=["what_if_limit"], last_amount=Decimal(1_000_000)
    )
    p = _plan("改成150万看看", tried)
    assert p.intents == [Intent.WHAT_IF] and p.amount == Decimal(1_500_000)
    # a what-if question about a raise prepares nothing
    assert Intent.RAISE not in _plan("Globex 提到90万，对行业集中度有什么影响").intents


def test_pronouns_need_something_to_refer_to_and_acronyms_are_no_names() -> None:
    assert _plan("any of my clients overdue for their annual review").intents == [Intent.REVIEWS_DUE]
    before = ConversationState(last_client_id=1001, last_intents=["client_profile"])
    p = _plan("DSCR 呢", before)
    assert p.intents == [Intent.FINANCIALS] and p.client_id == 1001
    p = _plan("ok and the DSCR?", before)
    assert p.intents == [Intent.FINANCIALS] and p.client_id == 1001
    assert _plan("who is Orion Wholesale").intents == [Intent.PROFILE]
    assert _plan("find clients called orion").intents == [Intent.FIND_CLIENT]
    assert _plan("PD history for Initech").intents == [Intent.RATING_HISTORY]
    assert _plan("is credit insurance mandatory for trade credit under our policy?").intents == [
        Intent.POLICY
    ]


def test_a_move_of_the_grade_asks_for_the_rating_history() -> None:
    for text in (
        "ACME最近升过级吗？",
        "was ACME downgraded?",
        "has Globex been upgraded this year",
        "Initech的评级有没有下调过",
    ):
        assert _plan(text).intents == [Intent.RATING_HISTORY], text
    assert _plan("升级审批到哪一步了").intents != [Intent.RATING_HISTORY]  # an escalation, not a grade


def test_over_the_limit_is_drawn_at_or_beyond_it() -> None:
    for text in (
        "哪些客户超额了？",
        "which clients are over their limit?",
        "who is over-limit",
        "clients exceeding their limits",
    ):
        p = _plan(text)
        assert p.intents == [Intent.HIGH_UTIL] and p.threshold == 1.0, text


def test_what_is_left_to_draw_is_the_exposure_and_how_far_to_raise_is_the_recommendation() -> None:
    for text in (
        "ACME还能用多少额度？",
        "ACME还有多少额度空间？",
        "how much can ACME still draw?",
        "Globex的剩余额度",
    ):
        assert _plan(text).intents == [Intent.EXPOSURE], text
    for text in ("ACME的额度还能再提多少？", "ACME最多能给多少额度", "how much more could we lend to ACME?"):
        assert _plan(text).intents == [Intent.LIMIT], text


def test_a_single_name_line_reads_by_name_only_for_the_askers_own_clients() -> None:
    import datetime as dt
    from decimal import Decimal

    from bot.brains.offline.brain import _own_names
    from bot.brains.offline.entities import IndexedClient, NameIndex
    from bot.brains.offline.templates import concentration
    from tools.engine.results import ConcentrationLine, ConcentrationReport

    def line(bucket: str) -> ConcentrationLine:
        return ConcentrationLine(dimension="single_name", bucket=bucket, exposure=Decimal(1), share=0.042,
                                 limit_share=0.02, level="red")  # fmt: skip

    report = ConcentrationReport(as_of=dt.date(2026, 12, 1), policy_version="p", total_limits=Decimal(100),
                                 capital_base=Decimal(10), hhi={}, lines=[line("1001"), line("1002")],
                                 breaches=[line("1001"), line("1002")])  # fmt: skip
    index = NameIndex(
        [IndexedClient(1001, "ACME Holdings", True), IndexedClient(1002, "Umbrella Corp", False)]
    )
    names = _own_names(index, report)
    assert names == {1001: "ACME Holdings"}
    en = concentration(report, "en", names=names)
    assert "single name ACME Holdings (1001): 4.2%" in "\n".join(en)
    assert "Umbrella" not in "\n".join(en) and "single name 1002: 4.2%" in "\n".join(en)
    zh = "\n".join(concentration(report, "zh", names=names))
    assert "ACME Holdings（1001）" in zh and "Umbrella" not in zh
