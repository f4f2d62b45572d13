from django.urls import path

from pohon.pemda import views
from pohon.tautan.urls import pemda_urlpatterns as tautan_urlpatterns

app_name = "pemda"

urlpatterns = [
    path("<slug:kode>/", views.PemdaView.as_view(), name="detail"),
]
urlpatterns += tautan_urlpatterns  # links to the Pemda and the alignment checks (pohon.tautan)
