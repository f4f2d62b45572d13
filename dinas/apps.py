from django.apps import AppConfig


class DinasConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dinas"
    verbose_name = "Perangkat Daerah"

    def ready(self) -> None:
        # Registers the organisation import's background job with core.jobs (the worker needs it).
        from dinas import jobs  # noqa: F401
