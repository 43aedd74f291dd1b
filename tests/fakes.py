"""A fast, deterministic stand-in model for unit tests of the pipeline around models (test code only).

It exercises everything but the neural network: prefixes, token limits
(``max_input_tokens`` from the spec, counted in words), batching and failures.
Outputs are derived from the input so tests can check what went where.
The ``fake_recipes`` fixture (conftest.py) registers it for a test session and
removes it afterwards, the way llm's tests plug in their mock model.
"""
from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence

from viensum.backends.base import Backend
from viensum.registry import CHAT, SUMMARIZE_EN, SUMMARIZE_VI, TRANSLATE_VI_EN, ModelSpec
from viensum.text import split_sentences

FAIL_MARKER = "<<FAKE-FAIL>>"  # an input containing this makes generate() raise
# when set, every FakeBackend appends what it received to this JSONL file: how tests see into
# other processes (the CLI in a subprocess, Ray's workers; Ray passes VIENSUM_* variables on)
LOG_ENV = "VIENSUM_TEST_FAKE_LOG"
_LOCK = threading.Lock()


def received(path) -> list[dict]:
    """The log :data:`LOG_ENV` names, as a list of events ({"event": "load"|"generate", ...})."""
    from pathlib import Path

    path = Path(path)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class FakeBackend(Backend):
    needs_weights = False
    engine = "fake"

    instances: list["FakeBackend"] = []  # every one built in this process, in order

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.init_kwargs = dict(kwargs)  # what the loader passed: device, dtype, quantize
        self.calls: list[list[str]] = []  # each generate() batch, as received
        self.generate_kwargs: list[dict] = []  # the keyword arguments of each generate() call
        FakeBackend.instances.append(self)
        self._log({"event": "load", "model": self.spec.name, **self.init_kwargs})

    def _log(self, event: dict) -> None:
        path = os.environ.get(LOG_ENV)
        if path:
            with _LOCK, open(path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({**event, "pid": os.getpid()}, ensure_ascii=False) + "\n")

    @property
    def model_id(self) -> str:
        return f"fake/{self.spec.name}"

    def count_tokens(self, text: str) -> int:
        return len((self.spec.input_prefix + text).split())

    def generate(self, texts: Sequence[str], *, max_new_tokens=None, min_new_tokens=None,
                 num_beams=None, batch_size: int = 16) -> list[str]:
        texts = list(texts)
        kwargs = {"max_new_tokens": max_new_tokens, "min_new_tokens": min_new_tokens, "num_beams": num_beams,
                  "batch_size": batch_size}
        self.generate_kwargs.append(kwargs)
        self._log({"event": "generate", "model": self.spec.name, "texts": len(texts), **kwargs})
        out: list[str] = []
        for start in range(0, len(texts), batch_size):
            batch = texts[start:start + batch_size]
            self.calls.append(batch)
            for text in batch:
                if FAIL_MARKER in text:
                    raise RuntimeError("fake model failure")
                out.append(self._one(text, max_new_tokens))
        return out

    def _one(self, text: str, max_new_tokens: int | None) -> str:
        task = self.spec.tasks[0]
        if task == TRANSLATE_VI_EN:
            result = f"[en] {text}"
        elif task in (SUMMARIZE_VI, SUMMARIZE_EN):
            first = (split_sentences(text) or [""])[0]
            result = first if task == SUMMARIZE_VI else f"[en] {first}"
        elif task == CHAT:
            body = text.rsplit("\n\n", 1)[-1]
            result = (split_sentences(body) or [""])[0]
        else:  # pragma: no cover - registry guards task names
            raise ValueError(task)
        if max_new_tokens:
            result = " ".join(result.split()[:max_new_tokens])
        return result


MODEL_NAMES = ("fake-vi-summarizer", "fake-translator", "fake-en-summarizer", "fake-chat")
RECIPE_NAMES = ("fake-two-stage", "fake-cross-lingual", "fake-chat", "fake-extractive")


def register_fakes(max_input_tokens: int = 64) -> dict[str, str]:
    """Register the fake backend, models and recipes ("fake-two-stage", "fake-cross-lingual", "fake-chat", ...).

    Returns recipe name -> description.
    """
    from viensum.backends import register_backend
    from viensum.registry import Recipe, register_model, register_recipe

    register_backend("fake", f"{__name__}:FakeBackend")

    def spec(name: str, task: str, **kw) -> ModelSpec:
        return ModelSpec(name=name, hub_id=f"fake/{name}", family="fake", tasks=(task,), architecture="fake",
                         params_m=0, languages="vi,en", max_input_tokens=max_input_tokens, license="n/a", **kw)

    register_model(spec("fake-vi-summarizer", SUMMARIZE_VI, input_prefix="vietnews: "))
    register_model(spec("fake-translator", TRANSLATE_VI_EN))
    register_model(spec("fake-en-summarizer", SUMMARIZE_EN))
    register_model(spec("fake-chat", CHAT, prompts={
        "summary_vi": "Tóm tắt {sentences} câu.\n\n{text}",
        "summary_en": "Summarise in {sentences} sentences.\n\n{text}",
        "title_en": "Translate the headline.\n\n{text}",
        "translate": "Translate.\n\n{text}",
    }))
    recipes = {
        "fake-two-stage": Recipe("fake-two-stage", "fake two-stage", summarizer_vi="fake-vi-summarizer",
                                 translator="fake-translator"),
        "fake-cross-lingual": Recipe("fake-cross-lingual", "fake cross-lingual", summarizer_en="fake-en-summarizer",
                                     translator="fake-translator"),
        "fake-chat": Recipe("fake-chat", "fake chat", chat="fake-chat", translator="fake-translator"),
        "fake-extractive": Recipe("fake-extractive", "extractive with the fake translator",
                                  translator="fake-translator"),
    }
    for recipe in recipes.values():
        register_recipe(recipe)
    return {name: r.description for name, r in recipes.items()}


def unregister_fakes() -> None:
    """Remove everything :func:`register_fakes` added (the product knows nothing of fakes)."""
    from viensum.backends import unregister_backend
    from viensum.registry import MODELS, RECIPES

    for name in MODEL_NAMES:
        MODELS.pop(name, None)
    for name in RECIPE_NAMES:
        RECIPES.pop(name, None)
    unregister_backend("fake")
