"""Document bombs (.docx, .pdf) are refused in bounded time and memory: viensum.documents."""
from __future__ import annotations

import time

import pytest

import bombs
from viensum import documents, inputs
from viensum.errors import InputError

pytest.importorskip("docx")
pytest.importorskip("pypdf")


def test_a_docx_whose_xml_inflates_past_the_limit_is_refused_from_its_zip_directory():
    bomb = bombs.docx(200_000)  # ~38 KB holding 12.6 MB of XML
    assert len(bomb) < 100_000
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"XML unpacks to 12,\d{3},\d{3} bytes, over the 10,000,000-byte limit"):
        inputs.decode_document(bomb, ".docx")
    assert time.perf_counter() - started < 1.0  # nothing was inflated: no parser ran


def test_a_docx_within_the_limits_reads_and_its_text_stops_at_the_character_limit():
    small = bombs.docx(3)
    assert inputs.decode_document(small, ".docx").split("\n\n") == ["Hà Nội hôm nay mưa lớn."] * 3
    with pytest.raises(InputError, match="over the 100-character limit"):
        inputs.decode_document(bombs.docx(50), ".docx", inputs.Limits(text_chars=100))


def test_pdf_pages_sharing_one_content_stream_are_read_once_and_stop_at_the_character_limit():
    bomb = bombs.pdf(2000, stream_lines=1000)  # ~300 KB; each page ~51,000 characters, the same stream
    started = time.perf_counter()
    with pytest.raises(InputError, match="over the 5,000,000-character limit"):
        inputs.decode_document(bomb, ".pdf")
    assert time.perf_counter() - started < 20  # unbounded: 2000 extractions, ~20 minutes here


def test_shared_and_unshared_pages_give_the_same_text():
    shared = inputs.decode_document(bombs.pdf(4, stream_lines=3), ".pdf")
    own = inputs.decode_document(bombs.pdf(4, stream_lines=3, shared=False), ".pdf")
    assert shared == own and shared.count("Ha Noi hom nay mua lon") == 12


def test_reading_has_a_time_budget_and_a_memory_budget():
    page = bombs.pdf(2, stream_lines=3)
    with pytest.raises(InputError, match=r"took longer than 0.05 s"):
        inputs.decode_document(page, ".pdf", inputs.Limits(read_seconds=0.05))
    with pytest.raises(InputError, match="more than 30,000,000 bytes of memory"):
        inputs.decode_document(page, ".pdf", inputs.Limits(read_memory=30_000_000))


def test_the_reader_process_is_limited_and_damaged_files_say_so():
    with pytest.raises(InputError, match="this PDF cannot be read"):
        inputs.decode_document(b"%PDF-1.4 garbage", ".pdf")
    with pytest.raises(documents.DocumentError, match="not a Word document"):
        documents.document_text(b"PK not a zip", ".docx")


def test_the_app_and_every_runner_read_documents_through_the_same_bound(tmp_path):
    from viensum import ui

    (tmp_path / "bomb.docx").write_bytes(bombs.docx(200_000))
    with pytest.raises(InputError, match="XML unpacks to"):
        ui.read_document(tmp_path / "bomb.docx")
    [item] = ui.batch_items([str(tmp_path / "bomb.docx")])
    assert "XML unpacks to" in item.error
