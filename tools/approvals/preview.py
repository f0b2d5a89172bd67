"""A prepared limit request's preview in the reader's language, worded once for every front door: the
REST preview's `said` (the sidebar) and `creditdesk approvals raise --preview` take their words from
`preview_words`; the CLI prints them as the lines of `preview_lines`."""

from __future__ import annotations

from pydantic import BaseModel, Field

from kernel.catalogue import Language, code_name, name_in, normalise_language, render_each, render_or, text
from tools.approvals.models import PreparedRequest


class PreviewWords(BaseModel):
    """The preview's words in one language: engine codes by their names, coded notes as sentences (never a
    code such as `cap_ebitda`); the figures stay on the request."""

    lang: str
    kind: str = Field(description="The request kind's name (the code is `kind`)")
    binding: str | None = Field(description="The binding constraint's name (the code is `binding`)")
    concentration: list[str]
    exceptions: list[str]
    chain: list[str] = Field(description="The approval levels the request would go through, by their names")
    routing: list[str] = Field(description="Why the chain goes that high (in English: `route.reasons`)")


def preview_words(p: PreparedRequest, lang: Language | str) -> PreviewWords:
    lang = normalise_language(lang)
    return PreviewWords(
        lang=lang,
        kind=code_name("request_kind", p.kind, lang),
        binding=code_name("constraint", p.binding, lang) if p.binding else None,
        concentration=render_each(p.concentration_msgs, p.concentration, lang),
        exceptions=[render_or(e.msg, e.message, lang) for e in p.exceptions],
        chain=[name_in("approval_level", s.name, lang) for s in p.route.steps],
        routing=render_each(p.route.reason_msgs, p.route.reasons, lang),
    )


def preview_lines(p: PreparedRequest, lang: Language | str) -> list[str]:
    """The preview as an officer reads it: the change, the recommendation, the exceptions, the chain and
    why it goes that high (a title, then indented lines)."""
    w = preview_words(p, lang)
    lang = normalise_language(lang)
    new = text("cli.preview.none", lang) if p.new_limit is None else f"{p.new_limit:,.2f}"
    title = text("cli.preview.title", lang, kind=w.kind, client=p.client_name, client_id=p.client_id,
                 facility=p.facility_id)  # fmt: skip
    lines = [
        text("cli.preview.limit", lang, currency=p.currency, current=f"{p.current_limit:,.2f}", new=new),
        text("cli.preview.figures", lang, grade=p.grade, currency=p.reporting_currency,
             amount=f"{p.group_exposure_after:,.2f}"),
    ]  # fmt: skip
    if p.recommended_limit is not None:
        recommended = f"{p.reporting_currency} {p.recommended_limit:,.2f}"
        lines.append(
            text("cli.preview.recommendation_bound", lang, text=recommended, constraint=w.binding)
            if w.binding
            else text("cli.preview.recommendation", lang, text=recommended)
        )
    lines += [text("cli.preview.exception", lang, text=e) for e in w.exceptions]
    lines += [text("cli.preview.concentration", lang, text=c) for c in w.concentration]
    lines += [text("cli.preview.step", lang, step_no=s.step_no, name=name, level=s.level, quorum=s.quorum)
              for s, name in zip(p.route.steps, w.chain, strict=True)]  # fmt: skip
    lines += [text("cli.preview.routing", lang, text=r) for r in w.routing]
    return [title, *("  " + line for line in lines)]
