"""The think-time model of issue 8's load test: clerks who read a page, then wait 1-5 s before the next.

Run by ``python -m assurance.load run`` (one headless locust process per page, beside wrk's
closed loop), not by hand; it reads what to request from the environment:

    LOAD_PATH     the page, e.g. /rencana-kerja/
    LOAD_COOKIE   the secretariat's cookies, "sessionid=...; csrftoken=..."
    LOAD_PROXIED  "1" to send X-Forwarded-Proto: https, as the TLS proxy in front of gunicorn does
"""

from __future__ import annotations

import os

from locust import HttpUser, between, task


class Clerk(HttpUser):
    wait_time = between(1, 5)

    def on_start(self) -> None:
        for cookie in os.environ["LOAD_COOKIE"].split("; "):
            name, _, value = cookie.partition("=")
            self.client.cookies.set(name, value)
        if os.environ.get("LOAD_PROXIED") == "1":
            self.client.headers["X-Forwarded-Proto"] = "https"

    @task
    def read_page(self) -> None:
        # Only the page itself counts: a lost session would answer a cheap redirect to the login page.
        # Without the proxy header the answer is SecurityMiddleware's HTTPS redirect, not followed.
        expected = 200 if os.environ.get("LOAD_PROXIED") == "1" else 301
        with self.client.get(os.environ["LOAD_PATH"], allow_redirects=False, catch_response=True) as response:
            if response.status_code == expected:
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")
