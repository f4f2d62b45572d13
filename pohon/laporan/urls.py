from django.urls import path

from pohon.laporan import views

app_name = "laporan"

urlpatterns = [
    path("pemda/<slug:pemda>/<int:tahun>/", views.DasborPemdaView.as_view(), name="pemda"),
    path("<slug:dinas>/<int:tahun>/", views.DasborDinasView.as_view(), name="dinas"),
    path("<slug:dinas>/<int:tahun>/lkj/", views.LaporanKinerjaView.as_view(), name="lkj"),
    path("<slug:dinas>/<int:tahun>/lkj/pdf/", views.LaporanKinerjaPdfView.as_view(), name="lkj_pdf"),
    path("<slug:dinas>/<int:tahun>/lkj/xlsx/", views.LaporanKinerjaXlsxView.as_view(), name="lkj_xlsx"),
    path(
        "<slug:dinas>/<int:tahun>/triwulan/<int:triwulan>/pdf/",
        views.LaporanTriwulanPdfView.as_view(),
        name="triwulan_pdf",
    ),
    path(
        "<slug:dinas>/<int:tahun>/triwulan/<int:triwulan>/xlsx/",
        views.LaporanTriwulanXlsxView.as_view(),
        name="triwulan_xlsx",
    ),
    path("<slug:dinas>/<int:tahun>/terbitkan/", views.LaporanTerbitkanView.as_view(), name="terbitkan"),
    path("<slug:dinas>/<int:tahun>/terbit/<int:pk>/", views.LaporanTerbitPdfView.as_view(), name="terbit_pdf"),
]
