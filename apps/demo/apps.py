from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data set (``seed_demo``, ``demo_logins``): one seeder module per app, written
    through that app's services. Dev-only: installed by the dev and test settings, never by
    production (whose ``PCMT_ALLOW_DEMO_DATA`` is off as a second guard)."""

    name = "apps.demo"
    label = "demo"
    verbose_name = "Demo data (dev only)"
