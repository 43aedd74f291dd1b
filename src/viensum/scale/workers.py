"""The two stages on Ray: stage 2 (:func:`viensum.stages.prepare`) in CPU map tasks, stages 3 and 4
in an actor pool of :class:`SummarizerWorker` s, each holding one Summarizer; the dataset that
joins them."""
from __future__ import annotations

import json
import logging
import os
from typing import Any

from viensum.errors import ViensumError
from viensum.options import Options
from viensum.scale.source import _read

log = logging.getLogger(__name__)

# settings the workers need to find models the way the driver does
_FORWARDED_ENV_PREFIXES = ("VIENSUM_", "HF_", "TRANSFORMERS_")


def build_dataset(ray, source, done, options, *, num_workers, num_gpus, num_cpus):
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
