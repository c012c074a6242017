"""Batch scoring with Spark: `python -m core spark-score INPUT OUTPUT` through `mlflow.pyfunc.spark_udf`.

The job reads ads in the marketplace format (CSV or Parquet, chosen by the input's extension), reads them
the way `python -m core predict` does (text columns with empty values as '', `price` cleaned to a number,
integer ids as integers), scores them with the registered model as a Spark UDF (the signature's columns
passed by name in a struct) and writes either one CSV with exactly the rows and columns of `predict`
(`index,prediction,start,finish,contacts,truncated`, in input order) or partitioned Parquet (same columns,
`contacts` as an array of structs).

Ads are numbered in input order before they are spread over the cluster (range partitioning on that
number keeps every partition a contiguous, ordered slice), so the CSV is streamed to the driver in order
without a second pass of the model.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from core.config import Settings
from core.lifecycle.data import INDEX_COLUMN, DataError, validate_ads

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession

DEFAULT_MASTER = "local[2]"
APP_NAME = "contactguard-spark-score"
ENV_MANAGERS = ("local", "virtualenv", "uv", "conda")
INPUT_FORMATS = {".csv": "csv", ".parquet": "parquet"}
OUTPUT_COLUMNS = ("index", "prediction", "start", "finish", "contacts", "truncated")
PREDICTION_DECIMALS = 6  # as `python -m core predict`
ROWS_PER_TASK = 50_000  # scoring partitions: a multiple of the parallelism, at most about this many ads each
CSV_CHUNK_ROWS = 20_000  # rows per pandas write while the CSV is streamed to the driver
_POSITION = "_cg_position"  # 0-based position of an ad in the input
_PARTITION = "_cg_partition"
_ROW_ID = "_cg_row_id"
_SCORED = "_cg_scored"
_ID_NUMBER = "_cg_id_number"
# Spellings that Java's CSV reader knows for the encodings core.lifecycle.data detects.
_SPARK_ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "cp1251": "windows-1251"}
# core.lifecycle.data cleans prices: spaces out (1 000 -> 1000), a decimal comma with 1-2 digits becomes a point.
_PRICE_SPACES = r"(?U)[\s\u00a0\u202f\u2009]+"
_DECIMAL_COMMA = r"^([-+]?\d+),(\d{1,2})$"


class SparkJobError(RuntimeError):
    """A user error in a spark-score call (bad path, format, columns, model or missing Java)."""


@dataclass
class SparkScoreResult:
    """What one spark-score run did: rows written, where, and how long the parts took (seconds)."""

    rows: int
    output: str
    output_format: str
    model_uri: str
    truncated_ids: list[Any] = field(default_factory=list)
    truncated: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


# --------------------------------------------------------------------------- paths and formats


def _is_remote(path: str) -> bool:
    """True for URIs such as hdfs://, s3a:// or gs:// (not checked on the local disk)."""
    return "://" in path and not path.startswith("file://")


def _local(path: str) -> Path:
    """A local path, without a file:// prefix."""
    return Path(path[len("file://") :] if path.startswith("file://") else path)


def input_format(path: str) -> str:
    """'csv' or 'parquet' from the input's extension; SparkJobError for anything else or a missing input."""
    suffix = Path(path.rstrip("/")).suffix.lower()
    local = None if _is_remote(path) else _local(path)
    if local is not None and not local.exists():
        raise SparkJobError(f"file not found: {path}")
    if suffix in INPUT_FORMATS:
        if local is not None and local.is_dir() and suffix == ".csv":
            raise SparkJobError(f"not a file: {path}")
        return INPUT_FORMATS[suffix]
    if local is not None and local.is_dir():
        raise SparkJobError(f"{path}: a folder; name a .parquet folder or a .csv/.parquet file")
    shown = f"'{suffix}'" if suffix else "no extension"
    raise SparkJobError(f"{path}: unsupported input ({shown}); give a .csv or a .parquet file or folder")


def output_format(path: str) -> str:
    """'csv' for OUTPUT.csv, 'parquet' for OUTPUT.parquet or a folder (no extension); SparkJobError otherwise."""
    suffix = Path(path.rstrip("/")).suffix.lower()
    if suffix == ".csv":
        if not _is_remote(path) and _local(path).is_dir():
            raise SparkJobError(f"{path}: is a folder; a CSV output must be a file")
        return "csv"
    if suffix == ".parquet" or not suffix or path.endswith("/"):
        return "parquet"
    raise SparkJobError(f"{path}: unsupported output ('{suffix}'); give OUTPUT.csv, OUTPUT.parquet or a folder")


def java_executable() -> str | None:
    """The java that Spark will start: $JAVA_HOME/bin/java, else the one on PATH (None when neither)."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


# --------------------------------------------------------------------------- the session


def spark_session(master: str = DEFAULT_MASTER, app_name: str = APP_NAME) -> SparkSession:
    """A Spark session for scoring (workers run this Python unless PYSPARK_PYTHON says otherwise)."""
    if java_executable() is None:
        raise SparkJobError(
            "Java not found: Spark needs a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless; "
            "`make test` installs it) or JAVA_HOME pointing at one"
        )
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _active_session() -> SparkSession | None:
    """The running Spark session of this process, if any (None also when pyspark cannot start)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        return None
    return SparkSession.getActiveSession()


# --------------------------------------------------------------------------- reading ads


def _sniff_csv(path: Path) -> tuple[str, str]:
    """(Spark encoding, delimiter) of a local CSV, checked as core.lifecycle.data checks it (binary files, JSON, …)."""
    from core.lifecycle import data

    source = data._Source(path, None)
    head = source.head()
    name = source.name
    if not head.strip():
        raise DataError("csv.empty", file=name)
    data._sniff_binary(name, head)
    encoding = data._choose_encoding(source, head, [])
    delimiter, _ = data._sniff_header(name, data._first_line(head, encoding))
    return _SPARK_ENCODINGS.get(encoding, "UTF-8"), delimiter


def read_ads(spark: SparkSession, path: str, fmt: str) -> DataFrame:
    """The raw ads as Spark read them, column names normalised as core.lifecycle.data does; DataError on missing columns."""
    from pyspark.errors import AnalysisException

    from core.lifecycle import data

    try:
        if fmt == "csv":
            encoding, delimiter = ("UTF-8", ",") if _is_remote(path) else _sniff_csv(_local(path))
            frame = spark.read.csv(
                path,
                header=True,
                inferSchema=False,
                multiLine=True,
                sep=delimiter,
                encoding=encoding,
                quote='"',
                escape='"',
                mode="PERMISSIVE",
            )
        else:
            frame = spark.read.parquet(path)
    except AnalysisException as error:
        raise SparkJobError(f"cannot read {path}: {_first_line_of(error)}") from None
    names = [data._normalise_name(name) for name in frame.columns]
    frame = frame.toDF(*names)
    problems = validate_ads(pd.DataFrame(columns=names))
    if problems:
        raise DataError("csv.invalid", problems, file=Path(path.rstrip("/")).name, details=problems)
    return frame


def _first_line_of(error: BaseException) -> str:
    """The first line of an exception's message (Spark's carry a JVM stack trace after it)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _text(column: str) -> Column:
    """A text column as core.lifecycle.data reads it: strings, empty values as ''."""
    from pyspark.sql import functions as sf

    return sf.coalesce(sf.col(column).cast("string"), sf.lit(""))


def _number(column: str, data_type: str) -> Column:
    """A number column as core.lifecycle.data reads it: cleaned strings, unparsable or infinite values null."""
    from pyspark.sql import functions as sf

    if data_type in ("double", "float", "int", "bigint", "smallint", "tinyint") or data_type.startswith("decimal"):
        value = sf.col(column).cast("double")
    elif data_type == "boolean":
        return sf.lit(None).cast("double")
    else:
        cleaned = sf.regexp_replace(
            sf.regexp_replace(sf.col(column).cast("string"), _PRICE_SPACES, ""), _DECIMAL_COMMA, "$1.$2"
        )
        value = cleaned.try_cast("double")
    return sf.when(sf.isnan(value) | (sf.abs(value) == math.inf), sf.lit(None).cast("double")).otherwise(value)


def prepare_ads(frame: DataFrame, max_chars: int, cached: list[DataFrame]) -> tuple[DataFrame, int]:
    """Numbered, typed ads (position, index, model inputs, truncated) and how many; cached gets what was persisted."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as sf

    from core.engine.predict import TEXT_COLUMNS as CAPPED_COLUMNS
    from core.lifecycle.pyfunc_model import INPUT_COLUMNS

    types = dict(frame.dtypes)
    has_index = INDEX_COLUMN in frame.columns
    columns = [sf.monotonically_increasing_id().alias(_ROW_ID), sf.spark_partition_id().alias(_PARTITION)]
    if has_index:
        columns += [sf.col(INDEX_COLUMN), _number(INDEX_COLUMN, types[INDEX_COLUMN]).alias(_ID_NUMBER)]
    for name in INPUT_COLUMNS:
        columns.append(_number(name, types[name]).alias(name) if name == "price" else _text(name).alias(name))
    longer = [sf.length(sf.col(name)) > sf.lit(max_chars) for name in CAPPED_COLUMNS]
    # Kept (memory, then local disk) so the input is parsed once: the counts below, the range sampling and
    # the scoring all read this; the positions are therefore computed once too.
    typed = frame.select(*columns).withColumn("truncated", longer[0] | longer[1])
    cached.append(typed.persist(StorageLevel.MEMORY_AND_DISK))
    typed = cached[-1]

    # One pass over the input: ads per input partition (for consecutive positions) and whether every id is a whole number.
    aggregates = [sf.count(sf.lit(1)).alias("rows")]
    if has_index:
        not_whole = sf.col(_ID_NUMBER).isNull() | (sf.col(_ID_NUMBER) % 1 != 0)
        aggregates.append(sf.sum(sf.when(not_whole, 1).otherwise(0)).alias("not_whole"))
    counts = typed.groupBy(_PARTITION).agg(*aggregates).collect()
    offsets, total = {}, 0
    for row in sorted(counts, key=lambda item: item[_PARTITION]):
        offsets[int(row[_PARTITION])] = total
        total += int(row["rows"])
    offset_map = sf.create_map(*[sf.lit(value) for pair in offsets.items() for value in pair]) if offsets else None
    within = sf.col(_ROW_ID) - sf.shiftleft(sf.col(_PARTITION).cast("long"), 33)  # monotonically_increasing_id layout
    position = (offset_map[sf.col(_PARTITION)] + within) if offset_map is not None else within
    typed = typed.withColumn(_POSITION, position.cast("long"))
    if not has_index:
        ids = sf.col(_POSITION)
    elif sum(int(row["not_whole"] or 0) for row in counts) == 0:
        ids = sf.col(_ID_NUMBER).cast("long")
    else:
        ids = sf.col(INDEX_COLUMN).cast("string")
    typed = typed.withColumn(INDEX_COLUMN, ids)
    return typed.select(_POSITION, INDEX_COLUMN, *INPUT_COLUMNS, "truncated"), total


# --------------------------------------------------------------------------- scoring


def udf_result_type(signature: Any) -> Any:
    """The UDF's Spark type: the model's output schema with start and finish as doubles (NaN = no contact).

    MLflow (3.x) casts a nullable long output column with numpy's int64, which fails on the ads without a
    contact; as doubles the Nones become NaN, and `score` turns them back into null longs.
    """
    from pyspark.sql.types import DoubleType, StructField, StructType

    if signature is None or signature.outputs is None:
        raise SparkJobError("the model has no output signature: retrain it with `python -m core train`")
    fields = []
    for spec in signature.outputs.inputs:
        data_type = DoubleType() if spec.name in ("start", "finish") else _spark_type(spec.type)
        fields.append(StructField(spec.name, data_type, True))
    return StructType(fields)


def _spark_type(spec_type: Any) -> Any:
    """The Spark type of an MLflow schema type (plain types, Array and Object, as the signature uses)."""
    from mlflow.types.schema import Array, Object
    from pyspark.sql.types import ArrayType, StructField, StructType

    if isinstance(spec_type, Array):
        return ArrayType(_spark_type(spec_type.dtype))
    if isinstance(spec_type, Object):
        return StructType([StructField(item.name, _spark_type(item.dtype), True) for item in spec_type.properties])
    return spec_type.to_spark()


def model_udf(spark: SparkSession, settings: Settings, uri: str, env_manager: str = "local") -> Callable[..., Column]:
    """The registered model as a Spark UDF returning a struct of prediction, start, finish, contacts."""
    import mlflow.pyfunc
    from mlflow.exceptions import MlflowException

    from core.lifecycle import tracking

    tracking.connect(settings.tracking)
    config = {"detect.max_chars": settings.detect.max_chars, "detect.workers": 1}  # Spark runs the tasks in parallel
    try:
        result_type = udf_result_type(mlflow.models.get_model_info(uri).signature)
        return mlflow.pyfunc.spark_udf(
            spark, uri, result_type=result_type, env_manager=env_manager, model_config=config
        )
    except (MlflowException, OSError) as error:
        raise SparkJobError(
            f"no model at {uri}: train one with `python -m core train` (or `make run`); ({_first_line_of(error)})"
        ) from None


def _span_end(column: str) -> Column:
    """A start/finish double of the UDF as a long, null (not NaN) for ads without a contact."""
    from pyspark.sql import functions as sf

    value = sf.col(column)
    return sf.when(value.isNull() | sf.isnan(value), sf.lit(None)).otherwise(value).cast("long")


def score(spark: SparkSession, ads: DataFrame, total: int, udf: Callable[..., Column]) -> DataFrame:
    """Scored ads in input order (range partitions on the position): the output columns plus the position."""
    from pyspark.sql import functions as sf

    from core.lifecycle.pyfunc_model import INPUT_COLUMNS

    parallelism = max(1, spark.sparkContext.defaultParallelism)
    partitions = parallelism * max(1, math.ceil(total / (parallelism * ROWS_PER_TASK)))
    spread = ads.repartitionByRange(partitions, _POSITION).sortWithinPartitions(_POSITION)
    scored = spread.withColumn(_SCORED, udf(sf.struct(*[sf.col(name) for name in INPUT_COLUMNS])))
    return scored.select(
        _POSITION,
        INDEX_COLUMN,
        sf.round(sf.col(f"{_SCORED}.prediction"), PREDICTION_DECIMALS).alias("prediction"),
        _span_end(f"{_SCORED}.start").alias("start"),
        _span_end(f"{_SCORED}.finish").alias("finish"),
        sf.col(f"{_SCORED}.contacts").alias("contacts"),
        "truncated",
    )


# --------------------------------------------------------------------------- writing


def _contacts_json(contacts: list[Any] | None) -> str:
    """Contacts as `predict` writes them (core.engine.spans.spans_to_json with the output fields)."""
    from core.engine.predict import OUTPUT_SPAN_FIELDS

    if not contacts:
        return "[]"
    return json.dumps(
        [{name: contact[name] for name in OUTPUT_SPAN_FIELDS} for contact in contacts], ensure_ascii=False
    )


def _chunks(scored: DataFrame, size: int) -> Iterator[list[Any]]:
    """Rows of the scored frame on the driver, in partition order, a list of at most size rows at a time."""
    chunk: list[Any] = []
    for row in scored.toLocalIterator(prefetchPartitions=True):
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_csv(scored: DataFrame, path: str, whole_ids: bool) -> tuple[int, list[Any], int]:
    """Stream the scored ads into one CSV like `predict` writes; (rows, first truncated ids, truncated count)."""
    target = _local(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    rows, truncated, cut_ids = 0, 0, []
    with target.open("w", encoding="utf-8", newline="") as handle:
        pd.DataFrame(columns=list(OUTPUT_COLUMNS)).to_csv(handle, index=False)
        for chunk in _chunks(scored.drop(_POSITION), CSV_CHUNK_ROWS):
            frame = pd.DataFrame(
                {
                    "index": pd.array([row[INDEX_COLUMN] for row in chunk], dtype="int64" if whole_ids else object),
                    "prediction": [row["prediction"] for row in chunk],
                    "start": pd.array([row["start"] for row in chunk], dtype="Int64"),
                    "finish": pd.array([row["finish"] for row in chunk], dtype="Int64"),
                    "contacts": [_contacts_json(row["contacts"]) for row in chunk],
                    "truncated": pd.array([bool(row["truncated"]) for row in chunk], dtype=bool),
                }
            )
            frame.to_csv(handle, index=False, header=False)
            cut = frame.loc[frame["truncated"], "index"].tolist()
            cut_ids.extend(cut[: max(0, 6 - len(cut_ids))])
            truncated += len(cut)
            rows += len(frame)
    return rows, cut_ids, truncated


def write_parquet(spark: SparkSession, scored: DataFrame, path: str) -> tuple[int, list[Any], int]:
    """Write partitioned Parquet (one file per scoring partition, in input order); (rows, truncated ids, count)."""
    from pyspark.sql import functions as sf

    scored.drop(_POSITION).write.mode("overwrite").parquet(path)
    written = spark.read.parquet(path)
    summary = written.agg(
        sf.count(sf.lit(1)).alias("rows"), sf.sum(sf.col("truncated").cast("int")).alias("cut")
    ).first()
    cut_ids = [row[INDEX_COLUMN] for row in written.where("truncated").select(INDEX_COLUMN).limit(6).collect()]
    return int(summary["rows"]), cut_ids, int(summary["cut"] or 0)


# --------------------------------------------------------------------------- the job


def run(
    settings: Settings,
    input_path: str,
    output_path: str,
    *,
    model: str | None = None,
    master: str = DEFAULT_MASTER,
    env_manager: str = "local",
    spark: SparkSession | None = None,
) -> SparkScoreResult:
    """Score INPUT into OUTPUT with the model (default: the configured champion) as a Spark UDF."""
    from core.lifecycle import tracking

    started = time.perf_counter()
    in_format, out_format = input_format(input_path), output_format(output_path)
    uri = model or tracking.model_uri(settings.tracking)
    if model is not None and not _is_remote(model) and ":/" not in model and Path(model).exists():
        uri = str(Path(model).resolve())  # a local MLflow model folder
    seconds: dict[str, float] = {}
    cached: list[DataFrame] = []
    own_session = spark is None and _active_session() is None  # a session the caller started is left running
    if spark is None:
        spark = spark_session(master)
        seconds["spark_start"] = time.perf_counter() - started
    try:
        step = time.perf_counter()
        raw = read_ads(spark, input_path, in_format)
        ads, total = prepare_ads(raw, settings.detect.max_chars, cached)
        seconds["read"] = time.perf_counter() - step
        step = time.perf_counter()
        udf = model_udf(spark, settings, uri, env_manager)
        seconds["model_udf"] = time.perf_counter() - step
        step = time.perf_counter()
        scored = score(spark, ads, total, udf)
        whole_ids = dict(scored.dtypes)[INDEX_COLUMN] == "bigint"
        if out_format == "csv":
            rows, cut_ids, cut = write_csv(scored, output_path, whole_ids)
        else:
            rows, cut_ids, cut = write_parquet(spark, scored, output_path)
        seconds["score_write"] = time.perf_counter() - step
    finally:
        for frame in cached:
            frame.unpersist()
        if own_session:
            spark.stop()
    seconds["total"] = time.perf_counter() - started
    return SparkScoreResult(rows, output_path, out_format, uri, cut_ids, cut, seconds)
