#!/bin/sh
# Container start: write a config whose paths live on the volumes (first start only), train and register
# a first model when the registry has no champion (`python -m core ensure-model`, as `make run` does),
# then run the dashboard. Any arguments replace the dashboard, e.g. `docker run IMAGE python -m core serve`.
set -eu

mkdir -p "$CONTACTGUARD_STATE/models" "$(dirname "$CONTACTGUARD_CONFIG")"

if [ ! -f "$CONTACTGUARD_CONFIG" ]; then
    echo "entrypoint: writing $CONTACTGUARD_CONFIG (paths on the volumes)"
    python - <<'PY'
import os

from core.config import DEFAULT_CONFIG_PATH, load_settings, save_settings

state = os.environ["CONTACTGUARD_STATE"]
mlflow_dir = os.environ["CONTACTGUARD_MLFLOW_DIR"]
settings = load_settings(DEFAULT_CONFIG_PATH)
settings.data.prepared_dir = f"{state}/prepared"
settings.data.feedback_path = f"{state}/feedback/confirmed.csv"
settings.evaluate.metrics_path = f"{state}/metrics/metrics.json"
settings.evaluate.plots_dir = f"{state}/metrics/plots"
settings.monitoring.db_path = f"{state}/monitoring/predictions.sqlite"
settings.batch.jobs_dir = f"{state}/batch_jobs"
settings.tracking.uri = f"sqlite:///{mlflow_dir}/mlflow.db"
settings.tracking.artifact_root = f"{mlflow_dir}/artifacts"
save_settings(settings, os.environ["CONTACTGUARD_CONFIG"])
PY
fi

if [ "$#" -gt 0 ]; then
    exec "$@"
fi

python -m core ensure-model
exec streamlit run app.py \
    --server.port 8501 \
    --server.address 0.0.0.0 \
    --server.headless true
