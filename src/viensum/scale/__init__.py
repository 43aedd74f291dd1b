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

The package, one job per module:

* this module: :func:`run_ray`, the driver: arguments checked, OUTPUT locked, Ray started or joined;
* :mod:`~viensum.scale.source`: what a run reads: local items listed by :mod:`viensum.inputs`,
  Parquet, or a remote URI for Ray's own readers, checked against OUTPUT;
* :mod:`~viensum.scale.workers`: the two stages on Ray: :func:`viensum.stages.prepare` in CPU tasks,
  :class:`SummarizerWorker` (one Summarizer per model replica) in an actor pool;
* :mod:`~viensum.scale.output`: OUTPUT written as records come (JSON Lines, Parquet part files),
  and read back to resume (the ids done, the failed records dropped for ``retry_failed``).
"""
from __future__ import annotations

import contextlib
import importlib
import logging
import os
import re
import time
from pathlib import Path
from typing import Any

from collections.abc import Callable

from viensum import outputs
from viensum.errors import InputError, ViensumError
from viensum.options import Options, as_options
from viensum.scale.output import MAX_OUTPUT_LINE_BYTES, PARQUET_ROWS_PER_FILE, consume, done_ids
from viensum.scale.source import resolve_input
from viensum.scale.workers import SummarizerWorker, build_dataset
from viensum.summarizer import progress_reporter

log = logging.getLogger(__name__)

RAY_HINT = "install the ray extra: pip install 'viensum[ray]'"
OUTPUT_FORMATS = ("jsonl", "parquet")


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
    source = resolve_input(input_path, input_format, output, output_format)
    outputs.check_writable(output)  # a read-only or full disk is found now, not after the first batch
    with outputs.output_lock(output):  # one run at a time appends to OUTPUT: each id lands once
        done = done_ids(output, output_format, ok_only=retry_failed)
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
        ds = build_dataset(ray, source, done, options, num_workers=num_workers, num_gpus=num_gpus,
                           num_cpus=num_cpus)
        stats = consume(ds, output, output_format, retry_failed=retry_failed,
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


__all__ = ["AUTH_HINT", "MAX_OUTPUT_LINE_BYTES", "OUTPUT_FORMATS", "PARQUET_ROWS_PER_FILE", "RAY_HINT",
           "SummarizerWorker", "join_error", "run_ray"]
