"""Perturbation benchmark of viensum.check: are changed numbers, dates and names caught, and faithful summaries left alone?

    PYTHONPATH=src python benchmarks/fact_check.py [--json]

Pairs: the hand-written references seeds/refs/*.{en,vi}.txt against their gold article text
tests/data/gold/*.txt, and ../shared/cleaning-dev/refs/NN.{en,vi}.txt against
../shared/cleaning-dev/pages/NN.gold.txt (third-party text: read from there, never copied).

For each faithful reference, copies with ONE number, date or name changed to a value the article
does not contain; and a harder set reported apart: a name swapped with another name of the same
article, a number replaced by another quantity of the same article. The targets are found here with
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


def load_pairs() -> list[tuple[str, str, str, str]]:
    """(id, lang, article, reference) for every reference: its gold text, under the page's date line.

    The date is what the cleaner reads from the saved page (``Article.date``; the gold text drops
    date lines), as a user checking against the page gets it; "" when the page has none.
    """
    pairs = []
    for ref in sorted((ROOT / "seeds" / "refs").glob("*.*.txt")):
        stem, lang = ref.name.split(".")[:2]
        gold = ROOT / "tests" / "data" / "gold" / f"{stem}.txt"
        if gold.is_file():
            article = _dated(gold.read_text(encoding="utf-8"), ROOT / "seeds" / f"{stem}.txt")
            pairs.append((stem, lang, article, ref.read_text(encoding="utf-8").strip()))
    if not (SHARED / "refs").is_dir():
        raise FileNotFoundError(f"no cleaning development set at {SHARED}")
    for ref in sorted((SHARED / "refs").glob("*.*.txt")):
        nn, lang = ref.name.split(".")[:2]
        page = next(iter(sorted((SHARED / "pages").glob(f"{nn}.input.*"))), None)
        article = _dated((SHARED / "pages" / f"{nn}.gold.txt").read_text(encoding="utf-8"), page)
        pairs.append((f"dev{nn}", lang, article, ref.read_text(encoding="utf-8").strip()))
    return pairs


_DATES: dict[Path, str] = {}


def _dated(gold: str, page: Path | None) -> str:
    """``DATE\x1e`` + the gold text when the cleaner finds the page's date (split off again by :func:`split_date`)."""
    if page is None or not page.is_file():
        return gold
    if page not in _DATES:
        from viensum.clean import clean_article

        try:
            _DATES[page] = clean_article(page.read_bytes()).date or ""
        except Exception:  # a page the cleaner refuses has no date to give
            _DATES[page] = ""
    return f"{_DATES[page]}\x1e{gold}" if _DATES[page] else gold


def split_date(article: str) -> tuple[str | None, str]:
    date, sep, text = article.partition("\x1e")
    return (date, text) if sep else (None, article)


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

def cases(seed: int = 25) -> list[Case]:
    rng = random.Random(seed)
    out: list[Case] = []
    for id_, lang, article, ref in load_pairs():
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
    out = []
    others = sorted({n for _, _, n in name_targets(article.replace("\n", " . "), article)} - {n for *_, n in names})
    for start, end, old in names[:3]:
        pool = [o for o in others if len(o.split()) == len(old.split()) and fold(o) not in fold(ref)]
        if pool:
            new = rng.choice(pool)
            new = fold(new).title() if lang == "en" and fold(old) == old.lower() else new
            out.append(Case(id_, lang, article, ref[:start] + new + ref[end:], "swap-name", new, old))
    article_numbers = [m.group() for m in NUM_RE.finditer(article) if not re.fullmatch(r"(19|20)\d\d", m.group())]
    for m in number_targets(ref, lang)[:3]:
        pool = [n for n in article_numbers if n not in ref and n != m.group() and len(n) > 1]
        if pool:
            new = rng.choice(pool)
            if lang == "en":
                from viensum.check.numbers import parse_number

                value, step = parse_number(new, "vi")
                new = f"{value:,.{max(0, len(new.split(',')[1]) if ',' in new else 0)}f}"
            out.append(Case(id_, lang, article, ref[:m.start()] + new + ref[m.end():], "move-number", new, m.group()))
    return out


# ---- the two checkers

def naive_problems(summary: str, article: str, lang: str) -> list[str]:
    """Issue 25's naive check: every digit string and capitalised name must occur in the article (no diacritics)."""
    article = article.replace("\x1e", "\n")  # the page's date counts as article text here too
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
    import dataclasses

    import viensum
    from viensum.translate import as_article

    date, text = split_date(article)
    parsed = dataclasses.replace(as_article(text, clean=False), date=date)
    return [p.text for p in viensum.check(summary, parsed, lang=lang).problems]


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
    table["ms_per_summary"] = {"median": round(1000 * secs[len(secs) // 2], 2), "max": round(1000 * secs[-1], 1)}
    return table


def _pct(pair) -> str:
    c, t = pair
    return f"{c}/{t} ({100 * c / t:.0f}%)" if t else "0/0"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the tables as JSON")
    args = parser.parse_args(argv)
    try:
        all_cases = cases()
    except FileNotFoundError as exc:
        print(f"fact_check: {exc}", file=sys.stderr)
        return 2
    from viensum.check.index import index_article
    from viensum.translate import as_article

    t0 = time.perf_counter()
    articles = {c.article for c in all_cases}
    for text in articles:
        date, body = split_date(text)
        a = as_article(body, clean=False)
        index_article(a.title, a.paragraphs, date)
    index_ms = 1000 * (time.perf_counter() - t0) / len(articles)
    results = {"viensum.check": summary_table(run(viensum_problems, all_cases)),
               "naive": summary_table(run(naive_problems, all_cases))}
    results["index_ms_per_article"] = round(index_ms, 1)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{len(all_cases)} cases; article index built in {index_ms:.0f} ms per article (mean, built once per article)")
    for name in ("viensum.check", "naive"):
        t = results[name]
        first = ": the first English check reads Babel and the word lists" if name == "viensum.check" else ""
        print(f"\n{name}: {t['ms_per_summary']['median']} ms per summary (median; max {t['ms_per_summary']['max']} ms"
              f"{first})")
        print(f"{'lang':5} {'changed':>14} {'number':>14} {'date':>14} {'name':>14} {'faithful':>10} |"
              f" {'swap-name':>12} {'move-number':>12}")
        for lang in ("en", "vi"):
            r = t[lang]
            print(f"{lang:5} {_pct(r['changed']):>14} {_pct(r['number']):>14} {_pct(r['date']):>14} "
                  f"{_pct(r['name']):>14} {r['problems_per_faithful']:>10} | {_pct(r['swap-name']):>12} "
                  f"{_pct(r['move-number']):>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
