"""A bounded load test of the web app on loopback: N requests at once, each answered or refused.

Starts ``python app.py`` on 127.0.0.1 and a free port, with a store of tiny random
models (built into a temporary folder unless ``--store`` names one) and the hub
off, so nothing leaves the machine. One request warms the server up (models
load on first use); then N article requests are sent at the same moment through
gradio_client, each with its own time limit, and the whole burst has a deadline,
so the run always ends by itself. Every request must end as an answer or as
Gradio's "queue is full" refusal (the app queues at most ``viensum.ui.QUEUE_SIZE``
requests); anything else (an error, a timeout) makes the run fail.

The server's resident memory (the process and its children, sampled every 0.1 s)
is reported idle, after the warm-up ("start"), at its peak during the bursts, and
after a few seconds of calm following each burst ("after"): a server that holds
on to a burst's memory would show ``after`` well above ``start``, growing burst by burst. The server is stopped at the
end whatever happens.

    python benchmarks/load_app.py              # 3 bursts of 80 requests, tiny two-stage recipe
    python benchmarks/load_app.py --requests 20 --bursts 1 --recipe extractive --json

Then a burst of oversized requests (``--oversized`` N, default 16) is sent at once on raw
sockets: POSTs to the queue declaring 227 MB (half with ``Content-Length``, half chunked),
each sending up to 40 MB until the server answers and closes. Each must be refused with
413 (``viensum.httpguard``) before its body is read; the server's peak RSS during that burst
is reported beside the others.

    python benchmarks/load_app.py --requests 40 --bursts 1 --oversized 16

Ends with one line of counts and memory (the "after" reading once per burst, so
growth from burst to burst shows). Exit status 1 when any request failed or timed out.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 180


def _screenshot_module():
    """docs/img/screenshot.py starts and stops the app for the README's pictures and the app's tests."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("viensum_screenshot", ROOT / "docs" / "img" / "screenshot.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def serving(store: Path, log_path: Path, port: int | None = None):
    """``python app.py`` on 127.0.0.1:<port> with ``store`` as the model store; yields (url, pid)."""
    shots = _screenshot_module()
    port = port or shots.free_port()
    with shots.serving([sys.executable, "app.py"], port, log_path, STARTUP_SECONDS,
                       VIENSUM_MODELS_DIR=str(store), GRADIO_SERVER_NAME="127.0.0.1",
                       GRADIO_SERVER_PORT=str(port), PYTHONPATH=str(ROOT / "src")) as (url, pid):
        yield url, pid


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += p.memory_info().rss
    return total / 2**20


class _Sampler(threading.Thread):
    """Samples the server's RSS every ``interval`` seconds until stopped."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.interval, self.samples = pid, interval, []
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.samples.append(rss_mb(self.pid))
            self._stop_event.wait(self.interval)

    def stop(self) -> list[float]:
        self._stop_event.set()
        self.join()
        return self.samples


def _outcome(job, timeout: float) -> tuple[str, str]:
    """('answered' | 'refused' | 'failed' | 'timed out', detail) for one submitted job."""
    try:
        result = job.result(timeout=timeout)
    except concurrent.futures.TimeoutError:
        job.cancel()
        return "timed out", f"no answer in {timeout:.0f} s"
    except Exception as exc:  # gradio_client raises QueueError or AppError; sort them by what they say
        message = " ".join(str(exc).split())
        kind = "refused" if "queue is full" in message.lower() else "failed"
        return kind, f"{type(exc).__name__}: {message}"[:300]
    if isinstance(result, (list, tuple)) and result and result[0]:
        return "answered", ""
    return "failed", f"empty result {result!r:.200}"


def run_load(url: str, pid: int, articles: list[str], requests: int, recipe: str,
             timeout: float = 300.0, settle: float = 5.0, bursts: int = 1) -> dict:
    """Warm up, then ``bursts`` times send ``requests`` article requests at once; outcomes and memory."""
    from gradio_client import Client

    idle = rss_mb(pid)
    client = Client(url, verbose=False, max_workers=requests)
    # keyword arguments: the API's parameter names, so the test does not hang on their order
    client.predict(text=articles[0], recipe=recipe, api_name="/summarize_article")
    start_rss = rss_mb(pid)

    outcomes: list[tuple[str, str]] = []
    walls, peaks, afters = [], [], []
    try:
        for _ in range(bursts):
            sampler = _Sampler(pid)
            sampler.start()
            began = time.monotonic()
            jobs = [client.submit(text=articles[i % len(articles)], recipe=recipe, api_name="/summarize_article")
                    for i in range(requests)]
            deadline = began + timeout
            outcomes += [_outcome(job, max(1.0, deadline - time.monotonic())) for job in jobs]
            walls.append(round(time.monotonic() - began, 2))
            time.sleep(settle)  # let the queue drain and the workers go idle before the "after" reading
            peaks.append(max(sampler.stop() + [start_rss]))
            afters.append(round(rss_mb(pid)))
    finally:
        client.close()

    counts = {k: sum(o[0] == k for o in outcomes) for k in ("answered", "refused", "failed", "timed out")}
    return {
        "requests": requests * bursts, "bursts": bursts, "recipe": recipe, **counts, "wall_s": walls,
        "rss_mb": {"idle": round(idle), "start": round(start_rss), "peak": round(max(peaks)), "after": afters},
        "problems": sorted({detail for kind, detail in outcomes if kind in ("failed", "timed out")})[:10],
    }


def _oversized_post(port: int, declared: int, send_bytes: int, chunked: bool) -> str:
    """One oversized POST on a raw socket; the status line the server answered with ('' for none)."""
    import socket

    head = (b"POST /gradio_api/queue/join HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + (b"Transfer-Encoding: chunked\r\n" if chunked else b"Content-Length: %d\r\n" % declared) + b"\r\n")
    piece = b'{"data": ["' + b"x" * (1 << 20)
    if chunked:
        piece = b"%x\r\n" % len(piece) + piece + b"\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        try:
            s.sendall(head)
            for _ in range(send_bytes // (1 << 20)):
                s.sendall(piece)
        except OSError:
            pass  # answered and closed: the rest is never sent
        answer = b""
        with contextlib.suppress(OSError):
            while (data := s.recv(65536)) and b"\r\n" not in answer:
                answer += data
    return answer.split(b"\r\n", 1)[0].decode("latin-1")


def run_oversized(url: str, pid: int, requests: int, declared: int = 227_000_000,
                  send_bytes: int = 40 << 20) -> dict:
    """``requests`` oversized POSTs at once: how many were refused with 413, the wall time, the server's peak RSS."""
    port = int(url.rsplit(":", 1)[1])
    before = rss_mb(pid)
    sampler = _Sampler(pid)
    sampler.start()
    began = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(requests) as pool:
        statuses = list(pool.map(lambda k: _oversized_post(port, declared, send_bytes, chunked=k % 2 == 1),
                                 range(requests)))
    wall = round(time.monotonic() - began, 2)
    peak = max(sampler.stop() + [before])
    refused = sum(s.startswith("HTTP/1.1 413") for s in statuses)
    return {"requests": requests, "declared_bytes": declared, "refused_413": refused, "wall_s": wall,
            "rss_mb": {"before": round(before), "peak": round(peak), "after": round(rss_mb(pid))},
            "other": sorted(set(s for s in statuses if not s.startswith("HTTP/1.1 413")))[:5]}


def summary_line(r: dict) -> str:
    m = r["rss_mb"]
    per_burst = lambda values: ", ".join(str(v) for v in values)  # noqa: E731
    return (f"{r['requests']} requests in {r['bursts']} burst(s): {r['answered']} answered, "
            f"{r['refused']} refused (queue full), {r['failed']} failed, {r['timed out']} timed out; "
            f"burst wall s {per_burst(r['wall_s'])}; RSS MB idle {m['idle']}, start {m['start']}, "
            f"peak {m['peak']}, after each burst {per_burst(m['after'])}")


def seed_articles() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=80, help="requests sent at once (default 80)")
    parser.add_argument("--recipe", default="two-stage", help="recipe asked for (default: two-stage, tiny models)")
    parser.add_argument("--bursts", type=int, default=3, help="bursts, one after the other (default 3)")
    parser.add_argument("--timeout", type=float, default=300.0, help="deadline for each burst, s")
    parser.add_argument("--store", type=Path, help="model store to serve (default: tiny models built now)")
    parser.add_argument("--oversized", type=int, default=16,
                        help="oversized requests sent at once after the bursts (default 16; 0: none)")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= 500 or not 1 <= args.bursts <= 20:
        parser.error("--requests must be between 1 and 500, --bursts between 1 and 20")

    with tempfile.TemporaryDirectory(prefix="viensum-load-") as tmp:
        store = args.store
        if store is None:
            sys.path.insert(0, str(ROOT / "src"))
            from viensum.tiny import make_tiny

            store = Path(tmp) / "models"
            make_tiny(store)
        with serving(store, Path(tmp) / "server.log") as (url, pid):
            result = run_load(url, pid, seed_articles(), args.requests, args.recipe, timeout=args.timeout,
                              bursts=args.bursts)
            if args.oversized:
                result["oversized"] = run_oversized(url, pid, args.oversized)
    if args.json:
        print(json.dumps(result, indent=2))
    print(summary_line(result))
    for problem in result["problems"]:
        print(f"  problem: {problem}")
    big = result.get("oversized")
    if big:
        print(f"{big['requests']} oversized requests ({big['declared_bytes']:,} bytes declared) at once: "
              f"{big['refused_413']} refused with 413 in {big['wall_s']} s; server RSS MB before {big['rss_mb']['before']}, "
              f"peak {big['rss_mb']['peak']}, after {big['rss_mb']['after']}")
    ok_big = not big or big["refused_413"] == big["requests"]
    return 0 if result["failed"] == 0 and result["timed out"] == 0 and ok_big else 1


if __name__ == "__main__":
    sys.exit(main())
