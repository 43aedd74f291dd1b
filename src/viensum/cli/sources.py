"""The options of commands that read links, feeds and section pages: ``--limit`` and ``--since``."""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import re

from viensum.errors import InputError


def add_source_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=int, metavar="N",
                   help="take at most N articles from each feed or section page")
    p.add_argument("--since", metavar="DATE",
                   help="only articles published on or after DATE (YYYY-MM-DD, or Nd for the last N days): "
                        "a feed's dates, else each page's own")


def parse_since(value: str | None, today: dt.date | None = None) -> str | None:
    """``--since`` as an ISO date: ``2024-05-01``, or ``3d`` (three days before today)."""
    if value is None:
        return None
    value = value.strip()
    if match := re.fullmatch(r"(\d{1,4})d", value):
        return ((today or dt.date.today()) - dt.timedelta(days=int(match.group(1)))).isoformat()
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise InputError(f"--since must be a date such as 2024-05-01 or 3d, not {value!r}") from None


def source_limits(args: argparse.Namespace, limits):
    """``limits`` with the command's ``--limit`` and ``--since``."""
    if args.limit is not None and args.limit < 1:
        raise InputError("--limit must be at least 1")
    return dataclasses.replace(limits, links=args.limit, since=parse_since(args.since))
