"""How a web-app handler's failure reaches the browser: one line, never a traceback or a server path.

A :class:`~viensum.errors.ViensumError` keeps its own message (file paths reduced to their
names, a missing model reduced to the command that installs it); any other exception is
logged here and shown as a generic failure. :func:`for_the_page` keeps a failure in the
tab's status line until the next run.
"""
from __future__ import annotations

import functools
import html
import inspect
import logging
import re
from collections.abc import Callable

from viensum.errors import ModelNotAvailable, ViensumError

log = logging.getLogger(__name__)


def _hide_paths(message: str) -> str:
    """Reduce absolute paths (server temp folders, upload caches) to their last part."""
    return re.sub(r"(?<![\w.~])/(?:[^\s/:;,'\"`()]+/)+([^\s/:;,'\"`()]*)", r"\1", message)


def _public_message(exc: ViensumError) -> str:
    if isinstance(exc, ModelNotAvailable):
        # the CLI's message names the store folder and environment variables: not for the browser
        return (f"The model {exc.name} is not installed on this server. "
                f"To install it there, run: viensum models download {exc.name}")
    return _hide_paths(str(exc))


def _user_errors(fn: Callable) -> Callable:
    """Turn every failure of a handler (a plain or a generator function) into a one-line ``gr.Error``."""

    def translate(exc: BaseException):
        import gradio as gr

        if isinstance(exc, gr.Error):
            return exc
        if isinstance(exc, ViensumError):
            return gr.Error(_public_message(exc), print_exception=False)
        # the details belong in the server log, not in the browser
        log.exception("unexpected error in %s", fn.__name__, exc_info=exc)
        return gr.Error("Something went wrong on the server; the details are in its log.", print_exception=False)

    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def generator(*args, **kwargs):
            try:
                yield from fn(*args, **kwargs)
            except GeneratorExit:  # the Stop button, or a closed page
                raise
            except Exception as exc:
                raise translate(exc) from None
        return generator

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            raise translate(exc) from None

    return wrapper


def error_status(message: str) -> str:
    """A failure as the status line shows it until the next run: escaped (``<id>.txt`` stays text),
    `backticked` parts as code."""
    shown = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(message, quote=False))
    return f"<p class='vs-error' role='alert'>⚠ {shown}</p>"


def for_the_page(fn: Callable, status_at: int, count: int) -> Callable:
    """The page's version of a handler: a failure goes to output ``status_at`` (the status line) and
    stays there until the next run, the other outputs are left as they are (no error badges over
    them). The API endpoint keeps the handler itself, which raises ``gr.Error``."""

    @functools.wraps(fn)
    def page(*args, **kwargs):
        import gradio as gr

        try:
            result = fn(*args, **kwargs)
            if inspect.isgenerator(result):
                yield from result
            else:
                yield result
        except gr.Error as exc:
            values = [gr.skip()] * count
            values[status_at] = error_status(str(exc.message))
            yield tuple(values)

    return page
