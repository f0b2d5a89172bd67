"""The memo's typed structure: header, sections (facts, tables, bullets, narrative), citations, charts.

A memo is built only from tool results (the engine's assessment, review-run history, the contact log
and knowledge-base hits). Every figure shown is a formatted `Fact`/table cell whose raw value sits in
`Memo.data`, so a reader — or the narrative number guard — can trace it back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

Language = Literal["en", "zh"]
Format = Literal["md", "html", "docx", "pdf"]
MemoStatus = Literal["draft", "submitted", "approved"]
LANGUAGES: tuple[str, ...] = ("en", "zh")
FORMATS: tuple[str, ...] = ("md", "html", "docx", "pdf")


class Fact(BaseModel):
    """One labelled figure: `value` is what the reader sees, `raw` the tool's value (None = n/a)."""

    key: str
    label: str
    value: str
    raw: Any = None


class Table(BaseModel):
    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool] = Field(default_factory=list, description="Right-align the column (figures)")
    caption: str | None = None


class Section(BaseModel):
    key: str
    title: str
    narrative: list[str] = Field(default_factory=list, description="Paragraphs (template or guarded LLM)")
    facts: list[Fact] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    bullets: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list, description="What data this section lacks")
    chart: str | None = Field(None, description="Key of a chart shown with this section")

    def fact(self, key: str) -> Fact | None:
        return next((f for f in self.facts if f.key == key), None)


class Citation(BaseModel):
    n: int
    document: str
    section: str
    page: int | None = None
    text: str
    chunk_id: str | None = None

    @property
    def label(self) -> str:
        page = f", p. {self.page}" if self.page is not None else ""
        return f"[{self.n}] {self.document} § {self.section}{page}"


class ChartSeries(BaseModel):
    key: str
    label: str
    points: list[tuple[dt.date, float | None]]


class ChartSpec(BaseModel):
    key: str
    title: str
    unit: Literal["%", "x"]
    series: list[ChartSeries]


class MemoHeader(BaseModel):
    title: str
    facts: list[Fact]


class Memo(BaseModel):
    """A drafted review memo. `memo_id`/`version`/`status` are set once it is saved."""

    memo_id: int | None = None
    version: int | None = None
    status: MemoStatus = "draft"
    client_id: int
    client_name: str
    language: Language = "en"
    as_of: dt.date
    created_by: str
    created_at: dt.datetime
    policy_version: str
    model_id: str
    snapshot_sha256: str = Field(description="sha256 of the canonical JSON of `data`")
    narrator: str = Field("template", description="Who wrote the narrative paragraphs")
    narrative_notes: list[str] = Field(default_factory=list, description="e.g. why an LLM text was refused")
    header: MemoHeader
    sections: list[Section]
    citations: list[Citation] = Field(default_factory=list)
    charts: list[ChartSpec] = Field(default_factory=list)
    text: str = Field("", description="The memo rendered as Markdown")
    data: dict[str, Any] = Field(description="The tool results the memo was built from (JSON)")

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


class MemoVersion(BaseModel):
    """A saved version, as listed (no content)."""

    memo_id: int
    client_id: int
    version: int
    status: MemoStatus
    language: Language
    as_of: dt.date
    created_by: str
    created_at: dt.datetime
    snapshot_sha256: str
