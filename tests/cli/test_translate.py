"""``viensum translate`` in-process with the fake translator: an input's format reaches the cleaner."""
from __future__ import annotations

import json

HTML_BODY = ("<p>Hà Nội tổ chức hội nghị về di cư an toàn với đại diện của nhiều tổ chức quốc tế.</p>"
             "<p>Các đại biểu thảo luận về hợp tác quốc tế trong quản lý di cư và bảo vệ người lao động.</p>")


def test_a_records_html_field_is_cleaned_as_html(fake_recipes, tmp_path, capsys):
    from viensum.cli import main

    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "html": HTML_BODY}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["translate", str(source), "--model", "fake-translator", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    sources = [p["vi"] for p in result["paragraphs"]]
    assert sources and not any("<p>" in p for p in sources)  # guessed as text, the tags were the article


def test_english_input_is_refused_with_the_stage_message(fake_recipes, tmp_path, capsys):
    from viensum.cli import main

    page = tmp_path / "en.txt"
    page.write_text("The ministry met the chief of the International Organization for Migration in Hanoi on "
                    "Monday. Both sides discussed safe and orderly migration.\n", encoding="utf-8")
    assert main(["translate", str(page), "--model", "fake-translator"]) == 1
    assert "not Vietnamese: the text is English (detected 'en'" in capsys.readouterr().err


def test_the_translation_options_reach_the_model(fake_recipes, tmp_path, capsys):
    """What the fake translator received (not what the output says it was asked)."""
    from fakes import FakeBackend

    from viensum.cli import main

    page = tmp_path / "vi.txt"
    page.write_text("Hà Nội tổ chức hội nghị\n\n" + HTML_BODY.replace("<p>", "").replace("</p>", "\n\n"),
                    encoding="utf-8")
    assert main(["translate", str(page), "--model", "fake-translator", "--beams", "3", "--batch-size", "5",
                 "--device", "cpu", "--int8", "--runtime", "transformers"]) == 0
    [model] = [b for b in FakeBackend.instances if b.spec.name == "fake-translator"]
    assert (model.init_kwargs["device"], model.init_kwargs["quantize"]) == ("cpu", "int8")
    assert model.generate_kwargs and all((kw["num_beams"], kw["batch_size"]) == (3, 5) for kw in model.generate_kwargs)
