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


class FetchError(InputError):
    """A page or feed could not be fetched; ``reason`` is one line for the user, ``url`` what was asked for.

    Each kind below is one per-item record (its article fails, the others go on).
    """

    kind = "fetch"

    def __init__(self, reason: str, url: str | None = None) -> None:
        self.reason = reason
        self.url = url
        super().__init__(reason)


class BlockedURL(FetchError):
    """Refused by the address policy (server-side request forgery guard) or not an http(s) URL."""

    kind = "blocked"


class RobotsDisallowed(FetchError):
    """The site's robots.txt forbids fetching this path."""

    kind = "robots"


class FetchTimeout(FetchError):
    """The server did not answer, or not completely, in time."""

    kind = "timeout"


class HTTPStatusError(FetchError):
    """The server answered with an error status (404, 5xx...)."""

    kind = "status"

    def __init__(self, reason: str, url: str | None = None, status: int = 0) -> None:
        self.status = status
        super().__init__(reason, url)


class NotHTML(FetchError):
    """The response is not a web page (or, where a feed was expected, not a feed)."""

    kind = "type"


class TooLarge(FetchError):
    """The response is over the size cap (refused without reading it all)."""

    kind = "size"


class TooManyRedirects(FetchError):
    """More redirects than the limit, or a redirect loop."""

    kind = "redirects"
