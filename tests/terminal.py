"""Run a command in a real terminal (a pseudo-terminal with a size) and read what the terminal got."""
from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import termios
import time


def run_in_terminal(argv: list[str], *, env: dict | None = None, cwd=None, typed: bytes = b"",
                    rows: int = 30, cols: int = 100, timeout: float = 300) -> tuple[int, str]:
    """(exit status, everything written to the terminal); ``typed`` is what the user types (Ctrl-D: b"\\x04")."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    attrs = termios.tcgetattr(slave)
    attrs[3] &= ~termios.ECHO  # what the user types is not echoed: the screen holds only the command's output
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd, close_fds=True)
    os.close(slave)
    if typed:
        os.write(master, typed)
    out = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the command ended and closed the terminal
                    break
                if not chunk:
                    break
                out += chunk
            elif proc.poll() is not None:
                break
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        os.close(master)
    return proc.returncode, out.decode("utf-8", "replace")


def frames(screen: str) -> list[str]:
    """The states a redrawn line went through (tqdm redraws with a carriage return)."""
    return [part.strip() for line in screen.split("\n") for part in line.split("\r") if part.strip()]
