"""Perturbation benchmark of viensum.check: are changed numbers, dates and names caught, and faithful summaries left alone?

    PYTHONPATH=src python benchmarks/fact_check.py [--json] [--article page|cleaned|gold]

Pairs: the hand-written references seeds/refs/*.{en,vi}.txt against their gold article text
tests/data/gold/*.txt (saved page seeds/*.txt), and ../shared/cleaning-dev/refs/NN.{en,vi}.txt
against ../shared/cleaning-dev/pages/NN.gold.txt (saved page NN.input.*; third-party text: read
from there, never copied). The article each reference is checked against is, by default, the gold
text with what the cleaner reads from the saved page beside it (its date, and the captions, date
lines, byline and credits it keeps aside), as a user checking against the page has it; ``--article
cleaned`` checks against the cleaner's output itself, ``--article gold`` against the dated gold text.

For each faithful reference, copies with ONE number, date or name changed to a value the article
does not contain; and a harder set reported apart: a name swapped with another name of the same
article of the same shape, a number replaced by another quantity of the article's text. The targets are found here with
simple patterns of their own (digits, month names, day/month, capitalised words that the article
has), not with the checker's readers, and replacements come from generic pools (Vietnamese names
and provinces, foreign names, places and companies), so nothing is keyed to these references' words.
Also measured: the naive presence check of issue 25 (every digit string and capitalised name must
occur in the article after removing diacritics). Results: docs/CHECKING.md.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("VIENSUM_SHARED") or ROOT.parent / "shared") / "cleaning-dev"
KINDS = ("number", "date", "name")
HARD = ("swap-name", "move-number")
ARTICLE_MODES = {"page": "gold text with the saved page's date, captions and credits as the cleaner reads them",
                 "cleaned": "the cleaner's output of each saved page", "gold": "gold text with the page's date"}

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
SURNAMES = ["Nguyễn", "Trần", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý", "Trịnh"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Quang", "Ngọc", "Xuân", "Kim"]
GIVEN = ["Bình", "Cường", "Dũng", "Giang", "Hùng", "Khoa", "Lan", "Linh", "Phong", "Quân", "Sơn", "Trang", "Yến",
         "Hiếu", "Thảo", "Khánh"]
PROVINCES = ["Nghệ An", "Thanh Hóa", "Quảng Ninh", "Lâm Đồng", "Gia Lai", "Cà Mau", "Bắc Ninh", "Kiên Giang",
             "Sơn La", "Phú Yên", "Hà Tĩnh", "Lạng Sơn"]
FOREIGN = {1: ["Vienna", "Manila", "Sydney", "Madrid", "Toronto", "Samsung", "Toyota", "Heineken", "Carlsberg"],
           2: ["John Miller", "Maria Garcia", "Peter Novak", "Kenji Tanaka", "Sarah Dubois", "Rio de Janeiro"],
           3: ["Anna Maria Rossi", "Jean Paul Martin"]}
ACRONYMS = ["MSN", "HPG", "FPT", "VNM", "BID", "OECD", "UNDP", "NATO", "SAB", "GAS"]


def fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


@dataclass
class Case:
    id: str
    lang: str
    article: str
    summary: str
    kind: str = "faithful"
    new: str = ""        # the replacement as written in the summary
    old: str = ""


def load_pairs(article: str = "page") -> list[tuple[str, str, str, str]]:
    """(id, lang, article text, reference) for every reference; the checker's Article is kept in ARTICLES.

    What the article is (``article``):
    * ``page`` (the default): the gold text (the article as a correct cleaner gives it) with what the
      cleaner reads from the saved page beside it: the date, and the lines of the page it keeps aside
      (photo captions, date lines, byline, credits; :func:`viensum.check.index.page_lines`). This is
      what a user checking against the page has, less the cleaner's own misses;
    * ``cleaned``: exactly what :func:`viensum.clean.clean_article` makes of the saved page (so a
      paragraph the cleaner drops is missing here too);
    * ``gold``: the gold text under the date the cleaner reads (the gold text drops date lines).
    The text returned is all of it (date, text, page lines): changes are made against it and the
    naive check reads it.
    """
    pairs = []
    for ref in sorted((ROOT / "seeds" / "refs").glob("*.*.txt")):
        stem, lang = ref.name.split(".")[:2]
        gold = ROOT / "tests" / "data" / "gold" / f"{stem}.txt"
        if gold.is_file():
            text = _article(gold, ROOT / "seeds" / f"{stem}.txt", article)
            pairs.append((stem, lang, text, ref.read_text(encoding="utf-8").strip()))
    if not (SHARED / "refs").is_dir():
        raise FileNotFoundError(f"no cleaning development set at {SHARED}")
    for ref in sorted((SHARED / "refs").glob("*.*.txt")):
        nn, lang = ref.name.split(".")[:2]
        page = next(iter(sorted((SHARED / "pages").glob(f"{nn}.input.*"))), None)
        text = _article(SHARED / "pages" / f"{nn}.gold.txt", page, article)
        pairs.append((f"dev{nn}", lang, text, ref.read_text(encoding="utf-8").strip()))
    return pairs


_CLEANED: dict[Path, object] = {}
ARTICLES: dict[str, object] = {}  # article text of a case -> the Article the checker is given


def _cleaned(page: Path | None):
    if page is None or not page.is_file():
        return None
    if page not in _CLEANED:
        from viensum.clean import clean_article

        try:
            _CLEANED[page] = clean_article(page.read_bytes())
        except Exception:  # a page the cleaner refuses: the gold text alone
            _CLEANED[page] = None
    return _CLEANED[page]


def _article(gold: Path, page: Path | None, mode: str) -> str:
    """The article of one reference as the checker gets it (kept in ARTICLES); its text is returned."""
    import dataclasses

    from viensum.check.index import page_lines
    from viensum.translate import as_article

    cleaned = _cleaned(page)
    if mode == "cleaned" and cleaned is not None:
        article = cleaned
    else:
        article = as_article(gold.read_text(encoding="utf-8"), clean=False)
        if cleaned is not None:  # the date (and for "page" the lines beside the text) as the cleaner reads them
            article = dataclasses.replace(article, date=cleaned.date)
            if mode == "page":
                article = dataclasses.replace(article, removed=cleaned.removed, byline=cleaned.byline,
                                              source=cleaned.source, url=cleaned.url, site=cleaned.site)
    text = "\n".join([article.date or "", article.text, *page_lines(article)])
    ARTICLES[text] = article
    return text


# ---- targets, found with the benchmark's own patterns

_MON = "|".join(MONTHS)
DATE_PATTERNS = {
    "en": [rf"\b(?P<d>\d{{1,2}}) (?P<mon>{_MON})\b", rf"\b(?P<mon>{_MON}) (?P<d>\d{{1,2}})\b",
           r"(?<![\d.,])(?P<y>(?:19|20)\d\d)(?![\d.,])", r"(?P<time>\d{1,2}[:h]\d\d)"],
    "vi": [r"(?<![\d/.,])(?P<d>\d{1,2})[/-](?P<m>\d{1,2})(?![\d/])", r"năm (?P<y>(?:19|20)\d\d)\b",
           r"(?<![\d.,/])(?P<y>(?:19|20)\d\d)(?![\d.,])", r"(?P<time>\d{1,2}[:h]\d\d)"],
}
NUM_RE = re.compile(r"(?<![\w/.,-])\d+(?:[.,]\d+)*(?![\w/]|[.,]\d|-\d)")
_WORD = re.compile(r"[^\W\d_][\w'’-]*(?:\.[^\W\d_][\w'’-]*)*")


def cap_runs(text: str) -> list[tuple[int, int, str]]:
    """Runs of words written with a capital first letter, separated by single spaces."""
    runs: list[list[re.Match[str]]] = []
    for m in _WORD.finditer(text):
        if not m.group()[0].isupper():
            continue
        if runs and text[runs[-1][-1].end():m.start()] == " ":
            runs[-1].append(m)
        else:
            runs.append([m])
    return [(r[0].start(), r[-1].end(), text[r[0].start():r[-1].end()]) for r in runs]


def date_targets(text: str, lang: str) -> list[re.Match[str]]:
    found: list[re.Match[str]] = []
    for pattern in DATE_PATTERNS[lang]:
        for m in re.finditer(pattern, text):
            if not any(m.start() < f.end() and f.start() < m.end() for f in found):
                found.append(m)
    return found


def number_targets(text: str, lang: str) -> list[re.Match[str]]:
    dates = date_targets(text, lang)
    return [m for m in NUM_RE.finditer(text)
            if not any(m.start() < d.end() and d.start() < m.end() for d in dates) and not re.fullmatch(r"(19|20)\d\d", m.group())]


def name_targets(text: str, article: str) -> list[tuple[int, int, str]]:
    """Capitalised runs (not opening a sentence) whose longest piece the article has, without diacritics."""
    folded_article = " " + " ".join(re.findall(r"\w+", fold(article))) + " "
    out = []
    for start, _, run in cap_runs(text):
        if start == 0 or re.search(r"[.!?]\s*$", text[:start]):
            continue
        words = list(re.finditer(r"[\w'’-]+", run))
        best = None
        for i in range(len(words)):
            for j in range(len(words), i, -1):
                piece = run[words[i].start():words[j - 1].end()]
                piece = re.sub(r"['’]s$", "", piece)
                key = " " + " ".join(re.findall(r"\w+", fold(piece))) + " "
                if key.strip() and key in folded_article and any(ch.isalpha() for ch in piece):
                    if best is None or len(piece) > len(best[2]):
                        best = (start + words[i].start(), start + words[i].start() + len(piece), piece)
                    break
        if best and not re.fullmatch(rf"(?:{_MON})", best[2]):
            out.append(best)
    return out


# ---- replacements

def _article_has_number(article: str, value: float, step: float) -> bool:
    """The article has the value, or one that rounds to it at the precision it is written with."""
    from viensum.check.numbers import parse_number

    for m in NUM_RE.finditer(article):
        for lang in ("vi", "en"):
            v = parse_number(m.group(), lang)[0]
            if v and (abs(v - value) <= 0.011 * max(abs(value), 1e-9) or abs(v - value) <= step):
                return True
    return False


def changed_number(raw: str, lang: str, article: str, rng: random.Random) -> str | None:
    from viensum.check.numbers import parse_number

    value, step = parse_number(raw, lang)
    for _ in range(40):
        new = value + step * rng.choice([1, 2, 3, 4, 6, 7, 9]) * rng.choice([1, -1]) * (1 + (value > 50) * rng.randint(0, 5))
        if new <= 0 or _article_has_number(article, new, step) or abs(new - value) < step / 2:
            continue
        decimals = max(0, -round(__import__("math").log10(step))) if step < 1 else 0
        text = f"{new:,.{decimals}f}"
        if lang == "vi":
            text = text.replace(",", "_").replace(".", ",").replace("_", ".")
        if raw.isdigit() and len(raw) == 4 and "." not in text and "," not in text:
            pass
        if text not in article and text != raw:
            return text.replace(",", "") if ("," not in raw and "." not in raw and lang == "en") else \
                (text.replace(".", "") if ("," not in raw and "." not in raw) else text)
    return None


def changed_date(m: re.Match[str], lang: str, article: str, rng: random.Random) -> str | None:
    g = m.groupdict()
    text = m.group()
    if g.get("y"):
        for k in rng.sample([1, 2, 3, -1, -2, -3], 6):
            y = str(int(g["y"]) + k)
            if y not in article:
                return text.replace(g["y"], y)
        return None
    month = MONTHS.index(g["mon"]) + 1 if g.get("mon") else int(g["m"])
    for _ in range(40):
        d = rng.randint(1, 28)
        if str(d) == g["d"]:
            continue
        forms = [f"{d}/{month}", f"{d}-{month}", f"ngày {d} tháng {month}", f"{d:02d}/{month:02d}", f"{d}/{month:02d}"]
        if not any(re.search(rf"(?<![\d]){re.escape(f)}(?![\d])", article) for f in forms):
            return text[:m.start("d") - m.start()] + str(d) + text[m.end("d") - m.start():]
    return None


def changed_name(old: str, lang: str, article: str, rng: random.Random) -> str | None:
    words = old.split()
    folded_article = fold(article)
    vietnamese = lang == "vi" or fold(old) != old.lower() or _looks_vietnamese(old, article)
    for _ in range(40):
        if re.fullmatch(r"[A-Z]{2,5}", old):
            new = rng.choice(ACRONYMS)
        elif vietnamese:
            if len(words) >= 3:
                new = " ".join([rng.choice(SURNAMES)] + [rng.choice(MIDDLE)] * (len(words) - 2) + [rng.choice(GIVEN)])
            elif len(words) == 2:
                new = rng.choice(PROVINCES + [f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"])
            else:
                new = rng.choice(GIVEN)
            if lang == "en":
                new = unicodedata.normalize("NFC", "".join(ch for ch in unicodedata.normalize("NFD", new.replace("Đ", "D").replace("đ", "d"))
                                                           if not unicodedata.combining(ch)))
        else:
            new = rng.choice(FOREIGN.get(min(len(words), 3)))
        if fold(new) not in folded_article and fold(new) != fold(old):
            return new
    return None


def _looks_vietnamese(name: str, article: str) -> bool:
    """The name is written in the article with Vietnamese diacritics."""
    pattern = r"\s+".join(re.escape(w) for w in re.findall(r"\w+", fold(name)))
    for m in re.finditer(r"[\w\s]+", article):
        chunk = m.group()
        if re.search(pattern, fold(chunk)):
            start = re.search(pattern, fold(chunk)).start()
            piece = chunk[start:start + len(name) + 10]
            return fold(piece) != piece.lower()
    return False


# ---- the cases

def cases(seed: int = 25, article: str = "page") -> list[Case]:
    rng = random.Random(seed)
    out: list[Case] = []
    for id_, lang, article, ref in load_pairs(article):
        out.append(Case(id_, lang, article, ref))
        for m in number_targets(ref, lang):
            new = changed_number(m.group(), lang, article, rng)
            if new:
                out.append(Case(id_, lang, article, ref[:m.start()] + new + ref[m.end():], "number", new, m.group()))
        for m in date_targets(ref, lang):
            new = changed_date(m, lang, article, rng) if not m.groupdict().get("time") else None
            if new:
                out.append(Case(id_, lang, article, ref[:m.start()] + new + ref[m.end():], "date", new, m.group()))
        names = name_targets(ref, article)
        for start, end, old in names:
            new = changed_name(old, lang, article, rng)
            if new:
                out.append(Case(id_, lang, article, ref[:start] + new + ref[end:], "name", new, old))
        out.extend(_hard_cases(id_, lang, article, ref, names, rng))
    return out


def _hard_cases(id_, lang, article, ref, names, rng) -> list[Case]:
    """A name of the summary swapped for another name of the article's text, of the same shape (an acronym
    for an acronym, two words for two words, a foreign word for a foreign word); a number for another
    quantity of its text (not a time or date, not the same value)."""
    from viensum.check.numbers import parse_number

    out = []
    body = ARTICLES[article].text
    others = sorted({n for _, _, n in name_targets(body.replace("\n", " . "), body)} - {n for *_, n in names})
    for start, end, old in [n for n in names if _shape(n[2])][:3]:
        pool = [o for o in others if _shape(o) == _shape(old) and fold(o) not in fold(ref) and fold(o) != fold(old)]
        if pool:
            new = rng.choice(pool)
            new = _plain(new) if lang == "en" and fold(old) == old.lower() else new
            out.append(Case(id_, lang, article, ref[:start] + new + ref[end:], "swap-name", new, old))
    quantities = [m.group() for m in NUM_RE.finditer(body) if not re.fullmatch(r"(19|20)\d\d", m.group())
                  and body[m.end():m.end() + 1] not in (":", "h", "/") and body[m.start() - 1:m.start()] not in (":", "/")]
    for m in number_targets(ref, lang)[:3]:
        old_value = parse_number(m.group(), lang)[0]
        pool = [n for n in quantities if n not in ref and len(n) > 1 and parse_number(n, "vi")[0] != old_value]
        if pool:
            new = rng.choice(pool)
            if lang == "en":
                value, step = parse_number(new, "vi")
                new = f"{value:,.{max(0, len(new.split(',')[1]) if ',' in new else 0)}f}"
            out.append(Case(id_, lang, article, ref[:m.start()] + new + ref[m.end():], "move-number", new, m.group()))
    return out


_SYLLABLE = re.compile(r"[bcdghklmnpqrstvx]{0,3}[aeiouy]{1,3}[cghmnpt]{0,2}")


def _shape(name: str) -> str | None:
    """acronym, N words, or foreign (one word that is no Vietnamese syllable); None for a lone Vietnamese
    syllable, which is a piece of a longer name ("Tổ chức Di cư Quốc tế" gives "Tổ", "Di", "Quốc")."""
    if re.fullmatch(r"[A-ZĐ][A-ZĐ0-9.&-]+", name):
        return "acronym"
    if len(name.split()) > 1:
        return f"{len(name.split())} words"
    return None if _SYLLABLE.fullmatch(fold(name)) else "foreign"


def _plain(name: str) -> str:
    """As an English writer gives a Vietnamese name: no diacritics, case kept (Hà Nội -> Ha Noi)."""
    name = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return unicodedata.normalize("NFC", "".join(ch for ch in name if not unicodedata.combining(ch)))


# ---- the two checkers

def naive_problems(summary: str, article: str, lang: str) -> list[str]:
    """Issue 25's naive check: every digit string and capitalised name must occur in the article (no diacritics).

    The article text here holds its date line (and, from a page, the page lines beside it) too.
    """
    folded = fold(article)
    flat = " " + " ".join(re.findall(r"\w+", folded)) + " "
    problems = [m.group() for m in NUM_RE.finditer(summary) if m.group() not in article]
    for start, _, run in cap_runs(summary):
        if start == 0 or re.search(r"[.!?]\s*$", summary[:start]):
            continue
        key = " " + " ".join(re.findall(r"\w+", fold(re.sub(r"['’]s$", "", run)))) + " "
        if key.strip() and key not in flat:
            problems.append(run)
    return problems


def viensum_problems(summary: str, article: str, lang: str) -> list[str]:
    import viensum

    return [p.text for p in viensum.check(summary, ARTICLES[article], lang=lang).problems]


def caught(problems: list[str], case: Case) -> bool:
    new = fold(case.new)
    return any(new in fold(p) or (fold(p) and fold(p) in new) for p in problems)


def run(checker, all_cases: list[Case]) -> dict:
    """caught/total per kind and language, problems per faithful summary, seconds per summary."""
    stats: dict = {"caught": {}, "faithful": {}, "seconds": []}
    for case in all_cases:
        t0 = time.perf_counter()
        problems = checker(case.summary, case.article, case.lang)
        stats["seconds"].append(time.perf_counter() - t0)
        if case.kind == "faithful":
            n, total = stats["faithful"].get(case.lang, (0, 0))
            stats["faithful"][case.lang] = (n + len(problems), total + 1)
        else:
            c, total = stats["caught"].get((case.kind, case.lang), (0, 0))
            stats["caught"][(case.kind, case.lang)] = (c + caught(problems, case), total + 1)
    return stats


def summary_table(stats: dict) -> dict:
    table = {}
    for lang in ("en", "vi"):
        row = {k: stats["caught"].get((k, lang), (0, 0)) for k in KINDS + HARD}
        c = sum(row[k][0] for k in KINDS)
        t = sum(row[k][1] for k in KINDS)
        n, f = stats["faithful"].get(lang, (0, 0))
        table[lang] = {**{k: list(v) for k, v in row.items()}, "changed": [c, t],
                       "problems_per_faithful": round(n / f, 3) if f else None, "faithful": f}
    secs = sorted(stats["seconds"])
    table["ms_per_summary"] = {"median": round(1000 * secs[len(secs) // 2], 2),
                               "p95": round(1000 * secs[int(0.95 * (len(secs) - 1))], 1),
                               "max_after_first": round(1000 * max(stats["seconds"][1:]), 1),
                               "first": round(1000 * stats["seconds"][0], 1)}
    return table


def _pct(pair) -> str:
    c, t = pair
    return f"{c}/{t} ({100 * c / t:.0f}%)" if t else "0/0"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the tables as JSON")
    parser.add_argument("--article", choices=("page", "cleaned", "gold"), default="page",
                        help="the article: gold text with the page's date, captions and credits (default), "
                             "the cleaner's output of the saved page, or the gold text with its date")
    args = parser.parse_args(argv)
    try:
        all_cases = cases(article=args.article)
    except FileNotFoundError as exc:
        print(f"fact_check: {exc}", file=sys.stderr)
        return 2
    from viensum.check.index import build_index, index_of, page_lines

    for text in {c.article for c in all_cases}:  # each article indexed once, as every runner does; timed below
        index_of(ARTICLES[text])
    results = {"viensum.check": summary_table(run(viensum_problems, all_cases)),
               "naive": summary_table(run(naive_problems, all_cases))}
    index_ms = []
    for text in sorted({c.article for c in all_cases}):  # built again, outside the cache, to time it
        a = ARTICLES[text]
        times = []
        for _ in range(3):  # the best of three: the machine is shared
            t0 = time.perf_counter()
            build_index(a.title, a.paragraphs, a.date, page_lines(a))
            times.append(1000 * (time.perf_counter() - t0))
        index_ms.append((min(times), len(a.text)))
    results["index_ms_per_article"] = {"mean": round(sum(t for t, _ in index_ms) / len(index_ms), 1),
                                       "max": round(max(index_ms)[0], 1), "max_chars": max(index_ms)[1]}
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"articles: {ARTICLE_MODES[args.article]}")
    ix = results["index_ms_per_article"]
    print(f"{len(all_cases)} cases; article index built once per article: {ix['mean']} ms mean, {ix['max']} ms max "
          f"({ix['max_chars']:,} characters)")
    for name in ("viensum.check", "naive"):
        t = results[name]["ms_per_summary"]
        first = " (Babel and the word lists are read)" if name == "viensum.check" else ""
        print(f"\n{name}: {t['median']} ms per summary (median; p95 {t['p95']} ms; max after the first call "
              f"{t['max_after_first']} ms; the first call {t['first']} ms{first})")
        print(f"{'lang':5} {'changed':>14} {'number':>14} {'date':>14} {'name':>14} {'faithful':>10} |"
              f" {'swap-name':>12} {'move-number':>12}")
        for lang in ("en", "vi"):
            r = results[name][lang]
            print(f"{lang:5} {_pct(r['changed']):>14} {_pct(r['number']):>14} {_pct(r['date']):>14} "
                  f"{_pct(r['name']):>14} {r['problems_per_faithful']:>10} | {_pct(r['swap-name']):>12} "
                  f"{_pct(r['move-number']):>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
