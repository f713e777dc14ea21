"""The faust app and its agents: wiring only; the work is in copydesk."""
