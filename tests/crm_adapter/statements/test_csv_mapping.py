"""A CSV export in a layout no preset knows, read through a mapping file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from crm_adapter.statements import load_mapping
from crm_adapter.statements.csv_export import parse_csv
from crm_adapter.statements.records import StatementFormatError
from kernel.errors import InvalidInput

GERMAN = """Buchungstag;Empfänger/Auftraggeber;Verwendungszweck;Betrag;Saldo
31.03.2026;Sparkasse KoelnBonn;Darlehen 55102 Rate;-1.250,00;8.750,00
15.03.2026;Mueller Maschinenbau GmbH;RE 2026-112;5.000,00;10.000,00
"""

MAPPING = """date: Buchungstag
date_format: "%d.%m.%Y"
amount: Betrag
balance: Saldo
counterparty: Empfänger/Auftraggeber
description: Verwendungszweck
default_currency: EUR
default_account: DE44500105175407324931
decimal: ","
delimiter: ";"
"""


def test_mapping_file_reads_a_german_export(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(MAPPING, encoding="utf-8")
    st = parse_csv(GERMAN.encode(), "umsatz.csv", load_mapping(tmp_path / "m.yaml"))
    # newest first in the file: reordered; opening = 10,000.00 - 5,000.00
    assert [t.amount for t in st.transactions] == [Decimal("5000.00"), Decimal("-1250.00")]
    assert st.opening_balance == Decimal("5000.00") and st.closing_balance == Decimal("8750.00")
    assert st.account == "DE44500105175407324931" and st.currency == "EUR" and st.dialect == "csv/mapping"


def test_a_wrong_running_balance_is_refused_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(MAPPING, encoding="utf-8")
    bad = GERMAN.replace("8.750,00", "8.760,00")
    with pytest.raises(
        StatementFormatError,
        match=r"umsatz.csv:2: Saldo: 8760.00 but the previous balance plus -1250.00 is 8750.00",
    ):
        parse_csv(bad.encode(), "umsatz.csv", load_mapping(tmp_path / "m.yaml"))


def test_a_mapping_naming_a_missing_column_is_refused(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(MAPPING.replace("Verwendungszweck", "Zweck"), encoding="utf-8")
    with pytest.raises(StatementFormatError, match="umsatz.csv:1: Zweck: column missing"):
        parse_csv(GERMAN.encode(), "umsatz.csv", load_mapping(tmp_path / "m.yaml"))


def test_an_invalid_mapping_file_says_what_is_wrong(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text("date: Datum\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        load_mapping(tmp_path / "m.yaml")
    assert "give either 'amount' or both 'debit' and 'credit'" in " ".join(info.value.details)
