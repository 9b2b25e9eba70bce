"""sqlglot logs a warning for every statement it falls back to a raw Command for.
Our callers record that fact themselves (a catalog parse_error, the assessment
reading the object from tokens), so the warning would only flood the run log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def quiet_sqlglot() -> Iterator[None]:
    """Raise sqlglot's log level to ERROR for the duration of the block."""
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
