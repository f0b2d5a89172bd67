"""Every label a memo shows, per language, read from the message catalogue (area `memo`,
kernel/catalogue/memo.py): `labels(lang)["grade"]` is `text("memo.grade", lang)`.

`term(lang, kind, code)` names a code the engine or the CRM uses (a level, status, product, concentration
dimension, limit constraint, grade name, signal category …) in the memo's language; a code the catalogue
does not know is shown with its underscores as spaces, never as the raw identifier.
"""

from __future__ import annotations

import re
from functools import cache

from kernel.catalogue import has, keys, template
from tools.memos.formatting import NA
from tools.memos.models import Language, Memo

PREFIX = "memo."
# the memo's kind -> the shared vocabulary's kind (kernel/catalogue/vocab.py)
VOCAB_KINDS = {"contact": "contact_kind", "period": "period_type"}
RATIO_PREFIX = "memo.ratio."


@cache
def labels(language: Language) -> dict[str, str]:
    """Short key → template ('grade' → 'Grade'); placeholders are filled by the caller with str.format."""
    return {k[len(PREFIX) :]: template(k, language) for k in keys() if k.startswith(PREFIX)}


@cache
def ratio_labels(language: Language) -> dict[str, str]:
    return {k[len(RATIO_PREFIX) :]: template(k, language) for k in keys() if k.startswith(RATIO_PREFIX)}


def term(language: Language, kind: str, code: object) -> str:
    """The memo's word for `code` of `kind` ('level', 'status', 'product', 'dimension', 'constraint',
    'grade_name', 'category', 'severity', 'contact', 'period')."""
    raw = str(getattr(code, "value", code))
    slug = re.sub(r"[^a-z0-9]+", "_", raw.lower()).strip("_")
    shared = VOCAB_KINDS.get(kind, kind)
    for key in (
        f"{PREFIX}{kind}.{slug}",  # the memo's own words (memo statuses: draft, submitted …)
        f"{shared}.{slug}",
        f"{shared}.{raw}",  # codes with capitals (regions: North)
    ):  # else the shared vocabulary: one name per engine code
        if has(key):
            return template(key, language)
    return raw.replace("_", " ")


EN: dict[str, str] = labels("en")
RATIO_LABELS: dict[str, dict[str, str]] = {"en": ratio_labels("en"), "zh": ratio_labels("zh")}


def localised(memo: Memo) -> Memo:
    """The memo as its renderers show it: in Chinese, a figure that could not be computed reads 无数据, not
    the builder's "n/a" (whole values only: facts and table cells)."""
    if memo.language == "en":
        return memo
    na = template("memo.not_available", memo.language)

    def fix(value: str) -> str:
        return na if value == NA else value

    sections = [
        s.model_copy(update={
            "facts": [f.model_copy(update={"value": fix(f.value)}) for f in s.facts],
            "tables": [t.model_copy(update={"rows": [[fix(v) for v in row] for row in t.rows]}) for t in s.tables],
        })
        for s in memo.sections
    ]  # fmt: skip
    header = memo.header.model_copy(
        update={"facts": [f.model_copy(update={"value": fix(f.value)}) for f in memo.header.facts]}
    )
    return memo.model_copy(update={"sections": sections, "header": header})
