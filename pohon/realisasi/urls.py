from django.urls import path

from pohon.realisasi import views

app_name = "realisasi"

urlpatterns = [
    path("<slug:dinas>/<int:tahun>/", views.RingkasanView.as_view(), name="ringkasan"),
    path("<slug:dinas>/<int:tahun>/rencana/", views.RencanaView.as_view(), name="rencana"),
    path("<slug:dinas>/<int:tahun>/impor/", views.ImporView.as_view(), name="impor"),
    path("<slug:dinas>/<int:tahun>/tw/<int:triwulan>/unit/<str:unit>/", views.EntriView.as_view(), name="entri"),
    path("<slug:dinas>/<int:tahun>/tw/<int:triwulan>/verifikasi/", views.VerifikasiView.as_view(), name="verifikasi"),
    path("pemda/<slug:pemda>/<int:tahun>/jendela/", views.JendelaView.as_view(), name="jendela"),
]
