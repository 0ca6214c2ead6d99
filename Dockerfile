# The ASGI application (HTTP + websockets) and the search outbox relay share this image.
# daphne trusts X-Forwarded-For only because nginx (deploy/nginx.conf) is the sole way in.
FROM node:20-bookworm-slim AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PORT=8000
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
COPY --from=web /web/dist ./web/dist
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput -v 0
RUN useradd --system --uid 10001 app && chown -R app /app
USER app
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate_schemas && exec daphne --proxy-headers -b 0.0.0.0 -p ${PORT} saas.asgi:application"]
