"""Keep schedule tokens out of logs: a filter that masks them in logged request paths."""
from __future__ import annotations

import logging
import re

from flask import Flask

#: Path segments that carry a secret token: /feeds/<t>.ics, /schedules/<t>, /api/v1/schedules/<t>.
TOKEN_IN_PATH = re.compile(r"(/feeds/|/schedules/)[A-Za-z0-9_-]{8,}")
MASK = r"\1[token]"
#: Loggers that write request lines: Werkzeug's dev server and gunicorn's access log.
ACCESS_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def mask_tokens(text: str) -> str:
    """``text`` with every token-bearing path segment replaced by ``[token]``."""
    return TOKEN_IN_PATH.sub(MASK, text)


class TokenMaskFilter(logging.Filter):
    """Rewrites a record's message so that no token reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the formatted message in place; never drops a record."""
        message = record.getMessage()
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def init_app(app: Flask) -> None:
    """Attach the filter to the access loggers and the app's logger (once)."""
    for logger in (*map(logging.getLogger, ACCESS_LOGGERS), app.logger):
        if not any(isinstance(f, TokenMaskFilter) for f in logger.filters):
            logger.addFilter(TokenMaskFilter())
