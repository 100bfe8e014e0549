"""Search compared: Gazette's search and Pagefind's on the same site, in Chromium, in one run.

    python bench/search_compare.py              # the BBC site, both searches, the table
    python bench/search_compare.py --show       # and each query's top five, to judge by hand
    python bench/search_compare.py --plain      # served without gzip (as python -m http.server)
    python bench/search_compare.py --index 1000 20000   # the index's build time alone

It builds the BBC corpus (../shared/corpora/bbc-news: 2,125 stories once duplicates are
dropped, spread over 60 days) as a Gazette site, indexes the story pages of that same output
with Pagefind (npm's ``pagefind``, a dev dependency: ``npm ci``; only this bench needs it),
serves the folder on 127.0.0.1 (gzip for text, as a static host does: Pagefind's own files are
compressed already) and opens, for every query and tool, a fresh browser context (nothing
cached) at the tool's search page with the query in the address. Per query and tool it records
the top five results, the bytes the search fetched (Gazette: search.js and search/data/;
Pagefind: its bundle and the few lines that call its JavaScript API, pagefind.js, its leanest
use), and the time from navigation to the results on screen (the median of ``--runs``).

Relevance was judged by hand: the results of both tools were read, and what made a result
relevant is written down below, per query, as the words a relevant story's headline or
summary must mention (every group, any word of a group, matched as a word start). A result
counts by the story its URL names, whichever tool found it.
"""

import argparse
import gzip
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "plugins"))

PAGEFIND = REPO / "node_modules" / ".bin" / "pagefind"
DAYS = 60

# (query, what it stands for, relevance: groups of word starts a relevant story's headline or
# summary mentions, every group and any word of it). Judged by hand from both tools' results.
QUERIES = [
    ("champ", "prefix", [["champion"]]),
    ("chel", "prefix", [["chelsea"]]),
    ("interest ra", "prefix", [["interest"], ["rate"]]),
    ("oil pri", "prefix", [["oil"], ["price"]]),
    ("broadb", "prefix", [["broadband"]]),
    ("goverment", "typo", [["government"]]),
    ("elction", "typo", [["election"]]),
    ("arsnal", "typo", [["arsenal"]]),
    ("econmy", "typo", [["economy", "economic"]]),
    ("prime minster", "typo", [["prime"], ["minister"]]),
    ("blair", "name", [["blair"]]),
    ("wenger", "name", [["wenger"]]),
    ("roddick", "name", [["roddick"]]),
    ("microsoft", "name", [["microsoft"]]),
    ("g", "1 letter", [["g"]]),
    ("eu", "2 letters", [["eu", "european union"]]),
    ("uk", "2 letters", [["uk", "britain", "british"]]),
    ("film", "word", [["film"]]),
    ("tsunami", "word", [["tsunami"]]),
    ("ipod", "word", [["ipod"]]),
    ("mobile phone", "words", [["mobile"], ["phone"]]),
    ("gordon brown budget", "words", [["brown"], ["budget"]]),
    ("spam email", "words", [["spam"], ["e-mail", "email"]]),
    ("oscar nominations", "words", [["oscar"], ["nominat"]]),
]


def build_site(work: Path) -> tuple[Path, str]:
    """The BBC site in ``work`` (kept between runs): (output folder, SITEURL)."""
    from corpora import bbc_files
    from helpers import ingest, pelican, write_site
    from site_builder import free_port

    out = work / "out"
    stamp = work / "siteurl"
    if (out / "search" / "data" / "manifest.json").is_file() and stamp.is_file():
        return out, stamp.read_text()
    shutil.rmtree(work, ignore_errors=True)
    files = {}
    for n, path in enumerate(bbc_files()):
        day = date(2005, 1, 1) + timedelta(days=n % DAYS)
        files[f"{path.parent.name}/{path.name}"] = f"Date: {day}\n\n".encode() + path.read_bytes()
    siteurl = f"http://127.0.0.1:{free_port()}"
    conf = write_site(work, files, SITEURL=siteurl)
    ingest(conf, "2005-03-08T06:00:00+00:00")
    done = pelican(conf, out)
    if done.returncode:
        sys.exit(done.stdout + done.stderr)
    stamp.write_text(siteurl)
    return out, siteurl


def run_pagefind(out: Path) -> float:
    """Index the story pages' article with Pagefind into out/pagefind/; the seconds it took."""
    if not PAGEFIND.exists():
        sys.exit("pagefind missing: npm ci (package.json has it as a dev dependency)")
    shutil.rmtree(out / "pagefind", ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [str(PAGEFIND), "--site", str(out), "--glob", "[0-9]*/*/*/*/index.html"]
        + ["--root-selector", "article.story", "--output-subdir", "pagefind", "--quiet"],
        check=True,
    )
    took = time.perf_counter() - started
    page = out / "pagefind-bench"
    page.mkdir(exist_ok=True)
    (page / "index.html").write_text(PAGEFIND_PAGE)
    (page / "bench.js").write_text(PAGEFIND_SCRIPT)
    return took


# Pagefind's JavaScript API, as its documentation shows it: the first five results' data.
PAGEFIND_PAGE = """<!doctype html><html lang="en"><meta charset="utf-8"><title>Pagefind</title>
<script type="module" src="bench.js"></script><ol id="results"></ol></html>
"""
PAGEFIND_SCRIPT = """const pagefind = await import("/pagefind/pagefind.js");
const query = new URLSearchParams(location.search).get("q");
const search = await pagefind.search(query);
const results = await Promise.all(search.results.slice(0, 5).map((r) => r.data()));
document.getElementById("results").replaceChildren(...results.map((r) => {
  const item = document.createElement("li");
  const link = Object.assign(document.createElement("a"), { href: r.url });
  link.textContent = r.meta.title;
  item.append(link);
  return item;
}));
window.searchDone = performance.now();
"""

# Gazette: the moment its live region first speaks is the moment its results are on screen.
GAZETTE_WATCH = """new MutationObserver(() => {
  const status = document.querySelector(".search-status");
  if (status && status.textContent && window.searchDone === undefined) {
    window.searchDone = performance.now();
  }
}).observe(document, { subtree: true, childList: true, characterData: true });
"""

TOOLS = {
    "Gazette": {
        "url": "/search/?q={q}",
        "links": ".search-result h2 a",
        "counts": ("/search/data/", "/theme/js/search.js"),
        "watch": GAZETTE_WATCH,
    },
    "Pagefind": {
        "url": "/pagefind-bench/?q={q}",
        "links": "#results a",
        "counts": ("/pagefind/", "/pagefind-bench/bench.js"),
        "watch": "",
    },
}
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt")


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, text gzipped when the browser accepts it (``gzip_text``); the bytes of
    every body sent are noted in ``sent`` (Pagefind fetches from a worker, which the page's
    own network events do not show: counting here sees every request)."""

    gzip_text = True
    cache: dict = {}
    sent: list = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        url = self.path.split("?", 1)[0]
        path = self.translate_path(url)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return self.send_error(404)
        gzipped = (
            self.gzip_text
            and "gzip" in self.headers.get("Accept-Encoding", "")
            and path.endswith(COMPRESSIBLE)
        )
        if (path, gzipped) not in self.cache:
            with open(path, "rb") as raw:
                body = raw.read()
            self.cache[path, gzipped] = gzip.compress(body, 6, mtime=0) if gzipped else body
        body = self.cache[path, gzipped]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.sent.append((url, len(body)))


def serve(out: Path, siteurl: str, gzip_text: bool):
    Handler.gzip_text = gzip_text
    handler = partial(Handler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(siteurl.rsplit(":", 1)[1])), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def measure(browser, siteurl: str, tool: dict, query: str) -> tuple[list[str], int, float]:
    """(top five result URLs, bytes the search fetched, ms to results) from a fresh load."""
    from urllib.parse import quote_plus

    context = browser.new_context()
    page = context.new_page()
    if tool["watch"]:
        page.add_init_script(tool["watch"])
    outside = []
    context.on("request", lambda r: r.url.startswith(siteurl) or outside.append(r.url))
    Handler.sent.clear()
    page.goto(siteurl + tool["url"].format(q=quote_plus(query)))
    ms = None
    for _ in range(3000):  # polled from here: a wait_for_function would eval, which CSP forbids
        if (ms := page.evaluate("() => window.searchDone")) is not None:
            break
        time.sleep(0.01)
    links = page.locator(tool["links"]).evaluate_all("links => links.map(a => a.href)")[:5]
    page.wait_for_load_state("networkidle")
    fetched = sum(size for url, size in Handler.sent if url.startswith(tool["counts"]))
    context.close()
    if outside:
        sys.exit(f"requests outside the site: {outside}")
    return links, fetched, ms


def stories_by_url(out: Path, siteurl: str) -> dict[str, tuple[str, str]]:
    """Every story's (headline, summary) by URL, from Gazette's index cards."""
    data = out / "search" / "data"
    found = {}
    for path in data.glob("d*.json"):
        for card in json.loads(path.read_bytes()):
            found[f"{siteurl}/{card['url']}"] = (card["title"], card["summary"])
    return found


def relevant(story: tuple[str, str] | None, criterion: list[list[str]]) -> bool:
    if story is None:
        return False
    text = " ".join(story).lower()
    return all(
        any(re.search(r"(?<![\w])" + re.escape(word), text) for word in group)
        for group in criterion
    )


def compare(args) -> None:
    from conftest import chromium_path
    from playwright.sync_api import sync_playwright

    work = Path(args.work).resolve()
    if args.rebuild:
        shutil.rmtree(work / "bbc", ignore_errors=True)
    out, siteurl = build_site(work / "bbc")
    tools = {n: tool for n, tool in TOOLS.items() if n == "Gazette" or not args.gazette_only}
    pagefind_s = 0.0 if args.gazette_only else run_pagefind(out)
    sizes = {
        "Gazette": folder_size(out / "search" / "data"),
        "Pagefind": folder_size(out / "pagefind"),
    }
    stories = stories_by_url(out, siteurl)
    server = serve(out, siteurl, not args.plain)
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(),
                args=["--no-sandbox", "--disable-background-networking"],
            )
            for query, kind, criterion in QUERIES:
                row = {"query": query, "kind": kind}
                for name, tool in tools.items():
                    runs = [measure(browser, siteurl, tool, query) for _ in range(args.runs)]
                    links, fetched = runs[0][0], runs[0][1]
                    hits = [relevant(stories.get(link), criterion) for link in links]
                    row[name] = (sum(hits), fetched, statistics.median(r[2] for r in runs))
                    if args.show:
                        print(f"{name:8} {query!r}:")
                        for link, hit in zip(links, hits, strict=True):
                            title = stories.get(link, (link, ""))[0]
                            print(f"    {'+' if hit else '-'} {title}")
                for name in TOOLS:
                    row.setdefault(name, (0, 0, 0.0))  # not run (--gazette-only)
                rows.append(row)
            browser.close()
    finally:
        server.shutdown()
    print_table(rows)
    print(
        f"\nIndex: Gazette {sizes['Gazette'][0]} files, {sizes['Gazette'][1] / 1e6:.1f} MB; "
        f"Pagefind {sizes['Pagefind'][0]} files, {sizes['Pagefind'][1] / 1e6:.1f} MB, "
        f"built in {pagefind_s:.1f} s. Served {'plain' if args.plain else 'with gzip for text'}."
    )


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def print_table(rows: list[dict]) -> None:
    head = (
        f"{'query':22} {'kind':9} {'rel@5 G':>7} {'rel@5 P':>7} {'KB G':>6} {'KB P':>6}"
        f" {'ms G':>5} {'ms P':>5}"
    )
    print("\n" + head + "\n" + "-" * len(head))
    for row in rows:
        (gr, gb, gms), (pr, pb, pms) = row["Gazette"], row["Pagefind"]
        print(
            f"{row['query']:22} {row['kind']:9} {gr:>7} {pr:>7} {gb / 1024:>6.1f} {pb / 1024:>6.1f}"
            f" {gms:>5.0f} {pms:>5.0f}"
        )
    total = {name: [sum(r[name][0] for r in rows)] for name in TOOLS}
    for name in TOOLS:
        total[name] += [statistics.median(r[name][i] for r in rows) for i in (1, 2)]
    (gr, gb, gms), (pr, pb, pms) = total["Gazette"], total["Pagefind"]
    print("-" * len(head))
    print(
        f"{'all (sum, median)':22} {'':9} {gr:>7} {pr:>7} {gb / 1024:>6.1f} {pb / 1024:>6.1f}"
        f" {gms:>5.0f} {pms:>5.0f}"
    )
    print(f"relevant of {5 * len(rows)} (5 per query); KB and ms per query: medians")


def index_times(ns: list[int]) -> None:
    """Build time of the index alone (entries, adding, every file's bytes; wall and CPU: a
    loaded machine moves the first) on generate.py's stories: what a build spends on search
    beyond reading the stories and writing the files."""
    import gc

    import generate

    from pelican.plugins.gazette.outputs import searchindex

    for n in ns:
        records = [record_of(story, searchindex) for story in generate.stories(n)]
        gc.collect()
        started, cpu = time.perf_counter(), time.process_time()
        index = searchindex.SearchIndex()
        for record in records:
            index.add(index.entry(record))
        added = time.perf_counter()
        files = size = 0
        for _, body in index.iter_files():
            files += 1
            size += len(body)
        done, cpu = time.perf_counter(), time.process_time() - cpu
        print(
            f"{n:>6} stories: index {done - started:.2f} s, CPU {cpu:.2f} s (entries and adding "
            f"{added - started:.2f} s, files {done - added:.2f} s), "
            f"{files} files, {size / 1e6:.1f} MB"
        )


def record_of(story, searchindex):
    text = "\n".join([f"{story.place}: {story.paragraphs[0]}", *story.paragraphs[1:]])
    return searchindex.Record(
        url=f"{story.date:%Y/%m/%d}/{story.slug}/",
        title=story.title,
        date=story.date.isoformat(),
        date_text=f"{story.date.day} {story.date:%B %Y}",
        section=story.section,
        place=story.place,
        topics=story.subjects,
        summary=story.paragraphs[0].split(". ")[0] + ".",
        text=text,
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", default=str(HERE / "out" / "search"), help="build folder")
    parser.add_argument("--runs", type=int, default=3, help="page loads per query and tool")
    parser.add_argument("--show", action="store_true", help="print each query's top five")
    parser.add_argument("--plain", action="store_true", help="serve without gzip")
    parser.add_argument("--index", type=int, nargs="*", help="time the index at these sizes")
    parser.add_argument("--rebuild", action="store_true", help="build the site again")
    parser.add_argument("--gazette-only", action="store_true", help="skip Pagefind")
    args = parser.parse_args(argv)
    if args.index:
        index_times(args.index)
    else:
        compare(args)


if __name__ == "__main__":
    main()
