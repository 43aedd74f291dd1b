"""Summarise many articles on a Ray cluster: the ``ray`` extra behind ``viensum summarize --engine ray``.

The pipeline is plain Ray Data, so it runs wherever Ray runs (a local
instance by default, an existing cluster given its address)::

    read (JSONL / Parquet / a folder of .txt/.html files)
      -> prepare: skip ids already in the output, clean          (Ray tasks)
      -> summarise: map_batches with a callable class             (actor pool: each replica loads the models once)
      -> the driver appends one record per article to OUTPUT

Output: ``jsonl`` is one JSON Lines file (``Summary.to_dict()`` per line,
appended batch by batch, so an interrupted run keeps what it finished);
``parquet`` is a folder of part files, a new one every few thousand records.
Records come in completion order, not input order. Every record carries the
input ``id``; a failed article is a record with ``error`` set, never a crashed
run. A rerun reads the ids already in OUTPUT and skips them
(``retry_failed=True`` first drops the failed records and tries those articles
again), so each input id ends up in OUTPUT exactly once; input ids must be
unique.

On a multi-node cluster: viensum must be installed on every node, the input
must be where every node can read it (shared disk, ``s3://``), the models in
each node's store (``VIENSUM_MODELS_DIR``, ``HF_*`` and ``TRANSFORMERS_*``
variables of the driver are passed to the workers), and OUTPUT is written on
the driver's machine.

Ray is imported only inside these functions: the rest of viensum works without it.
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import time
import uuid
from pathlib import Path
from typing import Any

from collections.abc import Callable

from viensum.errors import InputError, ModelNotAvailable, ViensumError
from viensum.options import Options, as_options
from viensum.summarizer import progress_reporter

log = logging.getLogger(__name__)

RAY_HINT = "install the ray extra: pip install 'viensum[ray]'"
ARTICLE_EXTENSIONS = ("txt", "html", "htm")
JSONL_EXTENSIONS = ("jsonl", "json", "jsonl.gz", "json.gz")
OUTPUT_FORMATS = ("jsonl", "parquet")
PARQUET_ROWS_PER_FILE = 2000  # a crash loses at most this many finished Parquet records
# settings the workers need to find models the way the driver does
_FORWARDED_ENV_PREFIXES = ("VIENSUM_", "HF_", "TRANSFORMERS_")


def run_ray(
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    *,
    options: Options | None = None,
    model: str | None = None,
    translate: bool | None = None,
    address: str | None = None,
    num_workers: int | None = None,
    batch_size: int | None = None,
    num_gpus: float = 0.0,
    num_cpus: float = 1.0,
    output_format: str = "jsonl",
    input_format: str | None = None,
    sentences: int | None = None,
    max_new_tokens: int | None = None,
    num_beams: int | None = None,
    retry_failed: bool = False,
    verbose: bool = False,
    progress: bool | Callable[[int, int | None], Any] = False,
    **option_overrides: Any,
) -> dict[str, Any]:
    """Summarise every article of ``input_path`` into ``output_path`` with Ray Data.

    ``input_path``: a JSONL file or folder of them (records with ``id`` and
    ``text``), Parquet (same columns), or a folder of ``.txt``/``.html``
    articles, top level only (id: the file name without extension, as in the
    local engine). Remote URIs Ray can read
    (``s3://...``) need ``input_format``. ``address``: an existing cluster
    (``"auto"``, ``"ray://head:10001"``); default: the one in ``RAY_ADDRESS``,
    else a fresh local instance. ``num_workers``: model replicas (default:
    as many as the cluster's CPUs or GPUs allow); each takes ``num_cpus``
    CPUs and ``num_gpus`` GPUs, holds one :class:`~viensum.summarizer.Summarizer`
    and gets ``batch_size`` articles at a time. ``options`` are the same
    :class:`~viensum.options.Options` the local engine takes (every one reaches
    the workers); ``model``, ``translate``, ``sentences``, ``max_new_tokens``,
    ``num_beams``, ``batch_size`` and any other option name given as a keyword
    (``runtime``, ``device``, ``quantize``, ``clean``, ...) override it.
    Ray's own logging stays in its log folder unless ``verbose``; ``progress``
    is ``True`` for one tqdm line on stderr, or a callable ``progress(done, total)``.

    Returns ``{"total", "done", "skipped", "failed", "seconds"}``: articles
    read, summarised now, already in OUTPUT, failed now (recorded in OUTPUT).
    """
    named = {"model": model, "translate": translate, "batch_size": batch_size, "sentences": sentences,
             "max_new_tokens": max_new_tokens, "num_beams": num_beams}
    options = as_options(options, **{k: v for k, v in named.items() if v is not None}, **option_overrides)
    if options.run.device is None and num_gpus:
        options = options.replace(device="cuda")
    batch_size = options.run.batch_size
    if output_format not in OUTPUT_FORMATS:
        raise InputError(f"unknown output format '{output_format}'; use one of: {', '.join(OUTPUT_FORMATS)}")
    if (num_workers is not None and num_workers < 1) or num_gpus < 0 or num_cpus <= 0:
        raise InputError("batch_size and num_workers must be at least 1, num_gpus >= 0 and num_cpus > 0")
    ray = _import_ray()
    started = time.perf_counter()
    source, kind = _resolve_input(input_path, input_format)
    output = Path(output_path)
    if retry_failed:
        dropped = _drop_failed(output, output_format)
        log.info("dropped %d failed records from %s to retry them", dropped, output)
    done = _done_ids(output, output_format)
    log.info("%d ids already in %s will be skipped", len(done), output)

    with _quiet_ray(verbose):
        return _run(ray, started, source, kind, output, output_format, done, options, address=address,
                    num_workers=num_workers, num_gpus=num_gpus, num_cpus=num_cpus, verbose=verbose,
                    progress=progress)


@contextlib.contextmanager
def _quiet_ray(verbose: bool):
    """Unless ``verbose``: Ray's own log lines stay in its session log folder for the length of the run.

    Scoped: the logger levels and Ray Data's progress-bar setting are put back afterwards. (Ray's C++
    core still prints one line about actor constructor arguments; only an environment variable read
    at start-up silences it, and that prints a line of its own.)
    """
    if verbose:
        yield
        return
    loggers = {name: logging.getLogger(name) for name in ("ray", "ray.data", "ray.data._internal")}
    levels = {name: logger.level for name, logger in loggers.items()}
    for logger in loggers.values():
        logger.setLevel(logging.ERROR)
    import ray.data

    context = ray.data.DataContext.get_current()
    bars = context.enable_progress_bars
    context.enable_progress_bars = False  # run_ray's own progress line replaces Ray Data's bars
    try:
        yield
    finally:
        context.enable_progress_bars = bars
        for name, logger in loggers.items():
            logger.setLevel(levels[name])


def _run(ray, started, source, kind, output, output_format, done, options, *, address, num_workers, num_gpus,
         num_cpus, verbose, progress) -> dict[str, Any]:
    own_instance = not ray.is_initialized()
    if own_instance:
        ray.init(address=address, include_dashboard=False, log_to_driver=verbose,
                 logging_level=logging.INFO if verbose else logging.ERROR)
    elif address:
        log.warning("Ray is already initialised in this process; using it, not %s", address)
    try:
        ds = _build_dataset(ray, source, kind, done, options, num_workers=num_workers, num_gpus=num_gpus,
                            num_cpus=num_cpus)
        stats = _consume(ds, output, output_format, progress_reporter(progress, None))
    finally:
        if own_instance:
            ray.shutdown()
    stats["seconds"] = round(time.perf_counter() - started, 3)
    log.info("ray run: %s", stats)
    return stats


def _import_ray():
    try:
        import ray
        import ray.data  # noqa: F401  (ray without the [data] extra lacks pandas/pyarrow)
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise ViensumError(f"the Ray engine needs ray[data] and pyarrow ({exc.name} is missing); {RAY_HINT}") from None
    return ray


# -- input ---------------------------------------------------------------------------------------------

def _resolve_input(path: str | os.PathLike, input_format: str | None) -> tuple[str, str]:
    """Return (path or URI for Ray, kind): kind is "jsonl", "parquet" or "files"."""
    if input_format is not None and input_format not in ("jsonl", "parquet", "files"):
        raise InputError(f"unknown input format '{input_format}'; use jsonl, parquet or files")
    text = os.fspath(path)
    if "://" in text and not text.startswith("file://"):
        kind = input_format or _kind_of(text)
        if kind is None:
            raise InputError(f"cannot tell the format of {text}; pass input_format (jsonl, parquet or files)")
        return text, kind
    local = Path(text.removeprefix("file://")).expanduser().resolve()
    if not local.exists():
        raise InputError(f"input not found: {local}")
    if input_format:
        return str(local), input_format
    if local.is_file():
        names = [local.name]
    else:  # a folder of articles is read like the local engine reads it: its top level only
        names = [p.name for p in local.iterdir() if p.is_file() and not p.name.startswith(".")]
        if not any(_kind_of(n) for n in names):  # e.g. Parquet partitioned into year=2024/ folders
            names = [p.name for p in local.rglob("*") if p.is_file() and not p.name.startswith(".")]
    kinds = {_kind_of(n) for n in names} - {None}
    if not kinds:
        raise InputError(f"no articles in {local}: expected .jsonl, .parquet, .txt or .html files")
    if len(kinds) > 1:
        raise InputError(f"{local} mixes {' and '.join(sorted(kinds))} files; pass input_format to pick one")
    return str(local), kinds.pop()


def _kind_of(name: str) -> str | None:
    name = name.lower()
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith(tuple("." + e for e in JSONL_EXTENSIONS)):
        return "jsonl"
    if name.endswith(tuple("." + e for e in ARTICLE_EXTENSIONS)):
        return "files"
    return None


def _read(ray, source: str, kind: str):
    if kind == "files":
        paths: str | list[str] = source
        if os.path.isdir(source):
            paths = sorted(str(p) for p in Path(source).iterdir()
                           if p.is_file() and not p.name.startswith(".") and _kind_of(p.name) == "files")
        return ray.data.read_binary_files(paths, include_paths=True, file_extensions=list(ARTICLE_EXTENSIONS))
    if kind == "parquet":
        ds = ray.data.read_parquet(source)
    else:
        ds = ray.data.read_json(source, lines=True, file_extensions=list(JSONL_EXTENSIONS))
    names = ds.schema().names
    missing = [c for c in ("id", "text") if c not in names]
    if missing:
        raise InputError(f"{source}: records need 'id' and 'text' fields; missing {', '.join(missing)}")
    return ds.select_columns(["id", "text"])


# -- the two stages ------------------------------------------------------------------------------------

def _build_dataset(ray, source, kind, done, options, *, num_workers, num_gpus, num_cpus):
    env = {k: v for k, v in os.environ.items() if k.startswith(_FORWARDED_ENV_PREFIXES)}
    runtime_env = {"env_vars": env} if env else None
    if num_workers is None:
        resources = ray.cluster_resources()
        if num_gpus:
            num_workers = int(resources.get("GPU", 0) // num_gpus)
        else:  # leave a CPU for the read and clean tasks, or they would wait for the model replicas
            num_workers = int((resources.get("CPU", 1) - 1) // num_cpus)
        num_workers = max(1, num_workers)
    # Ray reports remote paths without their scheme
    folder = os.path.dirname(source) if os.path.isfile(source) else source
    root = folder.split("://", 1)[-1].rstrip("/") + "/"
    done_holder = (ray.put(frozenset(done)),) if done else None  # in a tuple: tasks fetch it, Ray won't inline it
    ds = _read(ray, source, kind)
    batch_size = options.run.batch_size
    ds = ds.map_batches(_prepare, batch_format="pyarrow", batch_size=batch_size,
                        fn_kwargs={"done_holder": done_holder, "root": root, "clean": options.generate.clean},
                        runtime_env=runtime_env)
    return ds.map_batches(
        SummarizerWorker,
        batch_format="pyarrow",
        batch_size=batch_size,
        compute=ray.data.ActorPoolStrategy(size=num_workers),
        num_cpus=num_cpus,
        num_gpus=num_gpus or None,
        runtime_env=runtime_env,
        fn_constructor_kwargs={"options": options, "registrations": _registrations(options)},
    )


_DONE_CACHE: dict[str, frozenset] = {}  # per worker process: the skip set is fetched once


def _prepare(batch, *, done_holder, root: str, clean: bool = True):
    """Mark rows already done and clean the rest (CPU tasks, so model replicas only run models)."""
    import pyarrow as pa

    from viensum.translate import as_article

    done = frozenset()
    if done_holder is not None:
        import ray

        key = done_holder[0].hex()
        if key not in _DONE_CACHE:
            _DONE_CACHE[key] = ray.get(done_holder[0])
        done = _DONE_CACHE[key]

    if "bytes" in batch.column_names:
        # the local engine's ids: the file name without extension (and, for remote folders
        # Ray reads recursively, the subfolder before it)
        paths = batch.column("path").to_pylist()
        ids = [os.path.splitext(p[len(root):] if p.startswith(root) else p)[0] for p in paths]
        raws = batch.column("bytes").to_pylist()
    else:
        ids = [None if i is None else str(i) for i in batch.column("id").to_pylist()]
        raws = batch.column("text").to_pylist()
    out: dict[str, list] = {"id": ids, "skipped": [], "article": [], "error": [], "clean_s": []}
    for id_, raw in zip(ids, raws):
        article = error = None
        skipped = id_ is not None and id_ in done
        started = time.perf_counter()
        if id_ is None:
            error = "input record has no id"
        elif not skipped:
            try:
                article = json.dumps(as_article(raw if raw is not None else "", clean=clean).to_dict(),
                                     ensure_ascii=False)
            except Exception as exc:  # noqa: BLE001 - a page the cleaner chokes on is one failed record
                error = str(exc) if isinstance(exc, ViensumError) else f"{type(exc).__name__}: {exc}"
        out["skipped"].append(skipped)
        out["article"].append(article)
        out["error"].append(error)
        out["clean_s"].append(round(time.perf_counter() - started, 4))
    return pa.table(out, schema=pa.schema([("id", pa.string()), ("skipped", pa.bool_()), ("article", pa.string()),
                                           ("error", pa.string()), ("clean_s", pa.float64())]))


def _registrations(options: Options) -> dict[str, Any]:
    """The registry entries a run needs, for workers that lack them (models or recipes registered at run time)."""
    from viensum.backends import BACKENDS
    from viensum.registry import MODELS, RECIPES
    from viensum.generation import family
    from viensum.summarizer import resolve_recipe

    recipe = resolve_recipe(options.model)
    names = [getattr(recipe, role) for role in ("summarizer_vi", "summarizer_en", "translator", "chat")]
    specs = [MODELS[n] for n in names if n in MODELS]
    return {"recipe": RECIPES.get(options.model) if options.model else None, "models": specs,
            "backends": {family(s): BACKENDS[family(s)] for s in specs if family(s) in BACKENDS}}


class SummarizerWorker:
    """One model replica: Ray Data builds ``num_workers`` of these, each holding one Summarizer."""

    def __init__(self, options: Options, registrations: dict[str, Any] | None = None) -> None:
        from viensum.summarizer import Summarizer

        _register(registrations or {})
        self.options = options
        self.summarizer = None
        self.fatal: str | None = None
        try:
            self.summarizer = Summarizer(options=options)  # loads the models now, once per replica
        except ViensumError as exc:
            # Ray reports a failed constructor to the driver as text only, so the error
            # travels in the data instead and run_ray raises it (a missing model stops the
            # run rather than failing every article)
            self.fatal = json.dumps({"type": type(exc).__name__, "message": str(exc),
                                     "name": getattr(exc, "name", None), "detail": getattr(exc, "detail", "")})

    def __call__(self, batch):
        import pyarrow as pa

        from viensum.results import Summary

        rows = batch.to_pylist()
        todo = [r for r in rows if not r["skipped"] and r["error"] is None and not self.fatal]
        summaries = iter(self._summarize(todo))
        records, ok = [], []
        for row in rows:
            if row["skipped"]:
                records.append(None)
                ok.append(True)
                continue
            if self.fatal:
                records.append(None)
                ok.append(False)
                continue
            if row["error"] is not None:  # as the local runner records a failed article
                summary = Summary(id=row["id"], error=row["error"], recipe=self.summarizer.recipe.name,
                                  models=dict(self.summarizer.models),
                                  settings={**self.options.settings(), "engines": dict(self.summarizer.engines)})
            else:
                summary = next(summaries)
            clean_s = row.get("clean_s") or 0.0  # cleaning ran in the prepare task: count it in this record
            summary.timings["clean"] = clean_s
            summary.timings["total"] = round(summary.timings.get("total", 0.0) + clean_s, 4)
            records.append(summary.to_json())
            ok.append(summary.ok)
        return pa.table({"id": [r["id"] for r in rows], "skipped": [r["skipped"] for r in rows],
                         "ok": ok, "record": records, "fatal": [self.fatal] * len(rows)},
                        schema=pa.schema([("id", pa.string()), ("skipped", pa.bool_()), ("ok", pa.bool_()),
                                          ("record", pa.string()), ("fatal", pa.string())]))

    def _summarize(self, rows: list[dict]) -> list:
        from viensum.results import Article, Summary

        if not rows:
            return []
        ids = [r["id"] for r in rows]
        # the cleaner's Article (date, byline, removed lines) goes in as is: no second cleaning
        articles = [Article.from_dict(json.loads(r["article"])) for r in rows]
        try:
            return self.summarizer.summarize(articles, ids=ids)
        except Exception as exc:  # noqa: BLE001 - summarize isolates article failures; this is the last guard
            if len(rows) == 1:
                log.warning("article %s failed: %s", ids[0], exc)
                return [Summary(id=ids[0], error=f"{type(exc).__name__}: {exc}")]
            return [s for row in rows for s in self._summarize([row])]


def _register(registrations: dict[str, Any]) -> None:
    """Add what the driver had registered and this worker process lacks."""
    from viensum.backends import BACKENDS, register_backend
    from viensum.registry import MODELS, RECIPES, register_model, register_recipe

    for name, target in registrations.get("backends", {}).items():
        if name not in BACKENDS:
            register_backend(name, target)
    for spec in registrations.get("models", []):
        if spec.name not in MODELS:
            register_model(spec)
    recipe = registrations.get("recipe")
    if recipe is not None and recipe.name not in RECIPES:
        register_recipe(recipe)


# -- output --------------------------------------------------------------------------------------------

def _consume(ds, output: Path, output_format: str, report: Callable[[int | None], None] = lambda n: None
             ) -> dict[str, Any]:
    stats = {"total": 0, "done": 0, "skipped": 0, "failed": 0}
    writer = _JsonlWriter(output) if output_format == "jsonl" else _ParquetWriter(output)
    with writer:
        for batch in ds.iter_batches(batch_size=None, batch_format="pyarrow"):
            fatal = batch.column("fatal")
            if fatal.null_count < len(fatal):
                raise _rebuild_error(fatal.drop_null()[0].as_py())
            for skipped, ok, record in zip(batch.column("skipped").to_pylist(), batch.column("ok").to_pylist(),
                                           batch.column("record").to_pylist()):
                stats["total"] += 1
                if skipped:
                    stats["skipped"] += 1
                    continue
                stats["done" if ok else "failed"] += 1
                writer.write(record)
            writer.flush()
            report(stats["total"])
    report(None)
    return stats


def _rebuild_error(fatal: str) -> ViensumError:
    info = json.loads(fatal)
    if info["type"] == "ModelNotAvailable":
        return ModelNotAvailable(info["name"], info["detail"])
    return (InputError if info["type"] == "InputError" else ViensumError)(info["message"])


class _JsonlWriter:
    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _trim_partial_line(self.path)
        self.file = self.path.open("a", encoding="utf-8")
        return self

    def write(self, record: str) -> None:
        self.file.write(record + "\n")

    def flush(self) -> None:
        self.file.flush()

    def __exit__(self, *exc) -> None:
        self.file.close()


class _ParquetWriter:
    """Part files named per run, each written to a temporary name and renamed when complete."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.run = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]
        self.rows: list[dict] = []
        self.parts = 0

    def __enter__(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def write(self, record: str) -> None:
        self.rows.append(json.loads(record))

    def flush(self, force: bool = False) -> None:
        if not self.rows or (len(self.rows) < PARQUET_ROWS_PER_FILE and not force):
            return
        self.parts += 1
        _write_parquet(self.folder / f"part-{self.run}-{self.parts:05d}.parquet", self.rows)
        self.rows = []

    def __exit__(self, *exc) -> None:
        self.flush(force=True)


def _parquet_schema():
    import pyarrow as pa

    from viensum.results import Summary

    special = {"chunks": pa.int64(), "truncated": pa.bool_(), "notes": pa.list_(pa.string())}
    # everything else is text; nested results (article, translation, models, ...) as JSON text
    return pa.schema([(f.name, special.get(f.name, pa.string())) for f in dataclasses.fields(Summary)])


def _write_parquet(path: Path, rows: list[dict]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _parquet_schema()
    columns = {}
    for field in schema:
        values = [row.get(field.name) for row in rows]
        if pa.types.is_string(field.type):
            values = [v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in values]
        columns[field.name] = values
    tmp = path.with_name("." + path.name + ".tmp")  # hidden: readers skip it until it is complete
    pq.write_table(pa.table(columns, schema=schema), tmp)
    os.replace(tmp, path)


def _parquet_parts(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.parquet")) if folder.is_dir() else []


def _trim_partial_line(path: Path) -> None:
    """Cut a half-written last line (a killed run) so appending starts on a fresh line."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb+") as f:
        f.seek(-1, os.SEEK_END)
        if f.read(1) == b"\n":
            return
        f.seek(0)
        f.truncate(f.read().rfind(b"\n") + 1)


def _jsonl_records(path: Path):
    if not path.exists():
        return
    with path.open(encoding="utf-8") as f:
        for line in f:
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue  # the half-written tail of an interrupted run: redone this time


def _done_ids(output: Path, output_format: str) -> set[str]:
    """Ids that already have a record in OUTPUT (a rerun skips them)."""
    if output_format == "jsonl":
        if output.is_dir():
            raise InputError(f"{output} is a folder; JSONL output is a single file (or pick output_format='parquet')")
        return {r["id"] for r in _jsonl_records(output) if r.get("id") is not None}
    if output.exists() and not output.is_dir():
        raise InputError(f"{output} is a file; Parquet output is a folder of part files")
    import pyarrow.parquet as pq

    return {i for part in _parquet_parts(output) for i in pq.read_table(part, columns=["id"]).column("id").to_pylist()
            if i is not None}


def _drop_failed(output: Path, output_format: str) -> int:
    """Remove the records of failed articles, so this run tries them again. Returns how many."""
    dropped = 0
    if output_format == "jsonl":
        if not output.is_file():
            return 0
        records = list(_jsonl_records(output))
        kept = [r for r in records if r.get("error") is None]
        dropped = len(records) - len(kept)
        if dropped:
            tmp = output.with_name("." + output.name + ".tmp")
            tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept), encoding="utf-8")
            os.replace(tmp, output)
        return dropped
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    for part in _parquet_parts(output):
        table = pq.read_table(part)
        failed = table.column("error").is_valid()
        count = pc.sum(failed).as_py() or 0
        if not count:
            continue
        dropped += count
        kept = table.filter(pc.invert(failed))
        if kept.num_rows:
            tmp = part.with_name("." + part.name + ".tmp")
            pq.write_table(kept, tmp)
            os.replace(tmp, part)
        else:
            part.unlink()
    return dropped
