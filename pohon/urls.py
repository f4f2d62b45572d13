from django.urls import path

from pohon import views

app_name = "pohon"

urlpatterns = [
    path("<slug:dinas>/<int:tahun>/", views.PohonChartView.as_view(), name="chart"),
    path("<slug:dinas>/<int:tahun>/tabel/", views.PohonTableView.as_view(), name="table"),
    path("<slug:dinas>/<int:tahun>/pdf/", views.PohonPdfView.as_view(), name="pdf"),
    path("<slug:dinas>/<int:tahun>/aksi/<slug:aksi>/", views.PohonActionView.as_view(), name="aksi"),
]
