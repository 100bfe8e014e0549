"""Where a Gazette build's time goes, from a cProfile stats file.

    python bench/profile_report.py build.prof

Stages are the cumulative time of the functions that do them; nested stages
are indented (they are part of the stage above, not in addition to it).
"""

import pstats
import sys

# (label, depth, [(file suffix, function name)]): cumulative times are summed.
STAGES = [
    (
        "context: reading, then digest, search index and feeds (signals)",
        0,
        [("pelican/generators.py", "generate_context")],
    ),
    (
        "catalog: all raw files -> stories (with ingest: once for both)",
        1,
        [("gazette/ingest/catalog.py", "build"), ("gazette/ingest/catalog.py", "ingest")],
    ),
    (
        "parse + topics of files not cached (wall time: on all cores)",
        2,
        [("gazette/machinery/parsecache.py", "parse_files")],
    ),
    ("topic spellings, site-wide", 2, [("gazette/ingest/catalog.py", "_normalise_topics")]),
    ("enrichment: story (story.enrich)", 2, [("gazette/ingest/story.py", "enrich")]),
    ("Pelican read_file (includes the catalog)", 1, [("pelican/readers.py", "read_file")]),
    ("digest: editions, neighbours, schema", 1, [("gazette/glue/digest.py", "digest")]),
    ("search index", 1, [("gazette/glue/search.py", "write_index")]),
    ("feeds (all formats)", 1, [("gazette/glue/feedwriter.py", "write_feeds")]),
    ("feed items from articles", 2, [("gazette/glue/feedwriter.py", "to_item")]),
    ("Atom (feedgen)", 2, [("gazette/outputs/feeds.py", "atom")]),
    ("RSS (feedgen)", 2, [("gazette/outputs/feeds.py", "rss")]),
    ("JSON Feed", 2, [("gazette/outputs/jsonfeed.py", "render")]),
    ("rendering + writing pages", 0, [("pelican/generators.py", "generate_output")]),
    ("Jinja rendering", 1, [("jinja2/environment.py", "render")]),
    ("story pages", 1, [("pelican/generators.py", "generate_articles")]),
    ("topic and section pages", 1, [("gazette/glue/listpages.py", "*")]),
    ("edition pages", 1, [("gazette/glue/digest.py", "write_editions")]),
    ("sitemaps", 0, [("gazette/glue/sitemaps.py", "write_all")]),
]


def _match(key, suffix: str, name: str) -> bool:
    filename, _, function = key
    return filename.replace("\\", "/").endswith(suffix) and name in ("*", function)


def stage_times(stats: pstats.Stats) -> list[tuple[str, int, float | None]]:
    rows = []
    for label, depth, functions in STAGES:
        total, found = 0.0, False
        for suffix, name in functions:
            times = [v[3] for k, v in stats.stats.items() if _match(k, suffix, name)]
            if times:
                found = True
                total += max(times) if name == "*" else sum(times)
        rows.append((label, depth, total if found else None))
    return rows


def print_report(path: str, top: int = 15) -> None:
    stats = pstats.Stats(path)
    total = stats.total_tt
    print(f"profile of one Gazette build (cProfile, {total:.1f} s with profiling overhead):")
    for label, depth, seconds in stage_times(stats):
        text = "not there" if seconds is None else f"{seconds:7.2f} s {seconds / total:6.1%}"
        print(f"  {'  ' * depth}{label:<{66 - 2 * depth}} {text}")
    print(f"\ntop {top} functions by own time:")
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    for (filename, line, function), (_, calls, own, cumulative, _) in rows:
        where = "/".join(filename.split("/")[-2:])
        print(
            f"  {own:7.2f} s own {cumulative:7.2f} s cum {calls:>9,} calls"
            f"  {where}:{line} {function}"
        )


if __name__ == "__main__":
    print_report(sys.argv[1])
