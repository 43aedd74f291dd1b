"""``python app.py`` and ``viensum serve``: the same options, the same one-line errors, the same start-up notes."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = {"app.py": [sys.executable, "app.py"], "serve": [sys.executable, "-m", "viensum", "serve"]}


@pytest.fixture
def busy_port():
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        yield held.getsockname()[1]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_busy_port_is_one_line_naming_the_option(command, busy_port, tmp_path):
    env = {**os.environ, "VIENSUM_MODELS_DIR": str(tmp_path / "store"), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([*COMMANDS[command], "--port", str(busy_port)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if "error" in line.lower()]
    assert errors == [f"viensum: error: port {busy_port} on 127.0.0.1 is in use (another viensum app?); "
                      "stop it, or pick another port with --port N"]
    assert "Traceback" not in proc.stderr and "GRADIO_SERVER_PORT" not in proc.stderr
    # before anything else: the app has no English model, and the command that installs one
    assert proc.stderr.startswith("viensum: no English model is installed, so the app gives extractive "
                                  "Vietnamese summaries only; to get English, run:\n  viensum models download ")


def test_app_py_has_the_serve_options():
    proc = subprocess.run([sys.executable, "app.py", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0
    assert all(option in proc.stdout for option in ("--port", "--host", "--share"))
