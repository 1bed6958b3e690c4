from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark seeders and measurement commands (``benchmark``, ``benchmark_national``,
    ``benchmark_dashboard``, ``benchmark_report``). Dev-only: installed by the dev and test
    settings and by ``settings.bench`` (production settings plus this app, for measuring), never
    by production."""

    name = "apps.bench"
    label = "bench"
    verbose_name = "Benchmark (dev only)"
