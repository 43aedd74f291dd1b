"""``viensum models``: list, download, locate models, and build tiny random test models."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser("models", help="list, download or locate models",
                                   description="Manage the local model store (see docs/MODELS.md).")
    sub = parser.add_subparsers(dest="models_command", metavar="ACTION", required=True)

    p = sub.add_parser("list", help="registered models and whether they are installed")
    p.set_defaults(func=_list)

    p = sub.add_parser("download", help="download models from the Hugging Face hub into the store",
                       description="Download one or more models into the store (only the files loading "
                                   "needs). Without network, copy the model folders from a machine that "
                                   "has them and install them with --from.")
    p.add_argument("names", nargs="+", metavar="NAME")
    p.add_argument("--from", dest="source", metavar="DIR",
                   help="install from a copied folder instead of the hub: the model's own folder, "
                        "or a folder holding NAME/ subfolders (a copied models/ store)")
    p.set_defaults(func=_download)

    p = sub.add_parser("path", help="print the folder a model loads from (exit 1 if not installed)")
    p.add_argument("name", metavar="NAME")
    p.set_defaults(func=_path)

    p = sub.add_parser("make-tiny", help="build tiny RANDOM models for tests and offline demos")
    p.add_argument("--out", required=True, help="folder to write <name>/ model folders into")
    p.add_argument("--only", nargs="+", metavar="NAME", help="build only these models")
    p.add_argument("--real-models", metavar="DIR",
                   help="a folder of real tokenizer/config files, one sub-folder per model (e.g. ../shared/real-models): "
                        "also build test models with the real vocabulary under OUT/real-vocab/<name> "
                        "(default: $VIENSUM_REAL_MODELS)")
    p.set_defaults(func=_make_tiny)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)  # pragma: no cover


def _list(args: argparse.Namespace) -> int:
    from viensum.store import list_models, models_dir

    rows = [("NAME", "PARAMS", "TASKS", "INSTALLED", "SIZE", "LOCATION")]
    for m in list_models():
        state = ("tiny (random)" if m.tiny else "yes") if m.installed else "no"
        rows.append((m.name, f"{m.params_m}M", ",".join(m.tasks), state,
                     _size(m.size_bytes) if m.installed else "-", m.location or m.hub_id))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[-1])
    print(f"\nstore: {models_dir()}  (set VIENSUM_MODELS_DIR to change it)")
    return 0


def _download(args: argparse.Namespace) -> int:
    from viensum.errors import ViensumError
    from viensum.registry import get_model
    from viensum.store import download, install_from

    names = [get_model(n).name for n in args.names]  # an unknown name stops before any download
    failed = 0
    for name in names:
        try:
            where = install_from(name, args.source) if args.source else download(name)
        except ViensumError as exc:
            if len(names) == 1:
                raise
            failed += 1
            print(f"viensum: error: {exc}", file=sys.stderr)
            continue
        print(f"{name}: {where}")
    return 1 if failed else 0


def _path(args: argparse.Namespace) -> int:
    from viensum.errors import ModelNotAvailable
    from viensum.registry import get_model
    from viensum.store import location

    where = location(get_model(args.name).name)
    if where is None:
        raise ModelNotAvailable(args.name)
    print(where)
    return 0


def _make_tiny(args: argparse.Namespace) -> int:
    from viensum.errors import InputError
    from viensum.tiny import make_tiny

    print("Building tiny RANDOMLY INITIALISED models: they load and run like the real ones, "
          "but their output is noise.", file=sys.stderr)
    try:
        if args.real_models and not Path(args.real_models).is_dir():
            raise InputError(f"--real-models {args.real_models}: no such folder")
        built = make_tiny(args.out, args.only, real_models=args.real_models)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    for name, path in built.items():
        print(f"{name}: {path}")
    print(f"Use them with: VIENSUM_MODELS_DIR={args.out} viensum ...", file=sys.stderr)
    return 0
