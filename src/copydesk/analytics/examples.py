"""The example questions of ``copydesk query`` and the README, over the views of
``copydesk.analytics.query`` (kept apart so the command line names them without loading DuckDB)."""

#: The example questions of ``copydesk query --example`` and the README.
EXAMPLES: dict[str, str] = {
    "articles-per-source-per-day": """
        select cast(coalesce(published_at, fetched_at) as date) as day, source, count(*) as articles
        from records
        group by all
        order by day desc, articles desc, source""",
    "top-entities-this-week": """
        select entity.text as entity, entity.type as type, sum(entity.count) as mentions, count(*) as articles
        from records, unnest(entities) as mentioned(entity)
        where coalesce(fetched_at, published_at) >= (now() at time zone 'UTC') - interval 7 day
        group by all
        order by mentions desc, articles desc, entity
        limit 20""",
    "dead-letters-by-reason": """
        select reason, count(*) as dead_letters, min(failed_at) as first, max(failed_at) as last
        from dead_letters
        group by reason
        order by dead_letters desc, reason""",
}
