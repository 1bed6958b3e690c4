"""What the benchmark commands share: progress lines written at once (a seed runs for minutes)
and the seeding of the benchmark files from the command line."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from . import benchmark as bench

#: the options of ``add_seed_arguments``, each the ``SeedOptions`` field of the same name
SEED_OPTIONS = ("persons", "events_per_person", "years", "seed", "batch_size")


class BenchCommand(BaseCommand):
    def log(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def add_seed_arguments(self, parser, *, persons: int) -> None:
        parser.add_argument("--persons", type=int, default=persons, help=f"số người giả lập (mặc định {persons})")
        parser.add_argument("--events-per-person", type=float, default=10.0, help="số sự kiện trung bình/người")
        parser.add_argument("--years", type=int, default=10, help="ngày phát hiện trải trên bao nhiêu năm")
        parser.add_argument("--seed", type=int, default=42, help="hạt giống ngẫu nhiên (dữ liệu lặp lại được)")
        parser.add_argument("--batch-size", type=int, default=2_000, help="số người mỗi lô ghi")

    def seed_files(self, o: dict[str, Any], *, how: str) -> dict[str, Any]:
        """Seed the benchmark files with the options of ``add_seed_arguments``; the statistics."""
        options = bench.SeedOptions(**{name: o[name] for name in SEED_OPTIONS})
        self.log(
            f"Seeding {options.persons:,} people, ~{options.events_per_person:g} events each, over "
            f"{options.years} years ({how})…"
        )
        try:
            stats = bench.seed(options, self.log)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.log(
            self.style.SUCCESS(
                f"Seeded in {stats.seconds:.1f} s (plan {stats.plan_seconds:.1f} s, write "
                f"{stats.write_seconds:.1f} s, analyze {stats.analyze_seconds:.1f} s): {stats.persons:,} people, "
                f"{stats.files:,} files ({stats.transfers:,} transfers), {stats.events:,} events "
                f"(max {stats.max_events_per_file} per file), {stats.substances:,} substance links"
            )
        )
        return asdict(stats)
