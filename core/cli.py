"""Command line: prepare | train | evaluate | promote | predict | spark-score | serve."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from core.config import ConfigError, Settings, load_settings, resolve_path
from core.errors import ContactGuardError, UsageError
from core.lifecycle.golden import GoldenFormatError

LOCAL_MODEL_DIR = "models/predictor"
LOCAL_RUN_FILE = "models/run.json"
PROMOTION_REFUSED = 3
PREDICT_COLUMNS = ("index", "prediction", "start", "finish", "contacts", "truncated")


def _print(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(args.config)


def cmd_prepare(args: argparse.Namespace) -> int:
    """Write the train/val/test splits."""
    from core.lifecycle.pipeline import prepare

    prepare(_settings(args), progress=_print)
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    """Train, evaluate, log to MLflow and register."""
    from core.lifecycle import tracking
    from core.lifecycle.data import load_split
    from core.lifecycle.pipeline import evaluation_report, flat_metrics, jsonable, train
    from core.lifecycle.plots import close_figures, report_figures

    settings = _settings(args)
    tracking.check_store(settings.tracking)  # a store that does not answer fails now, not after the training
    try:
        train_frame = load_split(settings.data, "train")
        val_frame = load_split(settings.data, "val")
    except FileNotFoundError as error:
        _print(f"error: {error}. Run `python -m core prepare` first.")
        return 2
    started = time.perf_counter()
    result = train(settings, train_frame, val_frame, progress=_print)
    train_seconds = time.perf_counter() - started
    report = evaluation_report(settings, result.predictor, progress=_print)
    metrics = {**result.metrics, **flat_metrics(report), "train_seconds": train_seconds, **result.timings}
    result.predictor.save(resolve_path(LOCAL_MODEL_DIR))
    figures = report_figures(report)
    record = tracking.log_training_run(
        settings,
        result.predictor,
        metrics,
        artifacts={"evaluation.json": jsonable(report)},
        figures=figures,
        run_name=args.run_name,
    )
    close_figures(figures)
    run_info = {"run_id": record.run_id, "version": record.model_version, "champion_set": record.alias_set}
    resolve_path(LOCAL_RUN_FILE).write_text(json.dumps(run_info, indent=2), encoding="utf-8")
    _print_report(report)
    print(f"run {record.run_id}; registered version {record.model_version}; champion set: {record.alias_set}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Evaluate a model on the split and every hand-written set; write metrics JSON and ROC plots; print tables."""
    from core.lifecycle.pipeline import evaluate

    settings = _settings(args)
    predictor = _load_predictor(settings, args.model, prefer_local=True)
    if predictor is None:
        return 2
    report = evaluate(settings, predictor, progress=_print)
    _print_report(report)
    print(f"metrics -> {resolve_path(settings.evaluate.metrics_path)}")
    return 0


def _print_report(report: dict) -> None:
    """Per-category ROC-AUC of every part, span quality of the split, one summary row per hand-written set."""
    from core.lifecycle.pipeline import SUMMARY_KEYS, category_table, handwritten_summary

    print(category_table(report).round(4).to_string())
    metrics = report["synthetic"]["metrics"]
    print("synthetic", {key: round(metrics.get(key, float("nan")), 4) for key in SUMMARY_KEYS})
    summary = handwritten_summary(report)
    if summary.empty:
        return
    print("hand-written sets (tuned = detectors or model were tuned on it; the untuned ones estimate unseen ads):")
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(summary.round(4).to_string())
    missing = [str(entry["name"]) for entry in report.get("handwritten", []) if not entry.get("evaluated")]
    if missing:
        print(f"not evaluated (file not found): {', '.join(missing)}")


def _load_predictor(settings: Settings, uri: str | None, prefer_local: bool = False):
    from core.engine.predict import Predictor
    from core.lifecycle import tracking

    local = resolve_path(LOCAL_MODEL_DIR)
    if uri is None and prefer_local and local.exists():
        return Predictor.load(local)
    if uri is not None and Path(uri).exists():
        return Predictor.load(uri)
    try:
        return tracking.load_predictor(settings.tracking, uri=uri)
    except tracking.NoModelError as error:
        _print(f"error: {error}")
        return None


def cmd_promote(args: argparse.Namespace) -> int:
    """Move the champion alias to a version; with --if-better (or --candidate) only if it scores no worse."""
    from core.lifecycle import tracking

    settings = _settings(args)
    if args.if_better or args.candidate is not None:
        return _promote_if_better(settings, args.candidate or args.version)
    try:
        tracking.set_alias(settings.tracking, str(args.version))
    except tracking.NoModelError as error:
        _print(f"error: {error}")
        return 2
    _tag_promotion(settings, str(args.version))
    print(f"{settings.tracking.model_name} version {args.version} is now @{settings.tracking.serve_alias}")
    return 0


def cli_user() -> str:
    """Who runs the command line: the OS account as `cli:<name>` (what promotions and the monitoring log record)."""
    import getpass

    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return f"cli:{who}"


def _tag_promotion(settings: Settings, version: str) -> None:
    """Record who moved the alias from the command line (the OS account, as `cli:<name>`) and when."""
    from datetime import UTC, datetime

    from core.lifecycle import tracking

    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    tracking.tag_version(settings.tracking, version, {"promoted_by": cli_user(), "promoted_at": when})


def _promote_if_better(settings: Settings, candidate: str) -> int:
    """Gated promotion; exit code 0 when promoted, 3 when refused, 2 on errors."""
    from core.lifecycle import tracking
    from core.lifecycle.data import DataError
    from core.lifecycle.promotion import promote_if_better, resolve_candidate

    try:
        version = resolve_candidate(settings, candidate, resolve_path(LOCAL_RUN_FILE))
        decision = promote_if_better(settings, version)
    except (tracking.NoModelError, DataError, LookupError) as error:
        _print(f"error: {error}")
        return 2
    print(decision.summary(settings.tracking.model_name, settings.tracking.serve_alias))
    if decision.comparison.promoted:
        _tag_promotion(settings, str(version))
    return 0 if decision.comparison.promoted else PROMOTION_REFUSED


def _truncation_warning(ids: pd.Series, truncated: pd.Series, max_chars: int) -> str:
    """One warning line: how many ads were cut to max_chars characters, and the first few of their ids."""
    cut = ids[truncated.to_numpy()].tolist()
    shown = ", ".join(str(value) for value in cut[:5]) + (", …" if len(cut) > 5 else "")
    ads, were = ("ad", "was") if len(cut) == 1 else ("ads", "were")
    return (
        f"warning: {len(cut):,} {ads} with a title or description longer than {max_chars:,} characters "
        f"(detect.max_chars) {were} cut: only the first {max_chars:,} characters scored, "
        f"column truncated = True (index {shown})"
    )


def cmd_predict(args: argparse.Namespace) -> int:
    """Score a CSV of ads (logged for monitoring as `cli:<OS user>`) and write index,prediction,start,finish,
    contacts,truncated."""
    from core.lifecycle.data import DataError, read_ads_csv
    from core.ops import scoring

    settings = _settings(args)
    try:
        frame, report = read_ads_csv(args.input, max_rows=settings.data.max_rows)
    except (DataError, FileNotFoundError) as error:
        _print(f"error: {error}")
        return 2
    for warning in report.warnings:
        _print(f"warning: {warning}")
    if frame.empty:  # a header-only file: an empty result with the usual columns, no model, no log
        pd.DataFrame(columns=list(PREDICT_COLUMNS)).to_csv(args.output, index=False)
        _print(f"0 ads -> {args.output}")
        return 0
    predictor = _load_predictor(settings, args.model)
    if predictor is None:
        return 2
    ids = frame["index"].reset_index(drop=True) if "index" in frame else pd.Series(range(len(frame)))
    bar = tqdm(total=len(frame), unit="ad", file=sys.stderr, disable=args.quiet)

    def progress(done: int, total: int) -> None:
        bar.update(done - bar.n)

    scored = scoring.score(predictor, frame, source="cli", user=cli_user(), settings=settings, progress=progress)
    bar.close()
    result, truncated = scored.result, scored.truncated
    if truncated.any():
        _print(_truncation_warning(ids, truncated, settings.detect.max_chars))
    if scored.warning is not None:  # the scores are written all the same
        _print(f"warning: {scored.warning}")
    output = pd.DataFrame(
        {
            "index": ids.to_numpy(),
            "prediction": result["prediction"].round(6).to_numpy(),
            "start": result["start"].astype("Int64").reset_index(drop=True),
            "finish": result["finish"].astype("Int64").reset_index(drop=True),
            "contacts": result["contacts"].to_numpy(),
            "truncated": truncated.to_numpy(dtype=bool),
        }
    )
    output.to_csv(args.output, index=False)
    _print(f"{len(output)} ads -> {args.output}")
    return 0


def cmd_spark_score(args: argparse.Namespace) -> int:
    """Score a CSV or Parquet of ads with the model as a Spark UDF; write one CSV (as predict) or Parquet."""
    from core.lifecycle.data import DataError
    from core.ops import spark_job

    settings = _settings(args)
    try:
        result = spark_job.run(
            settings, args.input, args.output, model=args.model, master=args.master, env_manager=args.env_manager
        )
    except (spark_job.SparkJobError, DataError, FileNotFoundError) as error:
        _print(f"error: {error}")
        return 2
    if result.truncated:
        shown = pd.Series(result.truncated_ids[:5] + [None] * (result.truncated - min(result.truncated, 5)))
        _print(_truncation_warning(shown, pd.Series(True, index=shown.index), settings.detect.max_chars))
    timings = ", ".join(f"{name} {value:.1f} s" for name, value in result.seconds.items())
    _print(f"{result.rows} ads -> {result.output} ({result.output_format}; {timings})")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the champion over HTTP (MLflow's /invocations format, limits and monitoring log in core.ops.serving)."""
    from core.ops import serving

    return serving.serve(_settings(args), port=args.port, host=args.host, model=args.model, workers=args.workers)


def cmd_ensure_model(args: argparse.Namespace) -> int:
    """Prepare data and train a first model when the registry has no champion."""
    from core.lifecycle import tracking
    from core.lifecycle.pipeline import SPLITS

    settings = _settings(args)
    version = tracking.get_alias_version(settings.tracking)
    if version is not None:
        _print(f"{settings.tracking.model_name}@{settings.tracking.serve_alias} is version {version}")
        return 0
    prepared = resolve_path(settings.data.prepared_dir)
    if not all((prepared / f"{split}.csv").exists() for split in SPLITS):
        code = cmd_prepare(args)
        if code:
            return code
    args.run_name = "first-model"
    return cmd_train(args)


USER_PASSWORD_ENV = "CONTACTGUARD_PASSWORD"


def _user_store(args: argparse.Namespace):
    from core.ops.users import open_store

    return open_store(_settings(args).auth)


def _new_password(name: str) -> str:
    """The password from env CONTACTGUARD_PASSWORD, else typed twice at a prompt."""
    import getpass
    import os

    password = os.environ.get(USER_PASSWORD_ENV, "")
    if password:
        return password
    if not sys.stdin.isatty():
        raise UsageError("cli.no_password", env=USER_PASSWORD_ENV)
    first = getpass.getpass(f"password for {name}: ")
    if getpass.getpass("again: ") != first:
        raise UsageError("cli.passwords_differ")
    return first


def cmd_users_add(args: argparse.Namespace) -> int:
    """Create an account (password from CONTACTGUARD_PASSWORD or a prompt; --no-password for SSO-only)."""
    from core.ops.users import UserError, check_name

    store = _user_store(args)
    try:
        name = check_name(args.name)
        password = None if args.no_password else _new_password(name)
        user = store.add(name, args.role, password, by="cli")
    except (UserError, ValueError) as error:
        _print(f"error: {error}")
        return 2
    print(f"added {user.name} ({user.role}) to {store.path}")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    """Print every account: name, role, password or SSO only, creation time."""
    store = _user_store(args)
    users = store.list_users()
    if not users:
        _print(f"no users in {store.path}; add one with `python -m core users add NAME --role admin`")
        return 0
    for user in users:
        login = "password" if user.has_password else "sso-only"
        print(f"{user.name}\t{user.role}\t{login}\tcreated {user.created_at}")
    return 0


def _release_leases(args: argparse.Namespace, name: str) -> None:
    """Put the review-queue ads this account holds back in the queue at once (as the admin page does).

    Nothing to do when the monitoring log does not exist; when it cannot be reached, a warning (the leases then
    simply run out, after monitoring.queue_lease_seconds).
    """
    import sqlite3

    from core.ops import monitoring, review_queue

    settings = _settings(args).monitoring
    try:
        released = review_queue.release(settings, name) if monitoring.db_path(settings).exists() else 0
    except (sqlite3.Error, OSError) as error:
        _print(f"warning: the queue ads {name} holds stay leased until their lease runs out: {error}")
        return
    if released:
        print(f"{released} queue ad(s) held by {name} back in the review queue")


def cmd_users_remove(args: argparse.Namespace) -> int:
    """Delete an account (never the last admin); the queue ads it held go back to the review queue."""
    from core.ops.users import UserError, normalize_name

    store = _user_store(args)
    try:
        store.remove(args.name, by="cli")
    except UserError as error:
        _print(f"error: {error}")
        return 2
    print(f"removed {normalize_name(args.name)}")
    _release_leases(args, normalize_name(args.name))
    return 0


def cmd_users_passwd(args: argparse.Namespace) -> int:
    """Set a new password (from CONTACTGUARD_PASSWORD or a prompt); the user's sessions are signed out and the
    queue ads they held go back to the review queue."""
    from core.ops.users import UserError, normalize_name

    store = _user_store(args)
    try:
        store.set_password(args.name, _new_password(normalize_name(args.name)), by="cli")
    except (UserError, ValueError) as error:
        _print(f"error: {error}")
        return 2
    print(f"new password for {normalize_name(args.name)}")
    _release_leases(args, normalize_name(args.name))
    return 0


def _add_users_parser(commands: argparse._SubParsersAction) -> None:
    from core.ops.users import ROLES

    users_parser = commands.add_parser("users", help="dashboard accounts: add | list | remove | passwd")
    users = users_parser.add_subparsers(dest="users_command", required=True)
    add = users.add_parser("add", help=f"create an account (password from {USER_PASSWORD_ENV}, else a prompt)")
    add.add_argument("name", help="account name: latin letters, digits, . _ @ + - (an e-mail for SSO)")
    add.add_argument("--role", required=True, choices=ROLES, help="what the account may open")
    add.add_argument("--no-password", action="store_true", help="sign in only through SSO (auth.provider: oidc)")
    add.set_defaults(func=cmd_users_add)
    users.add_parser("list", help="list accounts").set_defaults(func=cmd_users_list)
    remove = users.add_parser("remove", help="delete an account")
    remove.add_argument("name")
    remove.set_defaults(func=cmd_users_remove)
    passwd = users.add_parser("passwd", help=f"set a new password (from {USER_PASSWORD_ENV}, else a prompt)")
    passwd.add_argument("name")
    passwd.set_defaults(func=cmd_users_passwd)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per stage."""
    parser = argparse.ArgumentParser(prog="python -m core", description="ContactGuard: contacts hidden in ads")
    parser.add_argument("--config", default=None, help="config.yaml to use (default: the project's)")
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("prepare", help="write train/val/test splits").set_defaults(func=cmd_prepare)
    commands.add_parser("ensure-model", help="train and register a first model if there is no champion").set_defaults(
        func=cmd_ensure_model
    )

    train_parser = commands.add_parser("train", help="train, evaluate, log to MLflow and register")
    train_parser.add_argument("--run-name", default=None, help="MLflow run name")
    train_parser.set_defaults(func=cmd_train)

    evaluate_parser = commands.add_parser("evaluate", help="metrics JSON, ROC plots and the per-category table")
    evaluate_parser.add_argument("--model", default=None, help="model URI or folder (default: models/predictor)")
    evaluate_parser.set_defaults(func=cmd_evaluate)

    promote_parser = commands.add_parser("promote", help="move the champion alias to a version")
    target = promote_parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--version", help="registered version number (moved at once unless --if-better)")
    target.add_argument(
        "--candidate", help="version to promote only if it scores no worse; 'latest' = the last `train` run"
    )
    promote_parser.add_argument(
        "--if-better",
        action="store_true",
        help="gate: score candidate and champion on the evaluation split and every hand-written set; exit 3 when refused",
    )
    promote_parser.set_defaults(func=cmd_promote)

    predict_parser = commands.add_parser("predict", help="score a CSV of ads")
    predict_parser.add_argument("input", help="CSV in the marketplace format")
    predict_parser.add_argument("-o", "--output", required=True, help="output CSV")
    predict_parser.add_argument("--model", default=None, help="model URI (default: the champion)")
    predict_parser.add_argument("--quiet", action="store_true", help="no progress bar")
    predict_parser.set_defaults(func=cmd_predict)

    spark_parser = commands.add_parser("spark-score", help="score a CSV or Parquet of ads with Spark (spark_udf)")
    spark_parser.add_argument("input", help="ads in the marketplace format: .csv or .parquet (file or folder)")
    spark_parser.add_argument(
        "output", help="OUTPUT.csv: one CSV as `predict` writes; OUTPUT.parquet or a folder: Parquet"
    )
    spark_parser.add_argument("--model", default=None, help="model URI (default: the champion)")
    spark_parser.add_argument("--master", default="local[2]", help="Spark master URL (default: local[2])")
    spark_parser.add_argument(
        "--env-manager",
        default="local",
        choices=("local", "virtualenv", "uv", "conda"),
        help="where the UDF's Python runs: this environment (local, default) or one MLflow builds",
    )
    spark_parser.set_defaults(func=cmd_spark_score)

    serve_parser = commands.add_parser("serve", help="serve the champion over HTTP (MLflow scoring server)")
    serve_parser.add_argument("--port", type=int, default=None, help="port (default: config serve.port)")
    serve_parser.add_argument("--host", default=None, help="host (default: config serve.host)")
    serve_parser.add_argument("--model", default=None, help="model URI (default: the champion)")
    serve_parser.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: config serve.workers)"
    )
    serve_parser.set_defaults(func=cmd_serve)

    _add_users_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as error:
        _print(f"error in config: {error}")
        return 2
    except ContactGuardError as error:  # every coded failure is a one-line message, never a traceback
        _print(f"error: {error}")
        return 2
    except GoldenFormatError as error:
        _print(f"error in a hand-written set: {error}")
        return 2
