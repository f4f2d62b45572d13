"""The pages of the links to the Pemda: node-level pages and the agency inbox in the ``pohon``
namespace (``pohon_urlpatterns``), the Pemda-level pages in the ``pemda`` namespace
(``pemda_urlpatterns``)."""

from django.urls import path

from pohon.tautan import views

pohon_urlpatterns = [
    path("<slug:dinas>/<int:tahun>/tautan-pemda/", views.TautanDinasInboxView.as_view(), name="tautan"),
    path("<slug:dinas>/<int:tahun>/node/<int:pk>/tautan-pemda/", views.TautanProposeView.as_view(), name="tautan_usul"),
    path("<slug:dinas>/<int:tahun>/node/<int:pk>/kirim-pd/", views.TautanSendView.as_view(), name="tautan_kirim"),
]

pemda_urlpatterns = [
    path("<slug:kode>/tautan/", views.TautanPemdaInboxView.as_view(), name="tautan"),
    path("<slug:kode>/tautan/<int:pk>/terima/", views.TautanAcceptView.as_view(), name="tautan_terima"),
    path("<slug:kode>/tautan/<int:pk>/tolak/", views.TautanRefuseView.as_view(), name="tautan_tolak"),
    path("<slug:kode>/tautan/<int:pk>/tarik/", views.TautanWithdrawView.as_view(), name="tautan_tarik"),
    path("<slug:kode>/<int:tahun>/keselarasan/", views.KeselarasanView.as_view(), name="keselarasan"),
]
