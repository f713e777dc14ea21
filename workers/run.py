"""Starting workers: one faust worker in this process, or a supervisor over several."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from copydesk.settings import Settings
from copydesk.kafka.topics import ensure_topics

log = logging.getLogger("copydesk.worker")

#: How long a supervised worker gets to drain and commit after SIGTERM before it is killed.
DRAIN_SECONDS = 30.0
#: A worker that dies sooner than this after starting is restarted only after a pause, so a
#: worker that cannot start does not spin.
RESTART_BACKOFF_SECONDS = 2.0
#: How long a starting worker waits for an unreachable broker (one restarting, say) before it
#: gives up.
BROKER_WAIT_SECONDS = 120.0
#: Set in a worker that replaced itself after a Kafka error: when that streak of restarts began.
_RESTARTING_SINCE = "_COPYDESK_RESTARTING_SINCE"


def run_worker(settings: Settings) -> int:
    """One faust worker in this process, until SIGTERM or SIGINT (faust drains and commits)."""
    from aiokafka.errors import KafkaError
    from faust import Worker

    from copydesk.enrich import warm_up
    from copydesk.ops.logs import logging_config
    from copydesk.ops.server import serve
    from workers.app import create_app

    started = time.time()
    _keep_freed_memory()
    asyncio.run(_ensure_topics_when_reachable(settings))
    # Gazetteers and models load on first use; a worker pays that before joining the group, not
    # while holding partitions.
    warm_up()
    # Each process keeps faust's working files apart, and leaves none behind.
    with tempfile.TemporaryDirectory(prefix="copydesk-worker-") as datadir:
        app = create_app(settings, datadir=Path(datadir))
        worker = Worker(app, loglevel=settings.log_level, quiet=True, logging_config=logging_config(settings.log_format, settings.log_level))
        try:
            server = serve(app.metrics, settings.metrics_port) if settings.metrics_port else None
        except OSError as exc:
            log.error("cannot serve metrics on port %d (COPYDESK_METRICS_PORT): %s", settings.metrics_port, exc.strerror)
            return 2
        # faust's startup spinner, at log levels of warning and above, sets the root logger to
        # DEBUG so that every debug message spins it: each send and request then builds a log
        # record only to drop it.
        worker.spinner = None
        code, crash = 0, None
        try:
            worker.execute_from_commandline()
        except SystemExit as exc:
            # A crash is kept by the worker; a failed start only as what the exit interrupted.
            code, crash = int(exc.code or 0), worker.crash_reason or exc.__context__
        finally:
            if server is not None:
                server.shutdown()
    if isinstance(crash, KafkaError):
        _start_again(started, crash)
    return code


def _keep_freed_memory() -> None:
    """Have glibc keep the memory a fetch freed for the next fetch. Fetch responses run to tens
    of MB; by default each thread gets an arena of its own that hands freed memory back to the
    kernel, and blocks this large are mapped afresh, so on some runs (not all) every article cost
    40-90 page faults and 0.1-0.2 ms of kernel CPU for memory the worker had just had. One arena
    (the GIL serialises the threads anyway), large blocks from the heap, and trimming only past
    what a fetch needs make it steady. Must run before the worker starts any thread."""
    try:
        os.confstr("CS_GNU_LIBC_VERSION")
    except (ValueError, OSError):  # not glibc: its own allocator, its own defaults
        return
    import ctypes

    mallopt = ctypes.CDLL(None).mallopt
    m_trim_threshold, m_mmap_threshold, m_arena_max = -1, -3, -8
    mallopt(m_arena_max, 1)
    mallopt(m_mmap_threshold, 32 * 1024 * 1024)  # glibc's largest allowed value
    mallopt(m_trim_threshold, 64 * 1024 * 1024)


def _start_again(started: float, crash: BaseException) -> None:
    """After a crash on a Kafka error (a broker restarting under a starting worker fails faust at
    once), replace this process with a fresh start of the same command, so a supervisor sees no
    exit. Broker trouble gets as long as a start waits for a broker (BROKER_WAIT_SECONDS): a
    streak of such restarts that began longer ago than that ends in an exit instead."""
    now = time.time()
    previous = float(os.environ.get(_RESTARTING_SINCE) or 0.0)
    # A worker that ran a while before it failed starts a streak of its own.
    since = previous if previous and now - started < BROKER_WAIT_SECONDS else now
    if now - since > BROKER_WAIT_SECONDS:
        log.error("still failing on Kafka errors after %.0f s: %r", now - since, crash)
        return
    log.warning("crashed on a Kafka error (%r); starting again", crash)
    time.sleep(RESTART_BACKOFF_SECONDS)
    os.environ[_RESTARTING_SINCE] = str(since)
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])


async def _ensure_topics_when_reachable(settings: Settings) -> None:
    from aiokafka.errors import KafkaError

    deadline = time.monotonic() + BROKER_WAIT_SECONDS
    while True:
        try:
            await ensure_topics(settings)
            return
        except KafkaError:  # not reachable yet, or still electing a controller
            if time.monotonic() > deadline:
                raise
            log.warning("the broker at %s is unreachable; retrying", settings.bootstrap_servers)
            await asyncio.sleep(RESTART_BACKOFF_SECONDS)


def _stop_with_parent(supervisor: int) -> None:
    """In a supervised worker, before it starts: have Linux send it SIGTERM when its supervisor
    dies, even by SIGKILL, so that no orphaned worker goes on holding partitions."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
        # A supervisor that died before the line above sends nothing: its orphan has been
        # handed to another parent by now (the init process, or a subreaper).
        if os.getppid() != supervisor:
            os._exit(1)


def supervise(processes: int, *, metrics_port: int = 0) -> int:
    """Run ``processes`` workers of this host in the consumer group, restart any that die, and on
    SIGTERM or SIGINT pass the signal on and wait for each to drain. With ``metrics_port``, worker
    i (from 0) serves its metrics and probes on ``metrics_port + i``, a restarted one on the same."""
    command = [sys.executable, "-m", "copydesk", "worker"]
    stop_with_us = partial(_stop_with_parent, os.getpid())

    def start(i: int) -> subprocess.Popen[bytes]:
        env = {**os.environ, "COPYDESK_METRICS_PORT": str(metrics_port + i)} if metrics_port else None
        return subprocess.Popen(command, preexec_fn=stop_with_us, env=env)

    children = [start(i) for i in range(processes)]
    started = [time.monotonic()] * processes
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping:
        for i, child in enumerate(children):
            if child.poll() is not None and not stopping:
                log.warning("worker %d (pid %d) exited with %s; restarting", i, child.pid, child.returncode)
                if time.monotonic() - started[i] < RESTART_BACKOFF_SECONDS:
                    time.sleep(RESTART_BACKOFF_SECONDS)
                children[i], started[i] = start(i), time.monotonic()
        time.sleep(0.2)
    deadline = time.monotonic() + DRAIN_SECONDS
    for child in children:
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return 0
