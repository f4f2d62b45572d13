from django.urls import path, register_converter

from pohon.pemda import views
from pohon.tautan.urls import pemda_urlpatterns as tautan_urlpatterns


class PeriodeConverter:
    """A year (``2016``) or an RPJMD period (``2014-2018``): digits only, so that the Pemda's
    other pages (``tautan/``) never match the chart's pattern."""

    regex = r"\d{4}(?:-\d{4})?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: object) -> str:
        return str(value)


register_converter(PeriodeConverter, "periode")

app_name = "pemda"

urlpatterns = [
    path("<slug:kode>/", views.PemdaView.as_view(), name="detail"),
    path("<slug:kode>/<periode:periode>/", views.PemdaChartView.as_view(), name="chart"),
    path("<slug:kode>/<periode:periode>/pdf/", views.PemdaPdfView.as_view(), name="pdf"),
    path("<slug:kode>/<periode:periode>/butir/<int:pk>/", views.PemdaNodePanelView.as_view(), name="node_panel"),
    path("<slug:kode>/<periode:periode>/dinas/<slug:dinas>/", views.PemdaChartDinasView.as_view(), name="chart_dinas"),
]
urlpatterns += tautan_urlpatterns  # links to the Pemda and the alignment checks (pohon.tautan)
