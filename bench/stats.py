"""Percentiles and the printed table."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100): a value that was really observed."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def summary_ms(seconds: Sequence[float]) -> dict[str, float | int | None]:
    """p50/p95/p99/max of durations given in seconds, in milliseconds."""

    def ms(v: float | None) -> float | None:
        return None if v is None else round(v * 1000, 1)

    return {
        "n": len(seconds),
        "p50_ms": ms(percentile(seconds, 50)),
        "p95_ms": ms(percentile(seconds, 95)),
        "p99_ms": ms(percentile(seconds, 99)),
        "max_ms": ms(max(seconds) if seconds else None),
    }


def fmt(value, digits: int = 0, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


COLUMNS = [
    ("config", "config"),
    ("dancers", "dancers"),
    ("joined", "joined"),
    ("join wall s", "join_wall_s"),
    ("join p50/p95 ms", "join_p50_p95"),
    ("fan-out p50/p95/p99/max ms", "fanout"),
    ("worst play p99 ms", "worst_play_p99_ms"),
    ("lost", "lost"),
    ("RSS idle→full MB", "rss"),
    ("MB/dancer", "mb_per_dancer"),
    ("CPU/play ms", "cpu_per_play_ms"),
    ("CPU/join ms", "cpu_per_join_ms"),
    ("client CPU/play ms", "client_cpu_per_play_ms"),
    ("other load", "other_load"),
]


def table_row(result: dict) -> dict[str, str]:
    f = result["fanout_ms"]
    j = result["join"]
    m = result["memory"]
    return {
        "config": result["config"],
        "dancers": str(result["dancers"]),
        "joined": str(j["joined"]),
        "join_wall_s": fmt(j["wall_s"], 1),
        "join_p50_p95": f"{fmt(j['answer_ms']['p50_ms'])}/{fmt(j['answer_ms']['p95_ms'])}",
        "fanout": "/".join(fmt(f[k]) for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms")),
        "worst_play_p99_ms": fmt(result["worst_play_p99_ms"]),
        "lost": str(result["lost"]),
        "rss": f"{fmt(m['idle_mb'])}→{fmt(m['connected_mb'])}",
        "mb_per_dancer": fmt(m["mb_per_dancer"], 3),
        "cpu_per_play_ms": fmt(result["cpu"]["server_per_play_ms"]),
        "cpu_per_join_ms": fmt(result["cpu"]["server_per_join_ms"], 2),
        "client_cpu_per_play_ms": fmt(result["cpu"]["client_per_play_ms"]),
        "other_load": fmt(result["other_load_cores"], 2),
    }


def render_table(results: list[dict]) -> str:
    rows = [table_row(r) for r in results]
    headers = [title for title, _ in COLUMNS]
    widths = [max(len(h), *(len(row[key]) for row in rows)) for h, (_, key) in zip(headers, COLUMNS, strict=True)]
    lines = [
        " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)),
        "-+-".join("-" * w for w in widths),
    ]
    for row in rows:
        lines.append(" | ".join(row[key].rjust(w) for (_, key), w in zip(COLUMNS, widths, strict=True)))
    return "\n".join(lines)
