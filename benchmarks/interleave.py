"""Time configurations side by side in one process: every one warmed up, then each repetition runs them all
in a rotated order, wall and CPU time; the table compares each with the first. Used by schedule.py and
ct2_settings.py."""
from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def interleave(configs: dict[str, Callable[[], object]], reps: int, items: int, unit: str) -> None:
    """Run ``configs`` ``reps`` times each, interleaved, and print the table (``items`` ``unit`` per run)."""
    for fn in configs.values():  # warm-up: every translator loaded, caches filled
        fn()
    wall: dict[str, list[float]] = {k: [] for k in configs}
    cpu: dict[str, list[float]] = {k: [] for k in configs}
    names = list(configs)
    for rep in range(reps):
        for name in names[rep % len(names):] + names[:rep % len(names)]:
            c0, t0 = cpu_seconds(), time.perf_counter()
            configs[name]()
            wall[name].append(time.perf_counter() - t0)
            cpu[name].append(cpu_seconds() - c0)
        print(f"rep {rep + 1}: " + ", ".join(f"{k} {wall[k][-1]:.1f}s" for k in names), flush=True)
    base_wall, base_cpu = statistics.median(wall[names[0]]), statistics.median(cpu[names[0]])
    print(f"\n{items} {unit}, {reps} repetitions\n")
    print(f"| configuration | median wall s | {unit}/s | vs first (wall) | median CPU s | vs first (CPU) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in names:
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        print(f"| {name} | {w:.2f} | {items / w:.2f} | {base_wall / w:.2f}x | {c:.2f} | {base_cpu / c:.2f}x |")
