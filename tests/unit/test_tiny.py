"""Tiny random models: laid out like downloads, real tokenizers that keep Vietnamese intact."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from require import require

from viensum import tiny
from viensum.registry import MODELS

TINY = tiny.tiny_names()
MODEL_TYPE = {"t5": "t5", "mt5": "mt5", "marian": "marian", "mbart": "mbart", "qwen2": "qwen2"}
VIETNAMESE = "Hà Nội: Thủ tướng Phạm Minh Chính họp với IOM, 175 quốc gia; hoà bình, thuỷ sản, Đà Nẵng."


def test_every_buildable_model_is_built(tiny_store):
    expected = {n for n, s in MODELS.items() if s.family != "fake" and not s.gguf_file}
    assert set(TINY) == expected
    assert {p.name for p in tiny_store.iterdir()} >= expected


@pytest.mark.parametrize("name", TINY)
def test_folder_looks_like_a_download(tiny_store, name):
    folder = tiny_store / name
    files = {p.name for p in folder.iterdir()}
    assert {"config.json", "model.safetensors", "generation_config.json", tiny.MARKER} <= files
    assert files & {"tokenizer.json", "vocab.json"}, "no tokenizer files"
    config = json.loads((folder / "config.json").read_text())
    assert config["model_type"] == MODEL_TYPE[MODELS[name].architecture]
    marker = json.loads((folder / tiny.MARKER).read_text())
    assert marker["random"] is True and marker["imitates"] == MODELS[name].hub_id
    size = sum(p.stat().st_size for p in folder.iterdir())
    assert 50_000 < size < 5_000_000  # tiny: well under a real checkpoint, yet a real model
    assert tiny.is_tiny(folder) and config[tiny.CONFIG_FLAG] is True


def test_the_config_flag_alone_marks_a_test_model(tiny_store, tmp_path):
    """A copy that lost viensum-tiny.json (only the model files copied) is still known as a test model."""
    import shutil

    copy = tmp_path / "copied"
    shutil.copytree(tiny_store / "opus-mt-vi-en", copy)
    (copy / tiny.MARKER).unlink()
    assert tiny.is_tiny(copy)
    config = json.loads((copy / "config.json").read_text())
    del config[tiny.CONFIG_FLAG]
    (copy / "config.json").write_text(json.dumps(config))
    assert not tiny.is_tiny(copy)


def test_mt5_is_untied_like_the_real_checkpoints(tiny_store):
    from safetensors.torch import load_file

    weights = load_file(str(tiny_store / "mt5-crosssum-en" / "model.safetensors"))
    assert not weights["lm_head.weight"].equal(weights["shared.weight"])


@pytest.mark.parametrize("name", TINY)
def test_tokenizer_round_trips_vietnamese(tiny_store, name):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_store / name)
    ids = tok(VIETNAMESE).input_ids
    assert tok.unk_token_id not in ids, tok.convert_ids_to_tokens(ids)
    assert tok.decode(ids, skip_special_tokens=True) == VIETNAMESE
    assert len(ids) < len(VIETNAMESE)  # subwords, not characters


def test_qwen_has_a_chat_template(tiny_store):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_store / "qwen2.5-0.5b-instruct")
    rendered = tok.apply_chat_template([{"role": "user", "content": "Xin chào"}], tokenize=False,
                                       add_generation_prompt=True)
    assert rendered.endswith("<|im_start|>user\nXin chào<|im_end|>\n<|im_start|>assistant\n")
    assert tok.convert_tokens_to_ids("<|im_end|>") == tok.eos_token_id


def test_mbart_tokenizer_has_language_codes(tiny_store):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_store / "vinai-translate-vi2en", src_lang="vi_VN")
    ids = tok("Xin chào").input_ids
    assert ids[0] == tok.convert_tokens_to_ids("vi_VN") and ids[-1] == tok.eos_token_id


def test_builds_without_the_seed_articles(tmp_path, monkeypatch):
    """A wheel install has no seeds/: the bundled corpus alone must do."""
    monkeypatch.setattr(tiny, "_seed_dirs", lambda: (tmp_path / "absent",))
    tiny._train_spm.cache_clear()
    try:
        lines = tiny.corpus_lines()
        assert lines == [l.strip() for l in tiny._CORPUS.read_text(encoding="utf-8").splitlines() if l.strip()]
        built = tiny.make_tiny(tmp_path / "store", ["opus-mt-vi-en"])
    finally:
        tiny._train_spm.cache_clear()
    assert (built["opus-mt-vi-en"] / "model.safetensors").is_file()


def test_refuses_models_it_cannot_imitate(tmp_path):
    with pytest.raises(ValueError, match="gemma3-270m-gguf"):
        tiny.make_tiny(tmp_path, ["gemma3-270m-gguf"])


REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "real-models"


def test_make_tiny_builds_the_real_vocabulary_variants_from_the_environment(tmp_path, monkeypatch):
    require((REAL / "envit5-translation" / "tokenizer.json").is_file(), f"no real tokenizer files at {REAL}")
    monkeypatch.setenv(tiny.REAL_MODELS_ENV, str(REAL))
    built = tiny.make_tiny(tmp_path, ["envit5-translation", "opus-mt-vi-en"])
    assert set(built) == {"envit5-translation", "opus-mt-vi-en", "real-vocab/envit5-translation"}
    folder = built["real-vocab/envit5-translation"]
    assert folder == tmp_path / "real-vocab" / "envit5-translation"
    marker = json.loads((folder / tiny.MARKER).read_text())
    assert marker["real_vocabulary"] is True and marker["untied"] is True
    assert (folder / "tokenizer.json").read_bytes() == (REAL / "envit5-translation" / "tokenizer.json").read_bytes()
    assert sum(p.stat().st_size for p in folder.iterdir()) < 40_000_000


def test_cli_make_tiny_builds_real_vocabulary_models_from_a_folder(tmp_path, capsys):
    from viensum.cli import main

    require((REAL / "vit5-base-vietnews" / "spiece.model").is_file(), f"no real tokenizer files at {REAL}")
    assert main(["models", "make-tiny", "--out", str(tmp_path), "--only", "vit5-base-vietnews",
                 "--real-models", str(REAL)]) == 0
    assert "real-vocab/vit5-base-vietnews:" in capsys.readouterr().out
    assert (tmp_path / "real-vocab" / "vit5-base-vietnews" / "config.json").is_file()
    assert main(["models", "make-tiny", "--out", str(tmp_path), "--real-models", str(tmp_path / "nope")]) == 1
    assert "no such folder" in capsys.readouterr().err
