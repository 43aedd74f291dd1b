"""The CTranslate2 backend on tiny models: local conversion, generation contract, batching."""
from __future__ import annotations

import pytest
from samples import SENTENCES

from viensum.backends import LoadedModels, load_backend
from viensum.backends.ct2 import CTranslate2Backend, batch_cost, pick_compute_type, schedule
from viensum.backends.seq2seq import sorted_batches
from viensum.errors import InputError

MODELS = ["opus-mt-vi-en", "vit5-base-vietnews", "envit5-translation", "mt5-crosssum-en"]
TEXTS = SENTENCES
GREEDY = {"max_new_tokens": 8, "min_new_tokens": 3, "num_beams": 1}


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.mark.parametrize("name", MODELS)
def test_float32_conversion_gives_the_transformers_output(tiny_store, name):
    """Converted locally from the same folder, in float32 it is the seq2seq backend's exact output
    (prefixes such as EnViT5's "vi: " added and "en: " stripped the same way)."""
    ct2 = load_backend(name, backend="ctranslate2", dtype="float32")
    assert isinstance(ct2, CTranslate2Backend) and ct2.compute_type == "float32"
    assert ct2.converted == tiny_store / name / "ct2-float32" and (ct2.converted / "model.bin").is_file()
    reference = load_backend(name).generate(TEXTS, **GREEDY)
    assert ct2.generate(TEXTS, **GREEDY) == reference
    assert ct2.count_tokens(TEXTS[0]) == load_backend(name).count_tokens(TEXTS[0])


@pytest.mark.parametrize("name", ["opus-mt-vi-en", "vit5-base-vietnews"])
def test_int8_outputs_keep_input_order_whatever_the_batching(tiny_store, name, monkeypatch):
    backend = load_backend(name, backend="ctranslate2")
    assert backend.compute_type == "int8" and backend.quantize == "int8" and backend.device == "cpu"
    assert backend.converted.name == "ct2-int8"
    out = backend.generate(TEXTS, **GREEDY, batch_size=16)
    assert len(out) == len(TEXTS) and all(out)
    assert len(set(out)) > 1  # different inputs, different outputs: not a constant
    assert backend.generate(TEXTS, **GREEDY, batch_size=1) == out
    assert backend.generate(TEXTS[::-1], **GREEDY, batch_size=2) == out[::-1]
    monkeypatch.setattr(backend, "batch_tokens", 40)  # the token cap splits batches; results do not move
    assert backend.generate(TEXTS, **GREEDY, batch_size=16) == out
    assert backend.generate([], **GREEDY) == []


@pytest.mark.parametrize("kind", ["seq2seq", "ctranslate2"])
def test_token_cap_splits_batches_without_changing_outputs(tiny_store, kind, monkeypatch):
    backend = load_backend("opus-mt-vi-en", backend=kind)
    assert backend.batch_tokens == (2048 if kind == "seq2seq" else 2560)  # the CPU defaults
    expected = backend.generate(TEXTS, **GREEDY, batch_size=16)
    calls = []
    if kind == "seq2seq":
        real = backend.tokenizer.__class__.__call__
        monkeypatch.setattr(backend.tokenizer.__class__, "__call__",
                            lambda self, texts, **kw: calls.append(len(texts)) or real(self, texts, **kw))
    else:
        real = backend.translator.translate_batch
        monkeypatch.setattr(backend, "translator", type("T", (), {"translate_batch": staticmethod(
            lambda tokens, **kw: calls.append(len(tokens)) or real(tokens, **kw))})())
    monkeypatch.setattr(backend, "batch_tokens", 60)
    assert backend.generate(TEXTS, **GREEDY, batch_size=16) == expected
    generate_calls = calls[1:] if kind == "seq2seq" else calls  # seq2seq first counts every input's length
    assert len(generate_calls) > 1 and sum(generate_calls) == len(TEXTS)


def test_over_long_input_is_truncated_with_a_warning(tiny_store, caplog):
    backend = load_backend("opus-mt-vi-en", backend="ctranslate2")
    long_text = " ".join([TEXTS[1]] * 40)
    assert backend.count_tokens(long_text) > backend.max_input_tokens == 512
    with caplog.at_level("WARNING"):
        out = backend.generate([long_text, TEXTS[0]], **GREEDY)
    assert len(out) == 2 and all(out) and out[1] == backend.generate([TEXTS[0]], **GREEDY)[0]
    assert any("truncated to 512" in r.getMessage() for r in caplog.records)


def test_beam_search_and_output_length_follow_the_settings(tiny_store):
    # beam search is CTranslate2's own (its length normalisation differs from transformers'),
    # so only greedy decoding is compared token for token above
    backend = load_backend("vit5-base-vietnews", backend="ctranslate2", dtype="float32")
    beams = {"max_new_tokens": 6, "min_new_tokens": 6, "num_beams": 3}
    out = backend.generate(TEXTS[:3], **beams)
    assert len(out) == 3 and all(out) and backend.generate(TEXTS[:3], **beams) == out
    short = backend.generate(TEXTS[:1], max_new_tokens=2, min_new_tokens=2, num_beams=1)[0]
    longer = backend.generate(TEXTS[:1], max_new_tokens=8, min_new_tokens=8, num_beams=1)[0]
    assert len(backend.tokenizer(short, add_special_tokens=False).input_ids) <= 2 < len(
        backend.tokenizer(longer, add_special_tokens=False).input_ids)


def test_conversion_is_cached_beside_the_model(tiny_store):
    from viensum.backends import clear_cache

    first = load_backend("opus-mt-vi-en", backend="ctranslate2")
    stamp = (first.converted / "model.bin").stat().st_mtime_ns
    clear_cache()
    again = load_backend("opus-mt-vi-en", backend="ctranslate2")
    assert again is not first and again.converted == first.converted
    assert (again.converted / "model.bin").stat().st_mtime_ns == stamp  # not converted twice
    assert not [p for p in again.converted.parent.iterdir() if p.name.startswith(".ct2-")]  # no scratch left


def test_read_only_model_folder_converts_into_the_user_cache(tiny_store, tmp_path, monkeypatch):
    import shutil

    from viensum.backends.ct2 import converted_dir

    folder = tmp_path / "ro" / "opus-mt-vi-en"
    shutil.copytree(tiny_store / "opus-mt-vi-en", folder, ignore=shutil.ignore_patterns("ct2-*"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr("os.access", lambda path, mode: False)
    target = converted_dir(folder, "int8")
    assert target.is_relative_to(tmp_path / "home" / ".cache" / "viensum" / "ct2")
    backend = load_backend("opus-mt-vi-en", path=folder, backend="ctranslate2")
    assert backend.converted == target and not (folder / "ct2-int8").exists()


@pytest.mark.parametrize("device, dtype, quantize, arch, bf16, expected", [
    ("cpu", None, None, "t5", None, "int8"),
    ("cpu", "auto", None, "marian", None, "int8"),
    ("cpu", "float32", None, "t5", None, "float32"),
    ("cpu", "fp32", None, "t5", None, "float32"),
    ("cpu", "float32", "int8", "t5", None, "int8"),
    ("cuda", None, None, "marian", True, "bfloat16"),
    ("cuda", None, None, "marian", False, "float16"),
    ("cuda", None, None, "t5", True, "bfloat16"),
    ("cuda", None, None, "mt5", False, "float32"),  # T5-family activations overflow float16
    ("cuda", "bf16", None, "marian", False, "bfloat16"),
    ("cuda", None, "int8", "t5", True, "int8"),
])
def test_compute_type_choice(device, dtype, quantize, arch, bf16, expected):
    assert pick_compute_type(device, dtype, quantize, arch, bf16_supported=bf16) == expected


@pytest.mark.parametrize("dtype, quantize, message", [
    ("float16", None, "CUDA only"), (None, "int4", "int4"), ("float64", None, "float64")])
def test_bad_compute_types_are_input_errors(dtype, quantize, message):
    with pytest.raises(InputError, match=message):
        pick_compute_type("cpu", dtype, quantize)


def test_unsupported_architectures_are_refused(tiny_store):
    with pytest.raises(InputError, match="seq2seq"):
        load_backend("vinai-translate-vi2en", backend="ctranslate2")
    with pytest.raises(InputError, match="seq2seq"):
        load_backend("qwen2.5-0.5b-instruct", backend="ctranslate2")


@pytest.mark.parametrize("lengths, batch_size, max_tokens, expected", [
    ([3, 9, 5, 7], 2, 100, [[1, 3], [2, 0]]),          # longest first, batch_size respected
    ([3, 9, 5, 7], 8, 20, [[1, 3], [2, 0]]),           # 2 x 9 fits in 20 tokens, 3 x 9 would not
    ([3, 9, 5, 7], 8, 8, [[1], [3], [2], [0]]),        # one over the cap still gets a batch of its own
    ([4, 4, 4, 4, 4], 8, 12, [[0, 1, 2], [3, 4]]),
    ([], 4, 10, []),
])
def test_batches_capped_by_padded_tokens(lengths, batch_size, max_tokens, expected):
    assert sorted_batches(lengths, batch_size, max_tokens) == expected


@pytest.mark.parametrize("model, backend, device, expected", [
    ("opus-mt-vi-en", "auto", "cpu", "ctranslate2"),
    ("vit5-base-vietnews", "auto", "cpu", "ctranslate2"),
    ("mt5-crosssum-en", "auto", "cpu", "ctranslate2"),
    ("vinai-translate-vi2en", "auto", "cpu", "seq2seq"),      # mBART: CTranslate2 cannot convert it
    ("qwen2.5-0.5b-instruct", "auto", "cpu", "causal"),
    ("opus-mt-vi-en", "auto", "cuda", "seq2seq"),             # GPUs keep transformers in half precision
    ("opus-mt-vi-en", "transformers", "cpu", "seq2seq"),      # the exact fp32 path
    ("opus-mt-vi-en", None, "cpu", "seq2seq"),
    ("opus-mt-vi-en", "ctranslate2", "cuda", "ctranslate2"),
])
def test_backend_choice(model, backend, device, expected):
    from viensum.backends import choose_backend
    from viensum.registry import get_model

    assert choose_backend(get_model(model), backend, device) == expected


@pytest.mark.parametrize("name", ["opus-mt-vi-en", "vit5-base-vietnews"])
def test_a_converted_model_runs_without_importing_torch(tiny_store, name):
    """Once converted, the CTranslate2 runtime needs ctranslate2 and the tokenizer only: importing
    torch (through transformers' config classes) would cost its memory in every process."""
    import subprocess
    import sys

    load_backend(name, backend="ctranslate2", quantize="int8")  # converts, in this process, if needed
    code = ("import sys\nfrom viensum.backends import load_backend\n"
            f"b = load_backend({name!r}, backend='auto')\n"
            "out = b.generate(['Hà Nội là thủ đô của Việt Nam.'], max_new_tokens=4)\n"
            "print(type(b).__name__, bool(out[0]), 'torch' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["CTranslate2Backend", "True", "False"]


@pytest.mark.parametrize("flags, bits", [
    ("fpu sse sse2 avx avx2 fma", 7),                      # x86 without VNNI: oneDNN's int16 pair sums saturate
    ("fpu avx avx2 avx512f avx512bw avx512_vnni", 8),      # AVX-512 VNNI: 32-bit accumulation
    ("fpu avx avx2 avx_vnni", 8),                          # AVX-VNNI (Alder Lake and later)
    ("fp asimd evtstrm aes pmull sha1 sha2 crc32", 8),     # ARM: no x86 kernels at all
])
def test_int8_weight_bits_follow_the_cpu(flags, bits):
    from viensum.backends.ct2 import int8_weight_bits

    assert int8_weight_bits(f"processor\t: 0\nflags\t\t: {flags}\n") == bits


def test_narrow_int8_weights_cannot_saturate_and_keep_the_values(tiny_store):
    """7-bit int8 weights: every quantised row at most 63 in magnitude (so u8 x s8 pair sums stay
    below 32767) with its largest entry at 63, and weight / scale within half a step of the float weight."""
    import numpy as np
    from ctranslate2.specs.model_spec import Variable, visit_spec

    from viensum.backends.ct2 import _converter

    folder = tiny_store / "opus-mt-vi-en"
    spec = _converter(folder, load_backend("opus-mt-vi-en", backend="ctranslate2").tokenizer, None, 7)._load()
    spec.validate()  # as the converter does before optimize()
    floats = {}
    visit_spec(spec._spec, lambda layer, name, value: floats.setdefault(name, value.to("float32").numpy().copy())
               if isinstance(value, Variable) and hasattr(layer, f"{name.rsplit('/', 1)[-1]}_scale") else None)
    spec.optimize("int8")
    checked = 0

    def check(layer, name, value):
        nonlocal checked
        if name in floats and isinstance(value, Variable):
            weight, scale = value.numpy(), getattr(layer, f"{name.rsplit('/', 1)[-1]}_scale").numpy()
            assert weight.dtype == np.int8 and np.abs(weight).max(axis=1).tolist() == [63] * weight.shape[0]
            assert np.all(np.abs(weight / scale[:, None] - floats[name]) <= 0.5 / scale[:, None] + 1e-6)
            checked += 1

    visit_spec(spec._spec, check)
    assert checked >= 8  # every linear layer of the 1+1-layer Marian


@pytest.mark.parametrize("lengths, batch_size, cap, workers", [
    ([62, 139, 40, 12, 90, 77, 55, 33, 20, 18, 101], 3, 1536, 2),   # 4 batches: already even
    ([62, 139, 40, 12, 90, 77, 55, 33, 20, 18], 3, 1536, 2),        # 4 -> even
    ([30] * 25, 8, None, 2),                                        # 4 batches (8, 8, 8, 1)
    ([30] * 9, 4, None, 2),                                         # 3 -> 4
    ([50, 40, 30], 16, 100, 2),                                     # cap: 3 batches of one, cannot split
    ([139, 120, 100, 80, 60, 40, 20], 2, 1536, 3),
])
def test_schedule_fills_every_worker_costliest_first(lengths, batch_size, cap, workers):
    steps = (39, 39, 4)
    batches = schedule(lengths, batch_size, cap, workers, steps)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))     # each input once
    assert all(len(b) <= batch_size for b in batches)
    assert all(len(b) == 1 or len(b) * max(lengths[i] for i in b) <= cap for b in batches if cap)
    assert all(lengths[b[0]] == max(lengths[i] for i in b) for b in batches)       # longest first inside
    costs = [batch_cost(lengths, b, steps) for b in batches]
    assert costs == sorted(costs, reverse=True)                                     # costliest first
    if any(len(b) > 1 for b in batches):
        assert len(batches) % workers == 0
    assert schedule(lengths, batch_size, cap, 1, steps) == sorted_batches(lengths, batch_size, cap)


@pytest.mark.parametrize("lengths, batch_size, cap, sizes", [
    ([30] * 9, 4, None, [3, 2, 2, 2]),                  # 3 batches (4, 4, 1) -> 4 near-equal ones, not 4, 4, 1 halved
    ([30] * 70, 16, None, [12, 12, 12, 12, 11, 11]),   # 5 (16 x 4, 6) -> 6
    ([139, 120, 100, 80, 60, 40, 20], 2, 1536, [2, 2, 2, 1]),
    ([200, 100, 100, 100, 10, 10, 10, 10, 10], 8, 300, [1, 3, 3, 2]),  # an even cut would pass the cap: halving
])
def test_schedule_keeps_batches_near_equal_when_it_makes_their_count_even(lengths, batch_size, cap, sizes):
    batches = schedule(lengths, batch_size, cap, 2, (39, 39, 4))
    assert sorted(len(b) for b in batches) == sorted(sizes)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))


def test_the_longest_inputs_go_in_the_smaller_batches():
    """Five articles on two workers: the two longest in one batch, the three shortest in the other (the
    three longest with the two shortest left one worker idle for a third of the time), and 62 sentences
    as 15, 15, 16, 16 from the longest down, not 16, 16, 16, 14."""
    articles = [658, 938, 471, 880, 798]  # the five sample articles in ViT5 tokens (benchmarks/run.py)
    batches = schedule(articles, 3, 3072, 2, (80, 80, 4))
    assert sorted(map(sorted, batches)) == [[0, 2, 4], [1, 3]]
    sentences = list(range(139, 77, -1))
    by_length = sorted(schedule(sentences, 16, 2560, 2, (39, 39, 4)), key=lambda b: -sentences[b[0]])
    assert [len(b) for b in by_length] == [15, 15, 16, 16]


@pytest.mark.parametrize("balance", [True, False])
def test_balanced_scheduling_keeps_outputs_and_order(tiny_store, balance):
    backend = load_backend("opus-mt-vi-en", backend="ctranslate2")
    reference = [backend.generate([t], **GREEDY)[0] for t in TEXTS]
    backend.workers, backend.balance = 2, balance
    assert backend.generate(TEXTS, **GREEDY, batch_size=3) == reference


def test_a_summariser_spreads_many_inputs_over_one_thread_workers(tiny_store, monkeypatch):
    """1 worker x every core for one input (latency); a second Translator of one-thread workers, made
    on first need, when there is an input per core or more (throughput); the same outputs either way."""
    monkeypatch.setenv("VIENSUM_THREADS", "2")
    backend = load_backend("vit5-base-vietnews", backend="ctranslate2")
    assert (backend.workers, backend.spread, backend.translator.num_translators) == (1, True, 1)
    alone = [backend.generate([t], **GREEDY)[0] for t in TEXTS]
    assert backend._spread_translator is None  # one input at a time never needs it
    assert backend.generate(TEXTS, **GREEDY) == alone
    spread = backend._spread_translator
    assert spread is not None and spread.num_translators == 2
    translator = load_backend("opus-mt-vi-en", backend="ctranslate2")
    assert translator.workers == 2 and not translator.spread  # translators are spread already


def test_a_summariser_that_only_runs_batches_holds_one_copy_of_its_model(tiny_store, monkeypatch):
    """The first Translator, never used when the second is made, gives its weights back; a single
    input later loads them again; one that has run keeps them."""
    monkeypatch.setenv("VIENSUM_THREADS", "2")
    backend = load_backend("vit5-base-vietnews", backend="ctranslate2", models=LoadedModels())
    many = backend.generate(TEXTS, **GREEDY)
    assert backend._spread_translator.model_is_loaded and not backend.translator.model_is_loaded
    assert [backend.generate([t], **GREEDY)[0] for t in TEXTS] == many
    assert backend.translator.model_is_loaded
    used = load_backend("vit5-base-vietnews", backend="ctranslate2", models=LoadedModels())
    one = used.generate(TEXTS[:1], **GREEDY)
    assert used.generate(TEXTS, **GREEDY) == many and one == many[:1]
    assert used.translator.model_is_loaded and used._spread_translator.model_is_loaded
