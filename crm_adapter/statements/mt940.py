"""SWIFT MT940 customer statements, read with the `mt-940` library, checked line by line first.

A file may hold several statements (each from `:20:` to the next `:20:`), in a SWIFT envelope
(`{1:...}{4:` ... `-}`) or not, with bank header lines (`940`, `ABNANL2A`, `0000 01INGBNL2A...`) between
them. Every balance (`:60F:`/`:60M:`, `:62F:`/`:62M:`) and every `:61:` line is validated against the
SWIFT field format with its line number before the library parses it, so a malformed file is refused
with its place instead of being half read. The `:86:` details come in three dialects:

- German structured (`166?00GUTSCHRIFT?20...?32NAME?31IBAN`, Deutsche Bank, Sparkassen, Commerzbank):
  the `?nn` sub-fields (?00 posting text, ?20-?29 and ?60-?63 purpose, ?31 account, ?32/?33 name) with the
  SEPA `SVWZ+`/`EREF+` keys;
- slash keys (`/TRTP/.../IBAN/.../NAME/.../REMI/...`, ABN AMRO SEPA, Rabobank, ING's `/CNTP/`);
- free text (older ING, ABN AMRO `GIRO`/`BEA` lines, most other banks).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from decimal import Decimal

from mt940.models import Transactions

from crm_adapter.statements.records import ParsedStatement, ParsedTransaction, StatementFormatError

_TAG = re.compile(r"^:(?P<tag>\d{2}[A-Z]?|NS):(?P<value>.*)$")
_BALANCE = re.compile(r"^(?P<mark>[CD])(?P<date>\d{6})(?P<ccy>[A-Z]{3})(?P<amount>\d{1,12},\d{0,2})$")
_LINE61 = re.compile(
    r"^(?P<value_date>\d{6})(?P<entry_date>\d{4})?(?P<mark>R?[CD])(?P<funds>[A-Z])?"
    r"(?P<amount>\d{1,12},\d{0,2})(?P<type>[NSF][A-Z0-9]{3})(?P<ref>.*)$"
)
_ENVELOPE = re.compile(r"^(\{\d:[^}]*\})*\{4:\s*")
_BALANCE_TAGS = {"60F", "60M", "62F", "62M", "64", "65"}
# the `:61:` type codes and German business-transaction codes (GVC) that mean a returned item
_RETURN_TYPES = {"NRTI", "FRTI", "SRTI"}
_RETURN_GVC = {"108", "109", "159", "184"}
_SLASH_KEYS = (
    "TRTP|IBAN|BIC|NAME|REMI|EREF|MARF|CSID|ORDP|BENM|CNTP|RTRN|ISDT|ID|ADDR|SVCL|PURP|ULTD|ULTC|BUSP|PREF"
)
_SLASH = re.compile(rf"/({_SLASH_KEYS})/")
# compiled once (a pattern string given to `re.match` is looked up in re's cache on every entry)
_DE_HEAD = re.compile(r"^\d{3}\?\d{2}")
_DE_SUB = re.compile(r"\?(\d{2})([^?]*)")
_SEPA = re.compile(
    r"(EREF|KREF|MREF|CRED|SVWZ|ABWA|ABWE)\+(.*?)(?=(?:EREF|KREF|MREF|CRED|SVWZ|ABWA|ABWE)\+|$)"
)
_REMI_PREFIX = re.compile(r"^(USTD|STRD)//?")
_ACCOUNT = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}|P?\d{7,18}")
_DE_PURPOSE = (*(f"2{i}" for i in range(10)), "60", "61", "62", "63")

logging.getLogger("mt940").setLevel(logging.CRITICAL)  # it logs a regex dump on every line it rejects


def looks_like(text: str) -> bool:
    return bool(re.search(r"^:20:", text, re.MULTILINE)) and bool(
        re.search(r"^:6[02][FM]:", text, re.MULTILINE)
    )


def _date(file: str, line: int, field: str, yymmdd: str) -> dt.date:
    try:
        return dt.date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))
    except ValueError:
        raise StatementFormatError(file, line, field, f"'{yymmdd}' is not a date (YYMMDD)") from None


def _balance(file: str, line: int, tag: str, value: str) -> tuple[Decimal, dt.date, str]:
    m = _BALANCE.match(value.strip())
    if not m:
        raise StatementFormatError(
            file,
            line,
            f"tag {tag}",
            f"'{value.strip()}' is not a balance (expected C|D, YYMMDD, currency, 123,45)",
        )
    amount = Decimal(m["amount"].replace(",", "."))
    return (-amount if m["mark"] == "D" else amount), _date(file, line, f"tag {tag}", m["date"]), m["ccy"]


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """The file's statements, each a list of (line number, line) from its `:20:` on."""
    blocks: list[list[tuple[int, str]]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if line.startswith("{"):
            line = _ENVELOPE.sub("", line)
        if line.startswith(":20:"):
            blocks.append([])
        if not blocks or line in ("", "-", "-}", "}"):
            continue
        blocks[-1].append((number, line))
    return blocks


def _tags(block: list[tuple[int, str]]) -> list[tuple[int, str, list[str]]]:
    """(line, tag, lines of its value); lines after a balance tag that are no tag are bank filler."""
    tags: list[tuple[int, str, list[str]]] = []
    for number, line in block:
        m = _TAG.match(line) if line[:1] == ":" else None
        if m:
            tags.append((number, m["tag"], [m["value"]]))
        elif tags and tags[-1][1] not in _BALANCE_TAGS and tags[-1][1] not in ("20", "25", "28C", "28"):
            tags[-1][2].append(line)
    return tags


def _slash_fields(parts: list[str]) -> dict[str, str]:
    """`/KEY/value` fields from `_SLASH.split` of a `:86:` (the first value of a key kept)."""
    fields: dict[str, str] = {}
    for key, value in zip(parts[1::2], parts[2::2], strict=False):
        fields.setdefault(key, value.strip("/ "))
    return fields


def _account_like(value: object) -> str:
    """The `:61:` supplementary line when it is an account number (Rabobank puts the counterparty's IBAN there)."""
    text = str(value or "").strip()
    return text if _ACCOUNT.fullmatch(text) else ""


def _details(text: str) -> tuple[str, dict[str, str]]:
    """The dialect of one `:86:` and what it says: counterparty, account, reference, description."""
    joined = "".join(text.splitlines())
    if _DE_HEAD.match(joined):
        sub: dict[str, str] = {}
        for key, value in _DE_SUB.findall(joined):
            sub[key] = sub.get(key, "") + value
        purpose = "".join(sub.get(k, "") for k in _DE_PURPOSE)
        sepa = dict(_SEPA.findall(purpose))
        text = sepa.get("SVWZ", purpose if not sepa else "").strip()
        return "structured-de", {
            "counterparty": (sub.get("32", "") + sub.get("33", "")).strip(),
            "counterparty_account": sub.get("31", "").strip(),
            "reference": sepa.get("EREF", "").strip(),
            "description": " ".join(p for p in (sub.get("00", "").strip(), text) if p),
            "gvc": joined[:3],
        }
    parts = _SLASH.split(joined)
    if len(parts) > 1:
        f = _slash_fields(parts)
        name, account = f.get("NAME", ""), f.get("IBAN", "")
        if "CNTP" in f:  # ING: /CNTP/iban/bic/name/city/
            cntp = f["CNTP"].split("/")
            account = account or (cntp[0] if cntp else "")
            name = name or (cntp[2] if len(cntp) > 2 else "")
        remi = _REMI_PREFIX.sub("", f.get("REMI", "")).strip("/ ")
        return "slash-keys", {
            "counterparty": name,
            "counterparty_account": account,
            "reference": f.get("EREF", "") if f.get("EREF", "") != "NOTPROVIDED" else "",
            "description": " ".join(p for p in (f.get("TRTP", ""), remi) if p),
            "returned": "1" if "RTRN" in f else "",
        }
    return "free-text", {"description": " ".join(s.strip() for s in text.splitlines() if s.strip())}


def _statement(file: str, block: list[tuple[int, str]]) -> ParsedStatement:
    start = block[0][0]
    tags = _tags(block)
    found = {t for _, t, _ in tags}
    for need, label in (
        ("25", "tag 25 (account)"),
        ("60", "tag 60F (opening balance)"),
        ("62", "tag 62F (closing balance)"),
    ):
        if not any(t.startswith(need) for t in found):
            raise StatementFormatError(file, start, label, "missing in the statement starting here")
    account = next(v[0].strip() for _, t, v in tags if t == "25")
    number = next((v[0].strip() for _, t, v in tags if t in ("28C", "28")), "")
    opening_line, closing_line = 0, 0
    opening = closing = Decimal(0)
    from_date = to_date = dt.date.min
    currency = ""
    lines61: list[tuple[int, re.Match[str], dt.date]] = []
    texts86: list[str] = []  # the first `:86:` after each `:61:` ("" when none)
    trimmed: list[str] = []
    closed = False
    for number_, tag, value in tags:
        if tag in ("60F", "60M") and not opening_line:
            opening, from_date, currency = _balance(file, number_, tag, value[0])
            opening_line = number_
        elif tag in ("62F", "62M"):
            closing, to_date, ccy = _balance(file, number_, tag, value[0])
            if currency and ccy != currency:
                raise StatementFormatError(
                    file,
                    number_,
                    f"tag {tag}",
                    f"currency {ccy} differs from the opening balance's {currency}",
                )
            closing_line, closed = number_, True
        elif tag in ("64", "65"):
            _balance(file, number_, tag, value[0])
        elif tag == "61":
            if closed:
                raise StatementFormatError(file, number_, "tag 61", "entry after the closing balance")
            m = _LINE61.match(value[0])
            if not m:
                raise StatementFormatError(
                    file, number_, "tag 61",
                    f"'{value[0]}' is not a statement line (expected YYMMDD[MMDD], C|D|RC|RD, amount 123,45, "
                    "type code like NTRF, reference)",
                )  # fmt: skip
            lines61.append((number_, m, _date(file, number_, "tag 61 value date", m["value_date"])))
            texts86.append("")
            trimmed.append(":61:" + "\n".join(value))
            continue
        elif tag == "86":
            if texts86 and not texts86[-1]:
                texts86[-1] = "\n".join(value)
            continue  # read below (`_details`); the library's own reading of it is not used
        trimmed.append(f":{tag}:" + "\n".join(value))
    if not currency:
        raise StatementFormatError(file, opening_line or start, "tag 60F", "no currency")
    parsed = Transactions(processors={"post_transaction_details": []})  # the :86: sub-fields are read below
    try:
        entries = [t for t in parsed.parse("\n".join(trimmed)) if t.data.get("id") or t.data.get("amount")]
    except Exception as exc:  # the library raises bare RuntimeErrors
        raise StatementFormatError(
            file, start, "statement", f"not readable as MT940 ({exc.args[0]})"
        ) from None
    entries = [t for t in entries if "amount" in t.data]
    if len(entries) != len(lines61):
        raise StatementFormatError(
            file, start, "tag 61", f"{len(lines61)} entries in the file but {len(entries)} readable"
        )
    transactions: list[ParsedTransaction] = []
    dialects: dict[str, int] = {}
    for (line, m, value_date), text86, entry in zip(lines61, texts86, entries, strict=True):
        amount = Decimal(m["amount"].replace(",", "."))
        mark = m["mark"]
        signed = -amount if mark in ("D", "RC") else amount
        booking = entry.data.get("guessed_entry_date") or value_date
        dialect, d = _details(text86) if text86 else ("none", {})
        dialects[dialect] = dialects.get(dialect, 0) + 1
        bank_ref = str(entry.data.get("bank_reference") or "")
        cust_ref = m["ref"].split("//")[0].strip()
        returned = (
            mark.startswith("R") or m["type"] in _RETURN_TYPES or bool(d.get("returned"))
            or d.get("gvc", "") in _RETURN_GVC
        )  # fmt: skip
        transactions.append(
            ParsedTransaction(
                line=line,
                booking_date=dt.date(booking.year, booking.month, booking.day),
                value_date=value_date,
                amount=signed,
                currency=currency,
                counterparty=d.get("counterparty", "")[:200],
                counterparty_account=(
                    d.get("counterparty_account") or _account_like(entry.data.get("extra_details"))
                )[:64],
                reference=(
                    d.get("reference")
                    or (bank_ref if bank_ref else ("" if cust_ref == "NONREF" else cust_ref))
                )[:120],
                description=d.get("description", "")[:1000],
                code=m["type"],
                returned=returned,
            )
        )
    dialect = max(dialects, key=dialects.__getitem__) if dialects else "none"
    return ParsedStatement(
        file=file, line=start, format="mt940", dialect=f"mt940/{dialect}", account=account, currency=currency,
        number=number, from_date=from_date, to_date=to_date, opening_balance=opening, closing_balance=closing,
        closing_line=closing_line, transactions=transactions,
    )  # fmt: skip


def parse_mt940(text: str, file: str) -> list[ParsedStatement]:
    blocks = _blocks(text)
    if not blocks:
        raise StatementFormatError(
            file, 1, "tag 20", "no statement found (an MT940 statement starts with ':20:')"
        )
    return [_statement(file, b) for b in blocks]
