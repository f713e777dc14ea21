"""Everything that talks to a Kafka broker: the local broker, topics, producing, reading results."""
