import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from copydesk.contracts import RAW_SCHEMA, RECORD_SCHEMA, SCHEMA_VERSION
from copydesk.settings import Settings
from copydesk.urls import domain, normalize_url, resolve, url_id


def test_settings_read_from_environment():
    settings = Settings.from_env({"COPYDESK_BROKERS": "k1:9092,k2:9092", "COPYDESK_PARTITIONS": "12", "COPYDESK_HOME": "/srv/cd", "OTHER": "x"})
    assert settings.bootstrap_servers == "k1:9092,k2:9092"
    assert settings.partitions == 12
    assert settings.home == Path("/srv/cd")
    assert Settings.from_env({}).bootstrap_servers == "127.0.0.1:9092"


def test_settings_reject_bad_numbers_and_are_frozen():
    with pytest.raises(ValueError, match="COPYDESK_PARTITIONS"):
        Settings.from_env({"COPYDESK_PARTITIONS": "many"})
    with pytest.raises(AttributeError):
        Settings().partitions = 3  # type: ignore[misc]


def test_urls_normalise_to_one_id():
    assert normalize_url("HTTPS://Example.ORG:443/a/b?utm_source=tw&id=3&fbclid=x#frag") == "https://example.org/a/b?id=3"
    assert url_id("https://example.org/a") == url_id("https://EXAMPLE.org/a#top")
    assert domain("https://www.example.co.uk/x") == "example.co.uk"
    assert resolve("https://example.org/a/b", "../c") == "https://example.org/c"
    assert resolve("https://example.org/", "javascript:void(0)") == ""


@pytest.mark.parametrize("which", ["raw", "record"])
def test_schema_command_prints_json_schema(which):
    done = subprocess.run([sys.executable, "-m", "copydesk", "schema", which], capture_output=True, check=True)
    assert orjson.loads(done.stdout) == {"raw": RAW_SCHEMA, "record": RECORD_SCHEMA}[which]
    assert RECORD_SCHEMA["$id"] == f"urn:copydesk:record:{SCHEMA_VERSION}"


def test_reading_speed_setting_reaches_the_record():
    from copydesk.pipeline import process_value

    value = orjson.dumps({"url": "https://example.org/a", "text": "Headline\n\n" + "The council met on Monday and voted for the plan. " * 40})
    usual = process_value(value, Settings())
    slow = process_value(value, Settings.from_env({"COPYDESK_READING_WPM": "115"}))
    assert abs(slow.reading_time_s - 2 * usual.reading_time_s) <= 1 and usual.reading_time_s > 0
    with pytest.raises(ValueError, match="COPYDESK_READING_WPM"):
        Settings.from_env({"COPYDESK_READING_WPM": "0"})
