"""Per-client rate limits (Flask-Limiter): Redis when configured, so every process shares counts."""
from __future__ import annotations

import hashlib
import hmac
import math
import os
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_limiter import Limiter, RateLimitExceeded
from limits import parse

SCOPE = "submissions"
REPORT_SCOPE = "reports"


def client_hash() -> str:
    """A keyed hash of the client's address: enough to count its submissions, useless to trace it.

    Behind a reverse proxy, set ``PROXY_FIX_HOPS`` (finder/web/edge.py) so ``remote_addr`` is the
    client's and not the proxy's; otherwise every client would share the proxy's count.
    """
    key = current_app.config["SECRET_KEY"].encode()
    address = (request.remote_addr or "unknown").encode()
    return hmac.new(key, b"client:" + address, hashlib.sha256).hexdigest()[:32]


#: Requests that read: every limit here is on POST, so these are never counted nor refused.
READS = frozenset(("GET", "HEAD", "OPTIONS"))


class WriteLimiter(Limiter):
    """Flask-Limiter, its checks skipped outright for reads.

    A request filter would exempt them too, but only after the limiter has looked up the view,
    its limits and its exemptions: ~0.05 ms on every search, feed and 304.
    """

    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True) -> None:
        if request.method not in READS:
            super()._check_request_limit(callable_name, in_middleware)


# Keyed by a hash of the client address, never the address itself (it may end up in Redis).
limiter = WriteLimiter(key_func=client_hash)


class SubmissionLimitReached(Exception):
    """This client has stored as many submissions (or problem reports) as the limit allows for now."""


SUBMISSION_LIMIT = "5 per hour"
REPORT_LIMIT = "5 per hour"


def submission_limit() -> str:
    """The configured limit on stored submissions per client (``SUBMISSIONS_RATE_LIMIT``)."""
    return current_app.config.get("SUBMISSIONS_RATE_LIMIT", SUBMISSION_LIMIT)


def _identifiers(scope: str = SCOPE) -> tuple[str, str, str]:
    # The same key Flask-Limiter tests before the view: (prefix, client, scope).
    return current_app.config["RATELIMIT_KEY_PREFIX"], client_hash(), scope


def report_limit() -> str:
    """The configured limit on stored problem reports per client (``REPORTS_RATE_LIMIT``)."""
    return current_app.config.get("REPORTS_RATE_LIMIT", REPORT_LIMIT)


def take_submission_slot() -> bool:
    """Count one submission about to be stored; False (and nothing stored) past the limit.

    The storage counts and compares in one step (Redis INCR, or a lock in memory), so parallel
    requests cannot all slip under the limit as a test-then-count would let them.
    """
    return limiter.limiter.hit(parse(submission_limit()), *_identifiers())


def take_report_slot() -> bool:
    """Count one problem report about to be stored, atomically as submissions are; False past the limit."""
    return limiter.limiter.hit(parse(report_limit()), *_identifiers(REPORT_SCOPE))


def _never(response: Response) -> bool:
    return False


# One budget shared by the HTML form and the JSON API. The decorator only tests the count, so a
# client past the limit is refused before any work; the count itself is taken by
# take_submission_slot() when a submission passes its checks (a form sent back costs nothing).
limit_submissions = limiter.shared_limit(
    submission_limit, scope=SCOPE, methods=["POST"], deduct_when=_never
)

# Attendees' problem reports (finder/reports/) have a budget of their own.
limit_reports = limiter.shared_limit(
    report_limit, scope=REPORT_SCOPE, methods=["POST"], deduct_when=_never
)


def init_app(app: Flask) -> None:
    """Pick the storage (``RATELIMIT_STORAGE_URI``, else ``REDIS_URL``, else memory) and attach."""
    redis_url = (app.config.get("RATELIMIT_STORAGE_URL") or app.config.get("REDIS_URL")
                 or os.environ.get("REDIS_URL"))
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "finder")
    # A Redis outage degrades to per-process counting instead of refusing every submission.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    # Flask-Limiter keeps the first app's prefix on the shared object; each app brings its own.
    limiter._key_prefix = app.config["RATELIMIT_KEY_PREFIX"]
    limiter.init_app(app)
    _hooks_for_writes_only(app)
    app.register_error_handler(RateLimitExceeded, too_many_requests)
    app.register_error_handler(SubmissionLimitReached, too_many_requests)


def _hooks_for_writes_only(app: Flask) -> None:
    """Flask-Limiter's after-request hook (conditional deductions, headers) and its teardown run
    for writes only: a read is never checked (:class:`WriteLimiter`), so for a read they would
    only make and clear an empty per-request context."""

    def for_writes(hook: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def on_writes(value: Any) -> Any:
            return value if request.method in READS else hook(value)
        return on_writes

    # Flask-Limiter registers them as partial(Limiter.__inject_headers, limiter) and a bound method.
    after, teardown = app.after_request_funcs[None], app.teardown_request_funcs[None]
    after[:] = [for_writes(hook) if isinstance(hook, partial) and hook.args == (limiter,) else hook
                for hook in after]
    teardown[:] = [for_writes(hook) if hook == limiter._Limiter__release_context else hook
                   for hook in teardown]


def too_many_requests(
    error: RateLimitExceeded | SubmissionLimitReached,
) -> tuple[Response | str, int, dict[str, str]]:
    """429 with ``Retry-After``: JSON for the API, a page for people."""
    reports = (request.endpoint or "").startswith("reports.")
    limit, scope = (report_limit(), REPORT_SCOPE) if reports else (submission_limit(), SCOPE)
    stats = limiter.limiter.get_window_stats(parse(limit), *_identifiers(scope))
    wait = max(1, math.ceil(stats.reset_time - time.time()))
    headers = {"Retry-After": str(wait)}
    what = "reports" if reports else "submissions"
    message = f"Too many {what} from this connection. Try again in {math.ceil(wait / 60)} minutes."
    if request.path.startswith("/api/"):
        return jsonify(error="rate_limited", message=message, retry_after=wait), 429, headers
    return render_template("submissions/limited.html", message=message), 429, headers
