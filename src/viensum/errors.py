"""Typed errors: every failure a user can cause or meet is one of these.

The CLI turns them into a one-line message and a non-zero exit, the web UI
into ``gr.Error``; library callers catch :class:`ViensumError`.
"""
from __future__ import annotations


class ViensumError(Exception):
    """Base class of every error viensum raises on purpose."""


class InputError(ViensumError, ValueError):
    """The input cannot be processed: empty, binary, too large, not an article."""


class TotalLimitError(InputError):
    """The input as a whole is over a limit (all files together): the run is refused, not one item."""


class ModelNotAvailable(ViensumError):
    """A model was asked for that is neither in the local store nor downloadable."""

    def __init__(self, name: str, detail: str = "") -> None:
        self.name = name
        self.detail = detail
        hint = f"install it with: viensum models download {name}"
        msg = f"model '{name}' is not available locally"
        if detail:
            msg += f" ({detail})"
        super().__init__(f"{msg}; {hint}")
