"""Benchmark: article body extraction from saved pages, Gazette against its parts.

    python bench/extraction.py                       # every page of the four corpora
    python bench/extraction.py --every 4 --jobs 2    # one page in four, two processes
    python bench/extraction.py --corpus dragnet --limit 50

Reads the pages in ../shared/corpora at run time (nothing from them is kept):
trafilatura-eval (144 pages, body snippets that must or must not appear, and
title/date/author), newspaper4k-testdata (21 pages, expected text, title/date),
l3s-gn1 (621 pages, the human-labelled full-text blocks), dragnet (898 pages,
hand-corrected main text before the comments marker).

Body score, as public article-extraction benchmarks compute it: both texts
split into ``\\w+`` tokens, multisets of 4-token shingles compared; each page's
true/false positives and false negatives are divided by their sum (a long page
weighs no more than a short one), summed over pages, precision and recall
from those sums, F1 of the two. trafilatura-eval has snippets, not whole
bodies: it is scored by its own upstream rule (a "with" snippet found is a true
positive, missing a false negative; a "without" snippet found a false
positive) in a column of its own.

Extractors in the same run: Gazette (ingest/htmlpage.py, ``body_text``: the
paragraphs joined, as ``gazette inspect --json`` gives it), trafilatura alone
(``extract``, default settings, no comments) and readability-lxml alone
(``summary`` as text); ``--extractor floor`` adds the issue's floor design
(precision mode, default mode and readability when short). Metadata: title,
date (day) and author, where the ground truth has them. Speed is pages per
second of one process, memory the largest resident set of a worker process.
"""

import argparse
import gzip
import json
import logging
import re
import resource
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPORA = REPO.parent / "shared" / "corpora"
sys.path.insert(0, str(REPO / "plugins"))

EXTRACTORS = ("gazette", "trafilatura", "readability")
OPTIONAL_EXTRACTORS = ("floor",)  # --extractor floor: the floor design
CORPUS_NAMES = ("trafilatura-eval", "newspaper4k-testdata", "l3s-gn1", "dragnet")
_TOKEN = re.compile(r"\w+")
_DRAGNET_COMMENTS = "!@#$%^&*()  COMMENTS"


@dataclass
class Page:
    corpus: str
    name: str
    path: Path  # the HTML (maybe gzipped)
    gold: str | None = None  # the whole expected body
    with_: tuple = ()  # snippets that must appear
    without: tuple = ()  # snippets that must not
    meta: dict = field(default_factory=dict)  # title, date (YYYY-MM-DD), author

    def html(self) -> bytes:
        data = self.path.read_bytes()
        return gzip.decompress(data) if self.path.suffix == ".gz" else data


# Ground truth ---------------------------------------------------------------------------


def pages(root: Path = CORPORA, corpora=CORPUS_NAMES) -> list[Page]:
    found = []
    for name in corpora:
        folder = root / name
        if folder.is_dir():
            found.extend(_LOADERS[name](folder))
    return found


def _trafilatura_eval(folder: Path) -> list[Page]:
    truth = json.loads((folder / "ground-truth.json").read_text("utf-8"))
    out = []
    for record in truth.values():
        meta = {k: record.get(k) for k in ("title", "date", "author") if record.get(k) is not None}
        out.append(
            Page(
                "trafilatura-eval",
                record["file"],
                folder / "html" / record["file"],
                with_=tuple(record.get("with") or ()),
                without=tuple(record.get("without") or ()),
                meta=meta,
            )
        )
    return sorted(out, key=lambda p: p.name)


def _newspaper4k(folder: Path) -> list[Page]:
    out = []
    for html_file in sorted((folder / "html").glob("*.html")):
        text = folder / "txt" / (html_file.stem + ".txt")
        meta_file = folder / "metadata" / (html_file.stem + ".json")
        meta = {}
        if meta_file.exists():
            data = json.loads(meta_file.read_text("utf-8"))
            meta["title"] = data.get("title")
            if data.get("publish_date"):
                meta["date"] = str(data["publish_date"])[:10]
        gold = text.read_text("utf-8") if text.exists() else None
        out.append(Page("newspaper4k-testdata", html_file.name, html_file, gold=gold, meta=meta))
    return out


def _l3s_gold(annotated: bytes) -> str:
    from lxml import html as lxml_html

    tree = lxml_html.document_fromstring(annotated)
    parts = []
    for span in tree.iter("span"):
        classes = (span.get("class") or "").split()
        if "x-nc-sel2" in classes:
            parts.append(span.text_content())
    return "\n".join(parts)


def _l3s(folder: Path) -> list[Page]:
    out = []
    for original in sorted((folder / "original").glob("*.html.gz")):
        annotated = folder / "annotated" / original.name
        if annotated.exists():
            out.append(Page("l3s-gn1", original.name, original, gold=annotated))  # read lazily
    return out


def _dragnet(folder: Path) -> list[Page]:
    out = []
    for page in sorted((folder / "HTML").glob("*.html.gz")):
        gold = folder / "Corrected" / (page.name.removesuffix(".gz") + ".corrected.txt")
        if gold.exists():
            out.append(Page("dragnet", page.name, page, gold=gold))
    return out


_LOADERS = {
    "trafilatura-eval": _trafilatura_eval,
    "newspaper4k-testdata": _newspaper4k,
    "l3s-gn1": _l3s,
    "dragnet": _dragnet,
}


def gold_text(page: Page) -> str | None:
    gold = page.gold
    if isinstance(gold, Path):
        if page.corpus == "l3s-gn1":
            return _l3s_gold(gzip.decompress(gold.read_bytes()))
        data = gold.read_bytes()
        utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
        text = data.decode("utf-16") if utf16 else data.decode("utf-8", errors="replace")
        return text.split(_DRAGNET_COMMENTS, 1)[0]
    return gold


# Extractors -----------------------------------------------------------------------------


def run_gazette(data: bytes, name: str) -> dict:
    from pelican.plugins.gazette.ingest import htmlpage
    from pelican.plugins.gazette.ingest.boilerplate import DEFAULT_JUNK_PATTERNS, compile_patterns

    junk = _cached("junk", lambda: compile_patterns(DEFAULT_JUNK_PATTERNS))
    story = htmlpage.parse(data, name, junk)
    if not hasattr(story, "paragraphs"):
        return {"text": "", "rejected": story.reason}
    return {
        "text": story.body_text,
        "title": story.title,
        "date": story.published,
        "author": story.byline,
    }


def run_trafilatura(data: bytes, name: str) -> dict:
    import trafilatura

    document = trafilatura.bare_extraction(data, include_comments=False, with_metadata=True)
    if document is None:
        return {"text": ""}
    return {
        "text": document.text or "",
        "title": document.title,
        "date": document.date,
        "author": document.author,
    }


def run_readability(data: bytes, name: str) -> dict:
    from lxml import html as lxml_html
    from readability import Document

    try:
        document = Document(data)
        summary = document.summary(html_partial=True)
        text = lxml_html.fragment_fromstring(summary, create_parent="div").text_content()
        return {"text": text, "title": document.short_title()}
    except Exception:  # noqa: BLE001 - a baseline's failure scores as an empty result
        return {"text": ""}


def run_floor(data: bytes, name: str) -> dict:
    """The design the issue sets as the floor: trafilatura's precision mode, then its
    default mode and readability-lxml when the text comes out short (150 words)."""
    import trafilatura

    text = trafilatura.extract(data, favor_precision=True, include_comments=False) or ""
    if len(text.split()) < 150:
        default = trafilatura.extract(data, include_comments=False) or ""
        text = default if len(default.split()) > len(text.split()) else text
    if len(text.split()) < 150:
        fallback = run_readability(data, name)["text"]
        text = fallback if len(fallback.split()) > len(text.split()) else text
    return {"text": text}


_RUNNERS = {
    "gazette": run_gazette,
    "trafilatura": run_trafilatura,
    "readability": run_readability,
    "floor": run_floor,
}
_CACHE: dict = {}


def _cached(key, make):
    if key not in _CACHE:
        _CACHE[key] = make()
    return _CACHE[key]


def _work(args) -> dict:
    extractor, page = args
    logging.disable(logging.CRITICAL)
    data = page.html()
    start = time.perf_counter()
    try:
        result = _RUNNERS[extractor](data, page.name)
    except Exception as err:  # noqa: BLE001 - an exception is a result worth counting
        result = {"text": "", "error": f"{type(err).__name__}: {err}"}
    result["seconds"] = time.perf_counter() - start
    result["rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return result


# Scores ---------------------------------------------------------------------------------


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def page_counts(predicted: str, gold: str) -> tuple[float, float, float]:
    """A page's (tp, fp, fn), divided by their sum."""
    ours, theirs = shingles(predicted), shingles(gold)
    tp = sum((ours & theirs).values())
    fp = sum(ours.values()) - tp
    fn = sum(theirs.values()) - tp
    total = tp + fp + fn
    if total == 0:
        return 1.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def prf(counts) -> tuple[float, float, float]:
    tp = sum(c[0] for c in counts)
    fp = sum(c[1] for c in counts)
    fn = sum(c[2] for c in counts)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _squeeze(text: str) -> str:
    return " ".join((text or "").split())


def snippet_counts(text: str, page: Page) -> tuple[int, int, int]:
    body = _squeeze(text)
    tp = sum(1 for s in page.with_ if _squeeze(s) in body)
    fn = len(page.with_) - tp
    fp = sum(1 for s in page.without if _squeeze(s) and _squeeze(s) in body)
    return tp, fp, fn


def _norm_title(value) -> str:
    return " ".join(_TOKEN.findall(str(value or "").casefold()))


def _names(value) -> set:
    if isinstance(value, list):
        value = ";".join(map(str, value))
    parts = re.split(r"\s*(?:[,;|]|\band\b|&)\s*", str(value or ""))
    return {_norm_title(p) for p in parts if _norm_title(p)}


def meta_hits(result: dict, page: Page) -> dict:
    hits = {}
    if page.meta.get("title"):
        hits["title"] = _norm_title(result.get("title")) == _norm_title(page.meta["title"])
    if page.meta.get("date"):
        hits["date"] = str(result.get("date") or "")[:10] == page.meta["date"][:10]
    if "author" in page.meta and page.corpus == "trafilatura-eval":
        gold = _names(page.meta["author"])
        hits["author"] = _names(result.get("author")) == gold
    return hits


# The run --------------------------------------------------------------------------------


def evaluate(selected: list[Page], extractors=EXTRACTORS, jobs: int = 2) -> dict:
    """Per extractor: results by page, in page order, plus timing."""
    out = {}
    for extractor in extractors:
        start = time.perf_counter()
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_work, [(extractor, p) for p in selected], chunksize=4))
        out[extractor] = {"results": results, "wall": time.perf_counter() - start}
    return out


def table(selected: list[Page], runs: dict) -> str:
    golds = {id(p): gold_text(p) for p in selected if p.gold is not None}
    lines = []
    header = f"{'corpus':<22} {'pages':>5} " + " ".join(f"{e + ' P/R/F1':>26}" for e in runs)
    lines.append(header)
    corpora = [c for c in CORPUS_NAMES if any(p.corpus == c for p in selected)]
    overall = {e: [] for e in runs}
    for corpus in corpora:
        members = [(i, p) for i, p in enumerate(selected) if p.corpus == corpus]
        cells = []
        for extractor, run in runs.items():
            results = run["results"]
            if corpus == "trafilatura-eval":
                counts = [snippet_counts(results[i]["text"], p) for i, p in members]
                cells.append("{:.3f} {:.3f} {:.3f} (snip)".format(*prf(counts)))
                continue
            counts = [
                page_counts(results[i]["text"], golds[id(p)])
                for i, p in members
                if golds.get(id(p))
            ]
            overall[extractor].extend(counts)
            cells.append("{:.3f} {:.3f} {:.3f}       ".format(*prf(counts)))
        lines.append(f"{corpus:<22} {len(members):>5} " + " ".join(f"{c:>26}" for c in cells))
    n = len(next(iter(overall.values()))) if overall else 0
    cells = ["{:.3f} {:.3f} {:.3f}       ".format(*prf(overall[e])) for e in runs]
    lines.append(f"{'shingles, all 3':<22} {n:>5} " + " ".join(f"{c:>26}" for c in cells))
    lines.append("")
    lines.append(f"{'metadata accuracy':<22} {'pages':>5} " + " ".join(f"{e:>12}" for e in runs))
    for key in ("title", "date", "author"):
        for corpus in ("trafilatura-eval", "newspaper4k-testdata"):
            members = [(i, p) for i, p in enumerate(selected) if p.corpus == corpus]
            cells, count = [], 0
            for run in runs.values():
                hits = [meta_hits(run["results"][i], p).get(key) for i, p in members]
                hits = [h for h in hits if h is not None]
                count = len(hits)
                cells.append(f"{sum(hits) / len(hits):.3f}" if hits else "-")
            if count:
                lines.append(
                    f"{key + ' ' + corpus[:14]:<22} {count:>5} "
                    + " ".join(f"{c:>12}" for c in cells)
                )
    lines.append("")
    lines.append(f"{'speed and memory':<22} {'':>5} " + " ".join(f"{e:>12}" for e in runs))
    speeds = []
    for run in runs.values():
        seconds = sum(r["seconds"] for r in run["results"])
        speeds.append(f"{len(run['results']) / seconds:.1f}/s" if seconds else "-")
    lines.append(f"{'pages/s, one process':<22} {'':>5} " + " ".join(f"{s:>12}" for s in speeds))
    rss = [f"{max(r['rss_kb'] for r in run['results']) / 1024:.0f} MB" for run in runs.values()]
    lines.append(f"{'peak RSS of a worker':<22} {'':>5} " + " ".join(f"{s:>12}" for s in rss))
    errors = [sum(1 for r in run["results"] if r.get("error")) for run in runs.values()]
    lines.append(f"{'exceptions':<22} {'':>5} " + " ".join(f"{e:>12}" for e in errors))
    if "gazette" in runs:
        rejected = Counter(
            r["rejected"].split(":")[0].split("(")[0].strip()
            for r in runs["gazette"]["results"]
            if r.get("rejected")
        )
        for reason, count in rejected.most_common():
            lines.append(f"gazette rejected {count}: {reason}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", choices=CORPUS_NAMES)
    parser.add_argument("--every", type=int, default=1, help="take one page in N")
    parser.add_argument("--offset", type=int, default=0, help="which one of the N")
    parser.add_argument("--limit", type=int, default=0, help="at most this many pages a corpus")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--extractor", action="append", choices=EXTRACTORS + OPTIONAL_EXTRACTORS)
    parser.add_argument("--worst", type=int, default=0, help="list Gazette's N worst pages")
    args = parser.parse_args(argv)
    if not CORPORA.is_dir():
        print(f"no corpora at {CORPORA}: nothing to measure", file=sys.stderr)
        return 1
    selected = []
    for corpus in args.corpus or CORPUS_NAMES:
        members = pages(CORPORA, [corpus])[args.offset :: args.every]
        selected.extend(members[: args.limit] if args.limit else members)
    runs = evaluate(selected, args.extractor or EXTRACTORS, args.jobs)
    print(table(selected, runs))
    if args.worst and "gazette" in runs:
        scored = []
        for i, page in enumerate(selected):
            gold = gold_text(page)
            if gold:
                _, fp, fn = page_counts(runs["gazette"]["results"][i]["text"], gold)
                scored.append((fp + fn, fp, fn, page.corpus, page.name))
        print("\nworst pages (loss, fp, fn):")
        for loss, fp, fn, corpus, name in sorted(scored, reverse=True)[: args.worst]:
            print(f"  {loss:.3f} {fp:.3f} {fn:.3f} {corpus}/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
