"""Model backends, chosen by name and imported only when first used.

``BACKENDS`` maps a backend name to ``"module:Class"`` (the pattern of
sacrebleu's tokenizer registry), so ``import viensum`` never imports torch.
"""
from __future__ import annotations

import contextlib
import importlib
import logging
import threading
from pathlib import Path

from viensum.backends.base import Backend
from viensum.registry import ModelSpec, get_model

log = logging.getLogger(__name__)

BACKENDS: dict[str, str] = {
    "seq2seq": "viensum.backends.seq2seq:Seq2SeqBackend",
    "causal": "viensum.backends.causal:CausalLMBackend",
    "ctranslate2": "viensum.backends.ct2:CTranslate2Backend",
}

# The one list of architectures the CTranslate2 backend converts and runs (tested here; mBART is
# left out: see ct2.py).
CT2_ARCHITECTURES = frozenset({"marian", "t5", "mt5"})



def register_backend(name: str, target: str) -> None:
    """Add a backend class by ``"module:Class"``, imported only when a model of that family loads.

    How tests plug in their stand-in model, and how a user adds a model family
    without editing viensum.
    """
    module, sep, cls = target.partition(":")
    if not (name and module and sep and cls):
        raise ValueError(f"backend target must look like 'package.module:Class', not {target!r}")
    BACKENDS[name] = target


def unregister_backend(name: str) -> None:
    """Remove a backend added with :func:`register_backend`, and forget its loaded models."""
    BACKENDS.pop(name, None)
    _SHARED.forget(name)


def backend_class(kind: str) -> type[Backend]:
    try:
        target = BACKENDS[kind]
    except KeyError:
        raise ValueError(f"unknown backend '{kind}'; known: {', '.join(sorted(BACKENDS))}") from None
    module, _, cls = target.partition(":")
    return getattr(importlib.import_module(module), cls)


def choose_backend(spec: ModelSpec, backend: str | None = None, device: str | None = None) -> str:
    """The backend name to run ``spec`` with.

    ``None`` is the spec's own family's backend. ``"transformers"`` is that too (the
    exact fp32 path). ``"auto"`` picks CTranslate2 (int8) for the encoder-decoders
    it can convert when running on the CPU and the ``fast`` extra is installed:
    it was 3-4x faster than transformers at half the memory (docs/BENCHMARKS.md).
    """
    if backend in (None, "transformers"):
        return spec.family
    if backend == "auto":
        import importlib.util

        if (spec.family == "seq2seq" and spec.architecture in CT2_ARCHITECTURES
                and importlib.util.find_spec("ctranslate2") is not None and not _on_cuda(device)):
            return "ctranslate2"
        return spec.family
    return backend


def _on_cuda(device: str | None) -> bool:
    if device is not None:
        return device.startswith("cuda")
    import importlib.util
    import sys

    if "torch" not in sys.modules and importlib.util.find_spec("ctranslate2") is not None:
        import ctranslate2  # asks the driver without importing torch (hundreds of MB)

        return ctranslate2.get_cuda_device_count() > 0
    import torch

    return torch.cuda.is_available()


class LoadedModels:
    """Loaded backends, each loaded once, owned by whoever holds this object; a lock guards it.

    A :class:`~viensum.summarizer.Summarizer` owns one, a pool of Summarizers (the web
    app's) shares one among its members so a translator used by two recipes is loaded
    once; :func:`load_backend` without ``models=`` uses the one behind the convenience
    functions (``viensum.summarize()``, ``viensum.translate()``).
    """

    def __init__(self) -> None:
        self._items: dict[tuple, Backend] = {}
        self._lock = threading.Lock()

    def get(self, model: str | ModelSpec, *, path: str | Path | None = None, backend: str | None = None,
            device: str | None = None, dtype: str | None = None, quantize: str | None = None) -> Backend:
        spec = model if isinstance(model, ModelSpec) else get_model(model)
        kind = choose_backend(spec, backend, device)
        key = (spec.name, str(path) if path else None, kind, device, dtype, quantize)
        with self._lock:  # two requests asking for one model load it once
            cached = self._items.get(key)
            if cached is None:
                cached = self._items[key] = _load(spec, kind, path, device=device, dtype=dtype, quantize=quantize)
            return cached

    def clear(self) -> None:
        """Forget every loaded backend (to free memory)."""
        with self._lock:
            self._items.clear()

    def forget(self, kind: str) -> None:
        """Forget the backends of one backend name (``"ctranslate2"``, a test's ``"fake"``)."""
        with self._lock:
            for key in [k for k in self._items if k[2] == kind]:
                del self._items[key]

    def __len__(self) -> int:
        return len(self._items)


def _load(spec: ModelSpec, kind: str, path: str | Path | None, **kwargs) -> Backend:
    cls = backend_class(kind)
    if cls.needs_weights:
        from viensum.store import resolve

        location = resolve(spec.name, path=path)
    else:
        location = Path(path) if path else None
    log.info("loading %s (%s) from %s", spec.name, kind, location)
    with _quiet_loading(cls.needs_weights):
        return cls(spec, location, **kwargs)


@contextlib.contextmanager
def _quiet_loading(weights: bool):
    """transformers' "Loading weights" bars are not the caller's output: off while a model loads
    (shown when this logger is at DEBUG), then as they were."""
    if not weights or log.isEnabledFor(logging.DEBUG):
        yield
        return
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:
        yield
        return
    shown = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if shown:
            hf_logging.enable_progress_bar()


_SHARED = LoadedModels()  # behind the convenience functions only; Summarizers own theirs


def shared_models() -> LoadedModels:
    """The :class:`LoadedModels` of the convenience functions (``load_backend()`` without ``models=``)."""
    return _SHARED


def load_backend(
    model: str | ModelSpec,
    *,
    path: str | Path | None = None,
    backend: str | None = None,
    device: str | None = None,
    dtype: str | None = None,
    quantize: str | None = None,
    models: LoadedModels | None = None,
) -> Backend:
    """Return the loaded backend for a registered model, loaded once per ``models`` holder.

    ``backend`` is a name in BACKENDS, ``"transformers"``, ``"auto"`` (see
    :func:`choose_backend`) or None for the spec's own. ``path`` overrides where the weights are
    read from; otherwise the model store resolves the name (``models/<name>``, the Hugging Face
    cache, then the hub unless offline) and raises ``ModelNotAvailable`` when it cannot.
    ``models`` is the :class:`LoadedModels` to load into (default: the one shared by the
    convenience functions).
    """
    return (models if models is not None else _SHARED).get(model, path=path, backend=backend, device=device,
                                                            dtype=dtype, quantize=quantize)


def clear_cache() -> None:
    """Forget the backends loaded through :func:`load_backend` without ``models=`` (tests, or to free memory)."""
    _SHARED.clear()
