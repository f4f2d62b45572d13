from django.apps import AppConfig


class PohonConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pohon"
    verbose_name = "Pohon Kinerja"
