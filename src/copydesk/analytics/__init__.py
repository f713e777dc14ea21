"""Analytics on copydesk's output: records and dead letters as Parquet tables, queried with
DuckDB, drawn into a report. Nothing here talks to Kafka; ``copydesk.kafka.sink`` feeds it."""
