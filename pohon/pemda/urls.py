from django.urls import path

from pohon.pemda import views

app_name = "pemda"

urlpatterns = [
    path("<slug:kode>/", views.PemdaView.as_view(), name="detail"),
]
