"""``copydesk process``: the shared sample plus malformed lines gives one record and one dead
letter, with a reason, per malformed line."""

import subprocess
import sys

import orjson


def test_process_cli_on_sample_and_malformed_lines(tmp_path, sample_raw_text, sample_expected):
    good = orjson.dumps({"url": "https://www.motherjones.com/politics/2020/01/coalition-pause/", "text": sample_raw_text})
    bad = [b"not json", b"[1, 2]", b'{"text": "no url"}', b'{"url": "u", "html": 3}', b'{"url": "u", "text": ""}', b"\xc3\x28\xa0\xa1"]
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join([bad[0], good, *bad[1:]]) + b"\n\n")
    out, dead = tmp_path / "out.jsonl", tmp_path / "dead.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "copydesk", "process", str(source), "-o", str(out), "--dead-letter", str(dead)],
        capture_output=True, check=True,
    )
    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    letters = [orjson.loads(line) for line in dead.read_bytes().splitlines()]
    assert len(records) == 1
    assert records[0]["title"] == sample_expected["title"]
    # Every paragraph of the article is there (what else the line model keeps: test_sample).
    assert all(paragraph in records[0]["text"] for paragraph in sample_expected["body_paragraphs"])
    assert [letter["line"] for letter in letters] == [1, 3, 4, 5, 6, 7]
    assert [letter["reason"] for letter in letters] == [
        "not_json", "not_an_object", "schema_violation", "schema_violation", "empty_body", "not_utf8",
    ]
    assert b"1 records, 6 dead letters" in done.stderr


def test_process_reads_stdin_and_writes_stdout():
    body = [
        "Rain fell across the region on Monday, officials said, closing several roads near the coast.",
        "Forecasters expect the storm to move east overnight, bringing strong winds to the mountains.",
        "Residents were asked to avoid travel until the morning, when crews will begin clearing debris.",
    ]
    line = orjson.dumps({"url": "https://example.org/a", "text": "\n".join(["Storm closes roads", *body])})
    done = subprocess.run([sys.executable, "-m", "copydesk", "process", "-"], input=line + b"\n", capture_output=True, check=True)
    assert orjson.loads(done.stdout)["url"] == "https://example.org/a"


def test_process_missing_input_is_an_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "copydesk", "process", str(tmp_path / "nope.jsonl")], capture_output=True)
    assert done.returncode == 2 and b"nope.jsonl" in done.stderr
