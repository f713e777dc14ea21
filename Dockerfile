FROM python:3.11-slim

WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY src ./src
COPY workers ./workers
RUN pip install --no-cache-dir . && useradd --create-home copydesk

USER copydesk
ENV PYTHONUNBUFFERED=1
# faust drains the current message and commits on SIGTERM.
STOPSIGNAL SIGTERM
CMD ["copydesk", "worker"]
