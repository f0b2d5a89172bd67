"""What both pages share: templates and filters, the launch-token login and the session cookie."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import Request, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup, escape

from api.deps import secret_of
from api.launch import SESSION_COOKIE, SESSION_SECONDS, BrowserSession, open_session, verify_launch
from api.launch_replay import consume
from kernel.catalogue import (
    Language,
    dates_written,
    fmt_date,
    fmt_month,
    name_in,
    normalise_language,
    render_each,
    render_or,
    text,
)
from kernel.errors import Unauthenticated
from tools.actor import Actor
from tools.memos.labels import term

if TYPE_CHECKING:
    from creditdesk.wiring import Container

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


NBSP = "\u00a0"  # an amount never breaks between its currency and its figure


def money(value: Decimal | float | None, currency: str = "") -> str:
    """Compact: USD 1.25m, EUR 750.00k, USD 980."""
    if value is None:
        return "n/a"
    amount = float(value)
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(amount) >= size:
            return f"{currency}{NBSP}{amount / size:,.2f}{suffix}".strip(NBSP)
    return f"{currency}{NBSP}{amount:,.0f}".strip(NBSP)


def money_in(value: Decimal | float | None, currency: str, lang: str) -> str:
    """Compact in the page's language: USD 1.25m / USD 125.00万, USD 1.20亿 (Chinese counts in 万 and 亿)."""
    if lang != "zh" or value is None:
        return money(value, currency) if value is not None else text("common.not_available", lang)
    amount = float(value)
    for size, suffix in ((1e8, "亿"), (1e4, "万")):
        if abs(amount) >= size:
            return f"{currency}{NBSP}{amount / size:,.2f}{suffix}".strip(NBSP)
    return f"{currency}{NBSP}{amount:,.0f}".strip(NBSP)


@pass_context
def money_filter(context: dict[str, object], value: Decimal | float | None, currency: str = "") -> str:
    return money_in(value, currency, str(context.get("lang") or "en"))


def amount(value: Decimal | float | None, currency: str = "") -> str:
    """In full: USD 1,250,000 (what an approver signs)."""
    if value is None:
        return "n/a"
    return f"{currency}{NBSP}{float(value):,.0f}".strip(NBSP)


def page_language(request: Request) -> Language:
    """?lang=zh, else the browser's first Accept-Language, else English."""
    asked = request.query_params.get("lang") or request.headers.get("accept-language", "").split(",")[0]
    return normalise_language(asked)


@pass_context
def code_name(context: dict[str, object], kind: str, code: object) -> str:
    """The catalogue's word for an engine or CRM code (indicator, product …) in the page's language."""
    return term(normalise_language(str(context.get("lang") or "en")), kind, code)


@pass_context
def translate(context: dict[str, object], key: str, /, **values: object) -> str:
    """A catalogue sentence in the page's language, every date among `values` written out (31 Mar 2026 /
    2026年3月31日)."""
    lang = str(context.get("lang") or "en")
    return text(key, lang, **dates_written(values, lang))


@pass_context
def day_filter(context: dict[str, object], value: object) -> str:
    """`{{ d | day }}`: a date as the answers write it (31 Mar 2026 / 2026年3月31日)."""
    return fmt_date(value, str(context.get("lang") or "en"))


@pass_context
def month_filter(context: dict[str, object], value: object) -> str:
    """`{{ d | month }}`: a month as the answers write it (Dec 2025 / 2025年12月)."""
    return fmt_month(value, str(context.get("lang") or "en"))


def pct(value: float | None, digits: int = 0) -> str:
    return "n/a" if value is None else f"{value:.{digits}%}"


def sparkline(values: list[float], *, width: int = 120, height: int = 28, pad: int = 3) -> str:
    """SVG polyline points for a small trend chart (0 % … max(100 %, peak) on the y axis)."""
    if not values:
        return ""
    top = max(1.0, *values)
    step = (width - 2 * pad) / max(1, len(values) - 1)
    return " ".join(
        f"{pad + i * step:.1f},{height - pad - (v / top) * (height - 2 * pad):.1f}"
        for i, v in enumerate(values)
    )


def history_svg(history: object, lang: str, *, width: int = 320, height: int = 130) -> Markup:
    """The sidebar's 12-month chart as inline SVG: average balance per month as bars (left), utilisation at
    each review run as a line with dots (right, 0 … max(100 %, peak)). No script, no external asset."""
    months = list(getattr(history, "months", []))
    if not months:
        return Markup("")
    left, right, top, bottom = 4, 4, 14, 20
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / len(months)
    balances = [float(m.avg_balance) for m in months if m.avg_balance is not None]
    peak_b = max([abs(b) for b in balances] + [1.0])
    utils = [m.utilisation for m in months if m.utilisation is not None]
    peak_u = max([1.0, *utils])
    parts = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="none"/>']
    for i, m in enumerate(months):
        x = left + i * slot
        if m.avg_balance is not None:
            h = max(abs(float(m.avg_balance)) / peak_b * plot_h, 1)
            parts.append(f'<rect class="bal" x="{x + slot * 0.15:.1f}" y="{top + plot_h - h:.1f}" '
                         f'width="{slot * 0.7:.1f}" height="{h:.1f}"><title>{escape(fmt_month(m.month, lang))}: '
                         f'{escape(money_in(m.avg_balance, getattr(history, "currency", "") or "", lang))}</title></rect>')  # fmt: skip
        if i in (0, len(months) // 2, len(months) - 1):
            anchor = "start" if i == 0 else "end" if i == len(months) - 1 else "middle"
            lx = left if i == 0 else left + plot_w if i == len(months) - 1 else x + slot / 2
            parts.append(
                f'<text x="{lx:.1f}" y="{height - 5}" text-anchor="{anchor}">{escape(fmt_month(m.month, lang))}</text>'
            )
    if balances:
        peak_text = escape(money_in(peak_b, getattr(history, "currency", "") or "", lang))
        parts.append(f'<text x="{left}" y="{top - 1}" class="axis">{peak_text}</text>')
        parts.append(
            f'<text x="{left + plot_w}" y="{top - 1}" text-anchor="end" class="axis">{pct(peak_u)}</text>'
        )
    pts = [(left + i * slot + slot / 2, top + plot_h - (m.utilisation / peak_u) * plot_h, m)
           for i, m in enumerate(months) if m.utilisation is not None]  # fmt: skip
    if len(pts) > 1:
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in pts)
        parts.append(f'<polyline class="util" fill="none" stroke-width="2" points="{line}"/>')
    for x, y, m in pts:
        parts.append(f'<circle class="util" cx="{x:.1f}" cy="{y:.1f}" r="3"><title>{escape(fmt_month(m.month, lang))}: '
                     f'{pct(m.utilisation)}</title></circle>')  # fmt: skip
    title = escape(text("pages.side.chart_title", lang))
    desc = escape(text("pages.side.chart_desc", lang, currency=getattr(history, "currency", "") or ""))
    svg = (f'<svg class="history" viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-labelledby="history-title history-desc" data-months="{len(months)}" '
           f'data-balance-bars="{len(balances)}" data-utilisation-points="{len(pts)}">'
           f'<title id="history-title">{title}</title><desc id="history-desc">{desc}</desc>{"".join(parts)}</svg>')  # fmt: skip
    return Markup(svg)  # every text inside is escaped above


@pass_context
def say(context: dict[str, object], item: object, field: str = "message") -> str:
    """An engine result's message (a warning's, a note's …) in the page's language, from its code + params
    (`msg`); the stored English `field` when it carries none."""
    get = item.get if isinstance(item, dict) else (lambda k, d=None: getattr(item, k, d))  # type: ignore[union-attr]
    return render_or(get("msg"), str(get(field, "") or ""), str(context.get("lang") or "en"))


@pass_context
def say_each(context: dict[str, object], messages: list[object], fallbacks: list[str]) -> list[str]:
    """Coded messages (a request's stale changes …) in the page's language; the stored English texts when
    they are not coded."""
    return render_each(messages, fallbacks, str(context.get("lang") or "en"))


@pass_context
def level_name(context: dict[str, object], name: str) -> str:
    """An approval level's name (the policy's "Team lead") in the page's language."""
    return name_in("approval_level", name, str(context.get("lang") or "en"))


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.filters.update(
        money=money_filter, amount=amount, pct=pct, day=day_filter, month=month_filter
    )
    templates.env.globals.update(
        sparkline=sparkline,
        t=translate,
        term=code_name,
        history_svg=history_svg,
        say=say,
        say_each=say_each,
        level_name=level_name,
    )
    return templates


def login(
    container: Container, token: str, *, client_ref: str | None = None, current: BrowserSession | None = None
) -> tuple[Actor, BrowserSession, str | None]:
    """Check a launch token (and that it was issued for this client) → (actor, session, new cookie or None).

    A token opens one session only (single use). A browser that already holds a session for the token's
    officer keeps it (an iframe reload presents the same URL again); the token is then not needed."""
    secret = secret_of(container)
    now = time.time()
    launch = verify_launch(secret, token, now=now)
    if client_ref is not None and launch.client_ref != client_ref:
        raise Unauthenticated("this launch token was issued for another client")
    actor = container.actor(launch.officer_id, channel="web")  # unknown or inactive officers stop here
    try:
        consume(container.engine, launch, now=now)  # every token is used up, session or not
    except Unauthenticated:
        if current is not None and current.officer_id == launch.officer_id:
            return actor, current, None  # this officer's browser reloading the page it opened
        raise
    session, cookie = open_session(secret, launch.officer_id)
    return actor, session, cookie


def set_session_cookie(response: Response, container: Container, cookie: str) -> None:
    """HttpOnly; over HTTPS SameSite=None+Secure+Partitioned so it also works inside the CRM's iframe
    (writes are protected by the CSRF header, not by SameSite); over plain HTTP (local) SameSite=Lax."""
    https = container.settings.public_url.startswith("https://")
    response.set_cookie(SESSION_COOKIE, cookie, max_age=SESSION_SECONDS, path="/", httponly=True,
                        secure=https, samesite="none" if https else "lax", partitioned=https)  # fmt: skip
