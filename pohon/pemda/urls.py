from django.urls import path

from pohon.pemda import views

app_name = "pemda"

urlpatterns = [
    path("<slug:kode>/", views.PemdaView.as_view(), name="detail"),
    path("<slug:kode>/<str:periode>/", views.PemdaChartView.as_view(), name="chart"),
    path("<slug:kode>/<str:periode>/pdf/", views.PemdaPdfView.as_view(), name="pdf"),
    path("<slug:kode>/<str:periode>/dinas/<slug:dinas>/", views.PemdaChartDinasView.as_view(), name="chart_dinas"),
]
