"""Extraction benchmark: throughput on one core, peak memory, per-field accuracy over the corpus.

Run from the repository root: ``python bench/extract_bench.py [--rounds N] [--only GLOB ...]``;
``--only '05[1-9]_*' --only '06?_*'`` restricts the run to the articles whose file stem matches any
of the globs (e.g. the held-out batch); ``--detail`` lists every miss on the real dev reports
(``../shared/dev-reports``, scored by its own ``score.py``; skipped when the folder is absent).
Peak memory is the process's maximum resident set size from ``resource.getrusage(RUSAGE_SELF).ru_maxrss``
(whole process, Python and underthesea included), not tracemalloc.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract import EXTRACTOR_VERSION, event_to_dict, extract_events  # noqa: E402

CORPUS = ROOT / "fixtures" / "articles"
# The real, annotated reports live beside the checkout (never copied into the project); the
# worktree sits one level deeper than the main checkout, so look up the tree for the folder.
DEV_REPORTS = next(
    (d for d in (p / "shared" / "dev-reports" for p in ROOT.parents) if (d / "score.py").is_file()),
    None,
)


def _load(only: list[str] | None = None) -> list[tuple[str, str, dt.date | None, list[dict[str, Any]]]]:
    """Corpus cases (stem, text, published, expected events), only stems matching a glob if given."""
    cases = []
    for path in sorted(CORPUS.glob("*.json")):
        if only and not any(fnmatch.fnmatchcase(path.stem, pattern) for pattern in only):
            continue
        expected = json.loads(path.read_text(encoding="utf-8"))
        published = dt.date.fromisoformat(expected["published"]) if expected.get("published") else None
        text = path.with_suffix(".txt").read_text(encoding="utf-8")
        cases.append((path.stem, text, published, expected["events"]))
    return cases


def _f1(tp: int, fp: int, fn: int) -> float:
    if tp == 0:
        return 1.0 if fp == 0 and fn == 0 else 0.0
    p, r = tp / (tp + fp), tp / (tp + fn)
    return 2 * p * r / (p + r)


def _norm(s: str | None) -> str | None:
    return None if s is None else " ".join(unicodedata.normalize("NFC", s).split()).casefold()


FIELDS = (("number", "cluster_number"), ("date", "event_date"), ("covenant", "covenant_year"))


def accuracy(cases: list[tuple[str, str, dt.date | None, list[dict[str, Any]]]]) -> dict[str, float]:
    """Per-field scores: events are paired in order; fields scored over expected events."""
    rel = {"tp": 0, "fp": 0, "fn": 0}
    mem = {"tp": 0, "fp": 0, "fn": 0}
    off = {"tp": 0, "fp": 0, "fn": 0}
    counts = {"number": [0, 0], "date": [0, 0], "covenant": [0, 0], "role": [0, 0], "title": [0, 0]}
    for _, text, published, expected in cases:
        actual = [event_to_dict(e) for e in extract_events(text, published)]
        if expected and actual:
            rel["tp"] += 1
        elif actual:
            rel["fp"] += 1
        elif expected:
            rel["fn"] += 1
        for i, e in enumerate(expected):
            a = actual[i] if i < len(actual) else None
            for field, key in FIELDS:
                counts[field][1] += 1
                counts[field][0] += a is not None and a[key] == e[key]
            e_mem = {m["name"]: m["role"] for m in e["members"]}
            a_mem = {m["name"]: m["role"] for m in a["members"]} if a else {}
            mem["tp"] += len(e_mem.keys() & a_mem.keys())
            mem["fn"] += len(e_mem.keys() - a_mem.keys())
            mem["fp"] += len(a_mem.keys() - e_mem.keys())
            for name in e_mem.keys() & a_mem.keys():
                counts["role"][1] += 1
                counts["role"][0] += e_mem[name] == a_mem[name]
            e_off = {o["name"]: o["title"] for o in e["officials"]}
            a_off = {o["name"]: o["title"] for o in a["officials"]} if a else {}
            off["tp"] += len(e_off.keys() & a_off.keys())
            off["fn"] += len(e_off.keys() - a_off.keys())
            off["fp"] += len(a_off.keys() - e_off.keys())
            for name in e_off.keys() & a_off.keys():
                counts["title"][1] += 1
                counts["title"][0] += _norm(e_off[name]) == _norm(a_off[name])
        for a in actual[len(expected) :]:
            mem["fp"] += len(a["members"])
            off["fp"] += len(a["officials"])
    out = {
        "relevance F1": _f1(rel["tp"], rel["fp"], rel["fn"]),
        "member F1": _f1(mem["tp"], mem["fp"], mem["fn"]),
        "official-name F1": _f1(off["tp"], off["fp"], off["fn"]),
    }
    names = {
        "number": "cluster number",
        "date": "event date",
        "covenant": "covenant year",
        "role": "role accuracy",
        "title": "title accuracy",
    }
    for field, (ok, total) in counts.items():
        out[names[field]] = ok / total if total else 1.0
    return out


def dev_reports(detail: bool = False) -> None:
    """Run the extractor over every dev report and print the table of its own ``score.py``."""
    if DEV_REPORTS is None:
        print("dev reports: skipped (no ../shared/dev-reports/score.py beside the checkout)")
        return
    from scraper.sites import load_sites, site_for_url  # the crawl's sites, as thidua.app passes them

    sites = load_sites()
    lines = []
    for path in sorted(DEV_REPORTS.glob("*.json")):
        report = json.loads(path.read_text(encoding="utf-8"))
        if "text" not in report:
            continue
        published = dt.date.fromisoformat(report["published"]) if report.get("published") else None
        site = site_for_url(sites, report.get("url") or "")
        events = extract_events(
            report["text"], published, source=report.get("url"), site_system=site.system if site else None
        )
        pred = {"id": report["id"], "events": [event_to_dict(e) for e in events]}
        lines.append(json.dumps(pred, ensure_ascii=False))
    with tempfile.TemporaryDirectory() as tmp:
        preds = Path(tmp) / "PREDS.jsonl"
        preds.write_text("\n".join(lines) + "\n", encoding="utf-8")
        cmd = [sys.executable, str(DEV_REPORTS / "score.py"), str(DEV_REPORTS), str(preds)]
        cmd += ["--detail"] if detail else []
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    print(f"dev reports ({len(lines)} real reports, {DEV_REPORTS}):")
    for line in (out.stdout + out.stderr).splitlines():
        print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="times to run the whole corpus (default 20)")
    parser.add_argument(
        "--only",
        action="append",
        metavar="GLOB",
        help="only articles whose file stem matches GLOB (e.g. '0[5-7]?_*'); may be repeated",
    )
    parser.add_argument("--detail", action="store_true", help="list every miss on the dev reports")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    cases = _load(args.only)
    if not cases:
        sys.exit(f"no corpus article under {CORPUS}" + (f" matching {args.only}" if args.only else ""))
    t0 = time.perf_counter()
    extract_events(cases[0][1], cases[0][2])  # loads underthesea once
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(args.rounds):
        for _, text, published, _ in cases:
            extract_events(text, published)
    elapsed = time.perf_counter() - t0
    n = args.rounds * len(cases)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    subset = f" matching {' or '.join(args.only)}" if args.only else ""
    print(f"extractor {EXTRACTOR_VERSION}; corpus {len(cases)} articles{subset}", end="")
    print(f" x {args.rounds} rounds, one core")
    print(f"first call (loads underthesea): {load_s:.2f} s")
    print(f"throughput: {n / elapsed:.1f} articles/s ({elapsed / n * 1000:.2f} ms per article)")
    print(f"peak memory: {peak_mb:.0f} MB (ru_maxrss of the process)")
    print("accuracy over the corpus:")
    for name, value in accuracy(cases).items():
        print(f"  {name:18s} {value:.3f}")
    dev_reports(args.detail)


if __name__ == "__main__":
    main()
