from django.urls import path

from pohon import editor, views
from pohon.silang.urls import urlpatterns as silang_urlpatterns
from pohon.tautan.urls import pohon_urlpatterns as tautan_urlpatterns

app_name = "pohon"

urlpatterns = [
    path("<slug:dinas>/<int:tahun>/", views.PohonChartView.as_view(), name="chart"),
    path("<slug:dinas>/<int:tahun>/tabel/", views.PohonTableView.as_view(), name="table"),
    path("<slug:dinas>/<int:tahun>/periksa/", views.PohonChecksView.as_view(), name="periksa"),
    path("<slug:dinas>/<int:tahun>/pdf/", views.PohonPdfView.as_view(), name="pdf"),
    # Before the other actions: approving asks for confirmation first (reverse("pohon:aksi", ...,
    # "setujui") names this same address).
    path("<slug:dinas>/<int:tahun>/aksi/setujui/", views.PohonApproveView.as_view(), name="setujui"),
    path("<slug:dinas>/<int:tahun>/aksi/<slug:aksi>/", views.PohonActionView.as_view(), name="aksi"),
    path("<slug:dinas>/<int:tahun>/riwayat/", views.PohonRiwayatView.as_view(), name="riwayat"),
    path("<slug:dinas>/<int:tahun>/riwayat/<int:pk>/pulihkan/", views.NodeRestoreView.as_view(), name="pulihkan"),
    path("<slug:dinas>/<int:tahun>/node/<int:pk>/", views.NodePanelView.as_view(), name="node_panel"),
    path("<slug:dinas>/<int:tahun>/node/<int:pk>/tambah/", editor.NodeAddView.as_view(), name="node_tambah"),
    path("<slug:dinas>/<int:tahun>/node/<int:pk>/ubah/", editor.NodeUpdateView.as_view(), name="node_ubah"),
    path("<slug:dinas>/<int:tahun>/node/<int:pk>/pindah/", editor.NodeMoveView.as_view(), name="node_pindah"),
    path("<slug:dinas>/<int:tahun>/node/<int:pk>/hapus/", editor.NodeDeleteView.as_view(), name="node_hapus"),
]

urlpatterns += silang_urlpatterns  # crosscutting (pohon.silang)
urlpatterns += tautan_urlpatterns  # links to the Pemda (pohon.tautan)
