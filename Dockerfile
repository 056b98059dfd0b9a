# Pika! server image: Reflex production build, one port (API, socket and static frontend).
# Configure with DATABASE_URL, REDIS_URL, PUBLIC_URL, API_URL (see docs/operator.md).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    REFLEX_USE_SYSTEM_BUN=1 \
    REFLEX_TELEMETRY_ENABLED=0 \
    REFLEX_CHECK_LATEST_VERSION=0 \
    PATH=/app/.tools/node_modules/.bin:/app/.venv/bin:$PATH

RUN apt-get update \
 && apt-get install -y --no-install-recommends npm ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 pika

WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN pip install --no-cache-dir uv==0.13.9 \
 && uv sync --frozen --no-dev --no-install-project \
 && npm install --prefix /app/.tools --no-audit --no-fund bun@1.4.4

COPY rxconfig.py ./
COPY reflex.lock ./reflex.lock
COPY pika ./pika
COPY alembic ./alembic
COPY assets ./assets
RUN uv sync --frozen --no-dev \
 && REFLEX_DIR=/app/.reflex reflex export --frontend-only --no-zip \
 && chown -R pika:pika /app

USER pika
ENV REFLEX_DIR=/app/.reflex
EXPOSE 3000
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/ping', timeout=3)"
CMD ["reflex", "run", "--env", "prod", "--backend-host", "0.0.0.0"]
