"""Real backends on tiny random models: loading, batching, limits, quantisation, prompts."""
from __future__ import annotations

import logging
import shutil

import pytest
from samples import SENTENCES
import torch

from viensum.backends import clear_cache, load_backend
from viensum.backends.causal import CausalLMBackend, cut_at_stop
from viensum.backends.seq2seq import (Seq2SeqBackend, normalize_tone, pick_dtype, run_batched, sorted_batches)
from viensum.errors import InputError, ModelNotAvailable
from viensum.registry import TRANSLATE_VI_EN, ModelSpec, get_model
from viensum.tiny import tiny_names

SEQ2SEQ = [n for n in tiny_names() if get_model(n).family == "seq2seq"]
CAUSAL = [n for n in tiny_names() if get_model(n).family == "causal"]
TEXTS = SENTENCES
# greedy and at least a few tokens, so outputs are comparable and never trivially empty
SHORT = {"max_new_tokens": 6, "min_new_tokens": 3, "num_beams": 1}


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.mark.parametrize("name", SEQ2SEQ + CAUSAL)
def test_loads_by_name_and_generates_deterministically(tiny_store, name):
    backend = load_backend(name)
    assert isinstance(backend, Seq2SeqBackend if name in SEQ2SEQ else CausalLMBackend)
    assert backend.path == tiny_store / name and backend.device == "cpu" and backend.dtype == "float32"
    assert load_backend(name) is backend  # cached per process
    first = backend.generate(TEXTS[:2], **SHORT)
    assert len(first) == 2 and all(isinstance(t, str) and t for t in first)
    assert backend.generate(TEXTS[:2], **SHORT) == first


@pytest.mark.parametrize("name", SEQ2SEQ + CAUSAL)
def test_length_sorted_batches_equal_one_at_a_time(tiny_store, name):
    backend = load_backend(name)
    batched = backend.generate(TEXTS, batch_size=2, **SHORT)
    single = [backend.generate([t], **SHORT)[0] for t in TEXTS]
    assert batched == single
    assert len(set(single)) > 1, "inputs indistinguishable: the order check would be vacuous"


def test_sorted_batches_group_similar_lengths_and_restore_order():
    lengths = [3, 10, 1, 7, 10, 2]
    assert sorted_batches(lengths, 2) == [[1, 4], [3, 0], [5, 2]]
    seen = []

    def run(batch):
        seen.append(batch)
        return [t.upper() for t in batch]

    items = ["ccc", "j" * 10, "a", "g" * 7, "k" * 10, "bb"]
    assert run_batched(items, lengths, 4, run) == [t.upper() for t in items]
    assert seen == [["j" * 10, "k" * 10, "g" * 7, "ccc"], ["bb", "a"]]
    assert run_batched([], [], 4, run) == []


def test_loads_by_explicit_path(tiny_store, tmp_path):
    copy = tmp_path / "elsewhere"
    shutil.copytree(tiny_store / "vit5-base-vietnews", copy)
    backend = load_backend("vit5-base-vietnews", path=copy)
    assert backend.path == copy
    assert backend.generate(TEXTS[:1], **SHORT) == load_backend("vit5-base-vietnews").generate(TEXTS[:1], **SHORT)


def test_missing_model_raises_model_not_available(tmp_path, monkeypatch):
    import huggingface_hub.constants

    monkeypatch.setenv("VIENSUM_MODELS_DIR", str(tmp_path))
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hf"))
    clear_cache()
    with pytest.raises(ModelNotAvailable, match="viensum models download mt5-crosssum-en"):
        load_backend("mt5-crosssum-en")


@pytest.mark.parametrize("name, limit", [("vit5-base-vietnews", 1024), ("opus-mt-vi-en", 512),
                                         ("vinai-translate-vi2en", 1024), ("mt5-crosssum-en", 512),
                                         ("qwen2.5-0.5b-instruct", 32768)])
def test_max_input_tokens(tiny_store, name, limit):
    assert load_backend(name).max_input_tokens == limit


def test_count_tokens_includes_prefix_and_special_tokens(tiny_store):
    vit5 = load_backend("vit5-large-vietnews")  # the large model's card feeds "vietnews: " + article
    text = TEXTS[1]
    plain = len(vit5.tokenizer(text).input_ids)
    assert vit5.count_tokens(text) == len(vit5.tokenizer("vietnews: " + text).input_ids) > plain
    base = load_backend("vit5-base-vietnews")  # the base model's: "No prefix needed"
    assert base.count_tokens(text) == len(base.tokenizer(text).input_ids)
    assert vit5.count_tokens(text + " " + text) > vit5.count_tokens(text)
    qwen = load_backend("qwen2.5-0.5b-instruct")
    assert qwen.count_tokens(text) > len(qwen.tokenizer(text).input_ids)  # the chat template counts too


def test_overlong_input_is_truncated_with_a_warning(tiny_store, caplog):
    marian = load_backend("opus-mt-vi-en")
    long_text = " ".join(TEXTS * 60)
    assert marian.count_tokens(long_text) > marian.max_input_tokens
    with caplog.at_level(logging.WARNING, logger="viensum.backends.seq2seq"):
        out = marian.generate([long_text, TEXTS[0]], **SHORT)
    assert len(out) == 2 and out[1] == marian.generate([TEXTS[0]], **SHORT)[0]
    assert any("truncated to 512" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("name", ["vit5-base-vietnews", "mt5-crosssum-en", "opus-mt-vi-en", "vinai-translate-vi2en",
                                  "qwen2.5-0.5b-instruct"])
def test_int8_quantised_model_runs_close_to_fp32(tiny_store, name):
    """Dynamic int8 (Linear layers) against fp32 on the same tiny model.

    Measured on these deliberately wide random models: logits differ by 2-30% (relative L2) and
    the next-token argmax agrees at almost every position; pretrained models, with tamer
    activations, lose far less. Greedy outputs may therefore differ from fp32 after a few tokens.
    """
    from torch.ao.nn.quantized.dynamic import Linear as DynamicQuantizedLinear

    fp32 = load_backend(name)
    int8 = load_backend(name, quantize="int8")
    assert any(isinstance(m, DynamicQuantizedLinear) for m in int8.model.modules())
    assert not any(isinstance(m, DynamicQuantizedLinear) for m in fp32.model.modules())
    out = int8.generate(TEXTS[:3], **SHORT)
    assert len(out) == 3 and all(out) and int8.generate(TEXTS[:3], **SHORT) == out
    enc = fp32.tokenizer(TEXTS[1], return_tensors="pt")
    extra = {}
    if fp32.model.config.is_encoder_decoder:
        extra["decoder_input_ids"] = torch.tensor([[fp32.model.generation_config.decoder_start_token_id]])
    with torch.inference_mode():
        a = fp32.model(**enc, **extra).logits
        b = int8.model(**enc, **extra).logits
    relative = ((a - b).norm() / a.norm()).item()
    agree = (a.argmax(-1) == b.argmax(-1)).float().mean().item()
    assert 0 < relative < 0.5
    assert agree >= 0.6


def test_int8_is_cpu_only_and_names_are_checked(tiny_store):
    with pytest.raises(InputError, match="CPU"):
        load_backend("opus-mt-vi-en", quantize="int8", device="cuda")
    with pytest.raises(InputError, match="int4"):
        load_backend("opus-mt-vi-en", quantize="int4")


@pytest.mark.parametrize("value, expected", [(None, torch.float32), ("auto", torch.float32),
                                             ("bf16", torch.bfloat16), ("float16", torch.float16)])
def test_dtype_choice_on_cpu(value, expected):
    assert pick_dtype(value, "cpu") == expected


def test_unknown_dtype_is_an_input_error():
    with pytest.raises(InputError):
        pick_dtype("float12", "cpu")


def test_bfloat16_override_loads_and_runs(tiny_store):
    backend = load_backend("opus-mt-vi-en", dtype="bfloat16")
    assert backend.dtype == "bfloat16" and next(backend.model.parameters()).dtype == torch.bfloat16
    assert len(backend.generate(TEXTS[:2], **SHORT)) == 2


@pytest.mark.parametrize("old, new", [
    ("hòa bình", "hoà bình"), ("Hòa Bình", "Hoà Bình"), ("HÒA BÌNH", "HOÀ BÌNH"), ("thủy sản", "thuỷ sản"),
    ("khỏe", "khoẻ"), ("Ủy ban", "Uỷ ban"), ("quý khách", "quý khách"), ("hoà", "hoà"), ("tòa án", "toà án"),
])
def test_vinai_tone_normalisation(old, new):
    assert normalize_tone(old) == new


def test_vinai_backend_normalises_tones_and_starts_decoding_at_english(tiny_store):
    vinai = load_backend("vinai-translate-vi2en")
    assert vinai.count_tokens("Hòa bình") == vinai.count_tokens("Hoà bình")
    assert vinai._source("Thủy lợi") == "Thuỷ lợi"
    en = vinai.tokenizer.convert_tokens_to_ids("en_XX")
    assert vinai._fixed["decoder_start_token_id"] == en != vinai.tokenizer.unk_token_id


def test_output_prefix_is_stripped(tiny_store):
    envit5 = load_backend("envit5-translation")
    assert envit5.strip_output(" en: Hanoi is the capital.") == "Hanoi is the capital."
    assert envit5.strip_output("Hanoi") == "Hanoi"
    assert envit5._source("Hà Nội") == "vi: Hà Nội"


def test_chat_prompt_and_left_padding(tiny_store):
    qwen = load_backend("qwen2.5-0.5b-instruct")
    assert qwen.chat and qwen.tokenizer.padding_side == "left"
    prompt = qwen.prompt("Tóm tắt: Hà Nội.")
    assert prompt.endswith("<|im_start|>user\nTóm tắt: Hà Nội.<|im_end|>\n<|im_start|>assistant\n")
    out = qwen.generate(["Tóm tắt: Hà Nội."], **SHORT)[0]
    assert "<|im_start|>" not in out and "Tóm tắt" not in out


def test_raw_prompt_and_few_shot_template_without_chat_template(tiny_store, tmp_path):
    """Base models (no chat template) get the spec's few-shot template and nothing else."""
    folder = tmp_path / "base-lm"
    shutil.copytree(tiny_store / "qwen2.5-0.5b-instruct", folder)
    (folder / "chat_template.jinja").unlink()
    spec = ModelSpec(name="tiny-base-lm", hub_id="local/tiny-base-lm", family="causal",
                     tasks=(TRANSLATE_VI_EN,), architecture="qwen2", params_m=0, languages="vi->en",
                     max_input_tokens=2048, license="n/a", prompts={"translate": "Vietnamese: {text}\nEnglish:"},
                     generation={"stop_strings": ["\n"]})
    base = CausalLMBackend(spec, folder)
    assert not base.chat
    assert base.prompt("Xin chào") == "Vietnamese: Xin chào\nEnglish:"
    assert base.count_tokens("Xin chào") == len(base.tokenizer("Vietnamese: Xin chào\nEnglish:").input_ids)
    outs = base.generate(TEXTS[:3], **SHORT)
    assert len(outs) == 3 and all("\n" not in o for o in outs)
    assert base.generate(TEXTS[:3], batch_size=1, **SHORT) == outs


@pytest.mark.parametrize("text, stops, expected", [
    (" Hanoi is big.\n\nVietnamese: x", ["\n"], " Hanoi is big."),
    ("a END b", ["END", "b"], "a "),
    ("no stop", ["\n"], "no stop"),
])
def test_cut_at_stop(text, stops, expected):
    assert cut_at_stop(text, stops) == expected


@pytest.mark.parametrize("arch, bf16, expected", [
    ("t5", True, "bfloat16"), ("mt5", True, "bfloat16"), ("marian", True, "bfloat16"),
    ("t5", False, "float32"), ("mt5", False, "float32"),  # T5-family activations overflow float16
    ("marian", False, "float16"), ("mbart", False, "float16"), ("qwen2", False, "float16")])
def test_gpu_precision_choice(arch, bf16, expected):
    from viensum.backends.seq2seq import cuda_dtype

    assert cuda_dtype(arch, bf16) == expected


def test_family_is_the_spec_field_and_backend_its_old_name():
    spec = get_model("vit5-base-vietnews")
    assert spec.family == spec.backend == "seq2seq"
    assert get_model("qwen2.5-0.5b-instruct").family == "causal"
    with pytest.raises(AttributeError):
        spec.backend = "causal"  # read-only alias
