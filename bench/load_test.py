"""Load test of the scoring server (`python -m core serve`) on loopback: 1-ad and 100-ad requests at 1 / 4 / 16.

Usage: python bench/load_test.py [--workers N] [--seconds 8] [--max-requests 5000] [--config config.yaml]
                                [--soak-seconds 300] [--soak-only] [--soak-runs 2]
                                [--case 100x4 --case 1x16 --repeats 3]

Besides the six cases it runs 1-ad requests at concurrency 16 twice more, with the monitoring database free
and then held locked by another connection's open write transaction (scoring must not notice), and with
--soak-seconds it keeps 1-ad requests at concurrency 4 going that long, sampling the RSS of the server's
processes every 30 s (each worker apart). --soak-only skips the cases; --soak-runs repeats the soak on a
fresh server. The soak goes under "## Scoring server soak". --case ADSxCONCURRENCY (repeatable) runs only
those cases, each --repeats times, and writes them under "## Scoring server, repeated cases".

The machine may be shared: every case records the 1-minute load average at its start and the CPU (in cores)
that processes other than this client and the server used during it ("others").

Starts its own server on a free 127.0.0.1 port (the configured champion; when the configured registry has
none, the local models/predictor is registered in a temporary MLflow store), runs every case for at most
--seconds and --max-requests, stops the server and appends the table to bench/results.md under
"## Scoring server". Never talks to anything but 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.config import Settings, add_state_folder, load_settings, save_settings  # noqa: E402

RESULTS = ROOT / "bench" / "results.md"
SECTION = "## Scoring server"
REPEAT_SECTION = "## Scoring server, repeated cases"
SOAK_SECTION = "## Scoring server soak"
SOAK_SAMPLE_SECONDS = 30.0
SOAK_WARMUP_SECONDS = 60.0  # the same load before the first sample: caches, queues and the log reach their size
SOAK_GROWTH_LIMIT_MB = 2.0  # "no growth": the last sample within this of the first (page-level noise)
CASES = ((1, 1), (1, 4), (1, 16), (100, 1), (100, 4), (100, 16))  # (ads per request, concurrency)
FLOORS = "1-ad at concurrency 16: >= 250 req/s, p99 <= 100 ms, 0 errors; 100-ad at concurrency 4: >= 4,000 ads/s"
AD_FIELDS = ("title", "description", "subcategory", "category", "price", "region", "city", "datetime_submitted")


@dataclass
class CaseResult:
    """What one (ads per request, concurrency) case measured."""

    ads_per_request: int
    concurrency: int
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    load: float = float("nan")
    other_cores: float = float("nan")
    server_cpu: float = float("nan")
    by_worker: dict[str, int] = field(default_factory=dict)

    def quantile(self, q: float) -> float:
        """A latency quantile in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def row(self) -> str:
        """The case as a Markdown table row."""
        rate = self.requests / self.seconds if self.seconds else 0.0
        return (
            f"| {self.ads_per_request} | {self.concurrency} | {self.requests:,} | {rate:,.0f} | "
            f"{rate * self.ads_per_request:,.0f} | {self.quantile(0.5):.1f} | {self.quantile(0.95):.1f} | "
            f"{self.quantile(0.99):.1f} | {self.errors} | {self.load:.1f} | {self.other_cores:.2f} | "
            f"{self.server_cpu * 1000 / max(1, self.requests * self.ads_per_request):.2f} | "
            f"{' / '.join(f'{self.by_worker[name]:,}' for name in sorted(self.by_worker))} |"
        )


TABLE_HEAD = (
    "| ads/request | concurrency | requests | req/s | ads/s | p50 ms | p95 ms | p99 ms | errors | load avg "
    "| others' CPU (cores) | server CPU ms/ad | requests per worker |"
)
TABLE_RULE = "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
COLUMNS_NOTE = (
    '"load avg": 1-minute load average at the start of the run (the previous run of this script included); '
    '"others\' CPU": cores used during the run by processes other than this client and the server; '
    '"server CPU ms/ad": CPU time of the server\'s processes per ad scored (less sensitive to a shared machine '
    'than ads/s); "requests per worker": answers by X-Worker header, worker 0 / 1 / … (the kernel assigns each '
    "keep-alive connection to one worker)."
)


def cpu_seconds(server: psutil.Process) -> tuple[float, float, float]:
    """(busy CPU seconds of the whole machine, of this client and the server's processes, of the server's)."""
    times = psutil.cpu_times()
    busy = sum(times) - times.idle - getattr(times, "iowait", 0.0) - getattr(times, "steal", 0.0)
    client = psutil.Process().cpu_times()
    served = 0.0
    for member in [server, *server.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            spent = member.cpu_times()
            served += spent.user + spent.system
    return busy, client.user + client.system + served, served


def measure_case(
    server: psutil.Process, port: int, bodies: list[bytes], case: CaseResult, seconds: float, max_requests: int
) -> CaseResult:
    """Run one case, recording the load average at its start and the CPU other processes used meanwhile."""
    case.load = os.getloadavg()[0]
    busy, ours, served = cpu_seconds(server)
    asyncio.run(run_case(port, bodies, case, seconds, max_requests))
    busy_after, ours_after, served_after = cpu_seconds(server)
    case.other_cores = max(0.0, (busy_after - busy) - (ours_after - ours)) / case.seconds if case.seconds else 0.0
    case.server_cpu = served_after - served
    return case


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def sample_ads(count: int) -> list[dict]:
    """Synthetic ads in the request format."""
    from core.lifecycle.synth import generate_ads

    frame = generate_ads(count, seed=11)
    ads = []
    for record in frame.to_dict(orient="records"):
        ad = {name: record.get(name) for name in AD_FIELDS}
        ad["price"] = None if ad["price"] != ad["price"] else ad["price"]
        ad["datetime_submitted"] = str(ad["datetime_submitted"]) if ad["datetime_submitted"] is not None else None
        ads.append(ad)
    return ads


@contextlib.contextmanager
def locked_database(path: Path):
    """Hold a write lock on an SQLite file (another connection's open write transaction) while inside."""
    connection = sqlite3.connect(path, timeout=5, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        yield
    finally:
        connection.execute("ROLLBACK")
        connection.close()


def served_settings(config: Path | None, workdir: Path) -> tuple[Path, str]:
    """A config whose registry has a champion (the configured one, else models/predictor in a temp store)."""
    from core.lifecycle import tracking

    add_state_folder(workdir)  # the temp store lies outside the project
    settings = load_settings(config)
    settings.monitoring.db_path = str(workdir / "monitoring.sqlite")
    version = tracking.get_alias_version(settings.tracking)
    if version is None:
        from core.engine.predict import Predictor

        local = ROOT / "models" / "predictor"
        if not local.exists():
            sys.exit("no champion in the registry and no models/predictor: run `make model` first")
        settings.tracking.uri = f"sqlite:///{workdir / 'mlflow.db'}"
        settings.tracking.artifact_root = str(workdir / "mlartifacts")
        record = tracking.log_training_run(settings, Predictor.load(local), {}, run_name="load-test")
        version = str(record.model_version)
        source = f"models/predictor registered as version {version} in a temporary store"
    else:
        source = f"{settings.tracking.model_name}@{settings.tracking.serve_alias} (version {version})"
    return save_settings(settings, workdir / "config.yaml"), source


def tree_rss(process: psutil.Process) -> int:
    """Resident memory of a process and its children, in bytes."""
    return sum(process_rss(process).values())


def process_threads(process: psutil.Process) -> dict[int, int]:
    """Threads of the server process and each of its children, by process id."""
    counts = {}
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            counts[member.pid] = member.num_threads()
    return counts


def process_rss(process: psutil.Process) -> dict[int, int]:
    """Resident memory in bytes of the server process and each of its children, by process id."""
    sizes = {}
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            sizes[member.pid] = member.memory_info().rss
    return sizes


class Connection:
    """A minimal keep-alive HTTP/1.1 client (one request in one write: no client-side Nagle delays)."""

    def __init__(self, host: str, port: int) -> None:
        """Remember where to connect."""
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.worker = "?"  # the X-Worker header of the last answer: which server worker holds this connection

    async def post(self, path: str, body: bytes) -> int:
        """POST a JSON body; returns the status (the answer is read and dropped)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        self.writer.write(head + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
            elif name.strip().lower() == "x-worker":
                self.worker = value.strip()
        await self.reader.readexactly(length)
        return int(status_line.split()[1])

    async def close(self) -> None:
        """Close the socket."""
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()


async def run_case(port: int, bodies: list[bytes], case: CaseResult, seconds: float, max_requests: int) -> None:
    """Send requests from `concurrency` connections until the time or the request budget runs out."""
    deadline = time.perf_counter() + seconds
    budget = [max_requests]

    async def loop(offset: int) -> None:
        connection = Connection("127.0.0.1", port)
        index = offset
        try:
            while budget[0] > 0 and time.perf_counter() < deadline:
                budget[0] -= 1
                body = bodies[index % len(bodies)]
                index += case.concurrency
                started = time.perf_counter()
                try:
                    ok = await asyncio.wait_for(connection.post("/invocations", body), 60) == 200
                except (OSError, ValueError, IndexError, asyncio.IncompleteReadError, TimeoutError):
                    ok = False
                    await connection.close()
                    connection = Connection("127.0.0.1", port)
                case.latencies.append(time.perf_counter() - started)
                case.requests += 1
                case.errors += 0 if ok else 1
                case.by_worker[connection.worker] = case.by_worker.get(connection.worker, 0) + 1
        finally:
            await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(loop(i) for i in range(case.concurrency)))
    case.seconds = time.perf_counter() - started


def start_server(config: Path, port: int, workers: int, log: Path) -> subprocess.Popen:
    """`python -m core serve` on 127.0.0.1:port; waits for /ready."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("MLFLOW_TRACKING_URI", None)
    command = [sys.executable, "-m", "core", "--config", str(config), "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers)]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    import urllib.request

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=5) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    sys.exit(f"server not ready after 180 s:\n{log.read_text()}")


def write_section(text: str, heading: str = SECTION) -> None:
    """Replace (or append) one '## …' section of bench/results.md (the heading line must match exactly)."""
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    lines = current.rstrip("\n").split("\n")
    new = text.rstrip("\n").split("\n")
    if heading in lines:
        start = lines.index(heading)
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        tail = ["", *lines[end:]] if end < len(lines) else []
        lines = lines[:start] + new + tail
    else:
        lines = [*lines, "", *new]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


@dataclass
class Soak:
    """RSS samples of one soak: per process (MB) every SOAK_SAMPLE_SECONDS, and the requests sent."""

    seconds: float
    samples: list[dict[int, float]] = field(default_factory=list)
    threads: list[dict[int, int]] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)
    requests: int = 0
    errors: int = 0

    def sample(self, process: psutil.Process) -> None:
        """Record the RSS (MB) and threads of every server process, and the load average."""
        self.samples.append({pid: size / 2**20 for pid, size in process_rss(process).items()})
        self.threads.append(process_threads(process))
        self.loads.append(os.getloadavg()[0])

    def totals(self) -> list[float]:
        """Total RSS of the server's processes per sample, in MB."""
        return [sum(sample.values()) for sample in self.samples]

    def growth(self) -> float:
        """Last total minus the first, in MB."""
        totals = self.totals()
        return totals[-1] - totals[0] if len(totals) > 1 else 0.0

    def largest_step(self) -> float:
        """The largest rise of one process's RSS between two consecutive samples, in MB."""
        steps = [
            after.get(pid, size) - size
            for before, after in zip(self.samples, self.samples[1:], strict=False)
            for pid, size in before.items()
        ]
        return max(steps, default=0.0)

    def lines(self, label: str) -> list[str]:
        """Markdown lines: totals, each process's first and last sample and threads, the verdict."""
        totals = ", ".join(f"{value:,.1f}" for value in self.totals())
        first, last = self.samples[0], self.samples[-1]
        threads_first, threads_last = self.threads[0], self.threads[-1]
        each = "; ".join(
            f"pid {pid}: {first[pid]:,.1f} → {last.get(pid, float('nan')):,.1f} MB, "
            f"{threads_first.get(pid, 0)} → {threads_last.get(pid, 0)} threads"
            for pid in sorted(first)
        )
        loads = ", ".join(f"{value:.1f}" for value in self.loads)
        verdict = "no growth" if self.growth() <= SOAK_GROWTH_LIMIT_MB else "GROWTH"
        return [
            f"- {label}: {self.requests:,} requests, {self.errors} errors; server RSS every "
            f"{SOAK_SAMPLE_SECONDS:g} s (MB, all processes, the first after the warm-up): {totals}; per process "
            f"(first → last): {each}; largest rise of one process between two samples {self.largest_step():+.1f} MB; "
            f"load average at the samples: {loads}; change last − first {self.growth():+,.1f} MB: {verdict}.",
        ]


def soak(process: psutil.Process, port: int, bodies: list[bytes], seconds: float) -> Soak:
    """1-ad requests at concurrency 4 for `seconds` (after SOAK_WARMUP_SECONDS of it), RSS sampled every 30 s."""
    asyncio.run(run_case(port, bodies, CaseResult(1, 4), SOAK_WARMUP_SECONDS, 10**9))
    result = Soak(seconds)
    result.sample(process)
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        case = CaseResult(1, 4)
        asyncio.run(run_case(port, bodies, case, SOAK_SAMPLE_SECONDS, 10**9))
        result.requests += case.requests
        result.errors += case.errors
        result.sample(process)
        print(
            f"soak {time.perf_counter() - started:.0f} s: RSS {sum(result.samples[-1].values()):,.1f} MB "
            + " ".join(
                f"{pid}:{mb:.1f}MB/{result.threads[-1].get(pid, 0)}t" for pid, mb in sorted(result.samples[-1].items())
            )
            + f" load {result.loads[-1]:.1f}",
            flush=True,
        )
    return result


def stop_server(server: subprocess.Popen) -> None:
    """Terminate the server and wait for it."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def main() -> int:
    """Run every case (and the soaks) and write the results."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=None, help="server workers (default: config serve.workers)")
    parser.add_argument("--seconds", type=float, default=8.0, help="longest run of one case")
    parser.add_argument("--max-requests", type=int, default=5_000, help="most requests of one case")
    parser.add_argument("--config", type=Path, default=None, help="config.yaml (default: the project's)")
    parser.add_argument("--no-write", action="store_true", help="print the table, do not touch bench/results.md")
    parser.add_argument(
        "--soak-seconds", type=float, default=0.0, help="1-ad load at concurrency 4 this long, RSS sampled"
    )
    parser.add_argument("--soak-only", action="store_true", help="skip the cases, run only the soak")
    parser.add_argument("--soak-runs", type=int, default=1, help="soaks, each on a freshly started server")
    parser.add_argument(
        "--case", action="append", default=[], help="only this case, ADSxCONCURRENCY (ADS 1 or 100; e.g. 100x4)"
    )
    parser.add_argument("--repeats", type=int, default=1, help="runs of each --case, one after the other")
    args = parser.parse_args()
    if args.soak_only and args.soak_seconds <= 0:
        parser.error("--soak-only needs --soak-seconds")
    try:
        chosen = [tuple(int(part) for part in text.lower().split("x", 1)) for text in args.case]
    except ValueError:
        parser.error("--case takes ADSxCONCURRENCY, e.g. 100x4")
    if any(len(pair) != 2 or pair[0] not in (1, 100) or pair[1] < 1 for pair in chosen):
        parser.error("--case takes ADSxCONCURRENCY with 1 or 100 ads, e.g. 100x4")
    workers = args.workers or load_settings(args.config).serve.workers
    load_before = os.getloadavg()[0]
    ads = sample_ads(2_000)
    single = [json.dumps({"dataframe_records": [ad]}, ensure_ascii=False).encode() for ad in ads]
    hundred = [
        json.dumps({"dataframe_records": ads[i : i + 100]}, ensure_ascii=False).encode()
        for i in range(0, len(ads), 100)
    ]
    results: list[CaseResult] = []
    lock_rows: list[str] = []
    soaks: list[Soak] = []
    rss_before = rss_after = 0
    with tempfile.TemporaryDirectory(prefix="contactguard-load-") as folder:
        workdir = Path(folder)
        config, source = served_settings(args.config, workdir)
        for run in range(max(1, args.soak_runs) if args.soak_seconds > 0 else 1):
            port = free_port()
            server = start_server(config, port, workers, workdir / f"server-{run}.log")
            process = psutil.Process(server.pid)
            try:
                asyncio.run(run_case(port, single, CaseResult(1, 4), 2.0, 300))  # warm-up
                if run == 0 and not args.soak_only:
                    rss_before = tree_rss(process)
                    cases = [pair for pair in chosen for _ in range(max(1, args.repeats))] or list(CASES)
                    for ads_per_request, concurrency in cases:
                        case = CaseResult(ads_per_request, concurrency)
                        bodies = single if ads_per_request == 1 else hundred
                        measure_case(process, port, bodies, case, args.seconds, args.max_requests)
                        results.append(case)
                        print(case.row(), flush=True)
                    rss_after = tree_rss(process)
                    for label in ("free", "locked") if not chosen else ():
                        case = CaseResult(1, 16)
                        database = workdir / "monitoring.sqlite"
                        with locked_database(database) if label == "locked" else contextlib.nullcontext():
                            measure_case(process, port, single, case, args.seconds, args.max_requests)
                        lock_rows.append(f"| monitoring database {label} {case.row()}")
                        print(lock_rows[-1], flush=True)
                if args.soak_seconds > 0:
                    soaks.append(soak(process, port, single, args.soak_seconds))
            finally:
                stop_server(server)
        served = Settings.model_validate(load_settings(config).model_dump())
    setup = (
        f"({time.strftime('%Y-%m-%d %H:%M')}, {platform.machine()}, {psutil.cpu_count()} CPUs, load average "
        f"{load_before:.1f} at the start, client and server on the same machine over loopback): {workers} "
        f"worker(s), model {source}, monitoring log {'on' if served.monitoring.enabled else 'off'}"
    )
    if results and chosen:
        flags = " ".join(f"--case {text}" for text in args.case)
        lines = [
            REPEAT_SECTION,
            "",
            f"`python bench/load_test.py {flags} --repeats {args.repeats}` {setup}; each run at most "
            f"{args.seconds:g} s or {args.max_requests:,} requests, one after the other on one server. {COLUMNS_NOTE}",
            "",
            TABLE_HEAD,
            TABLE_RULE,
            *[case.row() for case in results],
            "",
            f"Floors: {FLOORS}.",
        ]
        text = "\n".join(lines)
        print(text)
        if not args.no_write:
            write_section(text, REPEAT_SECTION)
    elif results:
        lines = [
            SECTION,
            "",
            f"`python bench/load_test.py` {setup}; each case at most {args.seconds:g} s or "
            f"{args.max_requests:,} requests. {COLUMNS_NOTE}",
            "",
            TABLE_HEAD,
            TABLE_RULE,
            *[case.row() for case in results],
            "",
            f"Server RSS (all processes): {rss_before / 2**20:,.0f} MB after warm-up, {rss_after / 2**20:,.0f} MB "
            f"after the run. Floors: {FLOORS}.",
            "",
            "1-ad requests at concurrency 16 with the monitoring database free, then held locked by an open write "
            "transaction of another connection for the whole case:",
            "",
            "| monitoring database " + TABLE_HEAD,
            "| --- " + TABLE_RULE,
            *lock_rows,
        ]
        text = "\n".join(lines)
        print(text)
        if not args.no_write:
            write_section(text)
    if soaks:
        lines = [
            SOAK_SECTION,
            "",
            f"`python bench/load_test.py --soak-seconds {args.soak_seconds:g}` {setup}: 1-ad requests at "
            f"concurrency 4, each run on a freshly started server after {SOAK_WARMUP_SECONDS:g} s of the same load. "
            f"Floor: no RSS growth over a 5-minute run (last sample within {SOAK_GROWTH_LIMIT_MB:g} MB of the "
            "first).",
            "",
        ]
        for number, result in enumerate(soaks, start=1):
            lines += result.lines(f"run {number}")
        text = "\n".join(lines)
        print(text)
        if not args.no_write:
            write_section(text, SOAK_SECTION)
    return 0


if __name__ == "__main__":
    sys.exit(main())
