from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig, apps


class DemoConfig(AppConfig):
    """The demo data set (``seed_demo``, ``demo_logins``): one seeder module per app, written
    through that app's services. Dev-only: installed by the dev and test settings, never by
    production (whose ``PCMT_ALLOW_DEMO_DATA`` is off as a second guard).

    Each module ``apps/demo/<app label>.py`` registers its seeders in ``core.registry``
    (``register_demo_seeder``); ``ready()`` imports the module of every installed app, so a new
    app's demo data is one new module here and ``seed_demo`` is not edited."""

    name = "apps.demo"
    label = "demo"
    verbose_name = "Demo data (dev only)"

    def ready(self) -> None:
        for app_config in apps.get_app_configs():
            module = f"{self.name}.{app_config.label}"
            if app_config.label != self.label and find_spec(module) is not None:
                import_module(module)
