"""Document bombs (.docx, .pdf) are refused in bounded time and memory: viensum.documents."""
from __future__ import annotations

import collections
import io
import re
import zipfile

import pytest

import bombs
from viensum import documents, inputs
from viensum.errors import InputError
from require import require_module



@pytest.fixture(autouse=True)
def _parsers():
    """python-docx and pypdf (the [app] extra): a skip with the fix outside CI, a failure under CI=true."""
    for name in ("docx", "pypdf"):
        require_module(name, "pip install -e '.[app]'")


def test_a_docx_whose_xml_inflates_past_the_limit_is_refused_from_its_zip_directory(monkeypatch):
    bomb = bombs.docx(200_000)  # ~38 KB holding 12.6 MB of XML
    assert len(bomb) < 100_000
    children, inflated = [], []  # reader processes started, zip members opened (both passed through)
    run, open_member = documents.subprocess.run, zipfile.ZipFile.open
    monkeypatch.setattr(documents.subprocess, "run", lambda *a, **kw: children.append(a) or run(*a, **kw))
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **kw:
                        inflated.append(name) or open_member(self, name, *a, **kw))
    with pytest.raises(InputError, match=r"XML unpacks to 12,\d{3},\d{3} bytes, over the 10,000,000-byte limit"):
        inputs.decode_document(bomb, ".docx")
    assert children == [] and inflated == []  # nothing was inflated: no parser (no reader process) ran


def test_a_docx_within_the_limits_reads_and_its_text_stops_at_the_character_limit():
    small = bombs.docx(3)
    assert inputs.decode_document(small, ".docx").split("\n\n") == ["Hà Nội hôm nay mưa lớn."] * 3
    with pytest.raises(InputError, match="over the 100-character limit"):
        inputs.decode_document(bombs.docx(50), ".docx", inputs.Limits(text_chars=100))


def test_pdf_pages_sharing_one_content_stream_are_read_once_and_stop_at_the_character_limit(monkeypatch):
    bomb = bombs.pdf(2000, stream_lines=1000)  # ~300 KB; each page ~51,000 characters, the same stream
    with pytest.raises(InputError, match="over the 5,000,000-character limit"):
        inputs.decode_document(bomb, ".pdf")
    spy = PypdfSpy(monkeypatch)  # what the reader process does, run here where it can be watched
    with pytest.raises(documents.DocumentError, match="over the 5,000,000-character limit"):
        documents.read_in_process(bomb, ".pdf", documents.DocumentLimits())
    assert len(spy.extracted) == 1  # the shared stream read once for the ~99 pages counted (unbounded: 2000 reads)


class PypdfSpy:
    """Records what pypdf is asked to do: which objects it reads from the file, and how many bytes of
    content stream each text extraction is given."""

    def __init__(self, monkeypatch) -> None:
        from pypdf import PageObject, PdfReader

        self.objects: set = set()
        self.extracted: list[int] = []
        get_object, extract_text = PdfReader.get_object, PageObject.extract_text

        def get(reader, reference):
            self.objects.add(getattr(reference, "idnum", reference))
            return get_object(reader, reference)

        def extract(page, *args, **kwargs):
            contents = page.get_contents()
            self.extracted.append(len(contents.get_data()) if contents is not None else 0)
            return extract_text(page, *args, **kwargs)

        monkeypatch.setattr(PdfReader, "get_object", get)
        monkeypatch.setattr(PageObject, "extract_text", extract)


def test_a_pdf_bomb_is_refused_from_the_start_of_its_stream_on_its_first_pages(monkeypatch):
    bomb = bombs.pdf(2000, stream_lines=12_500)  # one 1,037,500-byte stream on 2,000 pages, ~637,000 characters each
    spy = PypdfSpy(monkeypatch)
    with pytest.raises(documents.DocumentError, match="over the 5,000,000-character limit"):
        documents.read_in_process(bomb, ".pdf", documents.DocumentLimits())  # what the reader process runs
    assert spy.extracted and max(spy.extracted) <= documents.PDF_FIRST_READ  # not the whole 1 MB stream
    assert len(spy.objects) < 1000  # nor every page object: the count passed the limit on the first ~250 pages


def test_a_shared_stream_whose_text_comes_late_is_read_whole_at_the_second_read(monkeypatch):
    from pypdf import PdfReader

    bomb = bombs.pdf(50, stream_lines=3000, drawing=64_000)  # 896,000 bytes of drawing, then the text
    spy = PypdfSpy(monkeypatch)
    with pytest.raises(documents.DocumentError, match="over the 5,000,000-character limit"):
        documents.read_in_process(bomb, ".pdf", documents.DocumentLimits())
    first, *rest = spy.extracted
    whole = len(PdfReader(io.BytesIO(bomb)).pages[0].get_contents().get_data())  # 1,141,664 bytes
    assert first <= documents.PDF_FIRST_READ and rest == [whole]  # no text in the first read: no reads growing by 4


def test_a_normal_multi_page_pdf_reads_whole_as_pypdf_reads_it(monkeypatch):
    from pypdf import PdfReader

    pages = bombs.pdf(30, stream_lines=60, numbered=True, inherit=True)  # resources from the page tree
    nested = bombs.pdf(30, stream_lines=60, numbered=True, inherit=True, nested=True)  # ... from a level down
    big = bombs.pdf(2, stream_lines=3300, numbered=True)  # ~270 KB per page: read in growing prefixes
    for pdf in (pages, nested, big):
        expected = "\n\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        spy = PypdfSpy(monkeypatch)
        assert documents.read_in_process(pdf, ".pdf", documents.DocumentLimits()) == expected
        if pdf is not big:  # small streams: each read once, whole
            assert len(spy.extracted) == 30 and max(spy.extracted) < documents.PDF_FIRST_READ
        else:  # 32 KB, 128 KB, then the whole stream of each page
            assert len([n for n in spy.extracted if n > documents.PDF_WHOLE_READ]) == 2 == len(spy.extracted) / 3
    text = inputs.decode_document(nested, ".pdf")
    assert collections.Counter(re.findall(r"pho\. (\d+)", text)) == {str(p): 60 for p in range(1, 31)}


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
    from viensum.ui import inputs as ui_inputs

    (tmp_path / "bomb.docx").write_bytes(bombs.docx(200_000))
    with pytest.raises(InputError, match="XML unpacks to"):
        ui_inputs.read_document(tmp_path / "bomb.docx")
    [item] = ui_inputs.batch_items([str(tmp_path / "bomb.docx")])
    assert "XML unpacks to" in item.error
