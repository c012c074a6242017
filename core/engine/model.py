"""The CatBoost classifier over detector features, category and text; no I/O."""

from __future__ import annotations

import numpy as np
import pandas as pd
from catboost import CatBoostClassifier, Pool

from core.config import ModelSettings
from core.engine.features import CATEGORICAL_FEATURES, MONOTONE_FEATURES, TEXT_FEATURE


def make_pool(features: pd.DataFrame, labels: pd.Series | np.ndarray | None = None) -> Pool:
    """Wrap a feature table in a CatBoost Pool with its categorical and text columns."""
    cat_features = [c for c in CATEGORICAL_FEATURES if c in features.columns]
    text_features = [TEXT_FEATURE] if TEXT_FEATURE in features.columns else None
    return Pool(features, label=labels, cat_features=cat_features, text_features=text_features)


def new_classifier(settings: ModelSettings, early_stopping_rounds: int = 0) -> CatBoostClassifier:
    """A fresh, seeded classifier configured from the settings."""
    params: dict = {
        "iterations": settings.iterations,
        "learning_rate": settings.learning_rate,
        "depth": settings.depth,
        "l2_leaf_reg": settings.l2_leaf_reg,
        "random_seed": settings.seed,
        "thread_count": settings.thread_count,
        "loss_function": "Logloss",
        "eval_metric": "AUC",
        "verbose": False,
        "allow_writing_files": False,
    }
    if early_stopping_rounds:
        params["early_stopping_rounds"] = early_stopping_rounds
    if settings.use_text:
        params["text_processing"] = {
            "tokenizers": [{"tokenizer_id": "Space", "separator_type": "ByDelimiter", "lowercasing": "true"}],
            "dictionaries": [
                {
                    "dictionary_id": "Words",
                    "max_dictionary_size": "20000",
                    "occurrence_lower_bound": "5",
                    "gram_order": "1",
                },
            ],
            "feature_processing": {
                "default": [
                    {"dictionaries_names": ["Words"], "feature_calcers": ["BoW"], "tokenizers_names": ["Space"]}
                ]
            },
        }
    return CatBoostClassifier(**params)


def fit_classifier(
    train_features: pd.DataFrame,
    train_labels: pd.Series,
    settings: ModelSettings,
    eval_features: pd.DataFrame | None = None,
    eval_labels: pd.Series | None = None,
    early_stopping_rounds: int = 0,
) -> CatBoostClassifier:
    """Fit the classifier; with an eval set, stop early on its AUC."""
    classifier = new_classifier(settings, early_stopping_rounds if eval_features is not None else 0)
    monotone = {name: 1 for name in MONOTONE_FEATURES if name in train_features.columns}
    if monotone:
        classifier.set_params(monotone_constraints=monotone)
    eval_set = make_pool(eval_features, eval_labels) if eval_features is not None else None
    classifier.fit(make_pool(train_features, train_labels), eval_set=eval_set, use_best_model=eval_set is not None)
    return classifier


def predict_probability(classifier: CatBoostClassifier, features: pd.DataFrame, thread_count: int = -1) -> np.ndarray:
    """Probability of a contact for each row, in [0, 1]."""
    if features.empty:
        return np.zeros(0)
    return classifier.predict_proba(make_pool(features), thread_count=thread_count)[:, 1]
