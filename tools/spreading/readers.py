"""Read a statement source into rows of cells that know their place: Excel (openpyxl) and text PDFs (pdfplumber).

Merged cells (a period header over two columns) take the top-left value in every cell they cover.
A PDF without a text layer (a scan) is refused rather than guessed: OCR is not done here.
"""

from __future__ import annotations

import re
from pathlib import Path

from kernel.errors import InvalidInput
from tools.spreading.spread import Cell

# a full period label first (2025年12月31日, 2025年度, 2025-12-31): else its digits would be read as three numbers
_TOKEN = re.compile(
    r"(?:FY)?(?:19|20)\d{2}(?:年\d{1,2}月(?:\d{1,2}日)?|年度|年末|年|-\d{1,2}-\d{1,2}|/\d{1,2}/\d{1,2})|"
    r"\(?-?[\d,]+(?:\.\d+)?\)?|(?:FY)?(?:19|20)\d{2}(?:[-/.年]\d{1,2}(?:[-/.月]\d{1,2}日?)?)?(?:年度?|年末)?"
)


def read_excel(path: Path) -> list[list[Cell]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=True, read_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise InvalidInput(
            f"{Path(path).name}: not a readable Excel workbook ({exc})", field="file"
        ) from None
    rows: list[list[Cell]] = []
    for ws in wb.worksheets:
        fill: dict[tuple[int, int], object] = {}
        for rng in ws.merged_cells.ranges:
            top = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    fill[(r, c)] = top
        for row in ws.iter_rows():
            cells = [
                Cell(value=fill.get((c.row, c.column), c.value), where=f"{ws.title}!{c.coordinate}")
                for c in row
            ]  # type: ignore[arg-type]
            if any(c.value not in (None, "") for c in cells):
                rows.append(cells)
    return rows


def read_pdf(path: Path) -> list[list[Cell]]:
    import pdfplumber

    name = Path(path).name
    rows: list[list[Cell]] = []
    any_text = False
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:
        raise InvalidInput(f"{name}: not a readable PDF ({exc})", field="file") from None
    with pdf:
        for page_no, page in enumerate(pdf.pages, start=1):
            text = page.extract_text() or ""
            any_text = any_text or bool(text.strip())
            for line_no, line in enumerate(text.splitlines(), start=1):
                where = f"page {page_no} line {line_no}"
                tokens = list(_TOKEN.finditer(line))
                tail = [t for t in tokens if t.end() > len(line.rstrip()) - len(line.rstrip()) or True]
                first_num = next((t for t in tail if _is_value(line, t)), None)
                label = line[: first_num.start()].strip() if first_num else line.strip()
                values = [t.group(0) for t in tail if first_num and t.start() >= first_num.start()]
                rows.append(
                    [Cell(value=label or None, where=where), *(Cell(value=v, where=where) for v in values)]
                )
    if not any_text:
        raise InvalidInput(
            f"{name}: no text layer (a scanned PDF?); export the statement as text PDF or Excel", field="file"
        )
    return rows


def _is_value(line: str, token: re.Match[str]) -> bool:
    """A token stands alone (not inside a word like 'Note 12a'), and everything after it is tokens too."""
    rest = line[token.start() :]
    return bool(re.fullmatch(r"(?:\s*(?:" + _TOKEN.pattern + r"))+\s*", rest))


def read_source(path: Path) -> list[list[Cell]]:
    suffix = Path(path).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_excel(path)
    if suffix == ".pdf":
        return read_pdf(path)
    raise InvalidInput(f"{Path(path).name}: expected an Excel workbook (.xlsx) or a PDF", field="file")
