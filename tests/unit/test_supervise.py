"""The worker supervisor (``copydesk worker --processes N``) as an operator's tools treat it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil

from copydesk.kafka.broker import free_port_pair


def test_workers_stop_when_their_supervisor_is_killed(tmp_path):
    # No broker listens there: the workers wait for one, which is all this test needs of them.
    env = {**os.environ, "COPYDESK_BROKERS": f"127.0.0.1:{free_port_pair()}", "COPYDESK_HOME": str(tmp_path)}
    children: list[psutil.Process] = []
    supervisor = subprocess.Popen([sys.executable, "-m", "copydesk", "worker", "--processes", "2"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while len(children := psutil.Process(supervisor.pid).children()) < 2:
            assert time.monotonic() < deadline, "the supervisor did not start two workers"
            time.sleep(0.1)
        supervisor.send_signal(signal.SIGKILL)
        supervisor.wait()
        _, alive = psutil.wait_procs(children, timeout=20)
        assert not alive, f"workers outlived their killed supervisor: {[p.pid for p in alive]}"
    finally:
        for process in [psutil.Process(supervisor.pid)] if supervisor.poll() is None else []:
            process.kill()
        for child in children:
            if child.is_running():
                child.kill()
