"""Typed settings for every stage; the only module that reads or writes YAML."""

from __future__ import annotations

import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
    with_config,
)
from pydantic_core import PydanticCustomError
from typing_extensions import TypedDict

from core.errors import ConfigError, Text
from core.kinds import CONTACT_KINDS

logger = logging.getLogger(__name__)

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


# --------------------------------------------------------------------------- where files may go
STATE_DIR_ENV = "CONTACTGUARD_STATE_DIR"  # folders outside the project that path settings may use (os.pathsep list)
CONFINE_PATHS = "confine_paths"  # validation-context flag: path settings must stay in the allowed folders


def state_folders() -> list[Path]:
    """Folders outside the project that path settings may use: env CONTACTGUARD_STATE_DIR, split by os.pathsep."""
    return [Path(item).expanduser() for item in os.environ.get(STATE_DIR_ENV, "").split(os.pathsep) if item.strip()]


def add_state_folder(folder: str | Path) -> None:
    """Allow path settings under folder too, in this process and the processes it starts (CONTACTGUARD_STATE_DIR)."""
    folders = [str(item) for item in state_folders()]
    if str(folder) not in folders:
        os.environ[STATE_DIR_ENV] = os.pathsep.join([*folders, str(folder)])


def allowed_folders() -> list[Path]:
    """The project folder and the configured state folders: every path setting must lie under one of them."""
    return [PROJECT_ROOT, *state_folders()]


def _inside(path: Path, folder: Path) -> bool:
    """True when path is folder or lies under it (folder taken as written and with its links resolved)."""
    bases = {Path(os.path.normpath(folder.absolute())), folder.resolve()}
    return any(path == base or base in path.parents for base in bases)


def path_is_allowed(value: str | Path) -> bool:
    """True when a path setting (relative ones are under the project) lies under an allowed folder; '..' counts."""
    written = Path(os.path.normpath(resolve_path(value)))
    real = written.resolve()
    return any(_inside(written, folder) or _inside(real, folder) for folder in allowed_folders())


def _confined(value: str, info: ValidationInfo) -> str:
    """Refuse a path outside the allowed folders when the settings come from a file or the settings form."""
    if info.context and info.context.get(CONFINE_PATHS) and not path_is_allowed(value):
        folders = ", ".join(str(folder) for folder in allowed_folders())
        raise PydanticCustomError(
            "path_outside", "{path} lies outside the allowed folders ({folders})", {"path": value, "folders": folders}
        )
    return value


ConfinedPath = Annotated[str, AfterValidator(_confined)]

# --------------------------------------------------------------------------- what each setting means and when it acts
Applies = Literal["now", "retrain", "restart"]
APPLIES: tuple[str, ...] = ("now", "retrain", "restart")
APPLIES_EN = {"now": "applies now", "retrain": "needs retraining", "restart": "needs a restart of the scoring server"}


def _about(
    applies: Applies, help_ru: str, server: bool = False, web_editable: bool = True, env: str = ""
) -> dict[str, Any]:
    """A setting's schema metadata: when a change acts, its Russian help, server restart, editable from the web.

    applies: now = the dashboard and the CLI read it at every use; retrain = it is frozen in the trained model or
    used only by prepare/train/evaluate/promote, so it acts after the next retraining; restart = only the scoring
    server reads it, at its start. server = the scoring server also reads it, at its start. web_editable = False:
    the dashboard shows it but never changes it (env names the environment variable that sets it instead).
    """
    meta: dict[str, Any] = {"applies": applies, "help_ru": help_ru}
    if server:
        meta["server_restart"] = True
    if not web_editable:
        meta["web_editable"] = False
    if env:
        meta["env"] = env
    return meta


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class DataSettings(_Section):
    """Where ads come from: the synthetic default or the marketplace CSV files."""

    source: Literal["synthetic", "csv"] = Field(
        "synthetic",
        description="synthetic = embedded generator; csv = real train/val/test files",
        json_schema_extra=_about("retrain", "synthetic — встроенный генератор; csv — настоящие файлы train/val/test"),
    )
    raw_dir: ConfinedPath = Field(
        "data/raw",
        description="Folder with train.csv, val.csv, test.csv (source=csv)",
        json_schema_extra=_about("retrain", "Папка с train.csv, val.csv, test.csv (для source=csv)"),
    )
    prepared_dir: ConfinedPath = Field(
        "data/prepared",
        description="Folder where prepare writes the splits",
        json_schema_extra=_about("retrain", "Папка, куда этап prepare пишет выборки"),
    )
    feedback_path: ConfinedPath = Field(
        "data/feedback/confirmed.csv",
        description="Moderator-confirmed ads merged into train by prepare when the file exists",
        json_schema_extra=_about(
            "retrain", "Объявления, подтверждённые модераторами; prepare добавляет их в train, если файл есть"
        ),
    )
    merge_feedback: bool = Field(
        True,
        description="Merge confirmed moderator decisions into train",
        json_schema_extra=_about("retrain", "Добавлять подтверждённые модераторами объявления в train"),
    )
    max_rows: int = Field(
        2_000_000,
        ge=1,
        le=50_000_000,
        description="Refuse files with more rows (command line and prepare)",
        json_schema_extra=_about("now", "Файлы с большим числом строк не принимаются (командная строка и prepare)"),
    )


class SynthSettings(_Section):
    """The seeded synthetic generator of ads with gold spans."""

    seed: int = Field(
        42,
        ge=0,
        description="Random seed; the same seed gives the same ads",
        json_schema_extra=_about("retrain", "Зерно генератора; одно и то же зерно даёт те же объявления"),
    )
    n_train: int = Field(
        20_000,
        ge=100,
        le=2_000_000,
        description="Ads in the train split",
        json_schema_extra=_about("retrain", "Объявлений в обучающей выборке"),
    )
    n_val: int = Field(
        4_000,
        ge=50,
        le=500_000,
        description="Ads in the validation split",
        json_schema_extra=_about("retrain", "Объявлений в валидационной выборке"),
    )
    n_test: int = Field(
        6_000,
        ge=50,
        le=500_000,
        description="Ads in the test split",
        json_schema_extra=_about("retrain", "Объявлений в тестовой выборке"),
    )
    positive_share: float = Field(
        0.45,
        ge=0.0,
        le=1.0,
        description="Share of ads with a contact",
        json_schema_extra=_about("retrain", "Доля объявлений с контактом"),
    )
    label_noise: float = Field(
        0.02,
        ge=0.0,
        le=0.5,
        description="Share of train labels flipped (val/test stay clean)",
        json_schema_extra=_about("retrain", "Доля перевёрнутых меток в train (val и test остаются чистыми)"),
    )
    hard_negative_share: float = Field(
        0.6,
        ge=0.0,
        le=1.0,
        description="Share of clean ads that carry look-alike numbers",
        json_schema_extra=_about("retrain", "Доля чистых объявлений с числами, похожими на телефон"),
    )


class DetectSettings(_Section):
    """Rule-based contact detectors run on de-obfuscated text (stored in the trained model)."""

    enabled: list[Literal[CONTACT_KINDS]] = Field(  # type: ignore[valid-type]  # the registry's names
        default_factory=lambda: list(CONTACT_KINDS),
        description="Detectors that run",
        json_schema_extra=_about("retrain", "Какие детекторы работают"),
    )
    default_region: str = Field(
        "RU",
        min_length=2,
        max_length=2,
        description="Region for phone validation (ISO code)",
        json_schema_extra=_about("retrain", "Регион для проверки телефонов (двухбуквенный код ISO, например RU)"),
    )
    min_score: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Spans scored lower are dropped",
        json_schema_extra=_about("retrain", "Найденные контакты с оценкой ниже этой отбрасываются"),
    )
    context_window: int = Field(
        40,
        ge=0,
        le=400,
        description="Characters around a candidate searched for context words",
        json_schema_extra=_about("retrain", "Сколько символов вокруг кандидата просматривать в поисках слов-подсказок"),
    )
    city_numbers: bool = Field(
        True,
        description="Accept 5-7 digit city numbers when a phone context word is near",
        json_schema_extra=_about(
            "retrain", "Принимать городские номера из 5–7 цифр, если рядом есть слово-подсказка о телефоне"
        ),
    )
    workers: int = Field(
        2,
        ge=1,
        le=64,
        description="Processes that run the detectors on large batches (the trained model keeps its own value; "
        "override it at load time with model_config detect.workers)",
        json_schema_extra=_about(
            "retrain",
            "Сколько процессов параллельно проверяют большие пакеты объявлений. Обученная модель хранит своё "
            "значение; без переобучения его можно задать только при загрузке модели (model_config)",
        ),
    )
    parallel_from: int = Field(
        4000,
        ge=100,
        le=10_000_000,
        description="Batches at least this large are split over the workers (kept in the trained model like workers)",
        json_schema_extra=_about(
            "retrain",
            "Пакеты из стольких объявлений и больше делятся между процессами; меньшие проверяются в одном "
            "процессе. Обученная модель хранит своё значение, как и число процессов",
        ),
    )
    max_chars: int = Field(
        20_000,
        ge=500,
        le=500_000,
        description="Characters of a title or description scored; CLI and dashboard cut longer ones, the server refuses them",
        json_schema_extra=_about(
            "now",
            "Сколько символов заголовка и описания проверяется; у более длинных командная строка и приложение "
            "проверяют только начало этой длины и сообщают об этом, сервер оценки отвечает ошибкой 400",
            server=True,
        ),
    )


class ModelSettings(_Section):
    """The CatBoost classifier over text, detector features and category."""

    iterations: int = Field(
        300,
        ge=10,
        le=5000,
        description="Boosting iterations",
        json_schema_extra=_about("retrain", "Итераций бустинга"),
    )
    learning_rate: float = Field(
        0.15,
        gt=0.0,
        le=1.0,
        description="Boosting learning rate",
        json_schema_extra=_about("retrain", "Шаг обучения бустинга"),
    )
    depth: int = Field(
        6, ge=2, le=10, description="Tree depth", json_schema_extra=_about("retrain", "Глубина деревьев")
    )
    l2_leaf_reg: float = Field(
        3.0,
        ge=0.0,
        le=100.0,
        description="L2 regularisation",
        json_schema_extra=_about("retrain", "L2-регуляризация листьев"),
    )
    use_text: bool = Field(
        False,
        description="Feed the ad text to CatBoost as a bag-of-words feature (helps on real data; on synthetic text it learns the generator)",
        json_schema_extra=_about(
            "retrain",
            "Передавать текст объявления в CatBoost как текстовый признак (помогает на настоящих данных; "
            "на синтетических модель выучивает генератор)",
        ),
    )
    seed: int = Field(
        42,
        ge=0,
        description="Random seed of the classifier",
        json_schema_extra=_about("retrain", "Зерно классификатора"),
    )
    thread_count: int = Field(
        2,
        ge=1,
        le=64,
        description="CPU threads for fit and predict",
        json_schema_extra=_about("retrain", "Потоков процессора для обучения и предсказания (хранится в модели)"),
    )
    span_scorer: bool = Field(
        True,
        description="Score candidate spans with a model learned from gold spans (else the rules' own scores)",
        json_schema_extra=_about(
            "retrain",
            "Оценивать найденные фрагменты моделью, обученной на эталонной разметке (иначе — оценками самих правил)",
        ),
    )


class TrainSettings(_Section):
    """The training stage."""

    experiment: str = Field(
        "contact-detector",
        min_length=1,
        description="MLflow experiment",
        json_schema_extra=_about("retrain", "Эксперимент MLflow, в который пишутся запуски обучения"),
    )
    register_model: bool = Field(
        True,
        description="Register the trained model in the registry",
        json_schema_extra=_about("retrain", "Регистрировать обученную модель в реестре"),
    )
    early_stopping_rounds: int = Field(
        50,
        ge=0,
        le=1000,
        description="0 disables early stopping",
        json_schema_extra=_about("retrain", "Итераций без улучшения до ранней остановки; 0 — без ранней остановки"),
    )
    scorer_ads: int = Field(
        100_000,
        ge=100,
        le=10_000_000,
        description="Train ads whose candidate spans teach the span scorer",
        json_schema_extra=_about("retrain", "Сколько объявлений из train учат модель оценки фрагментов"),
    )


@with_config(ConfigDict(extra="forbid"))
class HandwrittenSet(TypedDict):
    """One hand-written evaluation set: metric prefix, JSONL file, whether anything was tuned on it."""

    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
    path: Annotated[ConfinedPath, Field(min_length=1)]
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

    split: Literal["val", "test"] = Field(
        "test",
        description="Split the evaluation scores",
        json_schema_extra=_about("retrain", "На какой выборке считать оценку и сравнивать модели при автоповышении"),
    )
    metrics_path: ConfinedPath = Field(
        "metrics/metrics.json",
        description="Metrics JSON written by evaluate",
        json_schema_extra=_about("retrain", "JSON с метриками, который пишет этап evaluate"),
    )
    plots_dir: ConfinedPath = Field(
        "metrics/plots",
        description="Folder for ROC data per category",
        json_schema_extra=_about("retrain", "Папка с данными ROC-кривых по категориям"),
    )
    handwritten_sets: list[HandwrittenSet] = Field(
        default_factory=default_handwritten_sets,
        description="Hand-written sets scored beside the split: name (metric prefix), path (JSONL), "
        "tuned (true when rules or model were tuned on it, so its scores are optimistic)",
        json_schema_extra=_about(
            "retrain",
            "Наборы объявлений, написанных вручную, которые оцениваются рядом с выборкой. Список в YAML: "
            "name — имя (префикс метрик, латиницей), path — файл JSONL, tuned — true, если на наборе "
            "подстраивались правила или модель (его оценка завышена)",
        ),
    )
    promote_tolerance: float = Field(
        0.005,
        ge=0.0,
        le=0.5,
        description="Gated promotion: largest allowed ROC-AUC drop in any one category",
        json_schema_extra=_about("retrain", "Автоповышение: наибольшее допустимое падение ROC-AUC в одной категории"),
    )
    mean_tolerance: float = Field(
        0.0,
        ge=0.0,
        le=0.5,
        description=(
            "Gated promotion: largest allowed drop of the mean per-category ROC-AUC on the evaluation split "
            "(0: it must not fall at all)"
        ),
        json_schema_extra=_about(
            "retrain",
            "Автоповышение: наибольшее допустимое падение среднего по категориям ROC-AUC на синтетической выборке "
            "(0 — не должно падать совсем)",
        ),
    )
    handwritten_tolerance: float = Field(
        0.01,
        ge=0.0,
        le=0.5,
        description="Gated promotion: largest allowed drop of the mean per-category ROC-AUC on any hand-written set",
        json_schema_extra=_about(
            "retrain",
            "Автоповышение: наибольшее допустимое падение среднего по категориям ROC-AUC на любом ручном наборе",
        ),
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
        json_schema_extra=_about(
            "now",
            "Адрес хранилища MLflow; относительный путь sqlite — от папки проекта; переменная окружения "
            "MLFLOW_TRACKING_URI главнее",
            server=True,
            web_editable=False,
            env="MLFLOW_TRACKING_URI",
        ),
    )
    artifact_root: ConfinedPath = Field(
        "mlartifacts",
        description="Artifact folder for a local store",
        json_schema_extra=_about("now", "Папка артефактов для локального хранилища MLflow"),
    )
    model_name: str = Field(
        "contact-detector",
        min_length=1,
        description="Registered model name",
        json_schema_extra=_about("now", "Имя модели в реестре", server=True),
    )
    serve_alias: str = Field(
        "champion",
        min_length=1,
        description="Alias the app and server load",
        json_schema_extra=_about("now", "Метка версии, которую загружают приложение и сервер оценки", server=True),
    )
    request_timeout_seconds: int = Field(
        5,
        ge=1,
        le=60,
        description="Seconds to wait for a tracking server (http/https URI) to connect or answer one request",
        json_schema_extra=_about(
            "now",
            "Сколько секунд ждать соединения или ответа сервера MLflow (адрес http/https) на один запрос",
            server=True,
        ),
    )
    max_retries: int = Field(
        1,
        ge=0,
        le=3,
        description="Retries of a failed request to a tracking server; at worst a call waits "
        "request_timeout_seconds x (max_retries + 1), plus 2 s before a second retry and 4 s before a third",
        json_schema_extra=_about(
            "now",
            "Сколько раз повторять неудавшийся запрос к серверу MLflow; в худшем случае обращение ждёт "
            "время ожидания × (повторы + 1) и ещё 2 с перед вторым повтором и 4 с перед третьим",
            server=True,
        ),
    )


class AppSettings(_Section):
    """The moderators' dashboard."""

    threshold: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Probability above which an ad is flagged: the deployment's one threshold (dashboard, scoring "
        "server, CLI, monitoring log, review queue, evaluation)",
        json_schema_extra=_about(
            "now",
            "Вероятность, с которой объявление отмечается как нарушение. Единый порог для приложения, сервера "
            "оценки, командной строки, журнала мониторинга, очереди модерации и оценки модели",
            server=True,
        ),
    )
    max_upload_mb: int = Field(
        200,
        ge=1,
        le=2000,
        description="Largest CSV accepted by the batch page",
        json_schema_extra=_about("now", "Самый большой CSV для пакетной проверки, МБ"),
    )
    max_rows: int = Field(
        200_000,
        ge=1,
        le=5_000_000,
        description="Most rows accepted by the batch page",
        json_schema_extra=_about("now", "Наибольшее число строк для пакетной проверки"),
    )
    batch_size: int = Field(
        2_000,
        ge=10,
        le=100_000,
        description="Ads scored per progress step",
        json_schema_extra=_about("now", "Объявлений за один шаг индикатора прогресса"),
    )
    history_size: int = Field(
        20,
        ge=1,
        le=500,
        description="Previous config versions kept",
        json_schema_extra=_about("now", "Сколько прошлых версий настроек хранить"),
    )


class MonitoringSettings(_Section):
    """Logging of every scored ad for monitoring."""

    enabled: bool = Field(
        True,
        description="Log every scored ad",
        json_schema_extra=_about("now", "Записывать каждое проверенное объявление в журнал", server=True),
    )
    db_path: ConfinedPath = Field(
        "monitoring/predictions.sqlite",
        description="SQLite file of the log",
        json_schema_extra=_about("now", "Файл SQLite с журналом и очередью модерации", server=True),
    )
    store_text: bool = Field(
        False,
        description="Also store title and description of every logged ad (queued and decided ads keep theirs anyway)",
        json_schema_extra=_about(
            "now",
            "Хранить в журнале также заголовок и описание каждого объявления (у объявлений в очереди и с "
            "решениями текст хранится всегда)",
            server=True,
        ),
    )
    psi_bins: int = Field(
        10,
        ge=2,
        le=100,
        description="Bins for the score drift index (PSI)",
        json_schema_extra=_about("now", "Число корзин для индекса дрейфа оценок (PSI)"),
    )
    queue_enabled: bool = Field(
        True,
        description="Put flagged ads (and a sample of the others) into the moderators' review queue",
        json_schema_extra=_about(
            "now", "Ставить отмеченные объявления (и выборку остальных) в очередь модерации", server=True
        ),
    )
    queue_sample_unflagged: float = Field(
        0.02,
        ge=0.0,
        le=1.0,
        description="Share of unflagged ads also queued for quality control (drawn from a hash of the ad: reproducible)",
        json_schema_extra=_about(
            "now",
            "Доля неотмеченных объявлений, которые тоже попадают в очередь для контроля качества (выбираются по "
            "хешу объявления, поэтому воспроизводимо)",
            server=True,
        ),
    )
    queue_lease_seconds: int = Field(
        300,
        ge=5,
        le=86_400,
        description="Seconds a moderator holds a taken ad before it returns to the queue",
        json_schema_extra=_about(
            "now", "Сколько секунд модератор держит взятое объявление, прежде чем оно вернётся в очередь"
        ),
    )


class ServeSettings(_Section):
    """The MLflow scoring server for raw ads."""

    host: str = Field(
        "127.0.0.1",
        description="Interface the server binds",
        json_schema_extra=_about("restart", "Сетевой интерфейс, на котором слушает сервер оценки"),
    )
    port: int = Field(
        5001,
        ge=1,
        le=65535,
        description="Port of the scoring server",
        json_schema_extra=_about("restart", "Порт сервера оценки"),
    )
    max_rows: int = Field(
        1_000,
        ge=1,
        le=1_000_000,
        description="Most ads in one request",
        json_schema_extra=_about("restart", "Наибольшее число объявлений в одном запросе к серверу оценки"),
    )
    workers: int = Field(
        2,
        ge=1,
        le=64,
        description="Worker processes of the scoring server",
        json_schema_extra=_about("restart", "Рабочих процессов сервера оценки"),
    )
    reload_seconds: float = Field(
        30.0,
        ge=0.0,
        le=86_400.0,
        description="Seconds between checks of the serving alias (0: never reload)",
        json_schema_extra=_about(
            "restart", "Раз во сколько секунд сервер проверяет, на какую версию указывает метка (0 — не проверять)"
        ),
    )
    log_queue_size: int = Field(
        100_000,
        ge=100,
        le=10_000_000,
        description="Scored ads a worker keeps for the monitoring log before dropping",
        json_schema_extra=_about(
            "restart", "Сколько оценённых объявлений процесс сервера держит для журнала, прежде чем начать отбрасывать"
        ),
    )
    log_batch_size: int = Field(
        2_000,
        ge=1,
        le=1_000_000,
        description="Most ads written to the monitoring log in one transaction",
        json_schema_extra=_about("restart", "Наибольшее число объявлений, записываемых в журнал за одну транзакцию"),
    )
    log_flush_seconds: float = Field(
        0.5,
        ge=0.01,
        le=60.0,
        description="Seconds the monitoring writer waits to gather a batch",
        json_schema_extra=_about("restart", "Сколько секунд запись журнала ждёт, собирая пакет"),
    )


class AuthSettings(_Section):
    """Dashboard accounts and sign-in."""

    provider: Literal["password", "oidc"] = Field(
        "password",
        description="How users sign in: password = local accounts; oidc = st.login with [auth] in .streamlit/secrets.toml",
        json_schema_extra=_about(
            "now",
            "Как входят пользователи: password — локальные учётные записи; oidc — единый вход (st.login) "
            "с разделом [auth] в .streamlit/secrets.toml",
        ),
    )
    users_path: ConfinedPath = Field(
        "state/users.sqlite",
        description="SQLite file of accounts, login failures and the audit log",
        json_schema_extra=_about(
            "now",
            "Файл SQLite с учётными записями, неудачными входами и журналом действий (переменная окружения "
            "CONTACTGUARD_USERS_DB главнее)",
        ),
    )
    oidc_provider: str = Field(
        "",
        description="Provider name under [auth] in secrets.toml ('' = the default one)",
        json_schema_extra=_about(
            "now", "Имя поставщика входа в разделе [auth] файла secrets.toml (пусто — поставщик по умолчанию)"
        ),
    )


class BatchSettings(_Section):
    """Batch jobs of the dashboard: scored files kept on disk and listed on the batch page."""

    jobs_dir: ConfinedPath = Field(
        "state/batch_jobs",
        description="Folder of stored batch jobs (Parquet results keyed by the file's content hash and model version)",
        json_schema_extra=_about(
            "now", "Папка сохранённых пакетных проверок (результаты в Parquet по хешу файла и версии модели)"
        ),
    )
    max_jobs: int = Field(
        50,
        ge=1,
        le=10_000,
        description="Stored batch jobs kept; the oldest are deleted beyond this",
        json_schema_extra=_about("now", "Сколько пакетных проверок хранить; более старые удаляются"),
    )


def _section(cls: type[_Section], description: str, title_ru: str) -> Any:
    """A section field of Settings with its English description and Russian title."""
    return Field(default_factory=cls, description=description, json_schema_extra={"title_ru": title_ru})


class Settings(_Section):
    """All settings of ContactGuard, one section per stage."""

    data: DataSettings = _section(DataSettings, "Input data", "Данные")
    synth: SynthSettings = _section(SynthSettings, "Synthetic generator", "Синтетические данные")
    detect: DetectSettings = _section(DetectSettings, "Contact detectors", "Детекторы")
    model: ModelSettings = _section(ModelSettings, "Classifier", "Классификатор")
    train: TrainSettings = _section(TrainSettings, "Training stage", "Обучение")
    evaluate: EvaluateSettings = _section(EvaluateSettings, "Evaluation", "Оценка")
    tracking: TrackingSettings = _section(TrackingSettings, "MLflow", "MLflow")
    app: AppSettings = _section(AppSettings, "Dashboard", "Приложение")
    monitoring: MonitoringSettings = _section(MonitoringSettings, "Result monitoring", "Мониторинг")
    serve: ServeSettings = _section(ServeSettings, "Scoring server", "Сервер оценки")
    auth: AuthSettings = _section(AuthSettings, "Dashboard accounts", "Учётные записи")
    batch: BatchSettings = _section(BatchSettings, "Batch jobs", "Пакетная проверка")

    @model_validator(mode="before")
    @classmethod
    def _one_threshold(cls, data: Any) -> Any:
        """Read an older config's evaluate.threshold: app.threshold is the one threshold now (warned once)."""
        evaluate = data.get("evaluate") if isinstance(data, dict) else None
        if not isinstance(evaluate, dict) or "threshold" not in evaluate:
            return data
        data = dict(data)
        evaluate = dict(evaluate)
        old = evaluate.pop("threshold")
        data["evaluate"] = evaluate
        app = data.get("app")
        if app is None or (isinstance(app, dict) and "threshold" not in app):
            data["app"] = {**(app or {}), "threshold": old}
            warn_once(Text("config.legacy_threshold_moved", old=str(old)))
        else:
            used = app.get("threshold") if isinstance(app, dict) else getattr(app, "threshold", None)
            warn_once(Text("config.legacy_threshold_ignored", old=str(old), used=str(used)))
        return data


_WARNED: set[str] = set()


def warn_once(message: Text) -> None:
    """Log a settings warning (an older key read in a new way) once per process."""
    if message not in _WARNED:
        _WARNED.add(message)
        logger.warning("%s", message)


def section_class(section: str) -> type[_Section]:
    """The pydantic model of a settings section."""
    return Settings.model_fields[section].annotation  # type: ignore[return-value]


def field_meta(key: str) -> dict[str, Any]:
    """The schema metadata of a dotted key (applies, help_ru, server_restart, web_editable)."""
    section, name = key.split(".", 1)
    extra = section_class(section).model_fields[name].json_schema_extra
    return dict(extra) if isinstance(extra, dict) else {}


def applies(key: str) -> str:
    """When a change of this setting acts: now, retrain or restart."""
    return str(field_meta(key)["applies"])


def help_ru(key: str) -> str:
    """The Russian help of a setting (the settings form shows it)."""
    return str(field_meta(key)["help_ru"])


def server_restart(key: str) -> bool:
    """True when the scoring server also reads this setting, at its start."""
    return bool(field_meta(key).get("server_restart"))


def web_editable(key: str) -> bool:
    """False for settings the dashboard may show but never change (tracking.uri)."""
    return bool(field_meta(key).get("web_editable", True))


def setting_keys() -> list[str]:
    """Every dotted key of the schema, in schema order."""
    return [f"{section}.{name}" for section in Settings.model_fields for name in section_class(section).model_fields]


_CHECK_CODES = {  # pydantic error types with a message of ours in both languages
    "greater_than": "config.check.greater_than",
    "greater_than_equal": "config.check.greater_than_equal",
    "less_than": "config.check.less_than",
    "less_than_equal": "config.check.less_than_equal",
    "missing": "config.check.missing",
    "string_too_short": "config.check.string_too_short",
    "string_too_long": "config.check.string_too_long",
    "string_pattern_mismatch": "config.check.string_pattern_mismatch",
    "literal_error": "config.check.literal_error",
    "int_parsing": "config.check.int_parsing",
    "int_from_float": "config.check.int_from_float",
    "float_parsing": "config.check.float_parsing",
    "bool_parsing": "config.check.bool_parsing",
    "string_type": "config.check.string_type",
    "list_type": "config.check.list_type",
    "value_error": "config.check.value_error",
}


def _check_params(kind: str, item: Any) -> dict[str, Any]:
    """The parameters of a pydantic check's message: limits as numbers, choices as a list, a value error's text."""
    params: dict[str, Any] = {}
    for name, value in dict(item.get("ctx") or {}).items():
        if isinstance(value, float) and value != round(value, 1):
            value = f"{value:g}"  # written as is (the catalogue writes numbers with one decimal)
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        params[name] = value
    if kind == "literal_error":
        params["expected"] = re.findall(r"'([^']*)'", str(params.get("expected", ""))) or [params.get("expected")]
    if kind == "value_error":
        params = {"detail": str(item["msg"]).removeprefix("Value error, ")}
    return params


def _problem(item: Any) -> Text:
    """One pydantic error as a coded problem: the dotted key and a message in English and Russian."""
    key = ".".join(str(part) for part in item["loc"]) or "(root)"
    kind = item["type"]
    message: str | Text = item["msg"]
    if kind == "extra_forbidden":
        message = Text("config.unknown_key")
    elif kind == "path_outside":
        message = Text("config.path_outside", **dict(item.get("ctx") or {}))
    elif kind in _CHECK_CODES:
        message = Text(_CHECK_CODES[kind], **_check_params(kind, item))
    return Text("config.problem", key=key, message=message)


def _format_errors(error: ValidationError) -> Text:
    """Pydantic errors as one coded text: 'dotted.key: message' items joined by '; '."""
    return Text("config.problems", problems=[_problem(item) for item in error.errors()])


def validate_settings(raw: dict[str, Any], confine_paths: bool = True) -> Settings:
    """Build Settings from a plain dict, raising ConfigError that names each bad key.

    Path settings must lie under the project folder or a state folder (CONTACTGUARD_STATE_DIR) unless
    confine_paths is False; settings built in code (tests, benchmarks) are not checked until saved or loaded.
    """
    if not isinstance(raw, dict):
        raise ConfigError("config.not_mapping")
    try:
        return Settings.model_validate(raw, context={CONFINE_PATHS: confine_paths})
    except ValidationError as error:
        raise ConfigError("config.invalid", details=_format_errors(error)) from None


def parse_settings_text(text: str) -> Settings:
    """Parse YAML text into Settings."""
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise ConfigError("config.not_yaml", detail=str(error)) from None
    return validate_settings(raw)


def load_settings(path: str | Path | None = None) -> Settings:
    """Read config.yaml (or defaults if absent) into Settings."""
    config_path = Path(path or os.environ.get("CONTACTGUARD_CONFIG", DEFAULT_CONFIG_PATH))
    if not config_path.exists():
        return Settings()
    return parse_settings_text(read_config_text(config_path))


def read_config_text(path: Path) -> str:
    """The text of a config file; ConfigError (not a traceback) when it is not UTF-8 or cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError("config.unreadable", path=str(path), reason=str(error.strerror or error)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ConfigError("config.not_utf8", path=str(path), byte=f"{data[error.start]:02x}", line=line) from None


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


def applies_text(key: str) -> str:
    """When a change of the setting acts, in English (the config.yaml comments): 'needs retraining', ..."""
    text = APPLIES_EN[applies(key)]
    if server_restart(key):
        text += "; the scoring server reads it at its start"
    if not web_editable(key):
        text += "; not editable from the dashboard"
    return text


def key_comment(key: str) -> str:
    """The comment config.yaml carries above a key: its description, valid range and when a change acts."""
    section, name = key.split(".", 1)
    info = section_class(section).model_fields[name]
    allowed = field_range(section_class(section), name)
    suffix = f" ({allowed})" if allowed else ""
    return f"{info.description}{suffix} [{applies_text(key)}]"


def settings_to_yaml(settings: Settings) -> str:
    """Render Settings as YAML with each key's description (range, when it acts) as a comment above it."""
    lines = [
        "# ContactGuard settings. Edit here or on the dashboard's settings page. The comments are written from",
        "# the schema in core/config.py (a test keeps them equal); saving from the dashboard writes them again.",
        "",
    ]
    for section_name, section_field in Settings.model_fields.items():
        section = getattr(settings, section_name)
        lines.append(f"# {section_field.description}")
        lines.append(f"{section_name}:")
        for key in type(section).model_fields:
            lines.append(f"  # {key_comment(f'{section_name}.{key}')}")
            lines.append(f"  {key}: {_yaml_scalar(getattr(section, key))}")
        lines.append("")
    return "\n".join(lines)


def save_settings(settings: Settings, path: str | Path | None = None) -> Path:
    """Write Settings atomically (temp file + rename) and return the path."""
    config_path = Path(path or os.environ.get("CONTACTGUARD_CONFIG", DEFAULT_CONFIG_PATH))
    text = settings_to_yaml(settings)
    if parse_settings_text(text) != settings:
        raise ConfigError("config.round_trip")
    config_path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".config-", suffix=".yaml", dir=config_path.parent)
    # mkstemp makes the file 0600: keep the old file's mode (else 0644), so that other users (the app user in the
    # container) can still read the settings after a save.
    mode = config_path.stat().st_mode & 0o777 if config_path.exists() else 0o644
    try:
        os.chmod(temp_name, mode)
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
