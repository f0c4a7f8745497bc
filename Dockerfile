# WallTrack — single-container deployment. Paper mode unless WALLTRACK_MODE=live and
# WALLTRACK_KEYPAIR are given at run time. With no WALLTRACK_PG_DSN / WALLTRACK_GRAPH_URI
# the embedded PostgreSQL and ArcadeDB (Bolt) servers keep their data under /data.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    WALLTRACK_DATA_DIR=/data \
    WALLTRACK_WEBHOOK_HOST=0.0.0.0 \
    WALLTRACK_WEBHOOK_PORT=8080 \
    WALLTRACK_DASHBOARD_HOST=0.0.0.0 \
    WALLTRACK_DASHBOARD_PORT=5006 \
    WALLTRACK_LOG_FORMAT=json

RUN pip install --no-cache-dir uv \
 && groupadd --system walltrack \
 && useradd --system --gid walltrack --home-dir /app --shell /usr/sbin/nologin walltrack \
 && mkdir -p /data /app && chown walltrack:walltrack /data /app

WORKDIR /app
# Dependencies first (cached layer), then the project itself.
COPY --chown=walltrack:walltrack pyproject.toml uv.lock .python-version README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY --chown=walltrack:walltrack walltrack ./walltrack
COPY --chown=walltrack:walltrack actors ./actors
COPY --chown=walltrack:walltrack supervisors ./supervisors
COPY --chown=walltrack:walltrack dashboard ./dashboard
RUN uv sync --frozen --no-dev

USER walltrack
ENV PATH="/app/.venv/bin:${PATH}" \
    XDG_CACHE_HOME=/data/.cache
VOLUME ["/data"]
EXPOSE 8080 5006

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('WALLTRACK_WEBHOOK_PORT', '8080') + '/health', timeout=4)" || exit 1

CMD ["walltrack", "run"]
