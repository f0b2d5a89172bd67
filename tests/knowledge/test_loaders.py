from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from kernel.errors import InvalidInput
from knowledge.loaders import load_document


def test_markdown_front_matter_title_sections_and_tables(write: Callable[[str, str], Path]) -> None:
    path = write("Review_Policy.md", "---\nversion: 2.1\ndate: 2026-03-01\naccess: risk\n---\n"
                 "# Review\u200b Policy\n\n## 1 Scope\n\nApplies to all\nclients.\n\n- one\n- two\n\n"
                 "| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode  kept\n```\n")  # fmt: skip
    doc = load_document(path)
    assert (doc.document_id, doc.title, doc.version, doc.date, doc.access, doc.language) == (
        "review_policy", "Review Policy", "2.1", dt.date(2026, 3, 1), "risk", "en")  # fmt: skip
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "1 Scope"),
        ("text", "Applies to all clients."),
        ("text", "- one\n- two"),
        ("table", "| a | b |\n|---|---|\n| 1 | 2 |"),
        ("text", "```\ncode  kept\n```"),
    ]


def test_plain_text_numbered_and_chinese_headings(write: Callable[[str, str], Path]) -> None:
    doc = load_document(write("rules.txt", "授信管理办法\n\n第一章 总则\n本办法适用于存量客户。\n"
                                           "第二条 评估\n每季度评估一次。\n"))  # fmt: skip
    assert doc.title == "授信管理办法" and doc.language == "zh"
    assert [(b.kind, b.level) for b in doc.blocks] == [
        ("heading", 1),
        ("text", 0),
        ("heading", 3),
        ("text", 0),
    ]
    english = load_document(write("en.txt", "Manual\n\n7 Approval\n7.2 Exceptions\nGo one level up.\n"))
    assert [(b.text, b.level) for b in english.blocks if b.kind == "heading"] == [
        ("7 Approval", 1),
        ("7.2 Exceptions", 2),
    ]


def test_pdf_keeps_page_numbers(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "limits.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle("Limit Standard")
    for page, lines in enumerate(
        [["1 Scope", "Applies to credit lines."], ["2 Sizing", "Limits are rounded."]]
    ):
        for i, line in enumerate(lines):
            pdf.drawString(72, 770 - 20 * i, line)
        if page == 0:
            pdf.showPage()
    pdf.save()
    doc = load_document(path)
    assert doc.title == "Limit Standard"
    assert [(b.kind, b.text, b.page) for b in doc.blocks] == [
        ("heading", "1 Scope", 1), ("text", "Applies to credit lines.", 1),
        ("heading", "2 Sizing", 2), ("text", "Limits are rounded.", 2),
    ]  # fmt: skip


def test_docx_keeps_heading_structure_and_tables_in_order(tmp_path: Path) -> None:
    from docx import Document

    path = tmp_path / "authority.docx"
    document = Document()
    document.add_heading("Authority Standard", level=0)
    document.add_heading("1 Levels", level=1)
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([("Level", "Limit"), ("1", "1,000,000")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_heading("1.1 Exceptions", level=2)
    document.add_paragraph("Exceptions go one level up.")
    document.save(str(path))
    doc = load_document(path)
    assert doc.title == "Authority Standard"
    assert [(b.kind, b.level, b.text) for b in doc.blocks] == [
        ("heading", 1, "1 Levels"),
        ("table", 0, "| Level | Limit |\n| 1 | 1,000,000 |"),
        ("heading", 2, "1.1 Exceptions"),
        ("text", 0, "Exceptions go one level up."),
    ]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("broken.pdf", b"%PDF-1.4 garbage", "broken.pdf: not a readable PDF"),
        ("broken.docx", b"not a zip", "broken.docx:"),
        ("latin1.md", "caf\xe9".encode("latin-1"), "latin1.md: not UTF-8 text"),
        ("empty.md", b"# Only a title\n", "empty.md: no text found"),
        ("sheet.xlsx", b"x", "sheet.xlsx: unsupported file type '.xlsx'"),
    ],
)
def test_unreadable_files_are_named_with_the_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InvalidInput) as exc:
        load_document(path)
    assert exc.value.message.startswith(reason)


def test_bad_access_tag_is_refused(write: Callable[[str, str], Path]) -> None:
    with pytest.raises(InvalidInput, match="access tag"):
        load_document(write("a.md", "text"), access="Risk Team")
