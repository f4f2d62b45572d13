from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Machinery both apps use: background jobs, request ids in the logs, the health endpoint.
    It imports neither ``dinas`` nor ``pohon``: they register their job handlers with it."""

    name = "core"
    verbose_name = "Pokin: pekerjaan latar belakang"
    default_auto_field = "django.db.models.BigAutoField"
