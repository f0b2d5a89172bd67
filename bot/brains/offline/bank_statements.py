"""The offline brain's answer to a bank-statement question (statements, #19): the imported statements'
coverage, then each finding at or above the policy's thresholds with its figures and transactions, in the
language of the question."""

from __future__ import annotations

from kernel.catalogue import Language, fmt_date, text
from tools.assistant_tools.bank_statements import BankStatementsView
from tools.statements.indicators import warning_message


def bank_statements_answer(r: BankStatementsView, name: str, lang: Language) -> list[str]:
    a = r.analysis
    if not r.imported or a is None:
        return [text("statements.answer.none", lang, name=r.name or name)]
    lines = [text("statements.answer.head", lang, name=r.name or name, accounts=a.accounts,
                  transactions=a.transactions, start=fmt_date(a.from_date, lang), end=fmt_date(a.to_date, lang))]  # fmt: skip
    fired = a.warnings
    if not fired:
        return [*lines, text("statements.answer.clean", lang)]
    level = {
        "red": text("statements.memo.level_red", lang),
        "amber": text("statements.memo.level_amber", lang),
    }
    lines += [f"• {level[f.level or 'amber']}: {warning_message(f, a.currency or '', lang)}" for f in fired]
    return lines
