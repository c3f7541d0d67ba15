"""Body-extraction benchmark: ``parse_article`` (no site configuration) against trafilatura.

Runs both extractors on the 181 real pages of the article-extraction benchmark kept in
``../shared/bench-data/article-extraction-benchmark`` (override with the first argument) and scores the
extracted text against the ground-truth ``articleBody`` as that benchmark does: precision, recall and
F1 over 4-word shingles of whitespace-tokenised text, per page, then averaged. Prints F1 and the median
milliseconds per page side by side, overall and per page family (publisher groups inferred from the
URL host). ``parse_article`` is scored on its body ("body") and on title + lead + body ("full").

Usage: ``/work/venv/bin/python bench/parse_bench.py [DATA_DIR] [--family-table] [--worst N] [--repeat N]``.
Timings are CPU time of this process (``time.process_time``); each page is run ``--repeat`` times per
extractor and the fastest run counts, so that other work on the machine does not decide the timings.
trafilatura is a bench-only dependency (with lxml_html_clean, which its justext import needs).
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scraper.errors import ParseError  # noqa: E402
from scraper.parse import parse_article  # noqa: E402

# The shared folder sits beside the main checkout; a worktree is one level deeper, so look up the tree.
SHARED = next(
    (p / "shared" for p in ROOT.parents if (p / "shared" / "bench-data").is_dir()), ROOT.parent / "shared"
)
DEFAULT_DATA = SHARED / "bench-data" / "article-extraction-benchmark"
DEFAULT_VN_PAGES = SHARED / "reference-pages"

# Publisher groups share a CMS; everything else is its own family, named by its registrable domain.
FAMILIES = {
    "hearst": (
        "ctpost.com",
        "sfgate.com",
        "chron.com",
        "timesunion.com",
        "mysanantonio.com",
        "seattlepi.com",
        "houstonchronicle.com",
        "expressnews.com",
        "nhregister.com",
    ),
    "gannett": ("usatoday.com", "detroitnews.com", "freep.com", "azcentral.com", "indystar.com"),
    "future": (
        "space.com",
        "livescience.com",
        "techradar.com",
        "tomsguide.com",
        "pcgamer.com",
        "gamesradar.com",
        "tomshardware.com",
    ),
    "nbcu": ("nbcnews.com", "cnbc.com", "msnbc.com", "today.com"),
    "cbs": ("cbsnews.com", "cbssports.com", "cnet.com", "zdnet.com"),
    "gmg": ("gizmodo.com", "jalopnik.com", "kotaku.com", "theroot.com", "deadspin.com"),
    "voxmedia": ("vox.com", "theverge.com", "polygon.com", "sbnation.com", "eater.com", "curbed.com"),
    "nyt-wsj-wapo": ("nytimes.com", "wsj.com", "washingtonpost.com", "latimes.com"),
    "wordpress-vip": ("techcrunch.com", "venturebeat.com", "9to5mac.com", "9to5google.com", "thehill.com"),
}
# CPU time of this process: other work on a shared 2-core machine must not decide the timings.
clock = time.process_time
SECOND_LEVEL = ("co", "com", "org", "net", "ac", "gov", "edu")


@dataclass
class Score:
    """Sums of per-page precision/recall/F1 and the per-page timings of one extractor."""

    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    f1: list[float] = field(default_factory=list)
    ms: list[float] = field(default_factory=list)

    def add(self, truth: str, predicted: str, ms: float) -> None:
        p, r, f = shingle_prf(truth, predicted)
        self.precision.append(p)
        self.recall.append(r)
        self.f1.append(f)
        self.ms.append(ms)

    def row(self) -> tuple[float, float, float, float]:
        n = len(self.f1) or 1
        return (
            sum(self.precision) / n,
            sum(self.recall) / n,
            sum(self.f1) / n,
            statistics.median(self.ms) if self.ms else 0.0,
        )


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """The multiset of n-word shingles of whitespace-tokenised text (one shingle for short texts)."""
    tokens = text.split()
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def shingle_prf(truth: str, predicted: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of predicted against true text over 4-word shingles."""
    t, p = shingles(truth), shingles(predicted)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    precision = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def family(url: str) -> str:
    """Publisher group of a URL, else its registrable domain ("www.bbc.com" → "bbc.com")."""
    host = urlsplit(url).netloc.lower().split(":")[0]
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in SECOND_LEVEL and len(labels[-1]) == 2 else 2
    domain = ".".join(labels[-keep:])
    for name, domains in FAMILIES.items():
        if domain in domains:
            return name
    return domain


def run_ours(html: bytes, url: str) -> tuple[str, str]:
    try:
        article = parse_article(html, url)
    except ParseError:
        return "", ""
    return article.body, article.text


def run_trafilatura(html: bytes, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default=str(DEFAULT_DATA), help="benchmark directory")
    parser.add_argument("--family-table", action="store_true", help="print every family, not a summary")
    parser.add_argument("--worst", type=int, default=0, help="list the N pages where ours scores worst")
    parser.add_argument("--no-trafilatura", action="store_true", help="score parse_article only")
    parser.add_argument(
        "--vn-pages",
        default=str(DEFAULT_VN_PAGES),
        help="directory of saved Vietnamese article pages (*_article.html) to time",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per page and extractor; the fastest counts (default 3)"
    )
    args = parser.parse_args()
    if not args.no_trafilatura:
        try:
            import trafilatura  # noqa: F401
        except ImportError as exc:
            print(
                f"trafilatura is not importable ({exc}); scoring parse_article alone. "
                "Install the bench extras: pip install 'trafilatura>=2,<3' 'lxml_html_clean>=0.4,<0.5'"
            )
            args.no_trafilatura = True
    data = Path(args.data)
    if not (data / "ground-truth.json").is_file():
        print(f"no benchmark at {data} (expected ground-truth.json and html/); pass its directory")
        return 2
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))

    ours_body, ours_full, traf = Score(), Score(), Score()
    by_family: dict[str, tuple[Score, Score, Score]] = defaultdict(lambda: (Score(), Score(), Score()))
    worst: list[tuple[float, str, str]] = []
    for page_id, item in sorted(truth.items()):
        html = gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes())
        url, expected = item["url"], item.get("articleBody") or ""
        ms = float("inf")
        for _ in range(max(1, args.repeat)):
            start = clock()
            body, full = run_ours(html, url)
            ms = min(ms, (clock() - start) * 1000.0)
        fam = by_family[family(url)]
        for score in (ours_body, fam[0]):
            score.add(expected, body, ms)
        for score in (ours_full, fam[1]):
            score.add(expected, full, ms)
        worst.append((shingle_prf(expected, body)[2], page_id, url))
        if not args.no_trafilatura:
            tms = float("inf")
            for _ in range(max(1, args.repeat)):
                start = clock()
                extracted = run_trafilatura(html, url)
                tms = min(tms, (clock() - start) * 1000.0)
            for score in (traf, fam[2]):
                score.add(expected, extracted, tms)

    header = f"{'':28} {'P':>6} {'R':>6} {'F1':>6} {'ms(med)':>8}"
    print(f"article-extraction-benchmark: {len(truth)} pages from {data}")
    print(header)
    for name, score in (
        ("parse_article body", ours_body),
        ("parse_article title+lead+body", ours_full),
        ("trafilatura.extract", traf),
    ):
        if score.f1:
            p, r, f, ms = score.row()
            print(f"{name:28} {p:6.3f} {r:6.3f} {f:6.3f} {ms:8.2f}")

    families = sorted(by_family.items(), key=lambda kv: (-len(kv[1][0].f1), kv[0]))
    slower = [name for name, (b, _f, t) in families if t.ms and b.row()[3] >= t.row()[3]]
    print(f"\nper family ({len(families)} families; F1 of body; median ms per page)")
    print(f"{'family':24} {'pages':>5} {'ours F1':>8} {'traf F1':>8} {'ours ms':>8} {'traf ms':>8}")
    shown = families if args.family_table else [kv for kv in families if len(kv[1][0].f1) > 1]
    for name, (b, _full, t) in shown:
        _, _, bf, bms = b.row()
        tf, tms = (t.row()[2], t.row()[3]) if t.f1 else (float("nan"), float("nan"))
        print(f"{name:24} {len(b.f1):5d} {bf:8.3f} {tf:8.3f} {bms:8.2f} {tms:8.2f}")
    if not args.family_table:
        print(f"({len(families) - len(shown)} one-page families not listed; --family-table shows all)")
    if not args.no_trafilatura:
        print(
            f"families where parse_article is not faster than trafilatura: {len(slower)}"
            + (f" ({', '.join(slower)})" if slower else "")
        )
    vn_pages = sorted(Path(args.vn_pages).glob("*_article.html")) if args.vn_pages else []
    if vn_pages:
        print(f"\nVietnamese article pages from {args.vn_pages} (no ground truth: timing and body size only)")
        print(f"{'page':28} {'KB':>6} {'body chars':>10} {'ours ms':>8} {'traf ms':>8}")
        ours_ms, traf_ms = [], []
        for path in vn_pages:
            html = path.read_bytes()
            url = f"https://{path.stem.split('_')[0]}.example/bai-viet-{len(html)}.htm"
            best, chars = float("inf"), 0
            for _ in range(max(1, args.repeat)):
                start = clock()
                chars = len(run_ours(html, url)[0])
                best = min(best, (clock() - start) * 1000.0)
            ours_ms.append(best)
            tbest = float("nan")
            if not args.no_trafilatura:
                tbest = float("inf")
                for _ in range(max(1, args.repeat)):
                    start = clock()
                    run_trafilatura(html, url)
                    tbest = min(tbest, (clock() - start) * 1000.0)
                traf_ms.append(tbest)
            print(f"{path.stem:28} {len(html) / 1024:6.0f} {chars:10d} {best:8.2f} {tbest:8.2f}")
        print(
            f"{'median':28} {'':6} {'':10} {statistics.median(ours_ms):8.2f} "
            f"{statistics.median(traf_ms) if traf_ms else float('nan'):8.2f}"
        )
    if args.worst:
        print("\nworst pages (body F1):")
        for f, page_id, url in sorted(worst)[: args.worst]:
            print(f"{f:6.3f} {page_id[:12]} {url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
