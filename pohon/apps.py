from django.apps import AppConfig


class PohonConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pohon"
    verbose_name = "Pohon Kinerja"

    def ready(self) -> None:
        # Registers the tree's background job handlers with core.jobs (the worker needs them),
        # and the selector that keeps a unit used by an approved tree from being deleted
        # (dinas.services.unit_delete asks dinas.usage).
        from dinas.usage import register_unit_usage
        from pohon import jobs  # noqa: F401
        from pohon.laporan import jobs as laporan_jobs  # noqa: F401
        from pohon.perjanjian import bulk as perjanjian_bulk  # noqa: F401
        from pohon.perjanjian import jobs as perjanjian_jobs  # noqa: F401
        from pohon.selectors import approved_trees_using_unit

        register_unit_usage(approved_trees_using_unit)
