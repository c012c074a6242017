"""Typed settings for every stage; the only module that reads or writes YAML."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator, with_config
from typing_extensions import TypedDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_PATH = PROJECT_ROOT / "config.yaml"

CATEGORIES: tuple[str, ...] = (
    "Бытовая электроника",
    "Для бизнеса",
    "Для дома и дачи",
    "Животные",
    "Личные вещи",
    "Недвижимость",
    "Работа",
    "Транспорт",
    "Услуги",
    "Хобби и отдых",
)
CONTACT_KINDS: tuple[str, ...] = ("phone", "email", "messenger", "url", "social")


class ConfigError(ValueError):
    """Raised when config.yaml is missing, unreadable or invalid; names the bad key."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class DataSettings(_Section):
    """Where ads come from: the synthetic default or the marketplace CSV files."""

    source: Literal["synthetic", "csv"] = Field(
        "synthetic", description="synthetic = embedded generator; csv = real train/val/test files"
    )
    raw_dir: str = Field("data/raw", description="Folder with train.csv, val.csv, test.csv (source=csv)")
    prepared_dir: str = Field("data/prepared", description="Folder where prepare writes the splits")
    feedback_path: str = Field(
        "data/feedback/confirmed.csv",
        description="Moderator-confirmed ads merged into train by prepare when the file exists",
    )
    merge_feedback: bool = Field(True, description="Merge confirmed moderator decisions into train")
    max_rows: int = Field(2_000_000, ge=1, le=50_000_000, description="Refuse files with more rows")


class SynthSettings(_Section):
    """The seeded synthetic generator of ads with gold spans."""

    seed: int = Field(42, ge=0, description="Random seed; the same seed gives the same ads")
    n_train: int = Field(20_000, ge=100, le=2_000_000, description="Ads in the train split")
    n_val: int = Field(4_000, ge=50, le=500_000, description="Ads in the validation split")
    n_test: int = Field(6_000, ge=50, le=500_000, description="Ads in the test split")
    positive_share: float = Field(0.45, ge=0.0, le=1.0, description="Share of ads with a contact")
    label_noise: float = Field(0.02, ge=0.0, le=0.5, description="Share of train labels flipped (val/test stay clean)")
    hard_negative_share: float = Field(
        0.6, ge=0.0, le=1.0, description="Share of clean ads that carry look-alike numbers"
    )


class DetectSettings(_Section):
    """Rule-based contact detectors run on de-obfuscated text."""

    enabled: list[Literal["phone", "email", "messenger", "url", "social"]] = Field(
        default_factory=lambda: list(CONTACT_KINDS), description="Detectors that run"
    )
    default_region: str = Field("RU", min_length=2, max_length=2, description="Region for phone validation (ISO code)")
    min_score: float = Field(0.5, ge=0.0, le=1.0, description="Spans scored lower are dropped")
    context_window: int = Field(
        40, ge=0, le=400, description="Characters around a candidate searched for context words"
    )
    city_numbers: bool = Field(True, description="Accept 5-7 digit city numbers when a phone context word is near")
    workers: int = Field(2, ge=1, le=64, description="Processes that run the detectors on large batches")
    parallel_from: int = Field(
        4000, ge=100, le=10_000_000, description="Batches at least this large are split over the workers"
    )
    max_chars: int = Field(
        20_000,
        ge=500,
        le=500_000,
        description="Characters of a title or description scored; CLI and dashboard cut longer ones, the server refuses them",
    )


class ModelSettings(_Section):
    """The CatBoost classifier over text, detector features and category."""

    iterations: int = Field(300, ge=10, le=5000, description="Boosting iterations")
    learning_rate: float = Field(0.15, gt=0.0, le=1.0, description="Boosting learning rate")
    depth: int = Field(6, ge=2, le=10, description="Tree depth")
    l2_leaf_reg: float = Field(3.0, ge=0.0, le=100.0, description="L2 regularisation")
    use_text: bool = Field(
        False,
        description="Feed the ad text to CatBoost as a bag-of-words feature (helps on real data; on synthetic text it learns the generator)",
    )
    seed: int = Field(42, ge=0, description="Random seed of the classifier")
    thread_count: int = Field(2, ge=1, le=64, description="CPU threads for fit and predict")
    span_scorer: bool = Field(
        True,
        description="Score candidate spans with a model learned from gold spans (else the rules' own scores)",
    )


class TrainSettings(_Section):
    """The training stage."""

    experiment: str = Field("contact-detector", min_length=1, description="MLflow experiment")
    register_model: bool = Field(True, description="Register the trained model in the registry")
    early_stopping_rounds: int = Field(50, ge=0, le=1000, description="0 disables early stopping")
    scorer_ads: int = Field(
        100_000, ge=100, le=10_000_000, description="Train ads whose candidate spans teach the span scorer"
    )


@with_config(ConfigDict(extra="forbid"))
class HandwrittenSet(TypedDict):
    """One hand-written evaluation set: metric prefix, JSONL file, whether anything was tuned on it."""

    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
    path: Annotated[str, Field(min_length=1)]
    tuned: bool


class HandwrittenSetEntry(dict):
    """A validated hand-written set: a plain mapping whose text form is one line of YAML (what the form edits)."""

    def __repr__(self) -> str:
        """YAML flow mapping, e.g. {name: golden, path: tests/data/golden.jsonl, tuned: true}."""
        return _yaml_scalar(dict(self))

    __str__ = __repr__


yaml.SafeDumper.add_representer(HandwrittenSetEntry, yaml.representer.SafeRepresenter.represent_dict)

DEFAULT_HANDWRITTEN_SETS: tuple[tuple[str, str, bool], ...] = (
    ("golden", "tests/data/golden.jsonl", True),  # detectors were tuned on it
    ("holdout", "tests/data/golden_holdout.jsonl", False),  # the older untuned set
    ("untouched", "tests/data/handwritten_untouched.jsonl", False),  # evaluated only, never tuned on
)
LEGACY_PATH_KEYS = {"golden_path": "golden", "holdout_path": "holdout"}
# Report keys and the training run's own metric prefixes (val_mean_auc) cannot name a set.
RESERVED_SET_NAMES = frozenset({"synthetic", "split", "handwritten", "val", "train", "test"})


def default_handwritten_sets() -> list[HandwrittenSet]:
    """The default list: golden (tuned on), holdout and untouched (never tuned on)."""
    return [HandwrittenSetEntry(name=name, path=path, tuned=tuned) for name, path, tuned in DEFAULT_HANDWRITTEN_SETS]  # type: ignore[misc]


class EvaluateSettings(_Section):
    """The evaluation stage."""

    split: Literal["val", "test"] = Field("test", description="Split the evaluation scores")
    threshold: float = Field(0.5, ge=0.0, le=1.0, description="Probability that flags an ad")
    metrics_path: str = Field("metrics/metrics.json", description="Metrics JSON written by evaluate")
    plots_dir: str = Field("metrics/plots", description="Folder for ROC data per category")
    handwritten_sets: list[HandwrittenSet] = Field(
        default_factory=default_handwritten_sets,
        description="Hand-written sets scored beside the split: name (metric prefix), path (JSONL), "
        "tuned (true when rules or model were tuned on it, so its scores are optimistic)",
    )
    promote_tolerance: float = Field(
        0.005,
        ge=0.0,
        le=0.5,
        description="Gated promotion: largest allowed ROC-AUC drop in any one category",
    )
    handwritten_tolerance: float = Field(
        0.01,
        ge=0.0,
        le=0.5,
        description="Gated promotion: largest allowed drop of the mean per-category ROC-AUC on any hand-written set",
    )

    @model_validator(mode="before")
    @classmethod
    def _legacy_paths(cls, data: Any) -> Any:
        """Read an older config's golden_path / holdout_path as the golden and holdout entries of the list."""
        if not isinstance(data, dict) or "handwritten_sets" in data or not set(LEGACY_PATH_KEYS) & set(data):
            return data
        data = dict(data)
        paths = {name: data.pop(key) for key, name in LEGACY_PATH_KEYS.items() if key in data}
        sets = []
        for entry in default_handwritten_sets():
            path = paths.get(entry["name"], entry["path"])
            if path:  # an empty path used to switch the set off
                sets.append({**entry, "path": path})
        data["handwritten_sets"] = sets
        return data

    @field_validator("handwritten_sets", mode="before")
    @classmethod
    def _sets_from_text(cls, value: Any) -> Any:
        """Accept the list as YAML text too (the settings form edits it as one line)."""
        if not isinstance(value, str):
            return value
        try:
            parsed = yaml.safe_load(value)
        except yaml.YAMLError as error:
            raise ValueError(f"not valid YAML ({getattr(error, 'problem', None) or error})") from None
        return [] if parsed is None else parsed

    @field_validator("handwritten_sets")
    @classmethod
    def _unique_names(cls, value: list[HandwrittenSet]) -> list[HandwrittenSet]:
        """Names are metric prefixes: unique, and not a name the report or the training run already uses."""
        names = [entry["name"] for entry in value]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"set name used twice: {', '.join(repeated)}")
        reserved = sorted(set(names) & RESERVED_SET_NAMES)
        if reserved:
            raise ValueError(f"reserved set name: {', '.join(reserved)}")
        return [HandwrittenSetEntry(entry) for entry in value]  # type: ignore[misc]

    def handwritten(self, name: str) -> HandwrittenSet | None:
        """The configured hand-written set with this name, or None."""
        return next((entry for entry in self.handwritten_sets if entry["name"] == name), None)


class TrackingSettings(_Section):
    """MLflow tracking store and model registry."""

    uri: str = Field(
        "sqlite:///mlflow.db",
        description="Tracking URI; relative sqlite paths are under the project; env MLFLOW_TRACKING_URI wins",
    )
    artifact_root: str = Field("mlartifacts", description="Artifact folder for a local store")
    model_name: str = Field("contact-detector", min_length=1, description="Registered model name")
    serve_alias: str = Field("champion", min_length=1, description="Alias the app and server load")


class AppSettings(_Section):
    """The moderators' dashboard."""

    threshold: float = Field(0.5, ge=0.0, le=1.0, description="Probability above which an ad is flagged")
    max_upload_mb: int = Field(200, ge=1, le=2000, description="Largest CSV accepted by the batch page")
    max_rows: int = Field(200_000, ge=1, le=5_000_000, description="Most rows accepted by the batch page")
    batch_size: int = Field(2_000, ge=10, le=100_000, description="Ads scored per progress step")
    history_size: int = Field(20, ge=1, le=500, description="Previous config versions kept")


class MonitoringSettings(_Section):
    """Logging of every scored ad for monitoring."""

    enabled: bool = Field(True, description="Log every scored ad")
    db_path: str = Field("monitoring/predictions.sqlite", description="SQLite file of the log")
    store_text: bool = Field(False, description="Also store title and description in the log")
    psi_bins: int = Field(10, ge=2, le=100, description="Bins for the score drift index (PSI)")


class ServeSettings(_Section):
    """The MLflow scoring server for raw ads."""

    host: str = Field("127.0.0.1", description="Interface the server binds")
    port: int = Field(5001, ge=1, le=65535, description="Port of the scoring server")
    max_rows: int = Field(1_000, ge=1, le=1_000_000, description="Most ads in one request")
    workers: int = Field(2, ge=1, le=64, description="Worker processes of the scoring server")
    reload_seconds: float = Field(
        30.0, ge=0.0, le=86_400.0, description="Seconds between checks of the serving alias (0: never reload)"
    )
    log_queue_size: int = Field(
        100_000, ge=100, le=10_000_000, description="Scored ads a worker keeps for the monitoring log before dropping"
    )
    log_batch_size: int = Field(
        2_000, ge=1, le=1_000_000, description="Most ads written to the monitoring log in one transaction"
    )
    log_flush_seconds: float = Field(
        0.5, ge=0.01, le=60.0, description="Seconds the monitoring writer waits to gather a batch"
    )


class AuthSettings(_Section):
    """Dashboard accounts and sign-in."""

    provider: Literal["password", "oidc"] = Field(
        "password",
        description="How users sign in: password = local accounts; oidc = st.login with [auth] in .streamlit/secrets.toml",
    )
    users_path: str = Field(
        "state/users.sqlite", description="SQLite file of accounts, login failures and the audit log"
    )
    oidc_provider: str = Field("", description="Provider name under [auth] in secrets.toml ('' = the default one)")


class Settings(_Section):
    """All settings of ContactGuard, one section per stage."""

    data: DataSettings = Field(default_factory=DataSettings, description="Input data")
    synth: SynthSettings = Field(default_factory=SynthSettings, description="Synthetic generator")
    detect: DetectSettings = Field(default_factory=DetectSettings, description="Contact detectors")
    model: ModelSettings = Field(default_factory=ModelSettings, description="Classifier")
    train: TrainSettings = Field(default_factory=TrainSettings, description="Training stage")
    evaluate: EvaluateSettings = Field(default_factory=EvaluateSettings, description="Evaluation")
    tracking: TrackingSettings = Field(default_factory=TrackingSettings, description="MLflow")
    app: AppSettings = Field(default_factory=AppSettings, description="Dashboard")
    monitoring: MonitoringSettings = Field(default_factory=MonitoringSettings, description="Result monitoring")
    serve: ServeSettings = Field(default_factory=ServeSettings, description="Scoring server")
    auth: AuthSettings = Field(default_factory=AuthSettings, description="Dashboard accounts")


def _format_errors(error: ValidationError) -> str:
    """Turn pydantic errors into lines that start with the dotted key path."""
    lines = []
    for item in error.errors():
        path = ".".join(str(part) for part in item["loc"]) or "(root)"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        lines.append(f"{path}: {message}")
    return "; ".join(lines)


def validate_settings(raw: dict[str, Any]) -> Settings:
    """Build Settings from a plain dict, raising ConfigError that names each bad key."""
    if not isinstance(raw, dict):
        raise ConfigError("config must be a mapping of sections")
    try:
        return Settings.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(_format_errors(error)) from None


def parse_settings_text(text: str) -> Settings:
    """Parse YAML text into Settings."""
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise ConfigError(f"config is not valid YAML: {error}") from None
    return validate_settings(raw)


def load_settings(path: str | Path | None = None) -> Settings:
    """Read config.yaml (or defaults if absent) into Settings."""
    config_path = Path(path or os.environ.get("CONTACTGUARD_CONFIG", DEFAULT_CONFIG_PATH))
    if not config_path.exists():
        return Settings()
    return parse_settings_text(config_path.read_text(encoding="utf-8"))


def _yaml_scalar(value: Any) -> str:
    """Render one value as inline YAML."""
    return (
        yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
        .strip()
        .removesuffix("\n...")
        .strip()
    )


def field_range(section: type[BaseModel], name: str) -> str:
    """Describe a field's valid range or choices, e.g. '0.0 to 1.0'."""
    info = section.model_fields[name]
    low = high = None
    for meta in info.metadata:
        low = getattr(meta, "ge", None) if getattr(meta, "ge", None) is not None else low
        low = getattr(meta, "gt", None) if getattr(meta, "gt", None) is not None else low
        high = getattr(meta, "le", None) if getattr(meta, "le", None) is not None else high
    choices = getattr(info.annotation, "__args__", None)
    if low is not None or high is not None:
        return f"{low if low is not None else '-inf'} to {high if high is not None else 'inf'}"
    if choices and all(isinstance(c, str) for c in choices):
        return "one of " + ", ".join(choices)
    return ""


def settings_to_yaml(settings: Settings) -> str:
    """Render Settings as YAML with each key's help text as a comment above it."""
    lines = ["# ContactGuard settings. Edit here or on the dashboard's settings page.", ""]
    for section_name, section_field in Settings.model_fields.items():
        section = getattr(settings, section_name)
        lines.append(f"# {section_field.description}")
        lines.append(f"{section_name}:")
        for key, info in type(section).model_fields.items():
            allowed = field_range(type(section), key)
            suffix = f" ({allowed})" if allowed else ""
            lines.append(f"  # {info.description}{suffix}")
            lines.append(f"  {key}: {_yaml_scalar(getattr(section, key))}")
        lines.append("")
    return "\n".join(lines)


def save_settings(settings: Settings, path: str | Path | None = None) -> Path:
    """Write Settings atomically (temp file + rename) and return the path."""
    config_path = Path(path or os.environ.get("CONTACTGUARD_CONFIG", DEFAULT_CONFIG_PATH))
    text = settings_to_yaml(settings)
    if parse_settings_text(text) != settings:
        raise ConfigError("internal error: settings would not round-trip through YAML")
    config_path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".config-", suffix=".yaml", dir=config_path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, config_path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return config_path


def settings_as_flat_dict(settings: Settings) -> dict[str, Any]:
    """Flatten Settings into {'section.key': value} (for MLflow params and diffs)."""
    flat: dict[str, Any] = {}
    for section_name, section in settings.model_dump().items():
        for key, value in section.items():
            flat[f"{section_name}.{key}"] = value
    return flat


def resolve_path(relative: str | Path) -> Path:
    """Resolve a config path against the project root unless it is absolute."""
    path = Path(relative)
    return path if path.is_absolute() else PROJECT_ROOT / path
