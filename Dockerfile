# Förderbot: one container, one bot. Data in the /data volume; the knowledge folder can be
# replaced by mounting another one over /app/knowledge.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    FOERDERBOT_DATA_DIR=/data \
    FOERDERBOT_CACHE_DIR=/data/cache \
    FOERDERBOT_KNOWLEDGE=/app/knowledge

WORKDIR /app

# Dependencies first, in their own cached layer: rebuilt only when pyproject.toml or the
# pinned versions in constraints.txt change.
COPY pyproject.toml constraints.txt ./
COPY docker/install-dependencies.py docker/
RUN python docker/install-dependencies.py

COPY README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
RUN python -m pip install --no-cache-dir --no-deps . \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin foerderbot \
    && mkdir -p /data \
    && chown foerderbot /data \
    && chmod 700 /data

USER 10001
VOLUME ["/data"]
EXPOSE 8080

# A real signal: the bot writes it only while its loop runs and Telegram answers (see README).
HEALTHCHECK --interval=60s --timeout=10s --start-period=30s --retries=3 CMD ["foerderbot", "health"]
STOPSIGNAL SIGTERM
CMD ["foerderbot", "run"]
