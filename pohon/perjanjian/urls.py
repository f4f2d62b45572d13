"""The PK's addresses, part of the ``pohon`` namespace (``pohon:perjanjian_list``, ...)."""

from django.urls import path

from pohon.perjanjian import views

urlpatterns = [
    path("<slug:dinas>/<int:tahun>/pk/", views.PerjanjianListView.as_view(), name="perjanjian_list"),
    path("<slug:dinas>/<int:tahun>/pk/buat/", views.PerjanjianGenerateView.as_view(), name="perjanjian_generate"),
    path("<slug:dinas>/<int:tahun>/pk/unit/<int:unit>/", views.PerjanjianUnitView.as_view(), name="perjanjian_unit"),
    path("<slug:dinas>/<int:tahun>/pk/<int:pk>/", views.PerjanjianDetailView.as_view(), name="perjanjian_detail"),
    path("<slug:dinas>/<int:tahun>/pk/<int:pk>/pdf/", views.PerjanjianPdfView.as_view(), name="perjanjian_pdf"),
    path(
        "<slug:dinas>/<int:tahun>/pk/<int:pk>/aksi/<slug:aksi>/",
        views.PerjanjianActionView.as_view(),
        name="perjanjian_aksi",
    ),
]
