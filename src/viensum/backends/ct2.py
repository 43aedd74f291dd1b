"""Encoder-decoder models through CTranslate2 (the engine behind Argos Translate).

The model is converted locally from the same Hugging Face folder the seq2seq
backend reads, once, with ``ctranslate2.converters.TransformersConverter``,
and kept next to it (``<model>/ct2-int8``, ``ct2-float16``, ``ct2-float32``);
a read-only model folder gets its converted copy under
``~/.cache/viensum/ct2`` instead. The converter and the backend get the
seq2seq backend's tokenizer (``backends/tokenizer.py``), so vocabulary,
prefixes, language codes and tone normalisation are exactly the seq2seq
backend's. The conversion also corrects what CTranslate2 4.x's T5 loader
misreads from transformers 5 configs (see :func:`convert`).

Defaults: int8 weights and compute on the CPU; on CUDA bfloat16 (float16
only for non-T5 models on GPUs without bfloat16, see ``seq2seq.cuda_dtype``);
``dtype="float32"`` keeps full precision (exact path).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from viensum.backends import CT2_ARCHITECTURES
from viensum.backends.base import Backend
from viensum.backends.seq2seq import (GPU_BATCH_TOKENS, SourceText, beam_settings, cuda_dtype, model_limit,
                                      sorted_batches)
from viensum.backends.tokenizer import T5_FAMILY, config_vocab_size, load_tokenizer, vocabulary
from viensum.errors import InputError, ModelNotAvailable
from viensum.registry import TRANSLATE_VI_EN, ModelSpec

log = logging.getLogger(__name__)

_COMPUTE_TYPES = {None: None, "": None, "auto": None, "int8": "int8", "fp32": "float32", "float32": "float32",
                  "fp16": "float16", "float16": "float16", "bf16": "bfloat16", "bfloat16": "bfloat16"}


def pick_compute_type(device: str, dtype: str | None, quantize: str | None, architecture: str = "",
                      bf16_supported: bool | None = None) -> str:
    """int8 on CPU and :func:`~viensum.backends.seq2seq.cuda_dtype` on CUDA unless the caller names a type.

    ``quantize`` wins over ``dtype``; ``bf16_supported`` (asked from CTranslate2 when None) is
    whether the GPU computes in bfloat16.
    """
    if quantize not in (None, "", "int8"):
        raise InputError(f"unknown quantisation '{quantize}'; only 'int8' is supported")
    if (quantize or dtype) not in _COMPUTE_TYPES:
        raise InputError(f"unknown dtype '{dtype}'; use float32, float16, bfloat16 or int8")
    chosen = _COMPUTE_TYPES[quantize or dtype]
    if chosen is None:
        if not device.startswith("cuda"):
            return "int8"
        if bf16_supported is None:
            import ctranslate2

            try:
                bf16_supported = "bfloat16" in ctranslate2.get_supported_compute_types("cuda")
            except RuntimeError:  # no usable CUDA: loading the Translator will say so
                bf16_supported = False
        chosen = cuda_dtype(architecture, bf16_supported)
    if device == "cpu" and chosen in ("float16", "bfloat16"):
        raise InputError(f"{chosen} runs on CUDA only with CTranslate2; use int8 or float32 on the CPU")
    return chosen


def default_threads() -> int:
    """``$VIENSUM_THREADS``, else every core this process may use."""
    env = os.environ.get("VIENSUM_THREADS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def thread_layout(spec: ModelSpec, threads: int) -> tuple[int, int]:
    """(inter_threads, intra_threads) on the CPU for ``spec``.

    Translators are fed many sentences: one batch per core (``threads`` workers
    of one thread each, no synchronisation between cores inside an operation)
    costs less CPU time per sentence than one batch spread over every core
    (docs/BENCHMARKS.md). Summarisers are fed a few whole articles, often one:
    each batch runs on every core, so a single article is not left to one core;
    a call with an article per core or more goes to one-thread workers instead
    (``CTranslate2Backend._runner``).
    """
    if TRANSLATE_VI_EN in spec.tasks:
        return threads, 1
    return 1, threads


def converted_dir(model_dir: Path, compute_type: str) -> Path:
    """Where the converted model for ``model_dir`` lives: beside it when writable, else in the user cache."""
    name = f"ct2-{compute_type}"
    if os.access(model_dir, os.W_OK):
        return model_dir / name
    digest = hashlib.sha256(str(model_dir.resolve()).encode()).hexdigest()[:12]
    return Path.home() / ".cache" / "viensum" / "ct2" / f"{model_dir.name}-{digest}" / name


# Bumped when the conversion changes, so folders converted by an older viensum are converted again
# (2: the tokenizer of backends/tokenizer.py, the T5 output scale of transformers 5).
CONVERSION = 2
_STAMP = "viensum-ct2.json"
# CPU flags of an int8 dot product that accumulates in 32 bits (VNNI, AMX)
_VNNI_FLAGS = frozenset({"avx512_vnni", "avx_vnni", "amx_int8"})


def int8_weight_bits(cpuinfo: str | None = None) -> int:
    """Bits of the int8 weights CTranslate2 runs on this CPU: 7 on x86 without VNNI, else 8.

    On an x86 CPU without VNNI, CTranslate2's int8 matrix product (oneDNN, u8 activations x s8
    weights) adds pairs of products in saturating 16-bit registers (``vpmaddubsw``): two products
    of 255 x 127 overflow them. Weights of at most 63 in magnitude never do (2 x 255 x 63 < 32767),
    oneDNN's own advice for such CPUs. Elsewhere (VNNI, AMX, ARM) the full 8 bits are exact.
    ``cpuinfo`` is the text of /proc/cpuinfo (read when None; 8 bits where it cannot be read).
    """
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return 8
    flags = next((set(line.split(":", 1)[1].split()) for line in cpuinfo.splitlines()
                  if line.startswith("flags")), None)
    if flags is None or "avx2" not in flags and "avx512bw" not in flags:
        return 8  # not x86 (ARM runs Ruy), or a CPU CTranslate2 gives no int8 kernel to
    return 8 if flags & _VNNI_FLAGS else 7


def convert(model_dir: Path, compute_type: str, tokenizer=None, decoder_start: int | None = None) -> Path:
    """Convert ``model_dir`` (a transformers folder) to CTranslate2 once; return the converted folder.

    ``tokenizer`` is the one the backend encodes with; the converted vocabulary
    is its token for every id of the model's embedding table. ``decoder_start``
    replaces the config's decoder start id (CrossSum's language token): CTranslate2
    then decodes from exactly the sequence transformers' ``decoder_start_token_id``
    gives, where ``target_prefix`` would decode from ``<pad>`` + the token.
    """
    target = converted_dir(model_dir, compute_type)
    bits = int8_weight_bits() if compute_type.startswith("int8") else None
    stamp = {"conversion": CONVERSION, "decoder_start": decoder_start}
    if bits not in (None, 8):
        stamp["weight_bits"] = bits  # a folder converted on another CPU is converted again
    if _current(target, stamp):
        return target
    # weights are stored in the type they run in; float32 keeps the exact path
    quantization = None if compute_type == "float32" else compute_type
    target.parent.mkdir(parents=True, exist_ok=True)
    log.info("converting %s to CTranslate2 (%s) in %s", model_dir, compute_type, target)
    # convert into a scratch folder, then rename: a concurrent or interrupted run never leaves half a model
    scratch = Path(tempfile.mkdtemp(prefix=".ct2-", dir=target.parent))
    try:
        _converter(model_dir, tokenizer, decoder_start, bits or 8).convert(str(scratch / "out"),
                                                                           quantization=quantization, force=True)
        (scratch / "out" / _STAMP).write_text(json.dumps(stamp), encoding="utf-8")
        if target.exists() and not _current(target, stamp):
            target.rename(scratch / "old")  # an older or different conversion: replaced
        try:
            (scratch / "out").rename(target)
        except OSError:
            if not _current(target, stamp):
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def _current(target: Path, stamp: dict) -> bool:
    """Whether ``target`` holds a conversion made with the settings in ``stamp``."""
    try:
        found = json.loads((target / _STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return found == stamp and (target / "model.bin").is_file()


class _Vocabulary:
    """What CTranslate2's T5 loader reads from a tokenizer, with exactly ``size`` tokens.

    Its own padding appends ``<extra_id_N>`` in rising order, which neither
    matches T5's order (``<extra_id_0>`` last) nor stays unique on mT5.
    """

    def __init__(self, tokenizer, size: int) -> None:
        self.tokens = vocabulary(tokenizer, size)
        self.pad_token, self.eos_token, self.unk_token = tokenizer.pad_token, tokenizer.eos_token, tokenizer.unk_token

    def get_vocab(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.tokens)}

    def convert_ids_to_tokens(self, ids):
        return self.tokens[ids] if isinstance(ids, int) else [self.tokens[i] for i in ids]


def _converter(model_dir: Path, tokenizer, decoder_start: int | None = None, bits: int = 8):
    """CTranslate2's TransformersConverter, given our tokenizer, decoder start, transformers 5's T5
    output scale and the int8 weights' bits (:func:`int8_weight_bits`)."""
    from ctranslate2.converters import TransformersConverter

    class Converter(TransformersConverter):
        def _load(self):
            spec = super()._load()
            return _NarrowInt8(spec, bits) if spec is not None and bits < 8 else spec

        def load_model(self, model_class, model_name_or_path, **kwargs):
            model = super().load_model(model_class, model_name_or_path, **kwargs)
            config = model.config
            if config.model_type in T5_FAMILY:
                # CTranslate2's T5 loader scales the decoder output by d_model**-0.5 when
                # tie_word_embeddings is set. transformers 5 sets that flag on every T5/mT5 and keeps
                # the real choice in scale_decoder_outputs (T5: False for untied checkpoints such as
                # EnViT5); MT5ForConditionalGeneration never scales. Say what transformers computes.
                config.tie_word_embeddings = bool(getattr(config, "scale_decoder_outputs", False))
            if decoder_start is not None:
                config.decoder_start_token_id = decoder_start
            return model

        def load_tokenizer(self, tokenizer_class, model_name_or_path, **kwargs):
            if tokenizer is None:
                return super().load_tokenizer(tokenizer_class, model_name_or_path, **kwargs)
            size = config_vocab_size(model_dir)
            if size and getattr(tokenizer, "get_vocab", None) and _t5_folder(model_dir):
                return _Vocabulary(tokenizer, size)
            return tokenizer

    return Converter(str(model_dir))


class _NarrowInt8:
    """A CTranslate2 model spec whose ``optimize`` quantises to :func:`_optimize`'s narrower int8."""

    def __init__(self, spec, bits: int) -> None:
        self._spec, self._bits = spec, bits

    def __getattr__(self, name: str):
        return getattr(self._spec, name)

    def optimize(self, quantization: str | None = None) -> None:
        _optimize(self._spec, quantization, self._bits)


def _optimize(spec, quantization: str | None, bits: int) -> None:
    """``spec.optimize(quantization)`` with int8 weights of ``bits`` bits: each row scaled so its
    largest magnitude is 2**(bits-1) - 1 (CTranslate2 scales it to 127); everything else (aliases,
    the other variables) as CTranslate2 does it."""
    import numpy as np
    from ctranslate2.specs.model_spec import NumpyVariable, Variable

    if not (quantization or "").startswith("int8"):
        spec.optimize(quantization)
        return
    top = float(2 ** (bits - 1) - 1)
    narrowed = set()

    def narrow(layer, name, value):
        key = name.rsplit("/", 1)[-1]
        if not hasattr(layer, f"{key}_scale") or not isinstance(value, Variable) or value.is_scalar():
            return
        weight = value.to("float32").numpy()
        rows = weight.reshape(weight.shape[0], -1)
        amax = np.abs(rows).max(axis=1)
        amax[amax == 0] = top
        scale = (top / amax).astype(np.float32)
        quantized = np.rint(rows * scale[:, None]).astype(np.int8).reshape(weight.shape)
        setattr(layer, key, NumpyVariable(quantized))
        setattr(layer, f"{key}_scale", NumpyVariable(scale))
        narrowed.add(name)

    spec._alias_variables()
    spec._visit(narrow)
    spec._quantize(quantization, variable_filter=lambda name: name not in narrowed)


def _t5_folder(model_dir: Path) -> bool:
    try:
        return json.loads((model_dir / "config.json").read_text(encoding="utf-8")).get("model_type") in T5_FAMILY
    except (OSError, ValueError):
        return False


# Padded source tokens per batch (see seq2seq.sorted_batches). On the real-size Marian (beam 4)
# the cross-attention caches take ~100 MB per 1000 tokens. 1536 split the batches of long sentences
# (16 sentences of 96+ tokens) into smaller ones, which cost ~7% more CPU time per sentence than the
# hand-tuned peer's uncapped batches of 16 (docs/BENCHMARKS.md); 2560 leaves 16 sentences of up to
# 160 tokens whole (two batches in flight: ~0.5 GB at most, still below the peers' peak RSS).
BATCH_TOKENS = 2560
# Summarisers' cap: an article is hundreds of tokens, so 1536 meant one or two articles per batch, and
# the decoder read its weights for 4-8 hypotheses a step. 3072 (3-6 articles) with one batch per core
# took 1.28x less time than a plain CTranslate2 translate_batch(max_batch_size=8) on 8 articles, where
# 1536 on one 2-thread worker took 1.25x more (benchmarks/schedule.py, docs/BENCHMARKS.md); the
# price is memory: ViT5's decoder keeps ~0.3 MB of encoder states per padded source token (4 beams).
SUMMARY_BATCH_TOKENS = 3072


def batch_cost(lengths: Sequence[int], batch: Sequence[int], steps: tuple[int, int, int]) -> int:
    """Estimated work of a batch: padded source tokens, plus every hypothesis's decoding steps
    (as many as the source has tokens, within ``steps`` = (min, max) decoding length, x beam)."""
    shortest, longest, beam = steps
    padded = lengths[batch[0]] if batch else 0
    return len(batch) * (padded + beam * min(longest, max(shortest, padded)))


def schedule(lengths: Sequence[int], batch_size: int, max_tokens: int | None, workers: int = 1,
             steps: tuple[int, int, int] = (0, 256, 1)) -> list[list[int]]:
    """Batches of similar length (``sorted_batches``), in the order they are handed to ``workers``.

    With several workers, the batch count is made a multiple of ``workers``, and the batches are
    handed over most costly first (:func:`batch_cost`): each worker takes the next batch when it is
    free, so no worker is left alone with a last batch while the others wait. The length-sorted
    inputs are cut again into that many batches of near-equal size, the longest inputs in the
    smaller ones (:func:`even_batches`; small batches cost more CPU time per input than big ones);
    where that would break the token cap, the count is made even by halving the costliest batch.
    """
    batches = sorted_batches(lengths, batch_size, max_tokens)
    if workers < 2:
        return batches
    count = -(-len(batches) // workers) * workers
    if count <= len(lengths):
        batches = even_batches(lengths, [i for b in batches for i in b], count, max_tokens) or batches
    while len(batches) % workers and any(len(b) > 1 for b in batches):
        big = max((b for b in batches if len(b) > 1), key=lambda b: batch_cost(lengths, b, steps))
        at = batches.index(big)
        batches[at:at + 1] = [big[:(len(big) + 1) // 2], big[(len(big) + 1) // 2:]]
    return sorted(batches, key=lambda b: -batch_cost(lengths, b, steps))


def even_batches(lengths: Sequence[int], order: Sequence[int], count: int,
                 max_tokens: int | None) -> list[list[int]] | None:
    """``order`` (indices, longest first) cut into ``count`` consecutive batches whose sizes differ by at
    most one, the larger ones last (with the shorter inputs: five articles on two workers go as the two
    longest and the three shortest, not the three longest and the two shortest); None when one of them
    would pass ``max_tokens`` padded tokens."""
    size, extra = divmod(len(order), count)
    batches, start = [], 0
    for k in range(count):
        end = start + size + (k >= count - extra)
        batches.append(list(order[start:end]))
        start = end
    if max_tokens and any(len(b) > 1 and len(b) * lengths[b[0]] > max_tokens for b in batches):
        return None
    return batches


# mBART (VinAI Translate) is not in CT2_ARCHITECTURES: its conversion is untested here. VinAI's
# checkpoints are mBART-large-cc25 layouts (MBartTokenizer, pre-norm: normalize_before, a final
# layer_norm) that CTranslate2's MBartLoader maps; a converted model would also need
# target_prefix [["en_XX"]] to start decoding in English, as VinAI's README starts it with
# decoder_start_token_id=en_XX.


class CTranslate2Backend(SourceText, Backend):
    """A CTranslate2 ``Translator`` with the model's transformers tokenizer."""

    engine = "ctranslate2"

    def __init__(self, spec: ModelSpec, path: Path | None, *, device: str | None = None,
                 dtype: str | None = None, quantize: str | None = None) -> None:
        import ctranslate2

        if spec.architecture not in CT2_ARCHITECTURES:
            raise InputError(f"the ctranslate2 backend runs {', '.join(sorted(CT2_ARCHITECTURES))} models; "
                             f"{spec.name} is {spec.architecture}: use the seq2seq backend")
        if path is None or not (Path(path) / "config.json").is_file():
            raise ModelNotAvailable(spec.name, f"no transformers checkpoint to convert at {path}")
        if device in (None, "", "auto"):
            device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
        super().__init__(spec, Path(path), device=device, dtype=dtype, quantize=quantize)
        kind = self.device.split(":")[0]
        index = int(self.device.split(":")[1]) if ":" in self.device else 0
        self.compute_type = pick_compute_type(kind, dtype, quantize, spec.architecture)
        self.dtype = self.compute_type
        self.quantize = "int8" if self.compute_type.startswith("int8") else None
        self.tokenizer = load_tokenizer(spec, self.path, config_vocab_size(self.path))
        # config.json read as plain JSON: transformers' config classes import torch, which this runtime
        # does not need (once converted, a CTranslate2 model runs with ctranslate2 + the tokenizer only)
        config = SimpleNamespace(**json.loads((self.path / "config.json").read_text(encoding="utf-8")))
        self.converted = convert(self.path, self.compute_type, self.tokenizer, self._decoder_start())
        self.threads = default_threads()
        cpu_cap = BATCH_TOKENS if TRANSLATE_VI_EN in spec.tasks else SUMMARY_BATCH_TOKENS
        self.batch_tokens = cpu_cap if kind == "cpu" else GPU_BATCH_TOKENS
        self.workers, intra = thread_layout(spec, self.threads) if kind == "cpu" else (1, 0)
        self.balance = True  # schedule(): a batch count that fills every worker, costly batches first
        self._open = lambda inter, intra_: ctranslate2.Translator(
            str(self.converted), device=kind, device_index=index, compute_type=self.compute_type,
            inter_threads=inter, intra_threads=intra_)
        self.translator = self._open(self.workers, intra)
        # A summariser (1 worker x every core) given an input per core or more runs them one per core
        # on a second Translator of one-thread workers, made when first needed (docs/BENCHMARKS.md)
        self.spread = kind == "cpu" and self.workers == 1 and self.threads > 1
        self._spread_translator = None
        self._primary_used = False
        self._spread_lock = threading.Lock()  # this backend's two Translators, not every backend's
        self._limit = model_limit(spec, self.tokenizer, config)
        self._generation = self._own_generation()
        self._suppress = self._bad_words()
        # transformers forces </s> as the last of max_new_tokens (forced_eos_token_id, Marian/mBART);
        # CTranslate2 counts only real tokens, so one fewer gives the same text
        self._eos_slot = 1 if getattr(config, "forced_eos_token_id", None) is not None else 0

    def _own_generation(self) -> SimpleNamespace:
        """The checkpoint's generation_config.json, read the way transformers' GenerationConfig is."""
        file = self.path / "generation_config.json"
        data = json.loads(file.read_text(encoding="utf-8")) if file.is_file() else {}
        return SimpleNamespace(max_new_tokens=data.get("max_new_tokens"), bad_words_ids=data.get("bad_words_ids"),
                               length_penalty=data.get("length_penalty"))

    def _bad_words(self) -> list[list[str]] | None:
        """The checkpoint's ``bad_words_ids`` (e.g. <pad>) as token sequences CTranslate2 suppresses."""
        ids = self._generation.bad_words_ids or []
        if not ids:
            return None
        # the converter drops tokens the model can never produce (Marian's <pad>); skip those
        vocab_file = next((self.converted / f for f in ("shared_vocabulary.json", "target_vocabulary.json")
                           if (self.converted / f).is_file()), None)
        known = set(json.loads(vocab_file.read_text(encoding="utf-8"))) if vocab_file else set()
        sequences = [self.tokenizer.convert_ids_to_tokens(seq) for seq in ids]
        return [seq for seq in sequences if all(t in known for t in seq)] or None

    def generate(self, texts: Sequence[str], *, max_new_tokens: int | None = None,
                 min_new_tokens: int | None = None, num_beams: int | None = None,
                 batch_size: int = 16) -> list[str]:
        if not texts:
            return []
        settings = beam_settings(self.spec, self._generation, max_new_tokens=max_new_tokens,
                                 min_new_tokens=min_new_tokens, num_beams=num_beams)
        ids = self._encode_checked(texts)
        for i, seq in enumerate(ids):
            if len(seq) > self._limit:
                ids[i] = seq[:self._limit - 1] + seq[-1:]  # keep the closing </s>
        with self.tokenizer_lock:
            tokens = [self.tokenizer.convert_ids_to_tokens(seq) for seq in ids]
        longest = max(1, settings.get("max_new_tokens", 256) - self._eos_slot)
        options: dict[str, Any] = {
            "beam_size": settings.get("num_beams", 1),
            "max_decoding_length": longest,
            "min_decoding_length": min(longest, settings.get("min_new_tokens", 0)),
            "no_repeat_ngram_size": settings.get("no_repeat_ngram_size", 0),
            "repetition_penalty": settings.get("repetition_penalty", 1.0),
            "length_penalty": settings.get("length_penalty", 1.0),
            "max_input_length": self._limit,
        }
        if self._suppress:
            options["suppress_sequences"] = self._suppress
        translator, workers = self._runner(len(tokens))
        # Sorted once, here (CTranslate2 gets no max_batch_size, so it does not sort again); with
        # too few inputs for a batch per worker, smaller batches, so no core waits for the other.
        per_worker = -(-len(tokens) // workers)
        steps = (options["min_decoding_length"], longest, options["beam_size"])
        batches = schedule([len(t) for t in tokens], min(batch_size, per_worker), self.batch_tokens,
                           workers if self.balance else 1, steps)
        # Every batch is handed over at once (asynchronous): CTranslate2 runs them on its
        # inter_threads workers side by side while Python waits, one round trip per batch.
        pending = [(batch, translator.translate_batch([tokens[i] for i in batch], asynchronous=True, **options))
                   for batch in batches]
        outputs = [""] * len(texts)
        for batch, results in pending:
            for i, result in zip(batch, results):
                hypothesis = result.result().hypotheses[0]  # waited for without the lock
                with self.tokenizer_lock:
                    out_ids = self.tokenizer.convert_tokens_to_ids(hypothesis)
                    outputs[i] = self.strip_output(self.tokenizer.decode(out_ids, skip_special_tokens=True))
        return outputs

    def _runner(self, inputs: int) -> tuple[Any, int]:
        """The Translator for a call of ``inputs`` inputs, and its worker count.

        A summariser whose first Translator (1 worker x every core) has not run a call yet when the
        second one (one-thread workers) is made gives back its weights (``unload_model``): a batch
        run then holds one copy of the model, not two; they are loaded again if a single input comes.
        """
        if not self.spread:
            return self.translator, self.workers
        with self._spread_lock:
            if inputs < self.threads:
                self._primary_used = True
                if not self.translator.model_is_loaded:
                    self.translator.load_model()
                return self.translator, self.workers
            if self._spread_translator is None:
                self._spread_translator = self._open(self.threads, 1)
                if not self._primary_used:
                    self.translator.unload_model()
        return self._spread_translator, self.threads

    def __repr__(self) -> str:
        extra = ", test_model=True" if self.test_model else ""
        return (f"CTranslate2Backend({self.spec.name!r}, device={self.device!r}, "
                f"compute_type={self.compute_type!r}{extra})")
