# syntax=docker/dockerfile:1
# The ASGI application (HTTP + websockets), the one-shot bootstrap and the search outbox relay share
# this image. daphne trusts X-Forwarded-For only because nginx (deploy/nginx.conf) is the sole way in.

# Stage 1: build the web app on the current Node LTS line.
FROM node:22-bookworm-slim AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

# Stage 2: the Python runtime. Only the runtime lock is installed (hash-checked): no test runner,
# linters or embedded-service wheels; those live in requirements-dev.lock.
FROM python:3.11-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PORT=8000 SEED_DEMO=0
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY . .
COPY --from=web /web/dist ./web/dist
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput -v 0 \
    && useradd --system --uid 10001 --no-create-home app \
    && chown -R app /app/staticfiles
USER app
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=5 \
    CMD ["python", "-c", "import os, urllib.request as u; u.urlopen(u.Request('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), headers={'Host': 'localhost'}), timeout=2)"]
# Migrations are not run here: `python manage.py prepare_platform` runs once before any server starts
# (the compose `bootstrap` service), so replicas never migrate concurrently.
CMD ["sh", "-c", "exec daphne --proxy-headers -b 0.0.0.0 -p ${PORT} saas.asgi:application"]
