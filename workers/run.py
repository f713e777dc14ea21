"""Starting workers: one faust worker in this process, or a supervisor over several."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from copydesk.kafka.topics import TopicCheck, check_topics, ensure_topics
from copydesk.settings import Settings

if TYPE_CHECKING:
    from workers.app import Progress

T = TypeVar("T")

log = logging.getLogger("copydesk.worker")

#: How long a supervised worker gets to drain and commit after SIGTERM before it is killed.
DRAIN_SECONDS = 30.0
#: A worker that dies sooner than this after starting is restarted only after a pause, so a
#: worker that cannot start does not spin.
RESTART_BACKOFF_SECONDS = 2.0
#: How long a starting worker waits for an unreachable broker (one restarting, say) before it
#: gives up.
BROKER_WAIT_SECONDS = 120.0
#: The exit status of a worker that will not start with these settings; a supervisor does not
#: restart it (the CLI's usage errors exit with it too).
REFUSED = 2
#: Set in a worker that replaced itself after a Kafka error: when that streak of restarts began.
_RESTARTING_SINCE = "_COPYDESK_RESTARTING_SINCE"


def run_worker(settings: Settings) -> int:
    """One faust worker in this process, until SIGTERM or SIGINT (faust drains and commits)."""
    from aiokafka.errors import KafkaError
    from faust import Worker

    from copydesk.enrich import warm_up
    from copydesk.ops.logs import logging_config
    from copydesk.ops.server import serve
    from workers.app import Progress, create_app, faust_variables

    started = time.time()
    _keep_freed_memory()
    ignored = faust_variables(os.environ)
    if ignored:
        log.warning("ignoring %s: copydesk takes its settings from COPYDESK_* variables only", ", ".join(ignored))
    fitted = asyncio.run(_topics_fit(settings))
    if fitted is None:
        return REFUSED
    settings = fitted
    # Gazetteers and models load on first use; a worker pays that before joining the group, not
    # while holding partitions.
    warm_up()
    # What warm_up loaded lives as long as the worker: frozen, the collector stops walking it in
    # every full collection, whose longest pause falls from 84-95 ms to 14-23 ms (BENCHMARKS.md).
    gc.freeze()
    # Each process keeps faust's working files apart, and leaves none behind.
    with tempfile.TemporaryDirectory(prefix="copydesk-worker-") as datadir:
        progress = Progress()
        app = create_app(settings, datadir=Path(datadir), progress=progress)
        worker = Worker(app, loglevel=settings.log_level, quiet=True, logging_config=logging_config(settings.log_format, settings.log_level))
        stalled = partial(_restart_stalled, datadir, lambda: worker.should_stop)
        threading.Thread(target=watchdog, args=(progress, settings.stall_timeout_s, stalled), name="copydesk-watchdog", daemon=True).start()
        try:
            server = serve(app.metrics, settings.metrics_port) if settings.metrics_port else None
        except OSError as exc:
            log.error("cannot serve metrics on port %d (COPYDESK_METRICS_PORT): %s", settings.metrics_port, exc.strerror)
            return REFUSED
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


def watchdog(progress: Progress, timeout: float, on_stall: Callable[[float], object], *, every: float = 1.0) -> None:
    """Call ``on_stall`` once the agent has held messages for ``timeout`` seconds without finishing
    a page or having a result acknowledged: a delivery that never completes, an acker that died
    while a rebalance paused the input, an event loop that blocks. Runs on a thread of its own, so
    it sees all of these."""
    while True:
        time.sleep(every)
        stalled = progress.stalled_for(time.monotonic())
        if stalled > timeout:
            on_stall(stalled)
            return


def _restart_stalled(datadir: str, stopping: Callable[[], bool], stalled: float) -> None:
    """A stuck worker cannot be drained: this process is replaced by a fresh start of the same
    command at once (supervised or not, it is back within seconds), or exits if it was told to
    stop; what it had not committed is redone by whoever gets its partitions."""
    leaving = stopping()
    log.error("no progress for %.0f s while holding messages (COPYDESK_STALL_TIMEOUT_S); %s", stalled, "exiting" if leaving else "restarting")
    shutil.rmtree(datadir, ignore_errors=True)
    for handler in logging.getLogger().handlers:
        handler.flush()
    if leaving:
        os._exit(1)
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])


async def _topics_fit(settings: Settings) -> Settings | None:
    """Create the missing topics, then say what is wrong with the settings of the existing ones:
    None when ``COPYDESK_TOPIC_CHECK=refuse`` and something is, else the settings to run with,
    results cut to what the output topics take."""
    check = await _when_reachable(settings, lambda: _ensure_and_check(settings))
    for problem in check.problems:
        log.warning("%s", problem)
    if check.problems and settings.topic_check == "refuse":
        log.error("not starting: the topics break copydesk's promises (above); COPYDESK_TOPIC_CHECK=warn starts anyway")
        return None
    return replace(settings, topic_max_message_bytes=check.result_limit)


async def _ensure_and_check(settings: Settings) -> TopicCheck:
    await ensure_topics(settings)
    return await check_topics(settings)


async def _when_reachable(settings: Settings, work: Callable[[], Awaitable[T]]) -> T:
    from aiokafka.errors import KafkaError

    deadline = time.monotonic() + BROKER_WAIT_SECONDS
    while True:
        try:
            return await work()
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


def supervise(processes: int, *, metrics_port: int = 0, fleet_processes: int = 0) -> int:
    """Run ``processes`` workers of this host in the consumer group, restart any that die, and on
    SIGTERM or SIGINT pass the signal on and wait for each to drain. With ``metrics_port``, worker
    i (from 0) serves its metrics and probes on ``metrics_port + i``, a restarted one on the same.
    A worker that refuses to start (exit status 2: its settings or topics are wrong) stops them all
    instead of a loop of restarts."""
    command = [sys.executable, "-m", "copydesk", "worker"]
    stop_with_us = partial(_stop_with_parent, os.getpid())
    # Each worker checks the raw topic's partitions against this host's processes at least.
    fleet = {"COPYDESK_FLEET_PROCESSES": str(max(processes, fleet_processes))}

    def start(i: int) -> subprocess.Popen[bytes]:
        ports = {"COPYDESK_METRICS_PORT": str(metrics_port + i)} if metrics_port else {}
        return subprocess.Popen(command, preexec_fn=stop_with_us, env={**os.environ, **fleet, **ports})

    children = [start(i) for i in range(processes)]
    started = [time.monotonic()] * processes
    stopping, code = False, 0

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
            if child.poll() is None or stopping:
                continue
            if child.returncode == REFUSED:
                log.error("worker %d (pid %d) refused to start; stopping every worker", i, child.pid)
                code = REFUSED
                stop(signal.SIGTERM, None)
                break
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
    return code
