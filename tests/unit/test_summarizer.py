"""The Summarizer with the fake backend: its locked cache, typed errors, per-article timings and budgets,
and the recipe classes."""
from __future__ import annotations

import dataclasses
import threading

import pytest

import viensum
from viensum import recipes
from viensum.errors import InputError, ModelNotAvailable
from viensum.options import Options
from viensum.registry import RECIPES, Recipe, register_recipe
from viensum.results import Article
from viensum.stages import within_budget
from viensum.summarizer import SummaryCache, Summarizer

BODY = ["Hội nghị về di cư an toàn diễn ra tại Hà Nội với đại diện của nhiều tổ chức quốc tế.",
        "Các đại biểu thảo luận về hợp tác quốc tế trong quản lý di cư và bảo vệ người lao động.",
        "Hai bên cam kết tăng cường phối hợp trong thời gian tới."]


def page(i: int, **meta) -> Article:
    return Article(title=f"Hà Nội tổ chức hội nghị về di cư lần {i}", paragraphs=[*BODY, f"Đây là bài số {i}."], **meta)


@pytest.fixture
def summarizer(fake_recipes):
    return Summarizer("fake-two-stage")


def test_cache_reuses_the_models_work_but_keeps_each_pages_own_metadata(summarizer):
    # the same body published twice, with another date, byline and URL (issue 12, item 9)
    first = page(1, date="2024-11-11", byline="Thu Hằng", url="https://a.example/1", source="A")
    second = dataclasses.replace(first, date="2024-12-01", byline="Minh Anh", url="https://b.example/2", source="B")
    one = summarizer.summarize(first, ids="one")
    calls = len(summarizer.backends["summarizer_vi"].calls)
    two = summarizer.summarize(second, ids="two")
    assert len(summarizer.backends["summarizer_vi"].calls) == calls  # answered from the cache
    assert any("reused" in n for n in two.notes) and not any("reused" in n for n in one.notes)
    assert two.summary_en == one.summary_en and two.id == "two"
    assert (two.article.date, two.article.byline, two.article.url, two.article.source) == \
        ("2024-12-01", "Minh Anh", "https://b.example/2", "B")
    assert (one.article.date, one.article.url) == ("2024-11-11", "https://a.example/1")
    # a cached summary is a copy: changing a returned one changes no later answer
    two.notes.append("mine")
    assert "mine" not in summarizer.summarize(first).notes


def test_one_summarizer_serves_many_threads(summarizer):
    results: dict[int, object] = {}
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:  # half the pages repeat (cache hits), all run at once
            results[i] = summarizer.summarize(page(i % 6, url=f"https://x.example/{i}"), ids=f"r{i}")
        except BaseException as exc:  # noqa: BLE001 - collected, then asserted
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for i, s in results.items():
        assert s.ok and s.id == f"r{i}" and s.article.url == f"https://x.example/{i}"
        assert s.article.title.endswith(f"lần {i % 6}")
        assert s.summary_vi.startswith("Hội nghị")
    assert len(summarizer.cache) == 6


def test_summary_cache_is_a_bounded_lru():
    cache = SummaryCache(size=2)
    for key in "abc":
        cache.put(key, viensum.Summary(summary_vi=key))
    assert cache.get("a") is None and cache.get("c")["summary_vi"] == "c" and len(cache) == 2


@pytest.mark.parametrize("call, message", [
    (lambda: viensum.summarize(None), "not NoneType"),
    (lambda: viensum.summarize(42), "not int"),
    (lambda: viensum.summarize("Một câu.", backend="bogus"), "unknown runtime 'bogus'"),
    (lambda: viensum.summarize("Một câu.", device="tpu"), "unknown device 'tpu'"),
    (lambda: viensum.summarize("Một câu.", sentences=-1), "sentences"),
    (lambda: viensum.summarize("Một câu.", "no-such-recipe"), "unknown model or recipe"),
    (lambda: viensum.iter_summarize(None, "extractive"), "iterable"),
    (lambda: viensum.summarize(["Một câu."], "extractive", ids=5), "ids must be"),
    (lambda: viensum.iter_summarize(["Một câu."], "extractive", ids=5), "ids must be"),
    (lambda: viensum.summarize(["Một câu."], "extractive", ids=["a", "b"]), "2 ids for 1 texts"),
    (lambda: viensum.translate(None), "expected article text"),
    (lambda: viensum.translate("Một câu \ud800 lỗi."), "unpaired surrogate"),
    (lambda: viensum.translate("Một câu.", runtime="bogus"), "unknown runtime"),
])
def test_bad_arguments_are_input_errors(call, message):
    with pytest.raises(InputError, match=message):
        call()


def test_bad_items_in_a_list_become_their_own_error_records(summarizer):
    got = summarizer.summarize([page(1), 42, "Một câu \ud800 lỗi.", None, page(2)], ids=list("abcde"))
    assert [s.ok for s in got] == [True, False, False, False, True]
    assert "got int" in got[1].error and "unpaired surrogate" in got[2].error and "got NoneType" in got[3].error


def test_loading_options_are_fixed_generation_options_are_per_call(summarizer):
    assert summarizer.summarize(page(1), sentences=1, num_beams=2, max_new_tokens=7, cache=False).settings[
        "sentences"] == 1
    # what the model received, not only the record's settings (built from the options object itself)
    model = summarizer.backends["summarizer_vi"]
    assert {k: model.generate_kwargs[-1][k] for k in ("num_beams", "max_new_tokens")} == \
        {"num_beams": 2, "max_new_tokens": 7}
    summarizer.summarize(page(2), cache=False)  # the next call without them: the Summarizer's own again
    assert model.generate_kwargs[-1]["num_beams"] != 2 and model.generate_kwargs[-1]["max_new_tokens"] != 7
    with pytest.raises(InputError, match="runtime is fixed"):
        summarizer.summarize(page(1), runtime="transformers")
    with pytest.raises(InputError, match="model is fixed"):
        summarizer.summarize(page(1), options=Options.make(model="fake-chat"))


def test_timings_are_each_articles_own(summarizer):
    short = page(1)
    long = Article(title="Bài dài", paragraphs=BODY * 30)
    got = summarizer.summarize([short, long], translate=True, cache=False)
    for s in got:
        t = s.timings
        assert t["total"] >= t["clean"] and t["total"] >= t["summarize"] + t["translate"] - 1e-6  # rounding
        assert s.translation.seconds == t["translate"]
    # a batched call's time is shared by length, not copied to every article
    assert got[0].timings["summarize"] < got[1].timings["summarize"]


def test_size_budget_cuts_whole_sentences_and_says_so(summarizer):
    long = Article(title="Bài dài", paragraphs=[" ".join(BODY)] * 40)
    s = summarizer.summarize(long, max_chars=500, cache=False)
    assert s.ok and s.truncated
    assert any("over 500 characters" in n for n in s.notes)
    assert len(s.article.paragraphs) == 40  # the reader still gets the whole article back
    cut, was_cut = within_budget(long, 500)
    assert was_cut and 0 < sum(len(p) for p in cut.paragraphs) <= 500
    assert all(p.endswith(".") for p in cut.paragraphs)
    giant = Article(title="", paragraphs=["chữ " * 10_000])
    cut, _ = within_budget(giant, 300)
    assert 0 < len(cut.paragraphs[0]) <= 300


def test_time_budget_ends_map_reduce_extractively(fake_recipes):
    # the fake model reads 64 tokens: a long article needs several reduce rounds, none allowed after the first
    long = Article(title="Bài dài", paragraphs=BODY * 40)
    s = Summarizer("fake-two-stage", max_seconds=1e-9).summarize(long)
    assert s.ok and s.summary_vi
    assert any("time budget" in n for n in s.notes)


def test_default_recipe_offline_falls_back_and_names_one_install_command(tmp_path, monkeypatch):
    monkeypatch.setenv("VIENSUM_MODELS_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    summarizer = Summarizer()
    assert summarizer.missing == ["vit5-base-vietnews", "opus-mt-vi-en"] and summarizer.recipe.name == "extractive"
    s = summarizer.summarize(page(1))
    assert any(n.endswith("viensum models download vit5-base-vietnews opus-mt-vi-en") for n in s.notes)
    with pytest.raises(ModelNotAvailable):
        Summarizer("two-stage")


def test_cli_says_the_missing_models_once_as_a_command(tmp_path, monkeypatch, capsys, seed_files):
    from viensum.cli import main

    monkeypatch.setenv("VIENSUM_MODELS_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    assert main(["summarize", str(seed_files[0].parent), "-o", str(tmp_path / "out.jsonl")]) == 0
    err = capsys.readouterr().err
    assert err.count("viensum models download") == 1
    assert "\n  viensum models download vit5-base-vietnews opus-mt-vi-en\n" in err


# ---------------------------------------------------------------- recipes


@pytest.mark.parametrize("name, kind, roles", [
    ("two-stage", recipes.TwoStage, ["summarizer_vi", "translator"]),
    ("cross-lingual", recipes.CrossLingual, ["summarizer_en"]),
    ("qwen", recipes.Chat, ["chat"]),
    ("extractive", recipes.Extractive, []),
])
def test_each_recipe_has_its_class_and_roles(name, kind, roles):
    recipe = RECIPES[name]
    assert recipes.method_for(recipe) is kind
    assert kind.required_roles(recipe) == roles


def test_a_new_kind_of_recipe_is_one_class(fake_recipes, monkeypatch):
    class Headline(recipes.Method):
        """A made-up kind: the translated headline is the whole summary."""

        kind = "headline"
        role = "translator"

        @classmethod
        def matches(cls, recipe: Recipe) -> bool:
            return recipe.name.startswith("headline")

        def run(self, jobs):
            for job in jobs:
                job.summary.summary_vi = job.work.title
            self.translate_titles(jobs)
            for job in jobs:
                job.summary.summary_en = job.summary.title_en

    monkeypatch.setattr(recipes, "METHODS", [Headline, *recipes.METHODS])
    register_recipe(Recipe("headline-only", "test", translator="fake-translator"))
    try:
        s = Summarizer("headline-only").summarize(page(3))
    finally:
        RECIPES.pop("headline-only")
    assert s.ok and s.summary_en == "[en] Hà Nội tổ chức hội nghị về di cư lần 3" == s.title_en


def test_summarizers_own_their_models_and_a_pool_shares_them(fake_recipes):
    from viensum.backends import LoadedModels
    from viensum.summarizer import SummarizerPool

    a, b = Summarizer("fake-two-stage"), Summarizer("fake-two-stage")
    assert a.backends["translator"] is not b.backends["translator"]  # no hidden process-wide model cache
    assert len(a.loaded) == 2 and a.loaded is not b.loaded

    shared = LoadedModels()
    pool = SummarizerPool(models=shared)
    two_stage = pool.get(Options.make(model="fake-two-stage"))
    extractive = pool.get(Options.make(model="fake-extractive"))
    assert two_stage is not extractive
    assert two_stage.backends["translator"] is extractive.backends["translator"]  # one translator, loaded once
    pool.clear()
    assert len(shared) == 0


def test_clear_cache_forgets_the_summaries_and_keeps_the_models(summarizer):
    from fakes import FakeBackend

    summarizer.summarize(page(1))
    assert len(summarizer.cache) == 1
    summarizer.clear_cache()  # raised AttributeError: the cache has no models to clear
    assert len(summarizer.cache) == 0
    again = summarizer.summarize(page(1))
    assert not any("reused its summary" in n for n in again.notes)  # computed anew, not from the cache
    assert len(FakeBackend.instances) == 2 and summarizer.backends  # the same two models, not loaded again


def test_a_kind_says_which_model_tasks_it_takes_and_every_runner_asks_it(fake_recipes, monkeypatch):
    """A model named instead of a recipe finds its kind through Method.accepts; the app and Ray list
    a recipe's models through recipes.recipe_models, not a copy of the roles."""
    from viensum.ui import models as ui_models
    from viensum.options import Options
    from viensum.registry import SUMMARIZE_EN
    from viensum.scale.workers import _registrations

    class English(recipes.CrossLingual):
        kind = "english-only"
        describe = "{model} alone"

    monkeypatch.setattr(recipes, "BY_MODEL", [English])
    recipe = recipes.resolve_recipe("fake-en-summarizer")
    assert (recipe.name, recipe.description, recipe.summarizer_en) == (
        "english-only:fake-en-summarizer", "fake-en-summarizer alone", "fake-en-summarizer")
    assert English.accepts == {SUMMARIZE_EN: "summarizer_en"}
    with pytest.raises(InputError, match="cannot summarise"):
        recipes.resolve_recipe("fake-vi-summarizer")  # no kind in BY_MODEL takes that task now
    monkeypatch.setattr(recipes, "ROLES", ("translator",))
    assert ui_models._recipe_models("fake-two-stage") == ["fake-translator"]
    assert [s.name for s in _registrations(Options.make(model="fake-two-stage"))["models"]] == ["fake-translator"]
