"""ISO 20022 camt.053 bank-to-customer statements, versions .001.02 to .001.08, over lxml.

The XML parser is locked down (no DTDs, no entities, no network, no huge trees): statement files
come from outside. Only booked entries count (`Sts` BOOK; pending and informational entries are
left out and reported). Opening balance: `OPBD` (or `PRCD`, the previous closing); closing: `CLBD`.
The counterparty of a credit is the debtor, of a debit the creditor; .08 wraps parties in `<Pty>`.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from lxml import etree

from crm_adapter.statements.records import ParsedStatement, ParsedTransaction, StatementFormatError

NAMESPACES = {f"urn:iso:std:iso:20022:tech:xsd:camt.053.001.0{v}": f"camt.053.001.0{v}" for v in range(2, 9)}
_ANY_ISO = re.compile(r"urn:iso:std:iso:20022:tech:xsd:(?P<msg>[a-z]{4}\.\d{3}\.\d{3}\.\d{2})")
_RETURN_SUBFAMILIES = {"RRTN", "ARET", "RPCR", "UPDD", "RTND"}


def looks_like(head: str) -> bool:
    return head.lstrip("\ufeff \r\n\t").startswith("<")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=True, remove_pis=True)  # fmt: skip


class _Reader:
    def __init__(self, file: str, ns: str) -> None:
        self.file = file
        self.ns = {"c": ns}

    def find(self, el: etree._Element, path: str) -> etree._Element | None:
        return el.find(path, self.ns)

    def text(self, el: etree._Element, *paths: str) -> str:
        for path in paths:
            found = el.find(path, self.ns)
            if found is not None and (found.text or "").strip():
                return found.text.strip()
        return ""

    def required(self, el: etree._Element, path: str, field: str) -> etree._Element:
        found = el.find(path, self.ns)
        if found is None:
            raise StatementFormatError(self.file, el.sourceline or 0, field, "missing")
        return found

    def amount(self, el: etree._Element, path: str, field: str) -> tuple[Decimal, str, int]:
        amt = self.required(el, path, field)
        try:
            value = Decimal((amt.text or "").strip())
        except InvalidOperation:
            raise StatementFormatError(
                self.file, amt.sourceline or 0, field, f"'{amt.text}' is not an amount"
            ) from None
        if not value.is_finite() or value < 0:
            raise StatementFormatError(
                self.file, amt.sourceline or 0, field, f"'{amt.text}' is not an amount"
            )
        return value, amt.get("Ccy", ""), amt.sourceline or 0

    def sign(self, el: etree._Element, field: str) -> int:
        mark = self.text(el, "c:CdtDbtInd")
        if mark not in ("CRDT", "DBIT"):
            raise StatementFormatError(
                self.file, el.sourceline or 0, field, f"CdtDbtInd '{mark}' is not CRDT or DBIT"
            )
        return 1 if mark == "CRDT" else -1

    def date(self, el: etree._Element, path: str, field: str, *, required: bool = True) -> dt.date | None:
        found = self.find(el, path)
        if found is None:
            if required:
                raise StatementFormatError(self.file, el.sourceline or 0, field, "missing")
            return None
        value = self.text(found, "c:Dt") or self.text(found, "c:DtTm")[:10] or (found.text or "").strip()[:10]
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            raise StatementFormatError(
                self.file, found.sourceline or 0, field, f"'{value}' is not a date"
            ) from None

    def party(self, tx: etree._Element, role: str) -> tuple[str, str]:
        name = self.text(tx, f"c:RltdPties/c:{role}/c:Nm", f"c:RltdPties/c:{role}/c:Pty/c:Nm")
        account = self.text(
            tx, f"c:RltdPties/c:{role}Acct/c:Id/c:IBAN", f"c:RltdPties/c:{role}Acct/c:Id/c:Othr/c:Id"
        )
        return name, account


def parse_camt053(data: bytes, file: str) -> tuple[list[ParsedStatement], list[str]]:
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        raise StatementFormatError(file, line, "xml", f"not well-formed XML ({exc.msg})") from None
    if root.getroottree().docinfo.doctype:
        raise StatementFormatError(file, 1, "xml", "a DOCTYPE is not allowed in a statement file")
    ns = etree.QName(root).namespace or ""
    if ns not in NAMESPACES:
        m = _ANY_ISO.match(ns)
        got = (
            f"{m['msg']} is not a bank-to-customer statement"
            if m
            else f"namespace '{ns or 'none'}' is not ISO 20022"
        )
        raise StatementFormatError(file, root.sourceline or 1, "Document",
                                   f"{got}; expected camt.053.001.02 to camt.053.001.08")  # fmt: skip
    r = _Reader(file, ns)
    statements: list[ParsedStatement] = []
    warnings: list[str] = []
    body = r.required(root, "c:BkToCstmrStmt", "BkToCstmrStmt")
    for st in body.findall("c:Stmt", r.ns):
        acct = r.required(st, "c:Acct", "Stmt/Acct")
        account = r.text(acct, "c:Id/c:IBAN", "c:Id/c:Othr/c:Id")
        if not account:
            raise StatementFormatError(file, acct.sourceline or 0, "Acct/Id", "no IBAN or other account id")
        currency = r.text(acct, "c:Ccy")
        bank = r.text(
            acct, "c:Svcr/c:FinInstnId/c:BIC", "c:Svcr/c:FinInstnId/c:BICFI", "c:Svcr/c:FinInstnId/c:Nm"
        )
        balances: dict[str, tuple[Decimal, dt.date, int]] = {}
        for bal in st.findall("c:Bal", r.ns):
            code = r.text(bal, "c:Tp/c:CdOrPrtry/c:Cd", "c:Tp/c:CdOrPrtry/c:Prtry")
            value, ccy, line = r.amount(bal, "c:Amt", f"Bal[{code}]/Amt")
            currency = currency or ccy
            day = r.date(bal, "c:Dt", f"Bal[{code}]/Dt")
            assert day is not None
            balances.setdefault(code, (value * r.sign(bal, f"Bal[{code}]"), day, line))
        opening = balances.get("OPBD") or balances.get("PRCD")
        closing = balances.get("CLBD")
        if opening is None or closing is None:
            missing = "OPBD (or PRCD)" if opening is None else "CLBD"
            raise StatementFormatError(file, st.sourceline or 0, "Stmt/Bal", f"no {missing} balance")
        period = r.find(st, "c:FrToDt")
        from_date = r.date(period, "c:FrDtTm", "FrToDt", required=False) if period is not None else None
        to_date = r.date(period, "c:ToDtTm", "FrToDt", required=False) if period is not None else None
        from_date = from_date or opening[1]
        to_date = to_date or closing[1]
        txs: list[ParsedTransaction] = []
        skipped = 0
        for entry in st.findall("c:Ntry", r.ns):
            status = r.text(entry, "c:Sts/c:Cd", "c:Sts")
            if status and status != "BOOK":
                skipped += 1
                continue
            value, ccy, line = r.amount(entry, "c:Amt", "Ntry/Amt")
            if ccy and currency and ccy != currency:
                raise StatementFormatError(
                    file, line, "Ntry/Amt", f"currency {ccy} is not the account's {currency}"
                )
            sign = r.sign(entry, "Ntry")
            booked = r.date(entry, "c:BookgDt", "Ntry/BookgDt")
            assert booked is not None
            tx = r.find(entry, "c:NtryDtls/c:TxDtls")
            role = "Dbtr" if sign > 0 else "Cdtr"
            name, cp_account = r.party(tx, role) if tx is not None else ("", "")
            remittance = " ".join(
                (e.text or "").strip()
                for e in entry.iterfind(".//c:RmtInf/c:Ustrd", r.ns)
                if (e.text or "").strip()
            )
            info = r.text(entry, "c:AddtlNtryInf")
            domain = [
                r.text(entry, f"c:BkTxCd/c:Domn/{p}") for p in ("c:Cd", "c:Fmly/c:Cd", "c:Fmly/c:SubFmlyCd")
            ]
            code = "/".join(p for p in domain if p) or r.text(entry, "c:BkTxCd/c:Prtry/c:Cd")
            reference = (r.text(tx, "c:Refs/c:EndToEndId") if tx is not None else "") or r.text(
                entry, "c:AcctSvcrRef"
            )
            txs.append(
                ParsedTransaction(
                    line=entry.sourceline or 0, booking_date=booked,
                    value_date=r.date(entry, "c:ValDt", "Ntry/ValDt", required=False),
                    amount=value * sign, currency=currency or ccy, counterparty=name[:200],
                    counterparty_account=cp_account[:64],
                    reference="" if reference == "NOTPROVIDED" else reference[:120],
                    description=" ".join(p for p in (remittance, info) if p)[:1000], code=code[:40],
                    returned=r.text(entry, "c:RvslInd") == "true" or domain[2] in _RETURN_SUBFAMILIES,
                )
            )  # fmt: skip
        if skipped:
            warnings.append(
                f"{file}:{st.sourceline}: {skipped} entries not booked (pending/information) left out"
            )
        statements.append(
            ParsedStatement(
                file=file, line=st.sourceline or 0, format="camt053", dialect=NAMESPACES[ns], account=account,
                currency=currency, bank=bank, number=r.text(st, "c:ElctrncSeqNb", "c:LglSeqNb", "c:Id"),
                from_date=from_date, to_date=to_date, opening_balance=opening[0], closing_balance=closing[0],
                closing_line=closing[2], transactions=txs,
            )
        )  # fmt: skip
    if not statements:
        raise StatementFormatError(file, body.sourceline or 0, "Stmt", "no statement in the file")
    return statements, warnings
