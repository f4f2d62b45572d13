"""The users of bench/load.py: each logs in, then opens the 2,000-node chart and table, a node's
panel and the demo's issued PDF, and now and then logs in again. The paths come from the
environment (bench/load.py sets them)."""

import os
import random
import re

from locust import FastHttpUser, between, task

CHART = os.environ["BENCH_CHART"]
TABLE = os.environ["BENCH_TABLE"]
PANELS = os.environ["BENCH_PANELS"].split(",")
PDF = os.environ["BENCH_PDF"]
USERNAME = os.environ["BENCH_USERNAME"]
PASSWORD = os.environ["BENCH_PASSWORD"]
ONLY = os.environ.get("BENCH_ONLY", "")  # "chart": the chart alone (the PDF-under-load phase)


class PokinUser(FastHttpUser):
    # geventhttpclient: a fraction of requests' CPU, so the load tool leaves the cores to the servers.
    wait_time = between(0, 0.05)

    def on_start(self) -> None:
        self.login()

    def login(self) -> None:
        page = self.client.get("/login/", name="login (form)")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post(
            "/login/",
            data={"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/login/"},
            name="login",
            allow_redirects=False,
        )

    @task(1)
    def login_again(self) -> None:
        if ONLY:
            return
        self.client.cookiejar.clear()
        self.login()

    @task(4)
    def chart(self) -> None:
        self.client.get(CHART, name="chart 2000", headers={"Accept-Encoding": "gzip"})

    @task(2)
    def table(self) -> None:
        if not ONLY:
            self.client.get(TABLE, name="table 2000", headers={"Accept-Encoding": "gzip"})

    @task(2)
    def panel(self) -> None:
        if not ONLY:
            self.client.get(random.choice(PANELS), name="panel", headers={"HX-Request": "true"})

    @task(1)
    def pdf(self) -> None:
        if not ONLY:
            self.client.get(PDF, name="issued PDF")
