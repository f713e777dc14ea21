"""Example pages for ``copydesk demo``, written for this project: fictional articles wrapped in
navigation, appeals, credits and related links, as scrapers deliver them."""
