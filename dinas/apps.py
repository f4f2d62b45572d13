from django.apps import AppConfig


class DinasConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dinas"
    verbose_name = "Perangkat Daerah"
