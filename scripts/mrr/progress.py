"""Progress for long work: which step is running, how long each took, and dbt nodes as they finish."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Printer = Callable[[str], None]


@contextmanager
def step(label: str, out: Printer = print) -> Iterator[None]:
    """Print `step  <label>` before the work and `done  <label> (Ns)` (or `failed`) after it."""
    out(f"step  {label}")
    started = time.perf_counter()
    try:
        yield
    except BaseException:
        out(f"failed  {label} ({time.perf_counter() - started:.1f}s)")
        raise
    out(f"done  {label} ({time.perf_counter() - started:.1f}s)")


class NodeProgress:
    """A dbtRunner callback: one line per finished model or seed, and a count of data tests.

    dbt's own log says the same at length; this is the short form printed when dbt runs quiet:
    `  [ 12/212] int_line_months  table  3.2s`. Tests (hundreds of them) are counted, not listed,
    and `summary()` gives the count by status.
    """

    RESULT_EVENTS = {"LogModelResult", "LogSeedResult", "LogSnapshotResult"}

    def __init__(self, out: Printer = print) -> None:
        self.out = out
        self.tests: dict[str, Counter[str]] = {"data": Counter(), "unit": Counter()}

    def __call__(self, event: Any) -> None:
        name = event.info.name
        if name in self.RESULT_EVENTS:
            self.out(self.node_line(event.data))
        elif name == "LogTestResult":
            kind = "unit" if event.data.node_info.resource_type == "unit_test" else "data"
            self.tests[kind][str(event.data.status).lower()] += 1

    @staticmethod
    def node_line(data: Any) -> str:
        node = data.node_info
        width = len(str(data.total))
        position = f"[{data.index:>{width}}/{data.total}]"
        kind = node.materialized or node.resource_type
        status = str(data.status)
        status = "OK" if status.lower() in {"ok", "success"} else status.upper()
        return f"      {position} {node.node_name:<40} {kind:<6} {data.execution_time:5.1f}s  {status}"

    def summary(self) -> str:
        """'215 data tests: 215 pass; 24 unit tests: 24 pass' (empty when no test ran)."""
        parts = []
        for kind, statuses in self.tests.items():
            if statuses:
                by_status = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
                parts.append(f"{sum(statuses.values())} {kind} tests: {by_status}")
        return f"      {'; '.join(parts)}" if parts else ""
