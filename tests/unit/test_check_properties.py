"""Properties of the whole check: a fact restated in the other language passes, a changed one is caught."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from viensum.check import check
from viensum.check.dates import MONTH_NAMES
from viensum.results import Article

SCALES = [("", ""), (" triệu", " million"), (" tỷ", " billion")]


def _vi(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 10**7), st.integers(0, 2), st.sampled_from(SCALES), st.integers(1, 28), st.integers(1, 12),
       st.integers(1, 9))
def test_restated_facts_pass_and_changed_ones_are_caught(whole, decimals, scale, day, month, shift):
    value = whole / 10**decimals
    vi_scale, en_scale = scale
    article = Article("Giá tăng", [f"Ngày {day}/{month}, doanh thu đạt {_vi(value, decimals)}{vi_scale} đồng."])
    en = f"{value:,.{decimals}f}"
    same = check(f"On {day} {MONTH_NAMES[month]} revenue reached {en}{en_scale} dong.", article)
    assert same.problems == [] and same.sentences[0].sources[0].paragraph == 0

    changed_value = value + shift * 10**-decimals * 10  # ten steps of the written precision away, or more
    changed = check(f"On {day} {MONTH_NAMES[month]} revenue reached {changed_value:,.{decimals}f}{en_scale} dong.",
                    article)
    assert [p.kind for p in changed.problems] == ["number"]
    other_day = day % 28 + 1
    moved = check(f"On {other_day} {MONTH_NAMES[month]} revenue reached {en}{en_scale} dong.", article)
    assert [p.kind for p in moved.problems] == ["date"]


_TEXT = st.text(st.sampled_from(list("0123456789.,/-:%$ ĐđàÀáảãạăằắẳẵặâầấẩẫậêềếểễệôồốổỗộơờớởỡợưừứửữựAaBbHhMmNnTtYy()'’\n")),
                max_size=200)


@settings(max_examples=200, deadline=None)
@given(_TEXT, _TEXT, st.sampled_from(["en", "vi"]))
def test_any_text_is_checked_or_refused_with_a_typed_error(summary, article, lang):
    from viensum.errors import InputError

    try:
        result = check(summary, article, lang=lang)
    except InputError:
        return
    for s in result.sentences:
        assert isinstance(s.text, str) and all(p.kind in ("number", "date", "name", "unsupported") for p in s.problems)
        assert all(p.note and "\n" not in p.note for p in s.problems)
