"""Why a message could not become a record. Each error's ``reason`` is what the dead letter says."""

from __future__ import annotations


class CopydeskError(Exception):
    """A message that cannot become a record; it goes to the dead-letter topic."""

    reason = "error"


class TooLarge(CopydeskError):
    reason = "too_large"


class Unserialisable(CopydeskError):
    """The record cannot be written as JSON (an unknown field nested deeper than the writer goes)."""

    reason = "unserialisable"


class NotUTF8(CopydeskError):
    reason = "not_utf8"


class NotJSON(CopydeskError):
    reason = "not_json"


class NotAnObject(CopydeskError):
    reason = "not_an_object"


class SchemaViolation(CopydeskError):
    reason = "schema_violation"


class EmptyBody(CopydeskError):
    reason = "empty_body"


class NotText(CopydeskError):
    """The body is not text: compressed data, an image, control bytes sent as a page."""

    reason = "not_text"


class NoContent(CopydeskError):
    """The page parsed, but nothing in it reads as an article."""

    reason = "no_content"


class ProcessingError(CopydeskError):
    """An unexpected failure inside copydesk itself; the message is kept so it can be replayed."""

    reason = "processing_error"
