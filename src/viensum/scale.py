"""Summarise many articles on a Ray cluster: the ``ray`` extra behind ``viensum summarize --engine ray``.

The pipeline is plain Ray Data, so it runs wherever Ray runs (a local
instance by default, an existing cluster given its address)::

    read (JSONL / Parquet / a folder of .txt/.html files)
      -> prepare: skip ids already in OUTPUT, stages.prepare     (Ray CPU tasks; the Job travels as JSON)
      -> summarise: Summarizer.run, render.summary_record         (actor pool: each replica loads the models once)
      -> the driver appends one record per article to OUTPUT

The stages are viensum.stages', the same the CLI and the app call, so a record written here
is the record they write for the same input.

Output: ``jsonl`` is one JSON Lines file (``Summary.to_dict()`` per line,
appended batch by batch, so an interrupted run keeps what it finished);
``parquet`` is a folder of part files, a new one every few thousand records.
Records come in completion order, not input order. Every record carries the
input ``id``; a failed article is a record with ``error`` set, never a crashed
run. A rerun reads the ids already in OUTPUT and skips them
(``retry_failed=True`` first drops the failed records and tries those articles
again), so each input id ends up in OUTPUT exactly once; input ids must be
unique, and a run whose input repeats one is refused before it starts.
OUTPUT must be a regular file (JSONL) or a folder (Parquet), neither an input
nor inside an input folder; it is read back with a bound on each line.

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
import importlib
import json
import logging
import os
import re
import time
import uuid
from pathlib import Path
from typing import Any

from collections.abc import Callable

from viensum import outputs
from viensum.errors import InputError, ModelNotAvailable, ViensumError
from viensum.options import Options, as_options
from viensum.summarizer import progress_reporter

log = logging.getLogger(__name__)

RAY_HINT = "install the ray extra: pip install 'viensum[ray]'"
MAX_OUTPUT_LINE_BYTES = 64 * 1024 * 1024  # one record read back from OUTPUT (article + translation fit easily)
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

    ``input_path``: one input or a list, named as for every viensum command
    (:mod:`viensum.inputs`: files, folders read top level only, globs, JSONL records,
    ``.zip``; ids as there, so the local engine and Ray give the same ids), or
    Parquet (a file, or a folder of part files at any depth; records with ``id``
    and ``text``). Records with a repeated or missing id are refused before any
    work, naming the lines; a malformed JSONL line is an error record
    ``<file>:<line>``. Remote URIs Ray can read (``s3://...``) need ``input_format``
    and are read by Ray's own readers. ``address``: an existing cluster
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
    named = dict(model=model, translate=translate, batch_size=batch_size, sentences=sentences,
                 max_new_tokens=max_new_tokens, num_beams=num_beams)
    options = _checked(options, named, option_overrides, output_format, num_workers, num_gpus, num_cpus)
    ray, started, output = _import_ray(), time.perf_counter(), Path(output_path)
    source = _resolve_input(input_path, input_format, output, output_format)
    outputs.check_writable(output)  # a read-only or full disk is found now, not after the first batch
    with outputs.output_lock(output):  # one run at a time appends to OUTPUT: each id lands once
        done = _done_ids(output, output_format, ok_only=retry_failed)
        log.info("%d ids already in %s will be skipped", len(done), output)
        with _quiet_ray(verbose):
            return _run(ray, started, source, output, output_format, done, options, address=address,
                        num_workers=num_workers, num_gpus=num_gpus, num_cpus=num_cpus, verbose=verbose,
                        progress=progress, retry_failed=retry_failed)


def _checked(options: Options | None, named: dict[str, Any], overrides: dict[str, Any], output_format: str,
             num_workers: int | None, num_gpus: float, num_cpus: float) -> Options:
    """The run's options (GPU workers: cuda unless a device is named), every bad argument refused first.
    ``named``: run_ray's own option keywords (None: not given)."""
    options = as_options(options, **{k: v for k, v in named.items() if v is not None}, **overrides)
    if options.run.device is None and num_gpus:
        options = options.replace(device="cuda")
    if output_format not in OUTPUT_FORMATS:
        raise InputError(f"unknown output format '{output_format}'; use one of: {', '.join(OUTPUT_FORMATS)}")
    if (num_workers is not None and num_workers < 1) or num_gpus < 0 or num_cpus <= 0:
        raise InputError("batch_size and num_workers must be at least 1, num_gpus >= 0 and num_cpus > 0")
    return options


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


def _run(ray, started, source, output, output_format, done, options, *, address, num_workers, num_gpus,
         num_cpus, verbose, progress, retry_failed) -> dict[str, Any]:
    own_instance = not ray.is_initialized()
    if own_instance:
        try:
            ray.init(address=address, include_dashboard=False, log_to_driver=verbose,
                     logging_level=logging.INFO if verbose else logging.ERROR)
        except (ConnectionError, RuntimeError) as exc:
            raise join_error(exc, address) from None
    elif address:
        log.warning("Ray is already initialised in this process; using it, not %s", address)
    try:
        ds = _build_dataset(ray, source, done, options, num_workers=num_workers, num_gpus=num_gpus,
                            num_cpus=num_cpus)
        stats = _consume(ds, output, output_format, retry_failed=retry_failed,
                         report=progress_reporter(progress, None))
    finally:
        if own_instance:
            ray.shutdown()
    stats["seconds"] = round(time.perf_counter() - started, 3)
    log.info("ray run: %s", stats)
    return stats


AUTH_HINT = ("set RAY_AUTH_MODE=token (with the cluster's token in RAY_AUTH_TOKEN or ~/.ray/auth_token) "
             "and run again: `ray start` turns token authentication on")


def join_error(exc: BaseException, address: str | None) -> ViensumError:
    """One line for a failed ``ray.init``: an authentication failure (``InvalidAuthToken``, Ray's
    AuthenticationError) says which variable to set; a client that has not turned token mode on
    gets the same hint as the likely cause."""
    chain, seen = [], exc
    while seen is not None and len(chain) < 10:
        chain.append(f"{type(seen).__name__}: {seen}")
        seen = seen.__cause__ or seen.__context__
    text = " | ".join(chain)
    where = f"the Ray cluster at {address}" if address else "a local Ray instance"
    if re.search(r"InvalidAuthToken|AuthenticationError|UNAUTHENTICATED|auth[_ ]?token", text, re.I):
        return ViensumError(f"{where} refused this client's authentication; {AUTH_HINT}")
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if address and os.environ.get("RAY_AUTH_MODE", "").lower() != "token":
        return ViensumError(f"cannot join {where} ({first}); if it was started with token "
                            f"authentication, {AUTH_HINT}")
    return ViensumError(f"cannot join {where} ({first})")


def _import_ray():
    try:
        import ray
        for part in ("ray.data", "pyarrow"):  # ray without the [data] extra lacks pandas/pyarrow
            importlib.import_module(part)
    except ImportError as exc:
        raise ViensumError(f"the Ray engine needs ray[data] and pyarrow ({exc.name} is missing); {RAY_HINT}") from None
    return ray


# -- input ---------------------------------------------------------------------------------------------

@dataclasses.dataclass
class _Input:
    """What to read: local items listed by viensum.inputs, a Parquet source, or a remote URI for Ray's readers."""

    kind: str                       # "items", "parquet" or one of "jsonl"/"files" for remote URIs
    path: str = ""                  # the Parquet source or remote URI
    items: list = dataclasses.field(default_factory=list)



def _resolve_input(path, input_format: str | None, output: Path, output_format: str) -> _Input:
    """List the input (ids checked, nothing read yet) and check OUTPUT against it."""
    from viensum import inputs

    if input_format is not None and input_format not in ("jsonl", "parquet", "files"):
        raise InputError(f"unknown input format '{input_format}'; use jsonl, parquet or files")
    specs = [os.fspath(p) for p in path] if isinstance(path, (list, tuple)) else [os.fspath(path)]
    remote = [s for s in specs if "://" in s and not s.startswith(("file://", "http://", "https://"))]
    if remote:
        if len(specs) > 1:
            raise InputError("give one remote input at a time")
        kind = input_format or _kind_of(remote[0])
        if kind is None:
            raise InputError(f"cannot tell the format of {remote[0]}; pass input_format (jsonl, parquet or files)")
        _check_output(output, output_format, [])
        return _Input(kind, path=remote[0])
    specs = [os.path.expanduser(s.removeprefix("file://")) for s in specs]
    for spec in specs:
        if spec == inputs.STDIN:
            raise InputError("the Ray engine reads files, not stdin")
        if not os.path.lexists(spec) and not any(os.path.lexists(p) for p in inputs.input_paths([spec])) \
                and not spec.startswith(("http://", "https://")):  # links are fetched by viensum.inputs
            raise InputError(f"input not found: {inputs.printable(spec)}")
    _check_output(output, output_format, specs)
    parquet = [s for s in specs if _is_parquet(s)]
    if parquet or input_format == "parquet":
        if len(specs) > 1:
            raise InputError("the Ray engine reads Parquet on its own: give one Parquet file or folder "
                             "(it mixes Parquet and other inputs)")
        source = os.path.realpath(specs[0])
        _check_parquet_ids(source)
        return _Input("parquet", path=source)
    items = inputs.list_items(specs)
    if not items:
        raise InputError(f"no articles in {', '.join(inputs.printable(s) for s in specs)}")
    return _Input("items", items=items)


def _is_parquet(spec: str) -> bool:
    """A Parquet file, or a folder whose files (at any depth, e.g. year=2024/ partitions) are Parquet."""
    if os.path.isfile(spec):
        return spec.lower().endswith(".parquet")
    if not os.path.isdir(spec):
        return False
    names = [p.name for p in Path(spec).rglob("*") if p.is_file() and not p.name.startswith((".", "_"))]
    return bool(names) and all(n.lower().endswith(".parquet") for n in names)


def _check_output(output: Path, output_format: str, specs: list[str]) -> None:
    from viensum import outputs

    try:
        outputs.check_output(output, specs, folder=output_format == "parquet")
    except InputError as exc:
        if output_format == "jsonl" and output.is_dir():
            raise InputError(f"{output} is a folder; JSONL output is a single file "
                             "(or pick output_format='parquet')") from None
        if output_format == "parquet" and output.exists() and not output.is_dir():
            raise InputError(f"{output} is a file; Parquet output is a folder of part files") from None
        raise exc


def _check_parquet_ids(source: str) -> None:
    """Refuse Parquet input whose ids repeat or are missing, naming the rows (ids only are read)."""
    import pyarrow.dataset as pds

    try:
        dataset = pds.dataset(source, format="parquet", partitioning="hive")
    except Exception as exc:  # noqa: BLE001 - pyarrow's many error types for a damaged file
        raise InputError(f"cannot read {source} as Parquet ({type(exc).__name__}: {exc})") from None
    missing = [c for c in ("id", "text") if c not in dataset.schema.names]
    if missing:
        raise InputError(f"{source}: records need 'id' and 'text' fields; missing {', '.join(missing)}")
    seen: set[str] = set()
    problems: list[str] = []
    row = 0
    for batch in dataset.to_batches(columns=["id"]):
        for value in batch.column("id").to_pylist():
            row += 1
            if value is None or (isinstance(value, float) and value != value) or not str(value).strip():
                problems.append(f"row {row} has no id")
            elif str(value) in seen:
                problems.append(f"row {row} repeats id {str(value)!r}")
            else:
                seen.add(str(value))
    if problems:
        shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
        raise InputError(f"every record needs its own id: {source}: {shown}")


def _kind_of(name: str) -> str | None:
    from viensum import inputs

    name = name.lower()
    if name.endswith(inputs.PARQUET_EXTENSIONS):
        return "parquet"
    if name.endswith(inputs.JSONL_EXTENSIONS):
        return "jsonl"
    if name.endswith(inputs.ARTICLE_EXTENSIONS):
        return "files"
    return None


def _read(ray, source: _Input):
    from viensum import inputs

    if source.kind == "items":
        rows = [{"id": item.id, "name": item.name, "ref": json.dumps(_absolute(item.ref)) if item.ref else None,
                 "fmt": item.fmt, "error": item.error} for item in source.items]
        return ray.data.from_items(rows)
    if source.kind == "files":  # a remote folder
        return ray.data.read_binary_files(source.path, include_paths=True,
                                          file_extensions=[e.lstrip(".") for e in inputs.ARTICLE_EXTENSIONS])
    if source.kind == "parquet":
        ds = ray.data.read_parquet(source.path)
    else:
        ds = ray.data.read_json(source.path, lines=True, file_extensions=[e.lstrip(".") for e in inputs.JSONL_EXTENSIONS])
    names = ds.schema().names
    missing = [c for c in ("id", "text") if c not in names]
    if missing:
        raise InputError(f"{source.path}: records need 'id' and 'text' fields; missing {', '.join(missing)}")
    return ds.select_columns(["id", "text"])


def _absolute(ref: dict) -> dict:
    """An item's reference with its file named from the root: Ray's workers do not run in this folder."""
    from viensum import inputs

    out = dict(ref)
    for key in ("file", "zip", "jsonl", "parquet"):
        if key in out:
            out[key] = inputs.printable(os.path.abspath(os.fsdecode(inputs.unprintable(out[key]))))
    return out


# -- the two stages ------------------------------------------------------------------------------------

def _build_dataset(ray, source, done, options, *, num_workers, num_gpus, num_cpus):
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
    root = source.path.split("://", 1)[-1].rstrip("/") + "/"
    done_holder = (ray.put(frozenset(done)),) if done else None  # in a tuple: tasks fetch it, Ray won't inline it
    ds = _read(ray, source)
    batch_size = options.run.batch_size
    ds = ds.map_batches(_prepare, batch_format="pyarrow", batch_size=batch_size,
                        fn_kwargs={"done_holder": done_holder, "root": root, "options": options,
                                   "source": source.path or None},
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


def _prepare(batch, *, done_holder, root: str, options: Options, source: str | None = None):
    """Stage 2 (viensum.stages.prepare) in CPU tasks, so model replicas only run models; rows already
    in OUTPUT are marked skipped and left alone."""
    import pyarrow as pa

    from viensum import stages

    done = _skip_set(done_holder)
    requests = list(_requests(batch, done, root, source))
    skipped = [r.id is not None and r.id in done for r in requests]
    jobs = [None if skip else stages.failed(r, "input record has no id").to_json() if r.id is None
            else stages.prepare(r, options).to_json() for r, skip in zip(requests, skipped)]
    return pa.table({"id": [r.id for r in requests], "skipped": skipped, "job": jobs},
                    schema=pa.schema([("id", pa.string()), ("skipped", pa.bool_()), ("job", pa.string())]))


def _skip_set(done_holder) -> frozenset:
    if done_holder is None:
        return frozenset()
    import ray

    key = done_holder[0].hex()
    if key not in _DONE_CACHE:
        _DONE_CACHE[key] = ray.get(done_holder[0])
    return _DONE_CACHE[key]


def _row_ids(batch, root: str) -> list[str | None]:
    """Each row's id: a record's own, or for remote folders the local engine's id (the file name
    without extension and, as Ray reads them recursively, the subfolder before it)."""
    if "bytes" in batch.column_names:
        paths = batch.column("path").to_pylist()
        return [os.path.splitext(p[len(root):] if p.startswith(root) else p)[0] for p in paths]
    return [None if i is None else str(i) for i in batch.column("id").to_pylist()]


def _requests(batch, done: frozenset, root: str, source: str | None):
    """Stage 1: the batch's rows as viensum.stages.Requests (local items are read here, by each worker)."""
    from viensum import inputs
    from viensum.stages import Request, request_of

    ids = _row_ids(batch, root)
    if "ref" in batch.column_names:  # local inputs listed by viensum.inputs
        columns = zip(ids, batch.column("name").to_pylist(), batch.column("ref").to_pylist(),
                      batch.column("fmt").to_pylist(), batch.column("error").to_pylist())
        for id_, name, ref, fmt, error in columns:
            if error is None and id_ not in done and ref is not None:
                item = inputs.load_item(inputs.Item(id_, name, ref=json.loads(ref), fmt=fmt))
                yield request_of(item)  # a fetched page comes back cleaned, with its URL, site and date
            else:
                yield Request(id_, None, name, fmt, error)
        return
    texts = batch.column("bytes" if "bytes" in batch.column_names else "text").to_pylist()
    for id_, raw in zip(ids, texts):
        yield Request(id_, raw if raw is not None else "", source)


def _registrations(options: Options) -> dict[str, Any]:
    """The registry entries a run needs, for workers that lack them (models or recipes registered at run time)."""
    from viensum.backends import BACKENDS
    from viensum.registry import MODELS, RECIPES
    from viensum.recipes import recipe_models, resolve_recipe

    specs = [MODELS[n] for n in recipe_models(resolve_recipe(options.model)) if n in MODELS]
    return {"recipe": RECIPES.get(options.model) if options.model else None, "models": specs,
            "backends": {s.family: BACKENDS[s.family] for s in specs if s.family in BACKENDS}}


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
        """Stage 3 (Summarizer.run) over the batch's prepared jobs; stage 4: each Summary as its record."""
        import pyarrow as pa

        from viensum import render

        rows = batch.to_pylist()
        todo = [r["job"] for r in rows if not r["skipped"] and not self.fatal]
        summaries = iter(self._run(todo))
        records, ok = [], []
        for row in rows:
            summary = None if row["skipped"] or self.fatal else next(summaries)
            records.append(None if summary is None else json.dumps(render.summary_record(summary), ensure_ascii=False))
            ok.append(bool(row["skipped"]) or (summary is not None and summary.ok))
        return pa.table({"id": [r["id"] for r in rows], "skipped": [r["skipped"] for r in rows],
                         "ok": ok, "record": records, "fatal": [self.fatal] * len(rows)},
                        schema=pa.schema([("id", pa.string()), ("skipped", pa.bool_()), ("ok", pa.bool_()),
                                          ("record", pa.string()), ("fatal", pa.string())]))

    def _run(self, jobs: list[str]) -> list:
        from viensum.stages import MODEL, Job

        if not jobs:
            return []
        try:
            return self.summarizer.run([Job.from_json(j) for j in jobs], self.options)
        except Exception as exc:  # noqa: BLE001 - run isolates article failures; this is the last guard
            if len(jobs) == 1:
                job = Job.from_json(jobs[0])
                log.warning("article %s failed: %s", job.summary.id, exc)
                job.fail(f"{type(exc).__name__}: {exc}", MODEL)
                return self.summarizer.run([job], self.options)
            return [s for j in jobs for s in self._run([j])]


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

def _consume(ds, output: Path, output_format: str, *,
             retry_failed: bool = False, report: Callable[[int | None], None] = lambda n: None) -> dict[str, Any]:
    """Write the records as they come. OUTPUT is touched only once the first batch shows the models
    loaded, so a run that fails to start (a missing model) leaves an existing OUTPUT as it was."""
    stats = {"total": 0, "done": 0, "skipped": 0, "failed": 0}
    writer = _JsonlWriter(output) if output_format == "jsonl" else _ParquetWriter(output)
    try:
        for batch in ds.iter_batches(batch_size=None, batch_format="pyarrow"):
            fatal = batch.column("fatal")
            if fatal.null_count < len(fatal):
                raise _rebuild_error(fatal.drop_null()[0].as_py())
            if not writer.open:
                if retry_failed:
                    dropped = _drop_failed(output, output_format)
                    log.info("dropped %d failed records from %s to retry them", dropped, output)
                writer.start()
            for id_, skipped, ok, record in zip(batch.column("id").to_pylist(), batch.column("skipped").to_pylist(),
                                                batch.column("ok").to_pylist(), batch.column("record").to_pylist()):
                stats["total"] += 1
                if skipped:
                    stats["skipped"] += 1
                    continue
                stats["done" if ok else "failed"] += 1
                writer.write(record)  # render.summary_record, made in the worker: the source travelled with it
            writer.flush()
            report(stats["total"])
        report(None)
    finally:
        writer.close()
    return stats


def _rebuild_error(fatal: str) -> ViensumError:
    info = json.loads(fatal)
    if info["type"] == "ModelNotAvailable":
        return ModelNotAvailable(info["name"], info["detail"])
    return (InputError if info["type"] == "InputError" else ViensumError)(info["message"])


class _JsonlWriter:
    """Appends to OUTPUT (a rerun resumes it); a half-written last line of a killed run is cut first."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.open = False

    def start(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _trim_partial_line(self.path)
        self.file = self.path.open("a", encoding="utf-8")
        self.open = True

    def write(self, record: str) -> None:
        self.file.write(record + "\n")

    def flush(self) -> None:
        self.file.flush()

    def close(self) -> None:
        if self.open:
            self.file.close()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _ParquetWriter:
    """Part files named per run, each written to a temporary name and renamed when complete."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.run = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]
        self.rows: list[dict] = []
        self.parts = 0
        self.open = False

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.open = True

    def write(self, record: str) -> None:
        self.rows.append(json.loads(record))

    def flush(self, force: bool = False) -> None:
        if not self.rows or (len(self.rows) < PARQUET_ROWS_PER_FILE and not force):
            return
        self.parts += 1
        _write_parquet(self.folder / f"part-{self.run}-{self.parts:05d}.parquet", self.rows)
        self.rows = []

    def close(self) -> None:
        if self.open:
            self.flush(force=True)


def _parquet_schema():
    import pyarrow as pa

    from viensum.results import Summary

    special = {"chunks": pa.int64(), "truncated": pa.bool_(), "notes": pa.list_(pa.string())}
    # everything else is text; nested results (article, translation, models, ...) as JSON text
    names = [f.name for f in dataclasses.fields(Summary)]  # render.summary_record's keys
    return pa.schema([(name, special.get(name, pa.string())) for name in names])


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
    """Make OUTPUT end on a fresh line before appending: a complete last record that lacks its newline
    (an editor, a full disk, a kill between record and newline) gets one, as resume counted it done;
    a half-written one (a killed run) is cut. The tail is read backwards in blocks, never whole."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb+") as f:
        size = f.seek(0, os.SEEK_END)
        f.seek(size - 1)
        if f.read(1) == b"\n":
            return
        start = _last_line_start(f, size)
        f.seek(start)
        if size - start <= MAX_OUTPUT_LINE_BYTES and _is_record(f.read(size - start)):
            f.seek(0, os.SEEK_END)
            f.write(b"\n")
            log.info("%s: its last record lacked a newline; added", path)
        else:
            f.truncate(start)
            log.info("%s: cut a half-written last line (%d bytes) to redo it", path, size - start)


TAIL_BLOCK_BYTES = 1 << 16


def _last_line_start(f, size: int) -> int:
    """The offset just after the last newline of an open file (0: none), reading back a block at a time."""
    end = size
    while end > 0:
        begin = max(0, end - TAIL_BLOCK_BYTES)
        f.seek(begin)
        at = f.read(end - begin).rfind(b"\n")
        if at >= 0:
            return begin + at + 1
        end = begin
    return 0


def _is_record(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line.decode("utf-8")), dict)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False


def _jsonl_records(path: Path):
    """The records of a JSONL OUTPUT, each line read with a bound; unreadable lines are skipped
    (the half-written tail of an interrupted run is redone this time)."""
    from viensum.inputs import iter_jsonl

    if not path.exists():
        return
    try:
        for _, _, record, error in iter_jsonl(path, MAX_OUTPUT_LINE_BYTES):
            if error is None and isinstance(record, dict):
                yield record
            elif "limit" in (error or ""):
                log.warning("%s: skipping a line over %d bytes", path, MAX_OUTPUT_LINE_BYTES)
    except InputError:
        raise InputError(f"{path} is not a regular file; the output must be a file") from None


def _done_ids(output: Path, output_format: str, *, ok_only: bool = False) -> set[str]:
    """Ids that already have a record in OUTPUT (a rerun skips them); ``ok_only``: successful ones only."""
    def wanted(error) -> bool:
        return not ok_only or error is None

    if output_format == "jsonl":
        if output.is_dir():
            raise InputError(f"{output} is a folder; JSONL output is a single file (or pick output_format='parquet')")
        return {str(r["id"]) for r in _jsonl_records(output) if r.get("id") is not None and wanted(r.get("error"))}
    if output.exists() and not output.is_dir():
        raise InputError(f"{output} is a file; Parquet output is a folder of part files")
    import pyarrow.parquet as pq

    done = set()
    for part in _parquet_parts(output):
        table = pq.read_table(part, columns=["id", "error"])
        done.update(i for i, e in zip(table.column("id").to_pylist(), table.column("error").to_pylist())
                    if i is not None and wanted(e))
    return done


def _drop_failed(output: Path, output_format: str) -> int:
    """Remove the records of failed articles, so this run tries them again. Returns how many."""
    dropped = 0
    if output_format == "jsonl":
        if not output.is_file():
            return 0
        if not any(r.get("error") is not None for r in _jsonl_records(output)):
            return 0
        from viensum.outputs import atomic_write

        with atomic_write(output) as out:  # streamed, and the old file stays whole until the new one is
            for record in _jsonl_records(output):
                if record.get("error") is None:
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                else:
                    dropped += 1
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
