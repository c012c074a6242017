"""Review queue latency: `take_next` + `decide` with 100,000 ads queued, server side (SQLite, no UI).

Usage: python bench/queue_bench.py [--ads 100000] [--takes 200] [--bulk 500] [--bulk-only] [--no-write]
Fills a fresh monitoring log in a temp folder through monitoring.write_rows (the path every entry point uses),
then times `take_next` and `decide` for --takes ads, moderators alternating, and prints p50 / p95 / max. The
table goes to bench/results.md under "## Review queue" (replacing an earlier one). Floor: take + decide <= 300 ms.
Then times one bulk decision of --bulk ads from the batch page both ways: one transaction per row
(`monitoring.record_decision` per ad, then the job's table: the path before) and one call
(`batch_jobs.record_bulk_decision`); --bulk-only runs and rewrites just that part ("### Bulk decisions").
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.config import MonitoringSettings  # noqa: E402
from core.ops import monitoring, review_queue  # noqa: E402
from core.ops.batch_jobs import JobStore, record_bulk_decision  # noqa: E402

RESULTS = ROOT / "bench" / "results.md"
SECTION = "## Review queue"
BULK_SECTION = "### Bulk decisions (batch page)"
FLOOR_MS = 300.0
# The SELECT inside take_next's UPDATE (timed alone to show what the index gives, apart from the commit).
NEXT_QUERY = "SELECT id FROM queue WHERE decided_at IS NULL AND (lease_until IS NULL OR lease_until < ?) ORDER BY rank, id LIMIT 1"


def bench_ads(first: int, count: int) -> list[dict]:
    """Ads number first .. first + count - 1, each with a phone."""
    return [
        {
            "title": f"Объявление {index}",
            "description": f"Продаю, звоните 8 912 {index % 1000:03d}-{index % 100:02d}-{index % 97:02d}",
            "category": "Транспорт",
            "price": 1000.0 + index,
        }
        for index in range(first, first + count)
    ]


def fill(settings: MonitoringSettings, ads: int, chunk: int = 20_000) -> float:
    """Log `ads` flagged ads in chunks (each queued once); returns the seconds it took."""
    started = time.perf_counter()
    for first in range(0, ads, chunk):
        count = min(chunk, ads - first)
        batch = bench_ads(first, count)
        rows = monitoring.rows_from_ads(
            settings, batch, [0.9] * count, [1] * count, ["phone"] * count,
            source="batch", model_version="1", threshold=0.5,
        )  # fmt: skip
        monitoring.write_rows(settings, rows)
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def run(ads: int, takes: int) -> dict:
    """Fill the queue and time take_next, decide and both together (milliseconds)."""
    folder = Path(tempfile.mkdtemp(prefix="cg-queue-bench-"))
    settings = MonitoringSettings(db_path=str(folder / "log.sqlite"))
    fill_seconds = fill(settings, ads)
    size_before = review_queue.queue_size(settings)
    take_ms, decide_ms, both_ms = [], [], []
    for index in range(takes):
        user = f"moderator{index % 2}"
        started = time.perf_counter()
        item = review_queue.take_next(settings, user)
        taken = time.perf_counter()
        assert item is not None
        review_queue.decide(settings, user, item.id, has_contact=index % 3 != 0)
        done = time.perf_counter()
        take_ms.append((taken - started) * 1000)
        decide_ms.append((done - taken) * 1000)
        both_ms.append((done - started) * 1000)
    started = time.perf_counter()
    counts = review_queue.counts(settings, "moderator0")
    counts_ms = (time.perf_counter() - started) * 1000
    query_ms = []
    with monitoring.connect(settings) as connection:
        plan = connection.execute("EXPLAIN QUERY PLAN " + NEXT_QUERY, (time.time(),)).fetchall()
        for _ in range(takes):
            started = time.perf_counter()
            connection.execute(NEXT_QUERY, (time.time(),)).fetchone()
            query_ms.append((time.perf_counter() - started) * 1000)
    size_mb = (folder / "log.sqlite").stat().st_size / 1e6
    return {
        "ads": ads,
        "takes": takes,
        "fill_seconds": fill_seconds,
        "queued": size_before,
        "left": counts.left,
        "counts_ms": counts_ms,
        "query": query_ms,
        "plan": " / ".join(str(row[-1]) for row in plan),
        "db_mb": size_mb,
        "take": take_ms,
        "decide": decide_ms,
        "both": both_ms,
    }


def table(result: dict) -> str:
    """The markdown section."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        SECTION,
        "",
        f"`python bench/queue_bench.py` ({datetime.now():%Y-%m-%d %H:%M}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {load:.1f} at the start): {result['queued']:,} ads queued (filled through "
        f"`monitoring.write_rows` in {result['fill_seconds']:.1f} s, log {result['db_mb']:.0f} MB), then "
        f"{result['takes']} takes by two moderators alternating, each decided at once (the process keeps one SQLite connection in WAL mode; each call is one write transaction).",
        "",
        "| operation | p50 ms | p95 ms | max ms |",
        "| --- | --- | --- | --- |",
    ]
    operations = (
        ("next free item, the query alone", "query"),
        ("take_next", "take"),
        ("decide", "decide"),
        ("take_next + decide", "both"),
    )
    for name, key in operations:
        values = result[key]
        lines.append(
            f"| {name} | {statistics.median(values):.3f} | {percentile(values, 0.95):.3f} | {max(values):.3f} |"
        )
    verdict = "met" if max(result["both"]) <= FLOOR_MS else "NOT met"
    lines += [
        "",
        f"Query plan of the next-item query: `{result['plan']}`. "
        f"Counters of the page (left in queue {result['left']:,}, done today): {result['counts_ms']:.1f} ms. "
        f"Floor: next ad <= {FLOOR_MS:.0f} ms server side with 100,000 queued — {verdict} (max of take + decide).",
        "",
    ]
    return "\n".join(lines)


def bulk_run(ads: int, repeats: int) -> dict:
    """Time one bulk decision of `ads` logged ads per row and in one call, each on a fresh log (milliseconds)."""
    per_row, one_call = [], []
    load_start = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    for repeat in range(repeats):
        for way in ("per_row", "one_call") if repeat % 2 == 0 else ("one_call", "per_row"):
            folder = Path(tempfile.mkdtemp(prefix="cg-bulk-bench-"))
            settings = MonitoringSettings(db_path=str(folder / "log.sqlite"))
            fill(settings, ads)
            ids = list(range(1, ads + 1))
            texts = bench_ads(0, ads)  # the ads as the batch table holds them (their text goes with the decision)
            store = JobStore(folder / "jobs")
            started = time.perf_counter()
            if way == "per_row":
                for prediction_id, ad in zip(ids, texts, strict=True):
                    monitoring.record_decision(settings, prediction_id, "confirm", moderator="bench", ad=ad)
                store.record_decisions("job", range(ads), "confirm", "bench")
            else:
                record_bulk_decision(
                    settings, store, "job", "confirm", "bench", list(zip(range(ads), ids, texts, strict=True))
                )
            (per_row if way == "per_row" else one_call).append((time.perf_counter() - started) * 1000)
            decided = monitoring.read_decisions(settings)
            assert len(decided) == ads and decided["queue_id"].notna().all() and review_queue.queue_size(settings) == 0
    return {"ads": ads, "repeats": repeats, "per_row": per_row, "one_call": one_call, "load_start": load_start}


def bulk_table(result: dict) -> str:
    """The markdown subsection of the bulk decision times."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        BULK_SECTION,
        "",
        f"`python bench/queue_bench.py --bulk-only` ({datetime.now():%Y-%m-%d %H:%M}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, load average {result['load_start']:.1f} at the start, {load:.1f} at the end): one confirm of {result['ads']} logged and "
        f"queued ads from the batch table (monitoring decisions with the ads' text, queue items closed, the job's "
        f"decision table), {result['repeats']} times each way on a fresh log, alternating.",
        "",
        "| way | median ms | min ms | max ms | ms per ad (median) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, key in (
        ("before: one transaction per ad (`record_decision` x N, then the job's table)", "per_row"),
        ("now: one call, all or nothing (`record_bulk_decision`)", "one_call"),
    ):
        values = result[key]
        median = statistics.median(values)
        lines.append(
            f"| {name} | {median:.1f} | {min(values):.1f} | {max(values):.1f} | {median / result['ads']:.3f} |"
        )
    speedup = statistics.median(result["per_row"]) / statistics.median(result["one_call"])
    lines += ["", f"One call is {speedup:.0f}x faster than one transaction per ad.", ""]
    return "\n".join(lines)


def replace_bulk_section(text: str) -> None:
    """Replace (or add at the end of the review queue section) the bulk decisions part of bench/results.md."""
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if SECTION not in current:
        write_section(SECTION + "\n\n" + text)
        return
    before, _, after = current.partition(SECTION)
    body, separator, rest = after.partition("\n## ")
    if BULK_SECTION in body:
        head, _, tail = body.partition(BULK_SECTION)
        tail_rest = tail.split("\n### ", 1)
        body = head.rstrip("\n") + "\n\n" + text + ("\n### " + tail_rest[1] if len(tail_rest) > 1 else "")
    else:
        body = body.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(before + SECTION + body.rstrip("\n") + "\n" + (separator + rest if separator else ""), "utf-8")


def write_section(text: str) -> None:
    """Replace (or append) the review queue section of bench/results.md."""
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if SECTION in current:
        before, _, after = current.partition(SECTION)
        rest = after.split("\n## ", 1)
        current = before.rstrip("\n") + "\n" + ("\n## " + rest[1] if len(rest) > 1 else "")
    RESULTS.write_text(current.rstrip("\n") + "\n\n" + text, encoding="utf-8")


def main() -> int:
    """Run, print, write."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ads", type=int, default=100_000)
    parser.add_argument("--takes", type=int, default=200)
    parser.add_argument("--bulk", type=int, default=500, help="ads decided at once in the bulk decision timing")
    parser.add_argument("--bulk-repeats", type=int, default=5)
    parser.add_argument("--bulk-only", action="store_true", help="time (and rewrite) only the bulk decisions part")
    parser.add_argument("--no-write", action="store_true", help="print only, leave bench/results.md alone")
    args = parser.parse_args()
    bulk = bulk_table(bulk_run(args.bulk, args.bulk_repeats))
    if args.bulk_only:
        print(bulk)
        if not args.no_write:
            replace_bulk_section(bulk)
        return 0
    text = table(run(args.ads, args.takes)) + "\n" + bulk
    print(text)
    if not args.no_write:
        write_section(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
