"""Running a fleet: metrics, health and readiness, and logs."""
