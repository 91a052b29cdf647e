# One image for web, worker, beat and the one-off migrate job (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PYTHONPATH=/app \
    PATH=/opt/venv/bin:$PATH

# WeasyPrint (the Pasal 11 evaluation PDFs) loads Pango, HarfBuzz and fontconfig at run time;
# the slim image has no fonts at all. psycopg-binary brings its own libpq.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 \
        fonts-dejavu-core fonts-liberation shared-mime-info \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 app && python -m venv "$VIRTUAL_ENV"

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY --chown=app:app . .

# Static files are part of the image: whitenoise serves the hashed, compressed copies.
# collectstatic only imports the settings, so a throwaway key is enough here.
RUN DJANGO_SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p var/media \
    && chown -R app:app var

USER app
ENV WEB_HOST=0.0.0.0 PORT=8000
EXPOSE 8000

# The same entry points `make run` uses: web, worker, beat, prepare, healthcheck.
ENTRYPOINT ["python", "scripts/devstack.py"]
CMD ["web"]
