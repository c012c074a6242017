# ContactGuard dashboard: Streamlit on port 8501, the first model trained at start when the registry is empty.
# Build: docker build -t contactguard .
# Run:   docker run -p 8501:8501 -v cg-config:/data/config -v cg-mlflow:/data/mlflow -v cg-state:/data/state contactguard
# Check: make container-test (builds this file and runs the image and docker-compose.yml for real)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    CONTACTGUARD_CONFIG=/data/config/config.yaml \
    CONTACTGUARD_STATE=/data/state \
    CONTACTGUARD_STATE_DIR=/data/state:/data/mlflow \
    CONTACTGUARD_USERS_DB=/data/state/users.sqlite \
    CONTACTGUARD_MLFLOW_DIR=/data/mlflow \
    CONTACTGUARD_CACHE_DIR=/data/state/cache \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    MPLCONFIGDIR=/tmp/matplotlib \
    GIT_PYTHON_REFRESH=quiet

WORKDIR /app

# Runtime packages only (no test, lint, DVC or Spark tools), every transitive one pinned by constraints.txt.
COPY requirements.txt constraints.txt ./
RUN pip install -r requirements.txt -c constraints.txt

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin contactguard \
    && mkdir -p /data/config /data/mlflow /data/state \
    && chown -R contactguard:contactguard /data

# The code stays owned by root (read-only for the app user, whatever modes the build context had: an atomic
# save leaves config.yaml at 0600); the CLI's models/ folder points at the state volume.
COPY . .
RUN chmod -R a+rX,go-w /app \
    && chmod 0755 docker/entrypoint.sh \
    && ln -s /data/state/models /app/models

USER 10001:10001
VOLUME ["/data/config", "/data/mlflow", "/data/state"]
EXPOSE 8501

# The first start trains a model (minutes), hence the long start period.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20m --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8501/_stcore/health', timeout=4)"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
