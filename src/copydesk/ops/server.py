"""The HTTP endpoints of a worker process: ``/metrics`` (Prometheus), ``/healthz`` (liveness) and
``/readyz`` (readiness), for Kubernetes probes and scrapers.

They are served from a thread of their own, not from the worker's event loop: a stuck loop then
still gets an answer, a 503 that says so, instead of a probe timing out without a reason.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from copydesk.ops.metrics import Verdict, WorkerMetrics, healthy, ready


def serve(metrics: WorkerMetrics, port: int, host: str = "") -> ThreadingHTTPServer:
    """Serve ``metrics`` on ``host:port`` (all interfaces by default) from a daemon thread; the
    caller shuts the returned server down."""
    handler = type("Handler", (_Handler,), {"metrics": metrics})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="copydesk-metrics", daemon=True).start()
    return server


class _Handler(BaseHTTPRequestHandler):
    metrics: WorkerMetrics

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        path = self.path.split("?", 1)[0]
        if path == "/metrics":
            self._send(200, CONTENT_TYPE_LATEST, generate_latest(self.metrics.registry))
        elif path == "/healthz":
            self._verdict(healthy(time.monotonic(), self.metrics.last_tick, self.metrics.state))
        elif path == "/readyz":
            self._verdict(ready(self.metrics.state))
        else:
            self._send(404, "text/plain; charset=utf-8", b"not found: try /metrics, /healthz or /readyz\n")

    def _verdict(self, verdict: Verdict) -> None:
        self._send(200 if verdict.ok else 503, "text/plain; charset=utf-8", f"{verdict.reason}\n".encode())

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
        """Probes every few seconds would drown the worker's log."""
