import zlib

import orjson

from copydesk.analytics.trends import counter_messages, mentions, per_hour, top, trend_message, unpublished_leaders


def test_mentions_count_entities_by_name_and_type_and_keywords_once():
    record = {"entities": [{"text": "Paris", "type": "place", "count": 3}, {"text": "Ann Lee", "type": "person", "count": 1}], "keywords": ["rain", "rain"]}
    assert mentions(orjson.dumps(record)) == [("place\tParis", 3), ("person\tAnn Lee", 1), ("keyword\train", 1), ("keyword\train", 1)]
    assert mentions(b"not json") == mentions(b"[]") == mentions(None) == []


def test_top_is_largest_first_and_stable_on_ties():
    assert top([("b", 2), ("a", 2), ("c", 5), ("d", 1)], 3) == [("c", 5), ("a", 2), ("b", 2)]


def test_each_window_publishes_its_changed_leaders_only():
    counts = [(("x", (0.0, 3599.9)), 5), (("y", (0.0, 3599.9)), 1), (("z", (0.0, 3599.9)), 3), (("x", (3600.0, 7199.9)), 1)]
    assert unpublished_leaders(counts, 2, {(0.0, "z"): 3}) == [(0.0, "x", 5), (3600.0, "x", 1)]


def test_a_trend_message_is_keyed_by_window_and_entity():
    key, value = trend_message("1h", 3600.0, "person\tAnn Lee", 4)
    assert key == b"1h|1970-01-01T01:00:00Z|person|Ann Lee"
    assert orjson.loads(value) == {"window": "1h", "window_start": "1970-01-01T01:00:00Z", "window_end": "1970-01-01T02:00:00Z", "type": "person", "name": "Ann Lee", "count": 4}


def test_mentions_are_summed_per_key_and_hour_at_the_first_time_in_it():
    record = orjson.dumps({"entities": [{"text": "Paris", "type": "place", "count": 2}], "keywords": ["rain"]})
    summed = per_hour([(record, 7300.0), (record, 7200.5), (record, 10800.0)])
    assert sorted(summed) == [("keyword\train", 7200.5, 2), ("keyword\train", 10800.0, 1), ("place\tParis", 7200.5, 4), ("place\tParis", 10800.0, 2)]


def test_counter_messages_carry_each_key_to_the_partition_its_name_hashes_to():
    record = orjson.dumps({"entities": [{"text": n, "type": "place", "count": 1} for n in ("Paris", "Rome", "Oslo", "Lima")], "keywords": []})
    sent = counter_messages([(record, 7300.0), (record, 3700.0)], 3)
    seen: dict[str, int] = {}
    for partition, stamp, value in sent:
        for key in orjson.loads(value):
            assert zlib.crc32(key.encode()) % 3 == partition
            seen[key] = seen.get(key, 0) + 1
        assert stamp in (7300.0, 3700.0)
    assert seen == {f"place\t{n}": 2 for n in ("Paris", "Rome", "Oslo", "Lima")}  # once an hour
