"""Encoder-decoder models through transformers: ViT5/T5, mT5, Marian (opus-mt) and mBART-50 (VinAI Translate).

The helpers at the top (device/dtype choice, int8 quantisation, length-sorted
batching) are shared with the causal backend.
"""
from __future__ import annotations

import importlib
import logging
import re
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from viensum.backends.base import Backend
from viensum.backends.tokenizer import T5_FAMILY, config_vocab_size, load_tokenizer
from viensum.errors import InputError
from viensum.registry import ModelSpec

log = logging.getLogger(__name__)

_SANE_MAX = 1_000_000  # tokenizers without a limit report int(1e30)

# VinAI's tone normalisation (BARTpho's VietnameseToneNormalization.md): their
# translation models were trained on "new style" tone placement (hoà, thuỷ), so
# the "old style" (hòa, thủy) is rewritten before encoding.
_TONE_PAIRS = [
    ("òa", "oà"), ("óa", "oá"), ("ỏa", "oả"), ("õa", "oã"), ("ọa", "oạ"),
    ("òe", "oè"), ("óe", "oé"), ("ỏe", "oẻ"), ("õe", "oẽ"), ("ọe", "oẹ"),
    ("ùy", "uỳ"), ("úy", "uý"), ("ủy", "uỷ"), ("ũy", "uỹ"), ("ụy", "uỵ"),
]
TONE_MAP = {variant(old): variant(new) for old, new in _TONE_PAIRS
            for variant in (str.lower, str.capitalize, str.upper)}
_TONE_RE = re.compile("|".join(map(re.escape, TONE_MAP)))


def normalize_tone(text: str) -> str:
    """Move the tone mark of oa/oe/uy to the second vowel ("hòa" -> "hoà"), as VinAI's models expect."""
    return _TONE_RE.sub(lambda m: TONE_MAP[m.group()], text)


def pick_device(device: str | None) -> str:
    import torch

    if device in (None, "", "auto"):
        return "cuda" if torch.cuda.is_available() else "cpu"
    return device


def torch_precision(dtype: str | None, quantize: str | None, device: str, architecture: str = ""):
    """The torch dtype to load weights in: int8 quantisation starts from fp32 weights."""
    if quantize not in (None, "", "int8"):
        raise InputError(f"unknown quantisation '{quantize}'; only 'int8' is supported")
    return pick_dtype(None if quantize else dtype, device, architecture)


def cuda_dtype(architecture: str, bf16_supported: bool) -> str:
    """The default GPU precision: bfloat16; else float16, except for T5/mT5.

    T5-family activations overflow float16's range (inf/NaN in the feed-forward
    layers, the reason Google trained them in bfloat16), so without bfloat16
    they stay in float32.
    """
    if bf16_supported:
        return "bfloat16"
    return "float32" if architecture in T5_FAMILY else "float16"


def pick_dtype(dtype: str | None, device: str, architecture: str = ""):
    """fp32 on CPU; :func:`cuda_dtype` on CUDA; or what the caller names."""
    import torch

    if dtype in (None, "", "auto"):
        if device.startswith("cuda"):
            return getattr(torch, cuda_dtype(architecture, torch.cuda.is_bf16_supported()))
        return torch.float32
    try:
        value = getattr(torch, {"fp32": "float32", "fp16": "float16", "bf16": "bfloat16"}.get(dtype, dtype))
    except AttributeError:
        value = None
    if not isinstance(value, torch.dtype):
        raise InputError(f"unknown dtype '{dtype}'; use float32, float16 or bfloat16")
    return value


def quantize_int8(model, device: str):
    """Dynamic int8 quantisation of every Linear layer (weights int8, activations quantised on the fly)."""
    import torch

    if not device.startswith("cpu"):
        raise InputError("int8 dynamic quantisation runs on the CPU only; use --device cpu")
    from torch.ao.quantization import quantize_dynamic

    with warnings.catch_warnings():
        # torch 2.10+ flags quantised tensors as deprecated in favour of torchao; still works
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        return quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


def sorted_batches(lengths: Sequence[int], batch_size: int, max_tokens: int | None = None) -> list[list[int]]:
    """Indices grouped into batches of similar length (longest first), so padding stays small.

    With ``max_tokens`` a batch also ends before its padded size (inputs x the
    longest) would pass it: the decoder keeps every source token of every beam
    in every layer, so a batch of long sentences costs many times one of short
    ones, and a token cap keeps peak memory flat.
    """
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    size = max(1, batch_size)
    if not max_tokens:
        return [order[start:start + size] for start in range(0, len(order), size)]
    batches: list[list[int]] = []
    for i in order:
        if batches and len(batches[-1]) < size and (len(batches[-1]) + 1) * lengths[batches[-1][0]] <= max_tokens:
            batches[-1].append(i)
        else:
            batches.append([i])
    return batches


def run_batched(items: Sequence[str], lengths: Sequence[int], batch_size: int,
                run: Callable[[list[str]], list[str]], max_tokens: int | None = None) -> list[str]:
    """Run ``run`` over length-sorted batches and return its outputs in input order."""
    out: list[str] = [""] * len(items)
    for batch in sorted_batches(lengths, batch_size, max_tokens):
        for i, text in zip(batch, run([items[i] for i in batch])):
            out[i] = text
    return out


def generation_settings(spec: ModelSpec, model_generation=None, **overrides: Any) -> dict[str, Any]:
    """The spec's generation settings with the call's non-None overrides on top.

    A ``max_new_tokens`` in the model folder's own generation config lowers the
    spec's default (never an explicit override): the tiny test models set it,
    since random weights never emit EOS and would otherwise always run to the
    full default length.
    """
    settings = dict(spec.generation)
    own_cap = getattr(model_generation, "max_new_tokens", None)
    if own_cap and settings.get("max_new_tokens", own_cap) > own_cap:
        settings["max_new_tokens"] = own_cap
    settings.update({k: v for k, v in overrides.items() if v is not None})
    if settings.get("num_beams", 1) <= 1:
        settings.pop("early_stopping", None)  # only meaningful for beam search; transformers warns otherwise
    return settings


def beam_settings(spec: ModelSpec, model_generation=None, **overrides: Any) -> dict[str, Any]:
    """:func:`generation_settings` of an encoder-decoder, with the length penalty made explicit.

    Both engines must rank beams alike: the spec's ``length_penalty``, else the
    checkpoint's generation config's, else 1.0 (transformers' default), is
    passed to transformers and to CTranslate2 (whose own default is also 1).
    """
    settings = generation_settings(spec, model_generation, **overrides)
    if settings.get("num_beams", 1) > 1:
        own = getattr(model_generation, "length_penalty", None)
        settings.setdefault("length_penalty", 1.0 if own is None else own)
    return settings


def model_limit(spec: ModelSpec, tokenizer, config) -> int:
    """The smallest of the spec's limit, the tokenizer's and the model's position table.

    T5-family models have no position table (relative attention buckets): their
    configs' ``n_positions: 512`` is a legacy field, and ViT5 was evaluated on
    1,024-token inputs, so only the spec's limit counts for them.
    """
    limits = [spec.max_input_tokens]
    tok_max = getattr(tokenizer, "model_max_length", None)
    if isinstance(tok_max, int) and 0 < tok_max < _SANE_MAX:
        limits.append(tok_max)
    if getattr(config, "relative_attention_num_buckets", None) is None:
        for attr in ("max_position_embeddings", "n_positions"):
            value = getattr(config, attr, None)
            if isinstance(value, int) and value > 0:
                limits.append(value)
                break
    return min(limits)


# Padded source tokens per batch (see sorted_batches): batches of 32 typical news sentences
# (about 60 tokens) stay whole, batches of long ones shrink (docs/BENCHMARKS.md).
BATCH_TOKENS = 2048
GPU_BATCH_TOKENS = 65536  # on a GPU memory is plentiful and bigger batches keep it busy


class SourceText:
    """Source-side text handling of the encoder-decoder backends (transformers and CTranslate2).

    Needs ``spec``, ``tokenizer`` and ``_limit`` (the effective input limit) on the instance.
    """

    @property
    def max_input_tokens(self) -> int:
        return self._limit

    def _source(self, text: str) -> str:
        """The exact text the tokenizer encodes for ``text`` (it appends </s> or the language code itself)."""
        if self.spec.tone_normalize:
            text = normalize_tone(text)
        if self.spec.collapse_whitespace:
            text = " ".join(text.split())
        return self.spec.input_prefix + text

    def _decoder_start(self) -> int | None:
        """The id decoding starts from when the spec names one (CrossSum's language id, VinAI's en_XX)."""
        token = self.spec.decoder_start
        if not token:
            return None
        found = self.tokenizer.convert_tokens_to_ids(token)
        if found is None or found == self.tokenizer.unk_token_id:
            raise InputError(f"{self.spec.name}: its decoder start token {token!r} is not in the tokenizer")
        return found

    def count_tokens(self, text: str) -> int:
        # verbose=False: counting a long text before chunking it is the point, not an error
        source = self._source(text)
        with self.tokenizer_lock:
            return len(self.tokenizer(source, verbose=False).input_ids)

    def _encode_checked(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids of the sources, with a warning for each one the model will have to cut."""
        sources = [self._source(t) for t in texts]
        with self.tokenizer_lock:
            ids = self.tokenizer(sources, verbose=False).input_ids if texts else []
        for i, seq in enumerate(ids):
            if len(seq) > self._limit:
                log.warning("%s: input %d has %d tokens, truncated to %d (chunk long texts before generate())",
                            self.spec.name, i, len(seq), self._limit)
        return ids


class Seq2SeqBackend(SourceText, Backend):
    """AutoModelForSeq2SeqLM with its tokenizer, loaded from a local folder."""

    batch_tokens: int | None = BATCH_TOKENS

    def __init__(self, spec: ModelSpec, path: Path | None, *, device: str | None = None,
                 dtype: str | None = None, quantize: str | None = None) -> None:
        importlib.import_module("torch")  # fail here, not mid-generation, when torch is missing
        from transformers import AutoModelForSeq2SeqLM

        super().__init__(spec, path, device=pick_device(device), dtype=dtype, quantize=quantize)
        torch_dtype = torch_precision(dtype, quantize, self.device, spec.architecture)
        self.dtype = str(torch_dtype).removeprefix("torch.")
        self.tokenizer = load_tokenizer(spec, path, config_vocab_size(path))
        model = AutoModelForSeq2SeqLM.from_pretrained(path, dtype=torch_dtype)
        if quantize:
            model = quantize_int8(model, self.device)
        self.model = model.to(self.device).eval()
        if not self.device.startswith("cpu"):
            self.batch_tokens = GPU_BATCH_TOKENS
        self._limit = model_limit(spec, self.tokenizer, self.model.config)
        self._fixed: dict[str, Any] = {}
        start = self._decoder_start()
        if start is not None:
            # VinAI's README: decoder_start_token_id=lang_code_to_id["en_XX"]; CrossSum's card:
            # decoder_start_token_id=<the target language's id token>
            self._fixed["decoder_start_token_id"] = start

    @property
    def model_id(self) -> str:
        return self.spec.hub_id

    def generate(self, texts: Sequence[str], *, max_new_tokens: int | None = None,
                 min_new_tokens: int | None = None, num_beams: int | None = None,
                 batch_size: int = 16) -> list[str]:
        import torch

        sources = [self._source(t) for t in texts]
        lengths = [len(ids) for ids in self._encode_checked(texts)]
        settings = beam_settings(self.spec, self.model.generation_config, max_new_tokens=max_new_tokens,
                                 min_new_tokens=min_new_tokens, num_beams=num_beams)
        settings.update(self._fixed)

        def run(batch: list[str]) -> list[str]:
            with self.tokenizer_lock:
                enc = self.tokenizer(batch, padding=True, truncation=True, max_length=self._limit,
                                     return_tensors="pt").to(self.device)
            with torch.inference_mode():
                ids = self.model.generate(**enc, **settings)
            # the first id is the decoder start (<pad>, or a language token that is no special token)
            with self.tokenizer_lock:
                decoded = self.tokenizer.batch_decode(ids[:, 1:], skip_special_tokens=True)
            return [self.strip_output(t) for t in decoded]

        return run_batched(sources, lengths, batch_size, run, self.batch_tokens)
