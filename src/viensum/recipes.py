"""How each kind of recipe runs: one small class per kind.

registry.RECIPES holds the *data* of a recipe (its name and which model plays
which role, :data:`ROLES`); a class here holds its *behaviour*: which roles it
needs loaded (:meth:`Method.required_roles`), which model tasks it accepts when
a user names a model instead of a recipe (:attr:`Method.accepts`,
:func:`resolve_recipe`) and how it fills in the summaries of a group of
articles (:meth:`Method.run`). :func:`method_for` picks the class from the
recipe's roles, so adding a kind of recipe is one class added to ``METHODS``.
Everything else (the Summarizer, the app, Ray) asks this module.

* :class:`TwoStage`: a Vietnamese abstractive summary, then each of its
  sentences translated vi->en; the headline is translated too;
* :class:`CrossLingual`: a model writes the English summary directly; the
  Vietnamese summary is extractive;
* :class:`Chat`: one instruction-tuned LLM writes both summaries and the
  headline, its output cleaned and checked (llm_checks.py), with an extractive fallback;
* :class:`Extractive`: the article's best sentences, translated when a
  translator is installed. Needs no download: it is the offline fallback.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import ClassVar

from viensum.errors import InputError
from viensum.generation import Generator, Job, body_sentences, extract, first_sentences, generate_sorted
from viensum.llm_checks import clean_llm_output, looks_english, looks_vietnamese
from viensum.partial import ready
from viensum.registry import (CHAT, DEFAULT_RECIPE, DEFAULT_TRANSLATOR, MODELS, RECIPES, SUMMARIZE_EN, SUMMARIZE_VI,
                              TRANSLATE_VI_EN, Recipe, get_recipe)
from viensum.text import split_sentences
from viensum.translate import assemble, plan


# The roles a recipe fills (registry.Recipe's fields), the English-writing ones first, the translator last.
ROLES = ("chat", "summarizer_en", "summarizer_vi", "translator")


def recipe_models(recipe: Recipe) -> list[str]:
    """The models a recipe names, in :data:`ROLES` order."""
    return [getattr(recipe, role) for role in ROLES if getattr(recipe, role)]


def install_command(names: Sequence[str]) -> str:
    """The command that installs these models."""
    return "viensum models download " + " ".join(names)


class Method:
    """The behaviour of one kind of recipe over a group of articles."""

    kind: ClassVar[str] = ""
    role: ClassVar[str | None] = None  # the recipe field that marks this kind (None: the fallback)
    # model task -> the role a model with that task plays in the recipe made for it (resolve_recipe)
    accepts: ClassVar[dict[str, str]] = {}
    describe: ClassVar[str] = "{model}"  # that recipe's description

    @classmethod
    def recipe_for(cls, model: str, role: str) -> Recipe:
        """The recipe of this kind for one named model in ``role``; the default translator translates."""
        return Recipe(f"{cls.kind}:{model}", cls.describe.format(model=model), **{role: model},
                      translator=DEFAULT_TRANSLATOR)

    def __init__(self, recipe: Recipe, gen: Generator) -> None:
        self.recipe = recipe
        self.gen = gen

    @classmethod
    def matches(cls, recipe: Recipe) -> bool:
        return cls.role is None or bool(getattr(recipe, cls.role))

    @classmethod
    def required_roles(cls, recipe: Recipe) -> list[str]:
        """Roles that must load (a missing model is an error); the translator is optional unless listed."""
        return [cls.role] if cls.role else []

    @property
    def sentences(self) -> int:
        return self.gen.options.generate.sentences

    def run(self, jobs: list[Job]) -> None:
        raise NotImplementedError

    # ---- steps shared by several kinds

    def translate(self, jobs: list[Job], texts_of: Callable[[Job], list[str]], what: str) -> dict[Job, list[str]]:
        """Each job's texts translated vi->en in one batched call; without a translator, a note saying ``what`` needs one."""
        backend = self.gen.backends.get("translator")
        if backend is None:
            note = f"{what} needs a translation model: " + install_command([self.recipe.translator or DEFAULT_TRANSLATOR])
            for job in jobs:
                job.summary.notes.append(note)
            return {}
        return self.gen.generate("translator", [(j, texts_of(j)) for j in jobs], self.gen.translate_fn(backend))

    def translate_summaries(self, jobs: list[Job]) -> None:
        """title_en and summary_en from the headline and each sentence of summary_vi."""
        outputs = self.translate(jobs, lambda j: [j.work.title] + split_sentences(j.summary.summary_vi),
                                 "English summary")
        for job, out in outputs.items():
            job.summary.title_en = out[0] or None
            job.summary.summary_en = " ".join(o for o in out[1:] if o) or None

    def translate_extractive_en(self, jobs: list[Job]) -> None:
        """summary_en as the translation of the extractive sentences (chat fallback)."""
        for job, out in self.translate(jobs, lambda j: extract(j.work, self.sentences), "English summary").items():
            job.summary.summary_en = " ".join(o for o in out if o) or None

    def translate_titles(self, jobs: list[Job]) -> None:
        titled = [j for j in jobs if j.work.title]
        for job, out in self.translate(titled, lambda j: [j.work.title], "the English headline").items():
            job.summary.title_en = out[0] or None

    def full_translation(self, jobs: list[Job]) -> None:
        """The whole article, paragraph by paragraph (``translate=True``), for every recipe."""
        model_id = self.gen.backends["translator"].provenance if "translator" in self.gen.backends else ""
        for job, out in self.translate(jobs, lambda j: plan(j.work), "the full translation").items():
            job.summary.translation = assemble(job.work, out, model_id)


class TwoStage(Method):
    kind = "two-stage"
    role = "summarizer_vi"
    accepts = {SUMMARIZE_VI: "summarizer_vi", TRANSLATE_VI_EN: "translator"}

    @classmethod
    def recipe_for(cls, model: str, role: str) -> Recipe:
        """The default recipe with this model in its place."""
        return dataclasses.replace(get_recipe(DEFAULT_RECIPE), name=f"two-stage:{model}", **{role: model})

    @classmethod
    def required_roles(cls, recipe: Recipe) -> list[str]:
        return ["summarizer_vi", "translator"] if recipe.translator else ["summarizer_vi"]

    def run(self, jobs: list[Job]) -> None:
        for job, text in self.gen.map_reduce("summarizer_vi", jobs).items():
            job.summary.summary_vi = first_sentences(text, self.sentences)
        ready("summary_vi", [j.summary for j in jobs if j.active])  # shown while the English is written
        self.translate_summaries([j for j in jobs if j.active])


class CrossLingual(Method):
    kind = "cross-lingual"
    role = "summarizer_en"
    accepts = {SUMMARIZE_EN: "summarizer_en"}
    describe = "{model} writes the English summary"

    def run(self, jobs: list[Job]) -> None:
        for job, text in self.gen.map_reduce("summarizer_en", jobs).items():
            job.summary.summary_en = first_sentences(text, self.sentences)
            job.summary.summary_vi = " ".join(extract(job.work, self.sentences))
        ready("summary_en", [j.summary for j in jobs if j.active])
        self.translate_titles([j for j in jobs if j.active])


class Chat(Method):
    kind = "chat"
    role = "chat"
    accepts = {CHAT: "chat"}
    describe = "{model} writes both summaries"

    def run(self, jobs: list[Job]) -> None:
        backend = self.gen.backends["chat"]
        prompts = backend.spec.prompts
        n = self.sentences

        def prompt(task: str) -> Callable[[str], str]:
            return lambda text: prompts[task].format(sentences=n, text=text)

        summaries_vi = self.gen.map_reduce("chat", jobs, render=prompt("summary_vi"))
        summaries_en = self.gen.map_reduce("chat", [j for j in jobs if j.active], render=prompt("summary_en"))
        titled = [j for j in jobs if j.active and j.work.title]
        titles = self.gen.generate("chat", [(j, [prompt("title_en")(j.work.title)]) for j in titled],
                                   lambda texts: generate_sorted(backend, texts, **self.gen.gen_kwargs()))
        retranslate: list[Job] = []
        for job in [j for j in jobs if j.active]:
            s = job.summary
            vi = clean_llm_output(summaries_vi.get(job, ""))
            if looks_vietnamese(vi):
                s.summary_vi = first_sentences(vi, n)
            else:
                s.notes.append("the model's Vietnamese summary was empty or not Vietnamese; "
                               "used the extractive summary instead")
                s.summary_vi = " ".join(extract(job.work, n))
            en = clean_llm_output(summaries_en.get(job, ""))
            if looks_english(en):
                s.summary_en = first_sentences(en, n)
            else:
                s.notes.append("the model's English summary was empty or not English; "
                               "used the translated extractive summary instead")
                retranslate.append(job)
            title = clean_llm_output((titles.get(job) or [""])[0]) if job.work.title else ""
            s.title_en = title if looks_english(title) else None
        if retranslate:
            self.translate_extractive_en(retranslate)
        missing_titles = [j for j in jobs if j.active and j.summary.title_en is None and j.work.title]
        if missing_titles:
            self.translate_titles(missing_titles)


class Extractive(Method):
    kind = "extractive"
    role = None

    def run(self, jobs: list[Job]) -> None:
        for job in jobs:
            job.summary.summary_vi = " ".join(extract(job.work, self.sentences))
        ready("summary_vi", [j.summary for j in jobs if j.active])
        self.translate_summaries(jobs)


# In the order they are tried: the first whose role the recipe fills decides how it runs.
METHODS: list[type[Method]] = [Chat, CrossLingual, TwoStage, Extractive]
# In the order a model named instead of a recipe is matched (a model with several tasks: the first that fits).
BY_MODEL: list[type[Method]] = [TwoStage, CrossLingual, Chat]


def method_for(recipe: Recipe) -> type[Method]:
    """The class that runs ``recipe``."""
    return next(cls for cls in METHODS if cls.matches(recipe))


def resolve_recipe(model: str | None) -> Recipe:
    """The recipe for a recipe or model name (``None``: the default recipe)."""
    if model is None:
        return get_recipe(DEFAULT_RECIPE)
    if not isinstance(model, str):
        raise InputError(f"model must be a recipe or model name, not {type(model).__name__}")
    if model in RECIPES:
        return RECIPES[model]
    if model not in MODELS:
        raise InputError(f"unknown model or recipe '{model}'; see: viensum models list")
    tasks = MODELS[model].tasks
    for cls in BY_MODEL:
        for task, role in cls.accepts.items():
            if task in tasks:
                return cls.recipe_for(model, role)
    raise InputError(f"model '{model}' cannot summarise (tasks: {', '.join(tasks)})")


__all__ = ["BY_MODEL", "Chat", "CrossLingual", "Extractive", "METHODS", "Method", "ROLES", "TwoStage",
           "body_sentences", "install_command", "method_for", "recipe_models", "resolve_recipe"]
