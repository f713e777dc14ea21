"""copydesk: a streaming article cleaner and enricher for Kafka."""

__version__ = "0.1.0"
