"""Every command explains itself, and ``copydesk config`` shows the settings without secrets."""

import argparse
import os
import subprocess
import sys

import pytest

from copydesk.cli import _parser

COMMANDS = sorted(next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)).choices.items())
#: Commands that read no COPYDESK_* setting.
NO_SETTINGS = {"schema", "query", "report", "config"}


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_each_command_describes_itself_and_its_environment(name, command):
    text = command.format_help()
    assert command.description and len(command.description) > 60, name
    assert name in NO_SETTINGS or "environment: " in text and "COPYDESK_" in text.split("environment: ", 1)[1], name


def test_config_masks_secrets_and_says_where_each_value_came_from():
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPYDESK_")}
    env.update(COPYDESK_SASL_PASSWORD="hunter2", COPYDESK_PARTITIONS="12")
    done = subprocess.run([sys.executable, "-m", "copydesk", "config"], env=env, capture_output=True, text=True, check=True)
    rows = {line.split("=", 1)[0]: line.split("=", 1)[1] for line in done.stdout.splitlines()}
    assert "hunter2" not in done.stdout
    assert rows["COPYDESK_SASL_PASSWORD"].split() == ["****", "#", "env"]
    assert rows["COPYDESK_PARTITIONS"].split() == ["12", "#", "env"]
    assert rows["COPYDESK_SSL_CHECK_HOSTNAME"].split() == ["true", "#", "default"]
