from django.apps import AppConfig


class PohonConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pohon"
    verbose_name = "Pohon Kinerja"

    def ready(self) -> None:
        # Registers the tree's background job handlers with core.jobs (the worker needs them).
        from pohon import jobs  # noqa: F401
