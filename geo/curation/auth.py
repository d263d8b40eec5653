"""Editor authentication: a token from secrets or the environment, constant-time comparison, rate-limited failures."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import defaultdict, deque
from typing import Any

from geo.core.config import current
from geo.core.errors import AuthError

MIN_TOKEN = 12


def configured_token(secrets: Any = None) -> str | None:
    """The editor token (st.secrets['editor_token'] or ATLAS_EDITOR_TOKEN); None if unset or too short."""
    token = None
    if secrets is not None:
        try:
            token = secrets.get("editor_token")
        except Exception:  # no secrets file
            token = None
    token = (token or current().editor_token or "").strip()
    return token if len(token) >= MIN_TOKEN else None


class EditorGate:
    """Check attempts against the token; after ``max_failures`` failures in ``window`` s a client is locked out.

    The lockout is per client (session): another client's failures never block the right token. Server-wide
    failures over ``max_global_failures`` slow every wrong attempt down by ``global_delay`` seconds instead.
    """

    def __init__(
        self,
        token: str | None,
        *,
        max_failures: int = 5,
        max_global_failures: int = 20,
        window: float = 300.0,
        lockout: float = 60.0,
        clock=time.monotonic,
        global_delay: float = 1.0,
        sleep=time.sleep,
    ) -> None:
        self._digest = hashlib.sha256(token.encode("utf-8")).digest() if token else None
        self.max_failures, self.window, self.lockout, self.clock = max_failures, window, lockout, clock
        # server-wide failures beyond this slow every *wrong* attempt by global_delay s; they never lock anyone out
        self.max_global_failures, self.global_delay, self.sleep = max_global_failures, global_delay, sleep
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self._digest is not None

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures[client]
        while failures and now - failures[0] > self.window:
            failures.popleft()
        return failures

    def check(self, attempt: str, client: str = "global") -> bool:
        """True if ``attempt`` is the token; AuthError while the client is locked out. No token → always False."""
        now = self.clock()
        with self._lock:
            failures, everyone = self._recent(client, now), self._recent("*", now)
            if len(failures) >= self.max_failures and now - failures[-1] < self.lockout:  # this client only
                wait = int(self.lockout - (now - failures[-1])) + 1
                raise AuthError(f"too many wrong tokens: try again in {wait} s")
            if self._digest is None:
                return False
            ok = hmac.compare_digest(hashlib.sha256(str(attempt).encode("utf-8")).digest(), self._digest)
            if ok:
                return True  # the right token works whatever other clients did
            failures.append(now)
            everyone.append(now)
            slow = len(everyone) > self.max_global_failures
        if slow:  # many clients guessing: each wrong guess costs time, outside the lock
            self.sleep(self.global_delay)
        return False
