"""CSV exports of online banking, read through a column mapping.

A mapping names the columns: a date, either one signed amount or a debit and a credit column, the
running balance, and optionally currency, counterparty, counterparty account, reference, description
and account. Two presets recognise common exports by their header: `en` (Date, Debit, Credit, Balance,
Counterparty, Reference, Description, Currency) and `zh` (交易日期, 借方发生额, 贷方发生额, 余额, 对方户名,
对方账号, 摘要, 币种; CNY unless a 币种 column or the preamble says otherwise). Anything else needs a
mapping file (YAML or JSON with the `CsvMapping` fields). Lines above the header (账号: ..., Account: ...)
are read for the account number and currency.

The running balance is checked on every row (previous balance + amount = balance) and gives the opening
and closing balances; rows newest-first are put in date order first.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError, model_validator

from crm_adapter.statements.records import ParsedStatement, ParsedTransaction, StatementFormatError
from kernel.errors import InvalidInput

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%d.%m.%Y", "%d/%m/%Y", "%Y年%m月%d日", "%Y.%m.%d")
_ACCOUNT = re.compile(
    r"(账号|帳號|账户|Account(?: number)?|IBAN)\s*[:：]\s*(?P<v>[A-Za-z0-9 \-]{4,40})", re.I
)
_CURRENCY = re.compile(r"(币种|幣種|Currency)\s*[:：]\s*(?P<v>[A-Z]{3}|人民币|美元|港币|欧元)", re.I)
_CURRENCY_NAMES = {"人民币": "CNY", "美元": "USD", "港币": "HKD", "欧元": "EUR"}


class CsvMapping(BaseModel):
    """Which column holds what. `strict`: every named column must exist (a preset uses what is there)."""

    date: str
    date_format: str | None = None
    value_date: str | None = None
    amount: str | None = None
    debit: str | None = None
    credit: str | None = None
    balance: str | None = None
    opening_balance: Decimal | None = None
    currency: str | None = None
    default_currency: str | None = None
    counterparty: str | None = None
    counterparty_account: str | None = None
    reference: str | None = None
    description: str | None = None
    account: str | None = None
    default_account: str | None = None
    decimal: str = "."
    delimiter: str | None = None
    encoding: str = "utf-8-sig"
    strict: bool = True

    @model_validator(mode="after")
    def _amounts(self) -> CsvMapping:
        if not self.amount and not (self.debit and self.credit):
            raise ValueError("give either 'amount' or both 'debit' and 'credit'")
        if self.decimal not in (".", ","):
            raise ValueError("decimal must be '.' or ','")
        return self


PRESETS: dict[str, CsvMapping] = {
    "en": CsvMapping(date="Date", value_date="Value date", debit="Debit", credit="Credit", balance="Balance",
                     currency="Currency", counterparty="Counterparty", counterparty_account="Counterparty account",
                     reference="Reference", description="Description", account="Account", strict=False),
    "zh": CsvMapping(date="交易日期", value_date="起息日", debit="借方发生额", credit="贷方发生额", balance="余额",
                     currency="币种", counterparty="对方户名", counterparty_account="对方账号", reference="流水号",
                     description="摘要", account="账号", default_currency="CNY", strict=False),
}  # fmt: skip


def load_mapping(path: Path) -> CsvMapping:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return CsvMapping.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidInput(f"cannot read the mapping file {path}: {exc}", field="mapping") from None
    except ValidationError as exc:
        problems = [f"{path}: {'.'.join(map(str, e['loc'])) or 'mapping'}: {e['msg']}" for e in exc.errors()]
        raise InvalidInput(
            f"the mapping file {path} is not valid", field="mapping", details=problems
        ) from None


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return data.decode("gb18030")  # Chinese bank exports are often GBK


def _header_at(rows: list[list[str]], mapping: CsvMapping) -> int | None:
    for i, row in enumerate(rows[:30]):
        if mapping.date in [c.strip() for c in row]:
            return i
    return None


def detect_preset(text: str) -> CsvMapping | None:
    rows = list(csv.reader(text.splitlines()[:30], delimiter=_delimiter(text)))
    for preset in PRESETS.values():
        i = _header_at(rows, preset)
        if i is None:
            continue
        header = {c.strip() for c in rows[i]}
        if preset.debit in header and preset.credit in header or preset.amount in header:
            return preset
    return None


def _delimiter(text: str, given: str | None = None) -> str:
    if given:
        return given
    head = "\n".join(text.splitlines()[:30])
    return max((",", ";", "\t", "|"), key=head.count)


def _amount(raw: str, decimal: str) -> Decimal:
    s = raw.strip().replace(" ", "").replace("\u00a0", "").replace("¥", "").replace("￥", "")
    negative = s.startswith("(") and s.endswith(")")
    s = s.strip("()")
    s = s.replace(".", "").replace(",", ".") if decimal == "," else s.replace(",", "")
    if s in ("", "-", "--"):
        return Decimal(0)
    value = Decimal(s)
    if not value.is_finite():
        raise InvalidOperation
    return -value if negative else value


def _date(raw: str, fmt: str | None) -> dt.date:
    for f in (fmt,) if fmt else _DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw.strip()[:19].split(" ")[0] if not fmt else raw.strip(), f).date()
        except ValueError:
            continue
    raise ValueError(raw)


def parse_csv(data: bytes, file: str, mapping: CsvMapping | None = None, *, account: str | None = None,
              currency: str | None = None) -> ParsedStatement:  # fmt: skip
    """One statement from an export (one account). Raises StatementFormatError at the first bad cell."""
    if mapping is None:
        text = _decode(data, "utf-8-sig")
        mapping = detect_preset(text)
        if mapping is None:
            raise StatementFormatError(
                file, 1, "header",
                "unknown CSV layout: expected the columns Date, Debit, Credit, Balance (English export) or "
                "交易日期, 借方发生额, 贷方发生额, 余额 (Chinese export); give a mapping file (--mapping) otherwise",
            )  # fmt: skip
    else:
        text = _decode(data, mapping.encoding)
    lines = text.splitlines()
    rows = list(csv.reader(lines, delimiter=_delimiter(text, mapping.delimiter)))
    h = _header_at(rows, mapping)
    if h is None:
        raise StatementFormatError(file, 1, mapping.date, "column not found in the first 30 lines")
    header = [c.strip() for c in rows[h]]
    preamble = "\n".join(lines[:h])
    col: dict[str, int] = {}
    for field in ("date", "value_date", "amount", "debit", "credit", "balance", "currency", "counterparty",
                  "counterparty_account", "reference", "description", "account"):  # fmt: skip
        name = getattr(mapping, field)
        if not name:
            continue
        if name in header:
            col[field] = header.index(name)
        elif mapping.strict:
            raise StatementFormatError(
                file, h + 1, name, f"column missing (the header has: {', '.join(header)})"
            )
    if "amount" not in col and not ("debit" in col and "credit" in col):
        raise StatementFormatError(file, h + 1, "amount", "no amount column nor debit and credit columns")
    m_acc, m_ccy = _ACCOUNT.search(preamble), _CURRENCY.search(preamble)
    acct = account or mapping.default_account or (m_acc["v"].strip() if m_acc else "")
    ccy = (
        currency
        or (_CURRENCY_NAMES.get(m_ccy["v"], m_ccy["v"].upper()) if m_ccy else "")
        or mapping.default_currency
    )
    txs: list[ParsedTransaction] = []
    balances: list[Decimal | None] = []

    def cell(row: list[str], field: str) -> str:
        i = col.get(field)
        return row[i].strip() if i is not None and i < len(row) else ""

    for offset, row in enumerate(rows[h + 1 :], start=h + 2):
        if not any(c.strip() for c in row):
            continue
        if len(row) < len(header) and not cell(row, "date"):
            continue  # a footer line (合计 / totals)
        try:
            day = _date(cell(row, "date"), mapping.date_format)
        except ValueError:
            if cell(row, "date") in ("合计", "总计", "Total", "Totals"):
                continue
            raise StatementFormatError(
                file, offset, mapping.date, f"'{cell(row, 'date')}' is not a date"
            ) from None
        try:
            if "amount" in col:
                amount = _amount(cell(row, "amount"), mapping.decimal)
            else:
                amount = _amount(cell(row, "credit"), mapping.decimal) - abs(
                    _amount(cell(row, "debit"), mapping.decimal)
                )
            bal = _amount(cell(row, "balance"), mapping.decimal) if cell(row, "balance") else None
        except InvalidOperation:
            bad = next(
                f
                for f in ("amount", "debit", "credit", "balance")
                if f in col and not _ok(cell(row, f), mapping.decimal)
            )
            raise StatementFormatError(
                file, offset, getattr(mapping, bad), f"'{cell(row, bad)}' is not an amount"
            ) from None
        row_ccy = cell(row, "currency")
        row_ccy = _CURRENCY_NAMES.get(row_ccy, row_ccy.upper()) if row_ccy else ccy
        if not row_ccy or not re.fullmatch(r"[A-Z]{3}", row_ccy):
            raise StatementFormatError(file, offset, mapping.currency or "currency",
                                       "no currency (a 币种/Currency column, a preamble line or --currency)")  # fmt: skip
        if ccy and row_ccy != ccy:
            raise StatementFormatError(file, offset, mapping.currency or "currency",
                                       f"{row_ccy} in an export of a {ccy} account (one account per file)")  # fmt: skip
        ccy = row_ccy
        acct = acct or cell(row, "account")
        vd = cell(row, "value_date")
        txs.append(
            ParsedTransaction(
                line=offset, booking_date=day, value_date=_date(vd, mapping.date_format) if vd else None,
                amount=amount, currency=row_ccy, counterparty=cell(row, "counterparty")[:200],
                counterparty_account=cell(row, "counterparty_account")[:64],
                reference=cell(row, "reference")[:120], description=cell(row, "description")[:1000],
                balance_after=bal,
            )
        )  # fmt: skip
        balances.append(bal)
    if not txs:
        raise StatementFormatError(file, h + 1, "rows", "no transactions under the header")
    if not acct:
        raise StatementFormatError(
            file, 1, "account", "no account number (an 账号/Account line, column or --account)"
        )
    if txs[0].booking_date > txs[-1].booking_date:
        txs.reverse()  # newest first in the export
    opening, closing = _balances(file, mapping, txs)
    return ParsedStatement(
        file=file, line=h + 1, format="csv", dialect="csv/" + next((k for k, p in PRESETS.items() if p is mapping), "mapping"),
        account=acct.replace(" ", ""), currency=ccy or "", from_date=txs[0].booking_date, to_date=txs[-1].booking_date,
        opening_balance=opening, closing_balance=closing, closing_line=txs[-1].line, transactions=txs,
    )  # fmt: skip


def _ok(raw: str, decimal: str) -> bool:
    try:
        _amount(raw, decimal)
        return True
    except InvalidOperation:
        return False


def _balances(file: str, mapping: CsvMapping, txs: list[ParsedTransaction]) -> tuple[Decimal, Decimal]:
    first = txs[0]
    if first.balance_after is None:
        if mapping.opening_balance is None:
            raise StatementFormatError(file, first.line, mapping.balance or "balance",
                                       "no running balance to check the export against (or opening_balance in the mapping)")  # fmt: skip
        opening = mapping.opening_balance
    else:
        opening = first.balance_after - first.amount
    running = opening
    for t in txs:
        running += t.amount
        if t.balance_after is not None and t.balance_after != running:
            raise StatementFormatError(file, t.line, mapping.balance or "balance",
                                       f"{t.balance_after} but the previous balance plus {t.amount} is {running}")  # fmt: skip
    return opening, running
