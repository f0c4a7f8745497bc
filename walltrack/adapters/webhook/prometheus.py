"""Prometheus text exposition (format 0.0.4), written by hand: counters, histograms, gauges.

Why not prometheus_client: its global registry and collector machinery buy nothing here;
the process has one /metrics page whose families are known, and the hot path only needs an
increment or a bucket lookup. Values are written by the event-loop thread and rendered on
it too; rendering copies each family's values first (in one C-level step under the GIL), so a
read from another thread never sees a dict change size under it.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping, Sequence

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

LATENCY_BUCKETS_S: tuple[float, ...] = (
    0.000_01,
    0.000_025,
    0.000_05,
    0.000_1,
    0.000_25,
    0.000_5,
    0.001,
    0.002_5,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
)
"""10 µs to 1 s: a stage of the webhook path is microseconds; Helius gives up at 1 s."""

type Labels = tuple[str, ...]


def escape_label(value: str) -> str:
    """A label value as the text format wants it."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def format_value(value: float) -> str:
    """A sample value: integers without a decimal point, infinities as +Inf/-Inf."""
    if isinstance(value, int):
        return str(value)
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if math.isnan(value):
        return "NaN"
    return repr(value)


class TextWriter:
    """Accumulates families: `# HELP`, `# TYPE`, then their samples."""

    def __init__(self) -> None:
        self._lines: list[str] = []

    def family(self, name: str, kind: str, help_text: str) -> None:
        """Start a family (kind: counter, gauge, histogram)."""
        help_line = help_text.replace("\\", "\\\\").replace("\n", "\\n")
        self._lines.append(f"# HELP {name} {help_line}")
        self._lines.append(f"# TYPE {name} {kind}")

    def sample(self, name: str, labels: Mapping[str, str], value: float) -> None:
        """One sample line of the current family."""
        if labels:
            inner = ",".join(f'{key}="{escape_label(val)}"' for key, val in labels.items())
            self._lines.append(f"{name}{{{inner}}} {format_value(value)}")
        else:
            self._lines.append(f"{name} {format_value(value)}")

    def text(self) -> str:
        """The page, newline-terminated as the format requires."""
        return "\n".join(self._lines) + "\n"


class Counter:
    """A monotonic count per label combination."""

    def __init__(self, name: str, help_text: str, label_names: Sequence[str] = ()) -> None:
        self.name = name
        self.help = help_text
        self.label_names = tuple(label_names)
        self._values: dict[Labels, int | float] = {} if label_names else {(): 0}

    def inc(self, *labels: str, by: float = 1) -> None:
        """Add `by` (>= 0) to the count of `labels`."""
        self._values[labels] = self._values.get(labels, 0) + by

    def preset(self, *labels: str) -> None:
        """Show `labels` at 0 before anything happened (dashboards see the series)."""
        self._values.setdefault(labels, 0)

    def value(self, *labels: str) -> int | float:
        """The current count of `labels`."""
        return self._values.get(labels, 0)

    def write(self, out: TextWriter) -> None:
        """Render the family."""
        out.family(self.name, "counter", self.help)
        for labels, value in sorted(self._values.items()):
            out.sample(self.name, dict(zip(self.label_names, labels, strict=True)), value)


class Histogram:
    """Cumulative-bucket histogram per label combination (seconds)."""

    def __init__(
        self,
        name: str,
        help_text: str,
        label_names: Sequence[str] = (),
        buckets: Sequence[float] = LATENCY_BUCKETS_S,
    ) -> None:
        self.name = name
        self.help = help_text
        self.label_names = tuple(label_names)
        self.buckets = tuple(sorted(buckets))
        # per label combination: [per-bucket counts (+Inf last)], sum, count
        self._series: dict[Labels, tuple[list[int], list[float]]] = {}

    def observe(self, value: float, *labels: str) -> None:
        """Record one observation of `labels`."""
        series = self._series.get(labels)
        if series is None:
            series = ([0] * (len(self.buckets) + 1), [0.0, 0.0])
            self._series[labels] = series
        counts, totals = series
        counts[bisect.bisect_left(self.buckets, value)] += 1
        totals[0] += value
        totals[1] += 1

    def count(self, *labels: str) -> int:
        """How many observations `labels` has."""
        series = self._series.get(labels)
        return 0 if series is None else int(series[1][1])

    def write(self, out: TextWriter) -> None:
        """Render the family with cumulative buckets, `_sum` and `_count`."""
        out.family(self.name, "histogram", self.help)
        for labels, (counts, totals) in sorted(self._series.items()):
            base = dict(zip(self.label_names, labels, strict=True))
            running = 0
            for bound, bucket_count in zip((*self.buckets, math.inf), list(counts), strict=True):
                running += bucket_count
                out.sample(f"{self.name}_bucket", {**base, "le": format_value(bound)}, running)
            out.sample(f"{self.name}_sum", base, totals[0])
            out.sample(f"{self.name}_count", base, int(totals[1]))


def write_gauge(
    out: TextWriter,
    name: str,
    help_text: str,
    samples: Iterable[tuple[Mapping[str, str], float]],
    kind: str = "gauge",
) -> None:
    """A family whose values are read at render time (tree, venues)."""
    out.family(name, kind, help_text)
    for labels, value in samples:
        out.sample(name, labels, value)
