from django.urls import path

from pohon.pemda import views
from pohon.tautan.urls import pemda_urlpatterns as tautan_urlpatterns

app_name = "pemda"

urlpatterns = [
    path("<slug:kode>/", views.PemdaView.as_view(), name="detail"),
    path("<slug:kode>/<str:periode>/", views.PemdaChartView.as_view(), name="chart"),
    path("<slug:kode>/<str:periode>/pdf/", views.PemdaPdfView.as_view(), name="pdf"),
    path("<slug:kode>/<str:periode>/dinas/<slug:dinas>/", views.PemdaChartDinasView.as_view(), name="chart_dinas"),
]
urlpatterns += tautan_urlpatterns  # links to the Pemda and the alignment checks (pohon.tautan)
