"""The ML lifecycle: data, the synthetic generator, training, evaluation, MLflow tracking, the registry and promotion."""
