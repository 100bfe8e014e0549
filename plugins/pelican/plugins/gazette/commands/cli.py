"""The ``gazette`` command: inspect, check and ingest raw articles; serve the site.

It uses the same settings and the same catalog as the build, so what it
shows is what the build publishes.
"""

import argparse
import json
import os
import sys

from ..digest import clusters
from ..ingest import catalog, ledger
from ..ingest.catalog import DUPLICATE, PUBLISHED, REJECTED
from ..ingest.story import slugify
from ..machinery import parsecache
from ..settings import SettingsError
from .settings_file import SettingsFileError, load_config


def main(argv=None) -> int:
    """The ``gazette`` command; ``argv`` None: the program's own arguments (then ``build``
    gives its process to the build's, ``run_build``)."""
    args = _parser().parse_args(argv)
    args.own_process = argv is None
    try:
        return args.run(args)
    except ledger.LedgerError as err:
        print(f"gazette: the ledger is damaged: {err}", file=sys.stderr)
        print(
            "gazette: fix or restore it from version control; nothing was changed.", file=sys.stderr
        )
        return 2
    except (SettingsFileError, SettingsError) as err:
        print(f"gazette: {args.settings}: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("gazette: interrupted", file=sys.stderr)
        return 130
    except OSError as err:  # a folder or file the command needs: one line, not a traceback
        where = f" ({err.filename})" if err.filename else ""
        print(f"gazette: {err.strerror or err}{where}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gazette", description=__doc__.splitlines()[0])
    parser.add_argument("--settings", default="pelicanconf.py", help="Pelican settings file")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    inspect = commands.add_parser("inspect", help="show what each raw file becomes")
    inspect.add_argument("paths", nargs="+", metavar="PATH", help="raw files or folders")
    inspect.add_argument("--json", action="store_true", help="one JSON object per line")
    inspect.set_defaults(run=run_inspect)

    check = commands.add_parser("check", help="count outcomes; fail when a file is rejected")
    check.add_argument("paths", nargs="+", metavar="PATH")
    check.set_defaults(run=run_check)

    ingest = commands.add_parser("ingest", help="record new and changed stories in the ledger")
    ingest.add_argument("--now", help="first-seen time to record (ISO 8601; default: now)")
    ingest.set_defaults(run=run_ingest)

    build = commands.add_parser(
        "build", help="build the site; the output folder changes only when the build succeeds"
    )
    build.add_argument("--output", help="output folder (default: the settings' OUTPUT_PATH)")
    build.add_argument("--ingest", action="store_true", help="run ingest first")
    build.add_argument("--strict", action="store_true", help="fail on any rejected raw file")
    build.add_argument(
        "--incremental",
        action="store_true",
        help="reuse the pages and feeds of the last build in the output that nothing changed "
        "(byte for byte what a full build writes; without that output, a full build)",
    )
    build.set_defaults(run=run_build)

    serve = commands.add_parser("serve", help="build, serve and rebuild on changes")
    serve.add_argument("--bind", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=run_serve)
    return parser


def _catalog_of(paths, config) -> catalog.Catalog:
    """The catalog of ``paths`` as the build decides it: the same walk (links, loops,
    what is ignored) and each file under the article path the build reads it from."""
    found = catalog.Found()
    for path in paths:
        if not os.path.lexists(path):
            raise SystemExit(f"gazette: no such file or folder: {path}")
        source = catalog.relative(path, config.path)
        article_path = _article_path_of(source, config)
        if os.path.isdir(path):
            found += catalog.walk_of(config, [source])
            if article_path != source:  # reads as the build does: links judged by its root
                found.files = [(s, article_path) for s, _ in found.files]
        elif _linked_out(path, article_path, config):  # as the build's walk judges it
            reason = "in a folder linked from outside the content folder: not read"
            found.refused.append(catalog.Outcome(source, REJECTED, reason=reason))
        else:
            found.files.append((source, article_path))
    entries = ledger.load(os.path.join(config.path, config.ledger))  # damaged: it says so
    reuse = parsecache.reuse_for(config)
    built = catalog.build(config, files=found, entries=entries, require_ledger=False, reuse=reuse)
    built.warnings += entries.warnings
    return built


def _linked_out(path: str, article_path: str, config) -> bool:
    """Whether the folder of ``path`` is really outside its article path."""
    inside = os.path.realpath(os.path.join(config.path, article_path))
    real = os.path.realpath(os.path.dirname(os.path.abspath(path)))
    return not (real == inside or real.startswith(inside.rstrip(os.sep) + os.sep))


def _article_path_of(source: str, config) -> str:
    """The configured article path ``source`` is in; else its own folder."""
    for article_path in config.article_paths:
        top = article_path.strip("/")
        if top in ("", ".") or source == top or source.startswith(top + "/"):
            return article_path
    return source if os.path.isdir(os.path.join(config.path, source)) else os.path.dirname(source)


def run_inspect(args) -> int:
    config = load_config(args.settings)
    built = _catalog_of(args.paths, config)
    grouping = clusters.of_stories(built.stories()) if config.clusters else None
    for outcome in built.outcomes:
        record = as_record(outcome, grouping)
        if args.json:
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(_readable(record))
    _print_warnings("inspect", built)
    print(f"gazette inspect: {built.summary()}{_ignored(built)}", file=sys.stderr)
    return 0


def _print_warnings(command: str, built: catalog.Catalog) -> None:
    for warning in built.warnings:
        print(f"gazette {command}: warning: {warning}", file=sys.stderr)


def _ignored(built: catalog.Catalog) -> str:
    return f"; {len(built.ignored)} other files ignored" if built.ignored else ""


def as_record(outcome: catalog.Outcome, grouping=None) -> dict:
    """The JSON view of one raw file's outcome."""
    record = {
        "source": outcome.source,
        "status": "ok" if outcome.status == PUBLISHED else "rejected",
    }
    if outcome.status != PUBLISHED:
        record["reason"] = outcome.reason
    if outcome.status == DUPLICATE:
        record["duplicate_of"] = outcome.reason.removeprefix("duplicate of ")
    if outcome.warnings:
        record["warnings"] = list(outcome.warnings)
    story = outcome.story
    if story:
        record.update(
            title=story.title,
            slug=story.slug,
            id=story.id,
            date=story.date.isoformat() if story.date else None,
            modified=story.modified.isoformat() if story.modified else None,
            date_source=story.date_source,
            section=story.section,
            topics=list(story.topics),
            byline=story.byline,
            dateline=story.dateline,
            place=story.place,
            summary=story.summary,
            body_text=story.body_text,
            removed=list(story.removed),
            word_count=story.word_count,
            reading_time_minutes=story.reading_time_minutes,
            format=story.kind,
            agency=story.agency,
            credits=list(story.credits),
            corrections=list(story.corrections),
            original_title=story.original_title,
            canonical_url=story.canonical_url,
            publisher=story.publisher,
            image=story.image,
            lang=story.lang,
        )
        record.update(clusters.fields_of(story, grouping))
    return record


def _readable(record: dict) -> str:
    lines = [f"== {record['source']}: {record['status']}"]
    for key, value in record.items():
        if key in ("source", "status", "body_text"):
            continue
        if isinstance(value, list):
            value = ", ".join(value) or "-"
        lines.append(f"   {key:<21} {value if value is not None else '-'}")
    if "body_text" in record:
        lines.append("   body:")
        lines += [f"     {line}" for line in record["body_text"].splitlines()]
    return "\n".join(lines)


def run_check(args) -> int:
    config = load_config(args.settings)
    built = _catalog_of(args.paths, config)
    counts = built.counts()
    for outcome in built.outcomes:
        if outcome.status == REJECTED:
            print(f"rejected  {outcome.source}: {outcome.reason}")
    for outcome in built.outcomes:
        if outcome.status == DUPLICATE:
            print(f"duplicate {outcome.source}: {outcome.reason}")
    for slug, sources in _slug_collisions(built, config.slug_max_chars).items():
        print(f"slug      {slug!r} is shared by {len(sources)} stories: " + ", ".join(sources))
    for source, why in built.ignored:
        print(f"ignored   {source}: {why}")
    pending = sum(1 for s in built.stories() if s.id is None)
    if pending:
        print(f"note      {pending} stories are not in the ledger yet (run `gazette ingest`)")
    print(
        f"gazette check: {counts[PUBLISHED]} ok, {counts[REJECTED]} rejected, "
        f"{counts[DUPLICATE]} duplicates, of {len(built.outcomes)} raw files"
    )
    return 1 if counts[REJECTED] else 0


def _slug_collisions(built: catalog.Catalog, limit: int) -> dict[str, list[str]]:
    """Headline slugs that several stories share (each got a distinct suffix)."""
    groups: dict[str, list[str]] = {}
    for story in built.stories():
        groups.setdefault(slugify(story.title, limit), []).append(story.source)
    return {slug: sources for slug, sources in groups.items() if len(sources) > 1}


def run_ingest(args) -> int:
    config = load_config(args.settings)
    done = catalog.ingest(config, ledger.ingest_time(args.now), parsecache.reuse_for(config))
    _print_warnings("ingest", done.catalog)
    if done.missing_ledger:
        print(
            f"gazette ingest: warning: there is no ledger at {config.ledger}; recording all "
            f"{done.new} stories as first seen now. If this site had a ledger, restore it "
            "from version control instead, or every story gets a new date and id.",
            file=sys.stderr,
        )
    print(f"gazette ingest: {done.summary}", file=sys.stderr)
    return 0


def run_build(args) -> int:
    """Run as the program (``main()``), this process gives its place to the build's
    (sitebuild.publish_lean); called with arguments, it builds here and returns."""
    from .sitebuild import publish, publish_lean

    output = args.output or load_config(args.settings).output_path
    options = {"ingest": args.ingest, "strict": args.strict, "page_cache": args.incremental}
    run = publish_lean if getattr(args, "own_process", False) else publish
    return run(args.settings, output, **options)


def run_serve(args) -> int:
    from .devserver import serve

    return serve(args.settings, args.bind, args.port)


if __name__ == "__main__":
    sys.exit(main())
