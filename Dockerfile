# Agora API: gunicorn on Python 3.11, static files served by WhiteNoise.
# Build: docker build -t agora .    Run: see docker-compose.yml and docs/deploying.md.

# --- build: dependencies into a virtualenv, in a layer that changes only with requirements.txt
FROM python:3.11-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
# Every pinned requirement ships a manylinux wheel (psycopg[binary] included): no compiler needed.
RUN /opt/venv/bin/pip install --no-cache-dir -r /tmp/requirements.txt

# --- runtime: the virtualenv, the code and the collected static files; no build tools
FROM python:3.11-slim AS runtime

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORT=8000

RUN groupadd --system --gid 10001 agora \
    && useradd --system --uid 10001 --gid agora --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin agora

WORKDIR /app
COPY --from=build /opt/venv /opt/venv
# Code and static files stay owned by root: the app user can read them, not change them.
COPY . .
# Production storage (hashed, compressed names) needs DEBUG off, hence a key used for this
# command only; it is not kept in the image's environment.
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=collectstatic-at-build-time-only-not-a-runtime-secret \
    python manage.py collectstatic --no-input

# Numeric, so that platforms can verify it is not root (runAsNonRoot) without reading /etc/passwd.
USER 10001:10001
EXPOSE 8000

# No curl in the slim image: Python asks /health/ (exempt from the HTTPS redirect), sending the
# first allowed host as Host so that Django's host check passes.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; host = os.environ.get('DJANGO_ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.').replace('*', 'localhost') or 'localhost'; u.urlopen(u.Request('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/health/', headers={'Host': host}), timeout=4)"]

CMD ["gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"]
