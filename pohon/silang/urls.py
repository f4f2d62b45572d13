"""The crosscutting pages, in the ``pohon`` namespace (``pohon.urls`` adds these patterns)."""

from django.urls import path

from pohon.silang import views

urlpatterns = [
    path("<slug:dinas>/<int:tahun>/silang/", views.SilangInboxView.as_view(), name="silang"),
    path("<slug:dinas>/<int:tahun>/silang/<int:pk>/terima/", views.SilangAcceptView.as_view(), name="silang_terima"),
    path("<slug:dinas>/<int:tahun>/silang/<int:pk>/tolak/", views.SilangRefuseView.as_view(), name="silang_tolak"),
    path("<slug:dinas>/<int:tahun>/silang/<int:pk>/tarik/", views.SilangWithdrawView.as_view(), name="silang_tarik"),
    path("<slug:dinas>/<int:tahun>/node/<int:pk>/silang/", views.SilangRequestView.as_view(), name="silang_minta"),
    path("<slug:dinas>/<int:tahun>/butir/<uuid:kunci>/", views.SilangNodeView.as_view(), name="silang_butir"),
]
