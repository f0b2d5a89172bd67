from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.chunker import chunk_document
from knowledge.models import Block, LoadedDocument


def doc(blocks: list[Block], doc_id: str = "doc") -> LoadedDocument:
    return LoadedDocument(document_id=doc_id, title="T", source="t.md", content_hash="h", blocks=blocks)


def test_sections_carry_their_path_and_tables_split_into_rows_with_their_header() -> None:
    header = "| Level | Approver | Up to |\n|---|---|---|"
    rows = ["| 1 | Team lead | 1,000,000 |", "| 2 | BU head | 5,000,000 |", "| 3 | CCO | 20,000,000 |"]
    table = "\n".join([header, *rows])
    chunks = chunk_document(doc([
        Block(kind="heading", text="7 Approval authority", level=1),
        Block(kind="text", text="Intro."),
        Block(kind="heading", text="7.1 Levels", level=2),
        Block(kind="table", text=table),
        Block(kind="heading", text="7.2 Exceptions", level=2),
        Block(kind="text", text="Exceptions escalate.", page=3),
        Block(kind="heading", text="8 Concentration", level=1),
        Block(kind="text", text="Limits."),
    ]), max_chars=300)  # fmt: skip
    assert [c.section for c in chunks] == [
        "7 Approval authority",
        *["7 Approval authority > 7.1 Levels"] * 3,
        "7 Approval authority > 7.2 Exceptions",
        "8 Concentration",
    ]
    assert [c.text for c in chunks[1:4]] == [f"{header}\n{row}" for row in rows]
    assert chunks[4].page == 3


def test_a_table_of_a_header_alone_stays_whole_and_rows_never_merge_with_text() -> None:
    chunks = chunk_document(doc([Block(kind="text", text="Before."), Block(kind="table", text="| a | b |"),
                                 Block(kind="table", text="| a | b |\n| 1 | 2 |"), Block(kind="text", text="After.")]))  # fmt: skip
    assert [c.text for c in chunks] == ["Before.", "| a | b |", "| a | b |\n| 1 | 2 |", "After."]


def test_long_paragraphs_split_at_sentences_within_the_limit() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(100))
    chunks = chunk_document(doc([Block(kind="text", text=text)]), max_chars=200)
    assert len(chunks) > 5
    assert all(len(c.text) <= 200 for c in chunks)
    assert all(c.text.endswith(".") for c in chunks)


def test_editing_one_section_keeps_the_other_ids() -> None:
    a = [Block(kind="heading", text="1 A", level=1), Block(kind="text", text="alpha"),
         Block(kind="heading", text="2 B", level=1), Block(kind="text", text="beta")]  # fmt: skip
    b = [*a[:3], Block(kind="text", text="beta, revised")]
    first, second = chunk_document(doc(a)), chunk_document(doc(b))
    assert first[0].chunk_id == second[0].chunk_id
    assert first[1].chunk_id != second[1].chunk_id


_words = st.text(alphabet=st.sampled_from("abc xyz.。授信\n"), min_size=1, max_size=400)
_blocks = st.lists(
    st.one_of(
        st.builds(
            lambda t, lv: Block(kind="heading", text=t.strip() or "h", level=lv), _words, st.integers(1, 3)
        ),
        st.builds(lambda t: Block(kind="text", text=t), _words.filter(str.strip)),
        st.builds(lambda t: Block(kind="table", text=t), _words.filter(str.strip)),
    ),
    max_size=25,
)


def _visible(text: str) -> str:
    return "".join(text.split())


def _as_rows(table: str) -> str:
    """A table as its chunks should hold it: the header line (and a separator line) before every row."""
    lines = [line for line in table.split("\n") if line.strip()]
    head = (
        2
        if len(lines) > 1 and set(lines[1].replace("|", "").strip()) <= {"-", ":"} and "--" in lines[1]
        else 1
    )
    if len(lines) <= head:
        return table
    return "".join("".join(lines[:head]) + row for row in lines[head:])


@settings(max_examples=150, deadline=None)
@given(_blocks, st.integers(min_value=20, max_value=400))
def test_no_text_lost_and_ids_stable_and_unique(blocks: list[Block], max_chars: int) -> None:
    document = doc(blocks)
    chunks = chunk_document(document, max_chars=max_chars)
    body = "".join(
        _visible(_as_rows(b.text) if b.kind == "table" else b.text) for b in blocks if b.kind != "heading"
    )
    assert "".join(_visible(c.text) for c in chunks) == body
    assert [c.chunk_id for c in chunk_document(document, max_chars=max_chars)] == [c.chunk_id for c in chunks]
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    assert all(len(c.text) <= max_chars or "\n\n" not in c.text for c in chunks)
