"""Shared fixtures: the sample articles, fake models, and a store of tiny real models."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["webserver"]  # the local web server and fetcher fixtures of the fetching tests (tests/webserver.py)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_files() -> list[Path]:
    assert len(SEED_FILES) == 5, "the five sample articles belong in seeds/"
    return SEED_FILES


@pytest.fixture(scope="session")
def seed_texts(seed_files) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in seed_files}


@pytest.fixture
def fake_recipes():
    """The fake backend, models and recipes (tests/fakes.py), registered for one test and removed after it."""
    from fakes import FakeBackend, register_fakes, unregister_fakes

    from viensum.summarize import clear_cache

    clear_cache()
    FakeBackend.instances.clear()
    yield register_fakes()
    unregister_fakes()
    clear_cache()


@pytest.fixture(scope="session")
def tiny_store(tmp_path_factory) -> Path:
    """A model store holding a tiny random model of every registered architecture.

    Built once per session with the same code as ``viensum models make-tiny``,
    and made the active store through ``VIENSUM_MODELS_DIR`` so every test
    loads models by name through the path users hit.
    """
    from viensum.tiny import make_tiny

    out = tmp_path_factory.mktemp("tiny-models")
    make_tiny(out)
    old = os.environ.get("VIENSUM_MODELS_DIR")
    os.environ["VIENSUM_MODELS_DIR"] = str(out)
    yield out
    if old is None:
        os.environ.pop("VIENSUM_MODELS_DIR", None)
    else:
        os.environ["VIENSUM_MODELS_DIR"] = old


@pytest.fixture
def no_models(tmp_path, monkeypatch):
    """An empty model store with the hub out of reach: nothing is installed."""
    from viensum.backends import clear_cache

    monkeypatch.setenv("VIENSUM_MODELS_DIR", str(tmp_path / "empty-store"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    clear_cache()
    yield
    clear_cache()


@pytest.fixture(scope="module")
def ray_local():
    from require import require_module

    ray = require_module("ray", "pip install -e '.[ray]'")
    import ray.data

    # the workers import the test-only fake backend (tests/fakes.py) by name: put tests/ on their path
    tests_dir = str(Path(__file__).resolve().parent)
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (tests_dir, old) if p)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield ray
    ray.shutdown()
    if old is None:
        os.environ.pop("PYTHONPATH", None)
    else:
        os.environ["PYTHONPATH"] = old


@pytest.fixture
def dns(monkeypatch):
    """A fake resolver for the fetch guard: fill ``dns[host] = [addresses]``; other names do not resolve."""
    from viensum.errors import BlockedURL
    from viensum.fetch import guard

    table: dict[str, list[str]] = {}

    def resolve(host, port):
        if host not in table:
            raise BlockedURL(f"cannot resolve host {host!r}")
        return table[host]

    monkeypatch.setattr(guard, "resolve", resolve)
    return table
