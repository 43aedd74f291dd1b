"""Decoder-only language models through transformers: Qwen2.5 chat models and GGUF checkpoints.

Chat models get their tokenizer's chat template; models without one (base
models, e.g. Gemma 3 270M) get the raw prompt, or the spec's few-shot prompt
for its task. Generation is greedy unless the spec says otherwise.

GGUF files are dequantised by transformers on load, which for a 262k-token
vocabulary spends a minute parsing metadata; the converted model is therefore
kept beside the .gguf file (``<file>.hf/``, fp16 weights) and later loads read
that instead.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from viensum.backends.base import Backend
from viensum.backends.seq2seq import (generation_settings, model_limit, pick_device, torch_precision, quantize_int8,
                                      run_batched)
from viensum.registry import SUMMARIZE_EN, SUMMARIZE_VI, TRANSLATE_VI_EN, ModelSpec

log = logging.getLogger(__name__)

# prompt key in spec.prompts for a non-chat model's task (few-shot templates with {text})
TASK_PROMPTS = {TRANSLATE_VI_EN: "translate", SUMMARIZE_VI: "summary_vi", SUMMARIZE_EN: "summary_en"}


def cut_at_stop(text: str, stops: Sequence[str]) -> str:
    """The text before the first stop string (generation overshoots it by up to a token)."""
    cut = len(text)
    for stop in stops:
        at = text.find(stop)
        if at != -1:
            cut = min(cut, at)
    return text[:cut]


def _gguf_cache(folder: Path, gguf_file: str) -> Path:
    return folder / f"{gguf_file}.hf"


def _cache_valid(cache: Path, source: Path) -> bool:
    try:
        stamp = json.loads((cache / "viensum-gguf.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return stamp.get("size") == source.stat().st_size and (cache / "config.json").is_file()


def _load_gguf(folder: Path, gguf_file: str, torch_dtype):
    """Tokenizer and model from a GGUF file, through the converted copy when there is one."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    source = folder / gguf_file
    cache = _gguf_cache(folder, gguf_file)
    if _cache_valid(cache, source):
        return (AutoTokenizer.from_pretrained(cache),
                AutoModelForCausalLM.from_pretrained(cache, dtype=torch_dtype))
    log.warning("converting %s to a transformers model (once; about a minute)", source)
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=gguf_file)
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=gguf_file, dtype=torch.float32)
    try:
        # fp16 halves the copy; its rounding is far below the 4-bit quantisation step
        from safetensors.torch import save_model

        # save_pretrained() refuses models loaded from GGUF, so write the plain parts ourselves
        tokenizer.save_pretrained(cache)
        config = model.config.to_dict()
        config.pop("quantization_config", None)
        config["dtype"] = "float16"
        (cache / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
        model.generation_config.save_pretrained(cache)
        save_model(model.to(torch.float16), str(cache / "model.safetensors"))
        (cache / "viensum-gguf.json").write_text(
            json.dumps({"source": str(source), "size": source.stat().st_size, "dtype": "float16"}), encoding="utf-8")
    except OSError as exc:
        log.warning("could not keep the converted model in %s: %s", cache, exc)
    return tokenizer, model.to(torch_dtype)


class CausalLMBackend(Backend):
    """AutoModelForCausalLM with its tokenizer; prompt in, continuation out."""

    def __init__(self, spec: ModelSpec, path: Path | None, *, device: str | None = None,
                 dtype: str | None = None, quantize: str | None = None) -> None:
        from transformers import AutoModelForCausalLM, AutoTokenizer

        super().__init__(spec, path, device=pick_device(device), dtype=dtype, quantize=quantize)
        torch_dtype = torch_precision(dtype, quantize, self.device, spec.architecture)
        self.dtype = str(torch_dtype).removeprefix("torch.")
        if spec.gguf_file:
            self.tokenizer, model = _load_gguf(Path(path), spec.gguf_file, torch_dtype)
        else:
            self.tokenizer = AutoTokenizer.from_pretrained(path)
            model = AutoModelForCausalLM.from_pretrained(path, dtype=torch_dtype)
        if quantize:
            model = quantize_int8(model, self.device)
        self.model = model.to(self.device).eval()
        # left padding keeps every prompt's last token next to the generated ones
        self.tokenizer.padding_side = "left"
        # an over-long prompt loses its beginning, never the generation prompt at its end
        self.tokenizer.truncation_side = "left"
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.chat = bool(getattr(self.tokenizer, "chat_template", None))
        self._limit = model_limit(spec, self.tokenizer, self.model.config)
        task_prompt = TASK_PROMPTS.get(spec.tasks[0]) if spec.tasks else None
        self._template = spec.prompts.get(task_prompt) if task_prompt else None

    @property
    def max_input_tokens(self) -> int:
        return self._limit

    def prompt(self, text: str) -> str:
        """The exact string the model sees for ``text``."""
        if self._template:
            text = self._template.format(text=text)
        if self.chat:
            with self.tokenizer_lock:
                return self.tokenizer.apply_chat_template([{"role": "user", "content": text}], tokenize=False,
                                                          add_generation_prompt=True)
        return text

    def _encode(self, prompts: list[str], **kwargs: Any):
        # a rendered chat template already holds its special tokens
        with self.tokenizer_lock:
            return self.tokenizer(prompts, add_special_tokens=not self.chat, **kwargs)

    def count_tokens(self, text: str) -> int:
        return len(self._encode([self.prompt(text)], verbose=False).input_ids[0])

    def parse(self, generated: str) -> str:
        """The answer in a decoded continuation: cut at a stop string, output prefix removed."""
        stops = self.spec.generation.get("stop_strings") or []
        return self.strip_output(cut_at_stop(generated, [stops] if isinstance(stops, str) else stops))

    def _stopping(self, stops: str | Sequence[str], eos: int | list[int] | None) -> dict[str, Any]:
        """Generation arguments that stop at ``stops``.

        A stop string that is a single token (Gemma's "\n", "\n\n") becomes an extra end-of-sequence
        id; transformers' own ``stop_strings`` would scan the whole 262k vocabulary on every call.
        """
        stops = [stops] if isinstance(stops, str) else list(stops)
        ids: list[int] = []
        rest: list[str] = []
        for stop in stops:
            found = False
            for variant in (stop, stop * 2):
                with self.tokenizer_lock:
                    encoded = self.tokenizer(variant, add_special_tokens=False).input_ids
                if len(encoded) == 1:
                    ids.append(encoded[0])
                    found = True
            if not found:
                rest.append(stop)
        if eos is None:
            eos = self.model.generation_config.eos_token_id
        eos_ids = [eos] if isinstance(eos, int) else list(eos or [])
        settings: dict[str, Any] = {"eos_token_id": eos_ids + [i for i in ids if i not in eos_ids]}
        if rest:
            settings.update(stop_strings=rest, tokenizer=self.tokenizer)
        return settings

    def generate(self, texts: Sequence[str], *, max_new_tokens: int | None = None,
                 min_new_tokens: int | None = None, num_beams: int | None = None,
                 batch_size: int = 16) -> list[str]:
        import torch

        prompts = [self.prompt(t) for t in texts]
        lengths = [len(ids) for ids in self._encode(prompts).input_ids] if prompts else []
        for i, n in enumerate(lengths):
            if n > self._limit:
                log.warning("%s: prompt %d has %d tokens, its start truncated to fit %d",
                            self.spec.name, i, n, self._limit)
        settings = generation_settings(self.spec, self.model.generation_config, max_new_tokens=max_new_tokens,
                                       min_new_tokens=min_new_tokens, num_beams=num_beams)
        stops = settings.pop("stop_strings", None)
        if stops:
            settings.update(self._stopping(stops, settings.get("eos_token_id")))
        settings.setdefault("pad_token_id", self.tokenizer.pad_token_id)

        def run(batch: list[str]) -> list[str]:
            enc = self._encode(batch, padding=True, truncation=True, max_length=self._limit,
                               return_tensors="pt").to(self.device)
            with torch.inference_mode():
                ids = self.model.generate(**enc, **settings)
            new = ids[:, enc["input_ids"].shape[1]:]  # the prompt is echoed back: drop it
            with self.tokenizer_lock:
                decoded = self.tokenizer.batch_decode(new, skip_special_tokens=True)
            return [self.parse(t) for t in decoded]

        return run_batched(prompts, lengths, batch_size, run)
