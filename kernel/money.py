"""Money and amount parsing. Money is Decimal everywhere outside vectorised math."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kernel.errors import InvalidInput

CENT = Decimal("0.01")

_MULTIPLIERS: dict[str, Decimal] = {
    "": Decimal(1),
    "k": Decimal(10) ** 3,
    "thousand": Decimal(10) ** 3,
    "m": Decimal(10) ** 6,
    "mm": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "mln": Decimal(10) ** 6,
    "mio": Decimal(10) ** 6,
    "million": Decimal(10) ** 6,
    "millions": Decimal(10) ** 6,
    "b": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "billion": Decimal(10) ** 9,
    "万": Decimal(10) ** 4,
    "亿": Decimal(10) ** 8,
}

# ISO codes in capitals (any), the common ones in any case, or a symbol; never the tail of a word ("above 5M").
_CURRENCY = r"(?<![A-Za-z])(?:(?-i:[A-Z]{3})|usd|eur|gbp|chf|cny|rmb|jpy|hkd|sgd|[$€£¥])"
AMOUNT_PATTERN = re.compile(
    rf"(?P<cur1>{_CURRENCY})?\s*(?P<num>-?\d[\d,]*(?:\.\d+)?|-?\.\d+)\s*"
    r"(?P<mult>thousand|millions?|billion|mio|mln|mn|mm|bn|k|m|b|万|亿)?(?![a-z])\s*"
    rf"(?P<cur2>{_CURRENCY}(?![A-Za-z]))?",
    re.IGNORECASE,
)


MAX_AMOUNT = Decimal("1e15")  # above any real credit limit; larger inputs are typos or attacks


def quantize(value: Decimal | float | int) -> Decimal:
    """Round a money amount to cents, half up (the banking convention)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def to_decimal(value: object, *, field: str = "amount") -> Decimal:
    """Strictly parse a plain numeric amount ("1,200,000.50", 1200, Decimal) into a Decimal."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int | float):
        result = Decimal(str(value))
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "")
        if not text:
            raise InvalidInput(f"{field} is empty", field=field)
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise InvalidInput(f"{field}: '{value}' is not a number", field=field) from None
    else:
        raise InvalidInput(f"{field}: '{value}' is not a number", field=field)
    if not result.is_finite():
        raise InvalidInput(f"{field}: '{value}' is not a finite number", field=field)
    return result


def parse_amount(text: str, *, field: str = "amount") -> tuple[Decimal, str | None]:
    """Parse how officers write amounts: "5M", "2.5 million", "750k", "USD 1,200,000", "3亿".

    Returns (amount, currency or None). Raises InvalidInput when no amount is present.
    """
    match = AMOUNT_PATTERN.fullmatch(text.strip())
    if not match:
        raise InvalidInput(f"{field}: '{text}' is not an amount (try 5M, 750k or USD 1,200,000)", field=field)
    number = to_decimal(match.group("num"), field=field)
    mult = (match.group("mult") or "").lower()
    currency = match.group("cur1") or match.group("cur2")
    symbols = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY"}
    if currency:
        currency = symbols.get(currency, currency.upper())
    amount = number * _MULTIPLIERS[mult]
    if amount == amount.to_integral_value():
        amount = amount.quantize(Decimal(1))  # "2.5 million" is 2500000, not 2500000.0
    return amount, currency


_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_AMOUNT_PATTERN = re.compile(r"([零〇一二两三四五六七八九十百千]+)(万|亿)")


def parse_chinese_number(text: str) -> int:
    """A number written in Chinese numerals below ten thousand: "三千" 3000, "十五" 15, "两百五十" 250."""
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            raise InvalidInput(f"'{text}' is not a Chinese number", field="amount")
    return total + (digit or 0)


def find_amounts(text: str) -> list[tuple[Decimal, str | None]]:
    """All amounts written in free text that carry a multiplier, a currency or thousands separators
    (Chinese numerals too when they carry 万 or 亿: "三千万", "两亿")."""
    found: list[tuple[Decimal, str | None]] = []
    for m in CN_AMOUNT_PATTERN.finditer(text):
        value = parse_chinese_number(m.group(1))
        if value:
            text = text.replace(m.group(0), f"{value}{m.group(2)}", 1)
    for m in AMOUNT_PATTERN.finditer(text):
        num = m.group("num")
        if not (m.group("mult") or m.group("cur1") or m.group("cur2") or "," in num):
            continue
        try:
            found.append(parse_amount(m.group(0)))
        except InvalidInput:
            continue
    return found
