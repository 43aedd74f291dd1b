"""viensum.evaluate: scores agree with rouge-score and sacrebleu, Vietnamese is tokenised right."""
from __future__ import annotations

import importlib.machinery
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
import sacrebleu
from rouge_score import rouge_scorer
from rouge_score import tokenize as rouge_tokenize

from viensum.errors import InputError, ViensumError
from viensum.evaluate import (ROUGE_TYPES, ScoreReport, UnicodeWordTokenizer, evaluate, lsum_text)

EN_PRED = "The IOM council met in Geneva. Vietnam praised the organisation's leading role on migration."
EN_REF = "The 114th IOM Council session took place in Geneva. Vietnam values IOM's leading role in migration."
VI_PRED = "Khóa họp Hội đồng IOM diễn ra tại Geneva. Việt Nam đánh giá cao vai trò dẫn dắt của IOM."
VI_REF = "Khóa họp lần thứ 114 Hội đồng IOM diễn ra tại Geneva. Việt Nam đánh giá cao vai trò của IOM về di cư."

# (lang, prediction, references, rouge-score settings, sacrebleu BLEU tokenizer) - the documented settings
CASES = [
    ("en", EN_PRED, [EN_REF], {"use_stemmer": True}, "13a"),
    ("en", "Migrants were protected.", ["Protecting migrants.", "IOM protects migrants in Vietnam."],
     {"use_stemmer": True}, "13a"),
    ("vi", VI_PRED, [VI_REF], {"tokenizer": UnicodeWordTokenizer()}, "intl"),
    ("vi", "Đại sứ Lê Thị Tuyết Mai phát biểu.", ["Đại sứ Lê Thị Tuyết Mai dẫn đầu đoàn.", "Bà Mai phát biểu."],
     {"tokenizer": UnicodeWordTokenizer()}, "intl"),
]


@pytest.mark.parametrize("lang,pred,refs,rouge_kwargs,tok", CASES)
def test_scores_equal_the_libraries_on_the_same_inputs(lang, pred, refs, rouge_kwargs, tok):
    report = evaluate([pred], [refs], lang=lang, bootstrap=0)
    doc = report.per_document[0]
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), **rouge_kwargs)
    direct = scorer.score_multi([lsum_text(r) for r in refs], lsum_text(pred))
    for key in ROUGE_TYPES:
        assert doc[key] == pytest.approx(100 * direct[key].fmeasure)
    assert doc["bleu"] == pytest.approx(sacrebleu.sentence_bleu(pred, refs, tokenize=tok).score)
    assert doc["chrf"] == pytest.approx(sacrebleu.sentence_chrf(pred, refs, word_order=2).score)
    streams = [[r] for r in refs]
    assert report.means["bleu"] == pytest.approx(sacrebleu.corpus_bleu([pred], streams, tokenize=tok).score)
    assert report.means["chrf"] == pytest.approx(sacrebleu.corpus_chrf([pred], streams, word_order=2).score)
    assert f"tok:{tok}" in report.signature["bleu"] and "nw:2" in report.signature["chrf"]


def test_corpus_scores_over_several_documents_equal_sacrebleu():
    preds, refs = [EN_PRED, "Vietnam thanked IOM."], [EN_REF, "Vietnam thanked IOM for its support."]
    report = evaluate(preds, refs, bootstrap=0)
    assert report.means["bleu"] == pytest.approx(sacrebleu.corpus_bleu(preds, [refs]).score)
    assert report.means["chrf"] == pytest.approx(sacrebleu.corpus_chrf(preds, [refs], word_order=2).score)
    rouge1 = [d["rouge1"] for d in report.per_document]
    assert report.means["rouge1"] == pytest.approx(sum(rouge1) / 2)


def test_lsum_splits_sentences_onto_lines():
    assert lsum_text("TP. Hồ Chí Minh mưa lớn. Người dân đi lại khó.\nĐoạn hai.") == \
        "TP. Hồ Chí Minh mưa lớn.\nNgười dân đi lại khó.\nĐoạn hai."


# prediction, reference, viensum ROUGE-1 F1 (diacritics kept), rouge-score default tokenizer's ROUGE-1 F1
DIACRITICS = [
    ("viet nam", "việt nam", 0.5, 0.4),    # default sees "vi t nam": fragments, not words
    ("bàn nhà", "bán nhà", 0.5, 1.0),      # table vs sell: default deletes both accents -> "b n nh", identical
    ("việt nam", "việt nam", 1.0, 1.0),
]


@pytest.mark.parametrize("pred,ref,ours,default", DIACRITICS)
def test_vietnamese_rouge_keeps_diacritics(pred, ref, ours, default):
    report = evaluate([pred], [ref], lang="vi", bootstrap=0)
    assert report.per_document[0]["rouge1"] == pytest.approx(100 * ours)
    wrong = rouge_scorer.RougeScorer(["rouge1"]).score(ref, pred)["rouge1"].fmeasure
    assert wrong == pytest.approx(default)


def test_rouge_score_default_tokenizer_mangles_vietnamese():
    # the reason viensum brings its own tokenizer for Vietnamese
    assert rouge_tokenize.tokenize("việt nam", None) == ["vi", "t", "nam"]
    assert UnicodeWordTokenizer().tokenize("Việt Nam") == ["việt", "nam"]
    assert "viensum.text.words" in evaluate(["a"], ["a"], lang="vi", bootstrap=0).settings["rouge_tokenizer"]


def test_nfd_input_scores_like_nfc():
    import unicodedata

    nfd = unicodedata.normalize("NFD", VI_PRED)
    a = evaluate([nfd], [VI_REF], lang="vi", bootstrap=0).per_document[0]
    b = evaluate([VI_PRED], [VI_REF], lang="vi", bootstrap=0).per_document[0]
    assert a["rouge1"] == b["rouge1"] and a["bleu"] == b["bleu"]


def test_empty_prediction_scores_zero_and_is_kept():
    report = evaluate({"a": EN_PRED, "b": "", "c": None}, {"a": EN_REF, "b": EN_REF, "c": EN_REF}, bootstrap=0)
    assert report.ids == ["a", "b", "c"]
    for doc in report.per_document[1:]:
        assert all(doc[k] == 0 for k in ROUGE_TYPES + ("bleu", "chrf", "pred_words"))
    assert report.means["rouge1"] == pytest.approx(report.per_document[0]["rouge1"] / 3)
    assert any("empty prediction" in n and "b, c" in n for n in report.notes)


def test_mismatched_ids_score_what_matches_and_list_the_rest():
    report = evaluate({"a": "x y", "b": "y", "q": "z"}, {"a": "x y", "b": "w", "r": "w", "s": "v"}, bootstrap=0)
    assert report.ids == ["a", "b"]
    assert report.unmatched == {"no_reference": ["q"], "no_prediction": ["r", "s"]}
    assert report.to_dict()["unmatched"] == report.unmatched
    note = next(n for n in report.notes if n.startswith("ids do not match"))
    assert "scored the 2 found on both sides" in note
    assert "no reference for: q" in note and "no prediction for: r, s" in note
    assert report.means["rouge1"] == pytest.approx(50)  # a scores 100, b 0; q, r, s count nowhere
    assert evaluate({"a": "x"}, {"a": "x"}, bootstrap=0).unmatched == {}


def test_no_matching_id_at_all_is_an_input_error_listing_them():
    with pytest.raises(InputError) as err:
        evaluate({"q": "z"}, {"r": "w", "s": "v"})
    msg = str(err.value)
    assert msg.startswith("ids do not match, none is on both sides")
    assert "no reference for: q" in msg and "no prediction for: r, s" in msg


def test_every_prediction_empty_is_refused_with_the_reason():
    with pytest.raises(InputError, match="all 2 predictions are empty, nothing to score"):
        evaluate({"a": "", "b": None}, {"a": EN_REF, "b": EN_REF})


def test_list_length_mismatch_is_an_input_error():
    with pytest.raises(InputError):
        evaluate(["a", "b"], ["a", "b"], ids=["x"])


def test_unknown_language_is_an_input_error():
    with pytest.raises(InputError, match="unsupported language"):
        evaluate(["a"], ["a"], lang="fr")


def test_several_references_take_the_best_rouge_and_all_go_to_sacrebleu():
    pred = "Vietnam praised IOM's leading role."
    good, bad = "Vietnam values IOM's leading role.", "The council met in Geneva."
    multi = evaluate([pred], [[bad, good]], bootstrap=0)
    only_good = evaluate([pred], [good], bootstrap=0)
    for key in ROUGE_TYPES:
        assert multi.per_document[0][key] == pytest.approx(only_good.per_document[0][key])
    assert multi.means["bleu"] == pytest.approx(sacrebleu.corpus_bleu([pred], [[bad], [good]]).score)
    assert multi.per_document[0]["n_refs"] == 2
    assert multi.per_document[0]["ref_words"] == pytest.approx((5 + 6) / 2)


def test_variable_number_of_references():
    preds = [EN_PRED, "Vietnam thanked IOM."]
    refs = [[EN_REF, "IOM met in Geneva."], ["Vietnam thanked IOM for its support."]]
    report = evaluate(preds, refs, bootstrap=0)
    streams = [[EN_REF, refs[1][0]], ["IOM met in Geneva.", None]]
    assert report.means["bleu"] == pytest.approx(sacrebleu.corpus_bleu(preds, streams).score)
    assert "nrefs:var" in report.signature["bleu"]
    assert "1-2" in str(report)


def _corpus():
    preds = [EN_PRED, "Vietnam thanked IOM.", "Migrants were protected.", "", "The meeting was held in Hanoi."]
    refs = [EN_REF, "Vietnam thanked IOM for its support.", "IOM protects migrants.",
            "Delegates met.", "A meeting took place in Hanoi on Monday."]
    return preds, refs


def test_bootstrap_ci_contains_the_mean_and_is_deterministic():
    preds, refs = _corpus()
    a = evaluate(preds, refs, bootstrap=500, seed=7)
    b = evaluate(preds, refs, bootstrap=500, seed=7)
    c = evaluate(preds, refs, bootstrap=500, seed=8)
    assert a.ci == b.ci
    assert a.ci != c.ci
    for key in ROUGE_TYPES + ("bleu", "chrf", "pred_words"):
        lo, hi = a.ci[key]
        assert lo <= a.means[key] <= hi, key
        assert lo < hi, key
    assert "seed:7" in a.signature["bootstrap"]


def test_no_bootstrap_means_no_intervals():
    preds, refs = _corpus()
    assert evaluate(preds, refs, bootstrap=0).ci == {}


def test_length_statistics_and_compression_against_sources():
    report = evaluate({"a": "một hai ba"}, {"a": "một hai"}, lang="vi", bootstrap=0,
                      sources={"a": "một hai ba bốn năm sáu"})
    doc = report.per_document[0]
    assert (doc["pred_words"], doc["ref_words"], doc["src_words"]) == (3, 2, 6)
    assert doc["compression"] == pytest.approx(0.5)
    assert report.means["compression"] == pytest.approx(0.5)
    assert "compression" not in evaluate(["a"], ["a"], bootstrap=0).means


def test_sources_must_cover_every_prediction():
    with pytest.raises(InputError, match="no source for: b"):
        evaluate({"a": "x", "b": "y"}, {"a": "x", "b": "y"}, sources={"a": "x y"})


def test_report_prints_a_table_and_serialises():
    preds, refs = _corpus()
    report = evaluate(preds, refs, bootstrap=200)
    text = str(report)
    for label in ("ROUGE-1", "ROUGE-Lsum", "BLEU", "chrF++", "95% CI", "per document", "tok:13a"):
        assert label in text
    data = report.to_dict()
    assert data["n"] == 5 and len(data["per_document"]) == 5
    assert data["means"]["rouge1"] == report.means["rouge1"]
    assert isinstance(ScoreReport(**{k: v for k, v in data.items() if k != "n"}), ScoreReport)


def test_plot_writes_a_png(tmp_path):
    preds, refs = _corpus()
    out = evaluate(preds, refs, bootstrap=100).plot(tmp_path / "scores.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores.png"]  # no temporary file left


def test_plot_leaves_the_callers_matplotlib_alone():
    # a fresh interpreter with an interactive-looking backend chosen: plot() must not switch it
    code = ("import matplotlib; matplotlib.use('svg'); import sys, tempfile, os, viensum; "
            "r = viensum.evaluate(['a b'], ['a b'], bootstrap=0, bertscore=False); "
            "r.plot(os.path.join(tempfile.mkdtemp(), 'c.png')); "
            "print(matplotlib.get_backend(), 'matplotlib.pyplot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["svg", "False"]


def test_a_failed_plot_keeps_the_previous_chart(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    report = evaluate(*_corpus(), bootstrap=0)
    chart = tmp_path / "scores.png"
    chart.write_bytes(b"previous chart")

    def disk_full(self, target, **kwargs):
        Path(target).write_bytes(b"half a png")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Figure, "savefig", disk_full)
    with pytest.raises(OSError, match="No space left"):
        report.plot(chart)
    assert chart.read_bytes() == b"previous chart"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores.png"]


@pytest.mark.parametrize("target", ["/dev/full", "/dev/null", "folder", "missing-folder/c.png"])
def test_plot_refuses_what_cannot_hold_a_chart(tmp_path, target):
    (tmp_path / "folder").mkdir()
    path = target if target.startswith("/") else tmp_path / target
    if target.startswith("/") and not Path(target).exists():
        pytest.skip(f"{target} does not exist on this system")
    with pytest.raises(InputError, match="cannot write the chart"):
        evaluate(*_corpus(), bootstrap=0).plot(path)


def test_bertscore_is_skipped_with_a_note_when_not_installed(monkeypatch):
    monkeypatch.setattr("importlib.util.find_spec",
                        lambda name, *a: None if name == "bert_score" else importlib.machinery.PathFinder.find_spec(name))
    report = evaluate(["a b"], ["a b"], bootstrap=0)
    assert "bertscore" not in report.means
    note = next(n for n in report.notes if n.startswith("BERTScore skipped"))
    assert "pip install bert-score" in note and "hf download roberta-large" in note
    assert "huggingface-cli" not in note  # huggingface_hub 1.x no longer ships that command
    assert evaluate(["a b"], ["a b"], bootstrap=0, bertscore=False).notes == []
    with pytest.raises(ViensumError, match="BERTScore skipped"):
        evaluate(["a b"], ["a b"], bootstrap=0, bertscore=True)


def test_bertscore_is_used_when_package_and_model_are_local(monkeypatch):
    import torch

    calls = {}

    def score(cands, refs, model_type=None, lang=None, verbose=False):
        from huggingface_hub import constants, is_offline_mode

        calls.update(cands=cands, refs=refs, model_type=model_type, offline=is_offline_mode(),
                     offline_flag=constants.HF_HUB_OFFLINE)
        f1 = torch.tensor([0.9, 0.5][: len(cands)])
        return f1, f1, f1

    fake = types.ModuleType("bert_score")
    fake.__spec__ = importlib.machinery.ModuleSpec("bert_score", None)
    fake.__version__ = "0.0-test"
    fake.score = score
    monkeypatch.setitem(sys.modules, "bert_score", fake)
    monkeypatch.setattr("huggingface_hub.try_to_load_from_cache", lambda repo, name: f"/cache/{repo}/{name}")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    report = evaluate(["x", "y"], [["x", "z"], "y"], lang="vi", bootstrap=0)
    # offline while bert-score loads its cached model, and only then: nothing leaks into the process
    assert calls["offline"] is True and calls["offline_flag"] is True
    assert constants.HF_HUB_OFFLINE is False and "HF_HUB_OFFLINE" not in os.environ
    assert [d["bertscore"] for d in report.per_document] == pytest.approx([90.0, 50.0])
    assert report.means["bertscore"] == pytest.approx(70.0)
    assert calls["refs"] == [["x", "z"], ["y"]] and calls["model_type"] == "bert-base-multilingual-cased"
    assert "bertscore" in report.signature and not report.notes


def test_importing_evaluate_stays_light():
    code = ("import sys, viensum.evaluate; "
            "print(sorted(m for m in ('rouge_score', 'sacrebleu', 'matplotlib', 'torch', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("kind", ["Bleu", "Chrf"])
def test_corpus_metrics_resample_through_sacrebleus_public_api(kind):
    """The whole corpus as its own resample gives the corpus score back (statistics summed per document)."""
    from viensum.evaluate import metrics

    preds, refs = _corpus()
    refs = [[r] for r in refs]
    metric = getattr(metrics, kind)("en")
    per_doc = [{} for _ in preds]
    corpus = metric.score(preds, refs, per_doc)[metric.name]
    again = metric.resample([list(range(len(preds))), [0, 0, 1, 1, 2]])[metric.name]
    assert again[0] == pytest.approx(corpus)
    one_sided = getattr(sacrebleu, f"corpus_{kind.lower()}")
    kwargs = {"word_order": 2} if kind == "Chrf" else {}
    assert again[1] == pytest.approx(one_sided([preds[i] for i in (0, 0, 1, 1, 2)],
                                               [[refs[i][0] for i in (0, 0, 1, 1, 2)]], **kwargs).score)


def test_each_metric_signs_with_its_own_fields():
    from viensum.evaluate import Rouge
    from viensum.evaluate.metrics import BertScore

    assert Rouge("vi").signature().startswith("f1|tok:viensum-words|multi-ref:max|lsum-split:viensum|version:")
    assert "tok:default+porter" in Rouge("en").signature()
    bert = BertScore("vi", mode=False)
    assert (bert.model, bert.usable(), bert.note) == ("bert-base-multilingual-cased", False, None)


def test_a_new_metric_is_one_class(monkeypatch):
    """A metric class listed in metrics.METRICS: scored, averaged, bootstrapped, signed and shown."""
    from dataclasses import dataclass

    from viensum.evaluate import metrics

    @dataclass
    class FirstWord(metrics.Metric):
        name = "firstword"
        labels = {"firstword": ("first word match", "1st")}
        case: str = "folded"

        def score(self, preds, refs, per_doc):
            for doc, pred, rs in zip(per_doc, preds, refs):
                doc["firstword"] = 100.0 * any(pred.split()[:1] == r.split()[:1] for r in rs)
            return {}

    monkeypatch.setattr(metrics, "METRICS", [*metrics.METRICS, FirstWord])
    preds, refs = _corpus()
    report = evaluate(preds, refs, bootstrap=50, bertscore=False)
    assert report.means["firstword"] == pytest.approx(40.0)  # "The meeting" and "Vietnam thanked"
    assert "firstword" in report.ci and report.signature["firstword"] == "lang:en|case:folded|version:"
    assert "first word match" in str(report) and "1st" in str(report)


def test_rouge_scores_with_the_tokenizer_its_signature_names():
    """``tok`` is what runs, not a label: the stemmer makes 'rising' 'rise'; the default tokenizer drops the
    letters with diacritics that viensum-words keeps."""
    from viensum.evaluate import Rouge

    def rouge1(tok, pred, ref):
        doc = {}
        Rouge("en", tok=tok).score([pred], [[ref]], [doc])
        return doc["rouge1"]

    assert rouge1("default+porter", "prices rising", "prices rise") == 100.0
    assert rouge1("default", "prices rising", "prices rise") == 50.0
    assert rouge1("viensum-words", "giá tăng", "giá tầng") == 50.0  # 'tăng' (rise) is not 'tầng' (floor)
    assert rouge1("default", "giá tăng", "giá tầng") == 100.0  # both read as 'gi t ng'
    assert "tok:default|" in Rouge("en", tok="default").signature()
    with pytest.raises(InputError, match="unknown ROUGE tokenizer 'bpe'"):
        Rouge("en", tok="bpe")
