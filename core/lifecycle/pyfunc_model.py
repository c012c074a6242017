"""The MLflow model from code: a table of raw ads in, probability and contact spans per ad out.

`core.lifecycle.tracking` logs this file with `mlflow.pyfunc.log_model(python_model=<this file>, ...)`, the
predictor folder (`Predictor.save`) as the artifact `predictor`, the `core` package as code and the
detector runtime settings as `model_config`. MLflow runs the file again when it loads the model and
takes the instance given to `mlflow.models.set_model` below.

`predict` only scores: no row or size limits, no monitoring log, no message rewriting (the HTTP
server in `core.ops.serving` does those). Texts longer than `detect.max_chars` characters are cut to that
length before scoring, as the CLI and the dashboard do.
"""

from __future__ import annotations

import json
from typing import Any

import mlflow
import numpy as np
import pandas as pd
from mlflow.models import ModelSignature
from mlflow.types import ColSpec, Schema
from mlflow.types.schema import Array, Object, Property

PREDICTOR_ARTIFACT = "predictor"
TEXT_INPUTS = ("title", "description", "category", "subcategory")
REQUIRED_INPUTS = ("description", "category")
INPUT_COLUMNS = (*TEXT_INPUTS, "price")
OUTPUT_COLUMNS = ("prediction", "start", "finish", "contacts")
CONTACT_FIELD_TYPES = {"start": "long", "finish": "long", "score": "double"}  # every other field is a string
# Keys of model_config: the detector runtime settings saved with the model, overridable at load time with
# mlflow.pyfunc.load_model(uri, model_config={...}) or the MLFLOW_PYFUNC_INFERENCE_CONFIG environment variable.
RUNTIME_KEYS = ("detect.max_chars", "detect.workers", "detect.parallel_from")


def input_schema() -> Schema:
    """Input columns: description and category required, title, subcategory and price optional (nullable)."""
    columns = [ColSpec("string", name, required=name in REQUIRED_INPUTS) for name in TEXT_INPUTS]
    return Schema([*columns, ColSpec("double", "price", required=False)])


def output_schema(span_fields: tuple[str, ...]) -> Schema:
    """Output columns: prediction, start and finish of the contest span (null without a contact), contacts."""
    contact = Object([Property(name, CONTACT_FIELD_TYPES.get(name, "string")) for name in span_fields])
    return Schema(
        [
            ColSpec("double", "prediction"),
            ColSpec("long", "start", required=False),
            ColSpec("long", "finish", required=False),
            ColSpec(Array(contact), "contacts"),
        ]
    )


def signature() -> ModelSignature:
    """The model's signature (input and output schema)."""
    from core.engine.predict import OUTPUT_SPAN_FIELDS

    return ModelSignature(inputs=input_schema(), outputs=output_schema(tuple(OUTPUT_SPAN_FIELDS)))


def input_example() -> pd.DataFrame:
    """Two ads in the model's input format (one with a disguised phone, one clean)."""
    return pd.DataFrame(
        [
            {
                "title": "Велосипед",
                "description": "Почти новый, звоните восемь девятьсот двенадцать 345 67 89",
                "category": "Хобби и отдых",
                "subcategory": "Велосипеды",
                "price": 12000.0,
            },
            {
                "title": "Диван",
                "description": "Отличное состояние, самовывоз",
                "category": "Для дома и дачи",
                "subcategory": "Мебель и интерьер",
                "price": None,
            },
        ],
        columns=list(INPUT_COLUMNS),
    )


def runtime_config(max_chars: int, workers: int, parallel_from: int) -> dict[str, int]:
    """model_config stored with the model: the detector runtime settings it was trained with."""
    return dict(zip(RUNTIME_KEYS, (max_chars, workers, parallel_from), strict=True))


def ads_frame(model_input: Any) -> pd.DataFrame:
    """The input columns of a table (or records) of ads, by name; absent optional columns become null."""
    frame = model_input if isinstance(model_input, pd.DataFrame) else pd.DataFrame(model_input)
    missing = [name for name in REQUIRED_INPUTS if name not in frame.columns]
    if missing:
        raise mlflow.MlflowException.invalid_parameter_value(
            "missing required column(s) " + ", ".join(f"'{name}'" for name in missing)
        )
    ads = pd.DataFrame(index=frame.index)
    for name in TEXT_INPUTS:
        values = frame[name] if name in frame.columns else pd.Series(None, index=frame.index, dtype=object)
        values = values.astype(object)
        ads[name] = values.where(values.notna(), "").map(lambda value: value if isinstance(value, str) else str(value))
    price = frame["price"] if "price" in frame.columns else pd.Series(np.nan, index=frame.index)
    ads["price"] = pd.to_numeric(price, errors="coerce").astype(float)
    return ads.reset_index(drop=True)


def _span_ends(column: pd.Series) -> np.ndarray:
    """A start/finish column as Python ints with None for ads without a contact."""
    return np.array([None if pd.isna(value) else int(value) for value in column], dtype=object)


class ContactModel(mlflow.pyfunc.PythonModel):
    """Raw ads in (DataFrame with the signature's columns), probability and contacts per ad out."""

    def load_context(self, context: Any) -> None:
        """Load the predictor folder and apply the runtime settings of model_config."""
        from core.engine.predict import Predictor

        self.predictor = Predictor.load(context.artifacts[PREDICTOR_ARTIFACT])
        config = getattr(context, "model_config", None) or {}
        for key in RUNTIME_KEYS:
            if config.get(key) is not None:
                setattr(self.predictor.detect, key.split(".", 1)[1], int(config[key]))

    @property
    def max_chars(self) -> int:
        """Characters of a title or description that are scored (detect.max_chars)."""
        return int(self.predictor.detect.max_chars)

    def predict(self, context: Any, model_input: pd.DataFrame, params: dict[str, Any] | None = None) -> pd.DataFrame:
        """Score every ad: prediction, start, finish (int or None) and contacts (list of span objects)."""
        from core.engine.predict import cap_ad_texts

        frame, _ = cap_ad_texts(ads_frame(model_input), self.max_chars)
        if frame.empty:
            return pd.DataFrame(
                {name: pd.Series(dtype=float if name == "prediction" else object) for name in OUTPUT_COLUMNS}
            )
        result = self.predictor.predict_frame(frame)
        return pd.DataFrame(
            {
                "prediction": result["prediction"].astype(float).to_numpy(),
                "start": _span_ends(result["start"]),
                "finish": _span_ends(result["finish"]),
                "contacts": [json.loads(value) for value in result["contacts"]],
            }
        )


mlflow.models.set_model(ContactModel())
