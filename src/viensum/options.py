"""The one set of summarising options, shared by the Python API, the CLI, the web UI and the Ray engine.

Two frozen groups, in the manner of trafilatura's ``Extractor`` and its
``args_to_extractor``:

* :class:`GenerateOptions`: *what* to produce (recipe or model, summary
  length, beams, full translation, whether the input still needs cleaning);
* :class:`RunOptions`: *how* to run it (runtime, device, quantisation, batch
  size, summary cache, and the work budget of one article).

Both are checked when built, so a bad value is an :class:`InputError` at the
door, never a ``TypeError`` deep in a model. :func:`options_from_args` is the
only place CLI arguments become options; :meth:`Options.settings` is what every
:class:`~viensum.results.Summary` records, and :meth:`Options.cache_key` the part
of it that decides a model's output.
"""
from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass, field
from typing import Any

from viensum.errors import InputError

RUNTIMES = ("auto", "transformers", "ctranslate2")
DEVICES = ("cpu", "cuda")
QUANTIZE = ("int8",)
RUNNERS = ("local", "ray")

# Bounded work per article (issue 12): a page longer than this is cut, whole
# sentences, before any model or the extractive ranker sees it; a map-reduce
# still running after the time budget finishes its article extractively.
MAX_ARTICLE_CHARS = 100_000
MAX_ARTICLE_SECONDS = 600.0


def _positive_int(name: str, value: Any, *, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(f"{name} must be a whole number of at least 1, not {value!r}")


@dataclass(frozen=True)
class GenerateOptions:
    """What to generate.

    ``model``: a recipe name (``viensum models list``), a registered model name
    mapped to the recipe that uses it, or ``None`` for the default recipe
    (falling back to the extractive one when its models are not installed).
    """

    model: str | None = None
    sentences: int = 3
    translate: bool = False
    max_new_tokens: int | None = None
    num_beams: int | None = None
    clean: bool = True

    def __post_init__(self) -> None:
        if self.model is not None and (not isinstance(self.model, str) or not self.model.strip()):
            raise InputError(f"model must be a recipe or model name, not {self.model!r}")
        _positive_int("sentences", self.sentences)
        _positive_int("max_new_tokens", self.max_new_tokens, allow_none=True)
        _positive_int("num_beams", self.num_beams, allow_none=True)
        for name in ("translate", "clean"):
            if not isinstance(getattr(self, name), bool):
                raise InputError(f"{name} must be True or False, not {getattr(self, name)!r}")


@dataclass(frozen=True)
class RunOptions:
    """How to run it.

    ``runtime``: ``"auto"`` (CTranslate2 int8 on the CPU where it applies, else
    transformers), ``"transformers"`` (fp32 unless ``quantize="int8"``: the exact
    path) or ``"ctranslate2"``. ``device``: ``"cpu"``, ``"cuda"``/``"cuda:N"`` or
    ``None`` (cuda if present). ``max_chars``/``max_seconds``: the budget of one
    article (see the module docstring).
    """

    runtime: str = "auto"
    device: str | None = None
    quantize: str | None = None
    batch_size: int = 8
    cache: bool = True
    max_chars: int = MAX_ARTICLE_CHARS
    max_seconds: float = MAX_ARTICLE_SECONDS

    def __post_init__(self) -> None:
        if self.runtime not in RUNTIMES:
            raise InputError(f"unknown runtime {self.runtime!r}; use one of: {', '.join(RUNTIMES)}")
        if self.device is not None and (not isinstance(self.device, str)
                                        or self.device.split(":", 1)[0] not in DEVICES
                                        or not _device_index_ok(self.device)):
            raise InputError(f"unknown device {self.device!r}; use cpu, cuda or cuda:N")
        if self.quantize is not None and self.quantize not in QUANTIZE:
            raise InputError(f"unknown quantisation {self.quantize!r}; use int8 or nothing")
        _positive_int("batch_size", self.batch_size)
        _positive_int("max_chars", self.max_chars)
        if isinstance(self.max_seconds, bool) or not isinstance(self.max_seconds, (int, float)) \
                or not self.max_seconds > 0:
            raise InputError(f"max_seconds must be a positive number, not {self.max_seconds!r}")
        if not isinstance(self.cache, bool):
            raise InputError(f"cache must be True or False, not {self.cache!r}")


def _device_index_ok(device: str) -> bool:
    kind, _, index = device.partition(":")
    return not index or (kind == "cuda" and index.isdigit())


@dataclass(frozen=True)
class Options:
    """Everything that decides a summary and how it is computed; immutable, picklable (Ray ships it)."""

    generate: GenerateOptions = field(default_factory=GenerateOptions)
    run: RunOptions = field(default_factory=RunOptions)

    def __post_init__(self) -> None:
        if not isinstance(self.generate, GenerateOptions) or not isinstance(self.run, RunOptions):
            raise InputError("Options takes a GenerateOptions and a RunOptions")

    @classmethod
    def make(cls, **values: Any) -> "Options":
        """Options from flat keywords (``sentences=2, runtime="transformers"``); ``backend=`` means ``runtime=``."""
        return cls().replace(**values)

    def replace(self, **values: Any) -> "Options":
        """A copy with some fields changed, by their flat names; unknown names are an InputError."""
        values = _aliases(values)
        gen = {k: v for k, v in values.items() if k in _GENERATE_FIELDS}
        run = {k: v for k, v in values.items() if k in _RUN_FIELDS}
        unknown = sorted(set(values) - set(gen) - set(run))
        if unknown:
            raise InputError(f"unknown option{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}")
        return Options(dataclasses.replace(self.generate, **gen) if gen else self.generate,
                       dataclasses.replace(self.run, **run) if run else self.run)

    @property
    def model(self) -> str | None:
        return self.generate.model

    def settings(self) -> dict[str, Any]:
        """Every option but the model (recorded as ``Summary.recipe``): what a Summary's ``settings`` holds."""
        flat = {**dataclasses.asdict(self.generate), **dataclasses.asdict(self.run)}
        flat.pop("model")
        return flat

    def cache_key(self) -> dict[str, Any]:
        """The options that decide a model's output (not batch size, caching or the cleaning switch)."""
        g, r = self.generate, self.run
        return {"sentences": g.sentences, "translate": g.translate, "max_new_tokens": g.max_new_tokens,
                "num_beams": g.num_beams, "runtime": r.runtime, "device": r.device, "quantize": r.quantize,
                "max_chars": r.max_chars}


_GENERATE_FIELDS = {f.name for f in dataclasses.fields(GenerateOptions)}
_RUN_FIELDS = {f.name for f in dataclasses.fields(RunOptions)}


def _aliases(values: dict[str, Any]) -> dict[str, Any]:
    """The old spelling ``backend=`` (auto/transformers/ctranslate2) is ``runtime=``."""
    values = dict(values)
    if "backend" in values:
        old = values.pop("backend")
        if "runtime" in values and values["runtime"] != old:
            raise InputError("give runtime= or its old name backend=, not both")
        values["runtime"] = old
    return values


def as_options(options: Options | None = None, **overrides: Any) -> Options:
    """``options`` (default: the defaults) with keyword overrides applied; ``None`` overrides are kept as None."""
    if options is not None and not isinstance(options, Options):
        raise InputError(f"options must be a viensum Options, not {type(options).__name__}")
    return (options or Options()).replace(**overrides) if overrides else (options or Options())


# ---------------------------------------------------------------------------------------------------- CLI


def add_options(p: argparse.ArgumentParser, *, batch_size: int = 8,
                model_help: str = "recipe or model name (default: two-stage; see viensum models list)") -> None:
    """The options every summarising or translating command takes (their flags, in one place)."""
    p.add_argument("--model", metavar="NAME", help=model_help)
    p.add_argument("--beams", type=int, metavar="N",
                   help="beam search width (default: the model's own, 4 for most); 1 = greedy, the fast "
                        "mode: faster, and the output changes (docs/BENCHMARKS.md)")
    p.add_argument("--batch-size", type=int, default=batch_size, metavar="N",
                   help=f"texts per model call (default: {batch_size})")
    p.add_argument("--device", choices=DEVICES, help="where the models run (default: cuda if present, else cpu)")
    p.add_argument("--int8", action="store_true",
                   help="8-bit weights with the transformers runtime (torch dynamic quantisation)")
    p.add_argument("--runtime", "--backend", dest="runtime", choices=RUNTIMES, default="auto",
                   help="auto (default): CTranslate2 int8 on the CPU where it applies, else transformers; "
                        "transformers: the exact fp32 path (--backend is the old name)")
    p.add_argument("--no-clean", action="store_true",
                   help="the input is already clean: headline, blank line, paragraphs")


def options_from_args(args: argparse.Namespace) -> Options:
    """The one function that turns parsed CLI arguments into :class:`Options` (flags a command lacks keep defaults)."""
    def get(name: str, default: Any = None) -> Any:
        value = getattr(args, name, None)
        return default if value is None else value

    return Options(
        GenerateOptions(model=get("model"), sentences=get("sentences", 3), translate=bool(get("translate", False)),
                        max_new_tokens=get("max_new_tokens"), num_beams=get("beams"),
                        clean=not get("no_clean", False)),
        RunOptions(runtime=get("runtime", "auto"), device=get("device"),
                   quantize="int8" if get("int8", False) else None, batch_size=get("batch_size", 8),
                   cache=not get("no_cache", False)),
    )
