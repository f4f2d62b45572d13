"""The bulk issue's addresses, part of the ``pohon`` namespace."""

from django.urls import path

from pohon.perjanjian import bulk_views

urlpatterns = [
    path("<slug:dinas>/<int:tahun>/pk/terbitkan/", bulk_views.PerjanjianBulkView.as_view(), name="perjanjian_massal"),
    path(
        "<slug:dinas>/<int:tahun>/pk/terbitkan/<uuid:job>/xlsx/",
        bulk_views.PerjanjianBulkXlsxView.as_view(),
        name="perjanjian_massal_xlsx",
    ),
]
