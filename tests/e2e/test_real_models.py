"""The registered models driven the way they were trained, on test models with the REAL vocabularies.

The test models are built from ``../shared/real-models/`` (the real tokenizer and
config files of vit5-base-vietnews and envit5-translation; CrossSum's language-id
map) with the layers shrunk and random weights (``viensum.tiny.make_real_vocab``).
They check, on both engines (transformers and CTranslate2): the ids each one
feeds equal the reference tokenizer's (the sentencepiece model itself, or the
authors' tokenizer.json), prefixes and ``</s>``, decoder starts, the token counts
chunking uses, and that CTranslate2 float32 ranks beams with the same sequence
scores as transformers on tied and untied models.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from require import require

from viensum.registry import get_model

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("VIENSUM_SHARED", ROOT / ".." / "shared"))
REAL = SHARED / "real-models"
SENTENCE = "Thủ tướng Việt Nam đã đến Hà Nội hôm qua."
NAMES = ["vit5-base-vietnews", "envit5-translation", "mt5-crosssum-en"]
STEPS = 8  # fixed-length beams (random weights never choose </s>)


def _need_shared() -> None:
    require((REAL / "vit5-base-vietnews" / "spiece.model").is_file(), f"no real tokenizer files at {REAL}")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """Real-vocabulary vit5-base and EnViT5, and the tiny mT5 CrossSum, built once (about 10 s, 50 MB)."""
    _need_shared()
    from viensum.tiny import make_tiny

    out = tmp_path_factory.mktemp("real-vocab-models")
    built = make_tiny(out, NAMES, real_models=REAL)
    assert {"real-vocab/vit5-base-vietnews", "real-vocab/envit5-translation"} <= set(built)
    return out


def _folder(store: Path, name: str) -> Path:
    return store / "real-vocab" / name if (store / "real-vocab" / name).is_dir() else store / name


@pytest.fixture(scope="module")
def engines(store):
    """name -> (transformers backend, CTranslate2 float32 backend)."""
    from viensum.backends.ct2 import CTranslate2Backend
    from viensum.backends.seq2seq import Seq2SeqBackend

    return {name: (Seq2SeqBackend(get_model(name), _folder(store, name)),
                   CTranslate2Backend(get_model(name), _folder(store, name), dtype="float32"))
            for name in NAMES}


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    _need_shared()
    files = sorted((SHARED / "seeds").glob("*.txt"))
    assert len(files) == 5
    return [line.strip() for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def spm():
    _need_shared()
    import sentencepiece

    return sentencepiece.SentencePieceProcessor(model_file=str(REAL / "vit5-base-vietnews" / "spiece.model"))


def _fed_ids(backend, text: str) -> list[int]:
    """The ids an engine feeds the encoder for ``text``: transformers' input_ids, or CTranslate2's
    token strings looked up in the converted model's own vocabulary."""
    ids = backend._encode_checked([text])[0]
    if backend.engine == "transformers":
        return ids
    vocab = json.loads((backend.converted / "shared_vocabulary.json").read_text(encoding="utf-8"))
    index = {t: i for i, t in enumerate(vocab)}
    return [index[t] for t in backend.tokenizer.convert_ids_to_tokens(ids)]


def test_the_test_models_keep_the_real_files_and_are_marked(store, engines):
    vit5, envit5 = _folder(store, "vit5-base-vietnews"), _folder(store, "envit5-translation")
    assert not (vit5 / "tokenizer.json").exists()  # the spiece.model-only case
    assert (envit5 / "pytorch_model.bin").is_file() and not (envit5 / "model.safetensors").exists()
    for folder in (vit5, envit5):
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        real = json.loads((REAL / folder.name / "config.json").read_text(encoding="utf-8"))
        assert config["vocab_size"] == real["vocab_size"] and config["num_layers"] == 1
        assert config["viensum_test_model"] is True
    for a, b in engines.values():
        assert a.test_model and b.test_model and "tiny random test model" in a.provenance
        assert "test_model=True" in repr(b)


@pytest.mark.parametrize("engine", [0, 1], ids=["transformers", "ctranslate2"])
def test_vit5_ids_are_the_sentencepiece_ids(engines, paragraphs, spm, engine):
    backend = engines["vit5-base-vietnews"][engine]
    assert backend.count_tokens(SENTENCE) == 12  # 11 pieces + </s>; no prefix ("No prefix needed")
    tokens = backend.tokenizer.convert_ids_to_tokens(_fed_ids(backend, SENTENCE))
    assert tokens[:4] == ["▁Thủ", "▁tướng", "▁Việt", "▁Nam"] and tokens[-1] == "</s>"
    for text in paragraphs:
        assert _fed_ids(backend, text) == spm.encode(text) + [spm.eos_id()], text[:60]


@pytest.mark.parametrize("engine", [0, 1], ids=["transformers", "ctranslate2"])
def test_envit5_ids_are_the_authors_tokenizer_json_ids(engines, paragraphs, engine):
    from tokenizers import Tokenizer

    reference = Tokenizer.from_file(str(REAL / "envit5-translation" / "tokenizer.json"))
    backend = engines["envit5-translation"][engine]
    tokens = backend.tokenizer.convert_ids_to_tokens(_fed_ids(backend, SENTENCE))
    assert tokens[:3] == ["▁vi", ":", "▁Thủ"] and tokens[-1] == "</s>" and tokens.count("</s>") == 1
    for text in paragraphs:
        assert _fed_ids(backend, text) == reference.encode("vi: " + text).ids, text[:60]
    assert backend.strip_output("en: The Prime Minister arrived.") == "The Prime Minister arrived."


def test_a_converted_tokenizer_json_gives_the_sentencepiece_ids_too(tmp_path, paragraphs, spm):
    """The two ways a ViT5 folder comes: spiece.model only, or with a tokenizer.json."""
    from viensum.backends.tokenizer import from_sentencepiece, load_tokenizer

    from_sentencepiece(REAL / "vit5-base-vietnews" / "spiece.model").save(str(tmp_path / "tokenizer.json"))
    tok = load_tokenizer(get_model("vit5-base-vietnews"), tmp_path, 36096)
    assert len(tok) == 36096 and tok.convert_tokens_to_ids("<extra_id_0>") == 36095
    assert [tok(t).input_ids for t in paragraphs] == [spm.encode(t) + [1] for t in paragraphs]


def test_token_counts_for_chunking_and_the_input_limit(engines, paragraphs, spm):
    article = "\n".join(paragraphs[:40])
    expected = len(spm.encode(article)) + 1
    assert expected > 1024
    for backend in engines["vit5-base-vietnews"]:
        assert backend.max_input_tokens == 1024  # the registry's limit; config n_positions 512 is legacy
        assert backend.count_tokens(article) == expected
    a, b = engines["vit5-base-vietnews"]
    cut = a.tokenizer([article], truncation=True, max_length=a.max_input_tokens).input_ids[0]
    assert len(cut) == 1024 and cut[-1] == 1 and cut[:-1] == spm.encode(article)[:1023]


@pytest.mark.parametrize("engine", [0, 1], ids=["transformers", "ctranslate2"])
def test_an_overlong_input_is_cut_at_the_registry_limit(engines, paragraphs, engine, caplog):
    import logging

    backend = engines["vit5-base-vietnews"][engine]
    with caplog.at_level(logging.WARNING, logger="viensum.backends.seq2seq"):
        assert backend.generate(["\n".join(paragraphs[:40])], num_beams=1, max_new_tokens=2)[0]
    assert any("truncated to 1024" in r.getMessage() for r in caplog.records)


def test_decoder_starts(engines, store):
    from viensum.registry import get_model as spec_of

    english = json.loads((REAL / "mt5-crosssum-en" / "extra_tokens_langid_map.json").read_text(encoding="utf-8"))
    assert spec_of("mt5-crosssum-en").decoder_start == english["english"] == "▁<extra_id_69>"
    for name, (a, b) in engines.items():
        converted = json.loads((b.converted / "config.json").read_text(encoding="utf-8"))
        if name == "mt5-crosssum-en":
            start = a.tokenizer.convert_tokens_to_ids("▁<extra_id_69>")
            assert a._fixed["decoder_start_token_id"] == start != a.tokenizer.unk_token_id
            assert converted["decoder_start_token"] == "▁<extra_id_69>"
        else:
            assert "decoder_start_token_id" not in a._fixed and a.model.generation_config.decoder_start_token_id == 0
            assert converted["decoder_start_token"] == "<pad>"


def _scores(a, b, text: str, settings: dict) -> tuple[tuple, tuple]:
    """(ids, score) of the best beam from transformers and from CTranslate2 float32, same settings."""
    import torch

    enc = a.tokenizer([a._source(text)], return_tensors="pt")
    with torch.inference_mode():
        out = a.model.generate(**enc, **settings, **a._fixed, min_new_tokens=STEPS, max_new_tokens=STEPS,
                               bad_words_ids=None, return_dict_in_generate=True, output_scores=True)
    tokens = a.tokenizer.convert_ids_to_tokens(enc.input_ids[0].tolist())
    result = b.translator.translate_batch([tokens], beam_size=settings["num_beams"], return_scores=True,
                                          length_penalty=settings["length_penalty"],
                                          min_decoding_length=STEPS, max_decoding_length=STEPS)[0]
    return ((tuple(out.sequences[0, 1:].tolist()), out.sequences_scores[0].item()),
            (tuple(a.tokenizer.convert_tokens_to_ids(result.hypotheses[0])), result.scores[0]))


@pytest.mark.parametrize("name", NAMES)
def test_ctranslate2_float32_ranks_beams_like_transformers(engines, paragraphs, name):
    """vit5: tied and scaled output; EnViT5 and mT5: untied, unscaled (CrossSum: length penalty 0.6)."""
    from viensum.backends.seq2seq import beam_settings

    a, b = engines[name]
    settings = {k: v for k, v in beam_settings(a.spec, a.model.generation_config).items()
                if k in ("num_beams", "length_penalty")}
    assert settings["length_penalty"] == (0.6 if name == "mt5-crosssum-en" else 1.0)
    for text in (SENTENCE, paragraphs[3]):
        (ids_a, score_a), (ids_b, score_b) = _scores(a, b, text, settings)
        assert ids_a == ids_b and score_a == pytest.approx(score_b, abs=1e-4)


def test_stock_conversion_of_an_untied_model_ranks_differently(engines, tmp_path):
    """What the converter fix is for: CTranslate2's own loader scales EnViT5's output by d_model**-0.5."""
    import ctranslate2
    from ctranslate2.converters import TransformersConverter

    from viensum.backends.ct2 import _Vocabulary

    a, b = engines["envit5-translation"]

    class Stock(TransformersConverter):  # stock model loading; our vocabulary (the stock one cannot load EnViT5)
        def load_tokenizer(self, *args, **kwargs):
            return _Vocabulary(a.tokenizer, 50048)

    Stock(str(a.path)).convert(str(tmp_path / "stock"), force=True)
    stock = SimpleNamespace(translator=ctranslate2.Translator(str(tmp_path / "stock"), device="cpu"))
    settings = {"num_beams": 4, "length_penalty": 1.0}
    (_, good), (_, ours) = _scores(a, b, SENTENCE, settings)
    (_, _), (_, theirs) = _scores(a, stock, SENTENCE, settings)
    assert good == pytest.approx(ours, abs=1e-4) and abs(theirs - good) > 0.05


def test_generate_runs_on_both_engines(engines):
    """Whole generate() calls. EnViT5 (no n-gram blocking) decodes the same text on both engines; with
    no_repeat_ngram_size (ViT5: 3, CrossSum: 2) the engines' beams can part on these random models
    (docs/MODELS.md), so there only the shape of the output is checked."""
    for name, (a, b) in engines.items():
        out_a = a.generate([SENTENCE], num_beams=2, max_new_tokens=6)
        out_b = b.generate([SENTENCE], num_beams=2, max_new_tokens=6)
        assert len(out_a) == len(out_b) == 1 and out_a[0].strip() and out_b[0].strip()
        if name == "envit5-translation":
            assert out_a == out_b
        assert "extra_id_69" not in out_a[0] + out_b[0]  # the decoder start is not part of the output
