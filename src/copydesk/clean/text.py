"""Article extraction from flattened page text (placeholder until the cleaning engine lands)."""

from __future__ import annotations

from copydesk.document import Extraction, Removed


def clean_text(text: str, url: str = "") -> Extraction:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return Extraction("text", "", "", ())
    title, rest = lines[0], lines[1:]
    kept = tuple(line for line in rest if len(line.split()) >= 12)
    removed = tuple(Removed("other", line) for line in rest if len(line.split()) < 12)
    return Extraction("text", title, "", kept, removed)
