"""Markdown tables from the JSON files bench.fanout writes: `python -m bench.report docs/perf/*.json`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.stats import fmt


def rows(paths: list[Path]) -> list[dict]:
    out = []
    for path in paths:
        data = json.loads(path.read_text())
        for r in data["results"]:
            out.append({**r, "_file": path.name, "_code": data.get("code", {})})
    return out


def label(r: dict) -> str:
    """The configuration, and the file the figures came from (several runs of one size may be shown)."""
    return f"{r['config']} ({Path(r['_file']).stem})" if r.get("_file") else r["config"]


def order(r: dict) -> tuple:
    return r["manager"], r["workers"], r["dancers"], r.get("_file", "")


def markdown(results: list[dict]) -> str:
    head = (
        "| dancers | configuration | joined | all joined (wall) | join answer p50 / p95 | "
        "fan-out p50 / p95 / p99 / max | first play p50 / p95 / max | worst p99 of a play | lost | "
        "RSS idle → connected | per dancer | server CPU per play | per join | Redis / PostgreSQL CPU per play | "
        "load client CPU per play | other load |\n"
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    lines = [head]
    for r in sorted(results, key=order):
        j, f, m, c = r["join"], r["fanout_ms"], r["memory"], r["cpu"]
        first = r.get("first_play_ms") or {}
        failed = f" ({j['failed']} failed)" if j["failed"] else ""
        # SQLite and the built-in manager run inside the app; older files have no PostgreSQL figure.
        stores = ("–" if r["manager"] != "redis" else
                  f"{fmt(c.get('redis_per_play_ms'))} / {fmt(c.get('postgres_per_play_ms'))} ms")
        lines.append(
            f"| {r['dancers']:,} | {label(r)} | {j['joined']:,}{failed} | {fmt(j['wall_s'], 1, ' s')} | "
            f"{fmt(j['answer_ms']['p50_ms'])} / {fmt(j['answer_ms']['p95_ms'])} ms | "
            f"{fmt(f['p50_ms'])} / {fmt(f['p95_ms'])} / {fmt(f['p99_ms'])} / {fmt(f['max_ms'])} ms | "
            f"{fmt(first.get('p50_ms'))} / {fmt(first.get('p95_ms'))} / {fmt(first.get('max_ms'))} ms | "
            f"{fmt(r['worst_play_p99_ms'])} ms | {r['lost']} | "
            f"{fmt(m['idle_mb'])} → {fmt(m['connected_mb'])} MB | {fmt(m['mb_per_dancer'], 2)} MB | "
            f"{fmt(c['server_per_play_ms'])} ms | {fmt(c['server_per_join_ms'], 1)} ms | {stores} | "
            f"{fmt(c['client_per_play_ms'])} ms | {fmt(r['other_load_cores'], 1)} cores |"
        )
    return "\n".join(lines)


def taps_markdown(results: list[dict]) -> str:
    """Dancers tapping: receipts of the per-song taps (10% of the crowd while each play fans out) and the storm."""
    head = (
        "| dancers | configuration | per-song taps acked | tap receipt p50 / p95 / max | storm acked | "
        "storm: all acknowledged within | storm receipt p50 / p95 | server CPU per storm tap | crowd feed |\n"
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    )
    lines = [head]
    for r in sorted(results, key=order):
        taps, storm, feed = r.get("actions"), r.get("storm"), r.get("crowd_feed")
        if not taps and not storm:
            continue
        t = (taps or {}).get("ack_ms") or {}
        s = (storm or {}).get("ack_ms") or {}
        per_tap = storm["server_cpu_s"] * 1000 / storm["sent"] if storm and storm.get("sent") else None

        def count(batch):
            if not batch:
                return "–"
            refused = f", {batch['refused']} refused" if batch["refused"] else ""
            return f"{batch['acked']:,} / {batch['sent']:,}{refused}"

        lines.append(
            f"| {r['dancers']:,} | {label(r)} | {count(taps)} | "
            f"{fmt(t.get('p50_ms'))} / {fmt(t.get('p95_ms'))} / {fmt(t.get('max_ms'))} ms | {count(storm)} | "
            f"{fmt((storm or {}).get('all_acked_s'), 2, ' s')} | {fmt(s.get('p50_ms'))} / {fmt(s.get('p95_ms'))} ms | "
            f"{fmt(per_tap, 1, ' ms')} | {'correct' if feed and feed['correct'] else 'WRONG' if feed else '–'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])]
    if not paths:
        print(__doc__)
        return 2
    results = rows(paths)
    print(markdown(results))
    if any(r.get("actions") or r.get("storm") for r in results):
        print()
        print(taps_markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
