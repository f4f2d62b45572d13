"""The admin list and form of trees (Pohon), with their node counts, totals and import screens."""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dinas.admin import DinasScopedAdmin
from dinas.admin_access import ADD
from pohon import rules
from pohon.admin.common import node_add_url, node_changelist_url, refusal
from pohon.admin_import import PohonImportAdminMixin
from pohon.models import Pohon
from pohon.money import rupiah
from pohon.permissions import user_can_edit_pohon
from pohon.selectors import pohon_summaries
from pohon.services import pohon_create


class PohonChangeList(ChangeList):
    """Adds each listed tree's node count and total Pagu, read for the whole page at once."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        self.result_list = list(self.result_list)
        summaries = {summary.pohon.pk: summary for summary in pohon_summaries(list(self.result_list))}
        for pohon in self.result_list:
            pohon.summary = summaries[pohon.pk]
            pohon.can_add_node = user_can_edit_pohon(request.user, pohon)


@admin.register(Pohon)
class PohonAdmin(PohonImportAdminMixin, DinasScopedAdmin):
    list_display = ("__str__", "dinas", "tahun", "revisi", "status", "node_count", "total_pagu", "node_links")
    list_filter = (("dinas", admin.RelatedOnlyFieldListFilter), "tahun", "status")
    search_fields = ("dinas__nama", "dinas__kode")
    list_select_related = ("dinas__pemda",)
    add_fields = ("dinas", "tahun", "revisi")
    view_fields = (
        "dinas",
        "tahun",
        "revisi",
        "status",
        "created_at",
        "updated_at",
        "node_count",
        "total_pagu",
        "node_links",
    )

    def get_changelist(self, request: HttpRequest, **kwargs) -> type[ChangeList]:
        return PohonChangeList

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else self.view_fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.view_fields

    def has_change_permission(self, request, obj=None):
        # A tree's identity is fixed once created, and its status changes only through the
        # approval workflow: the change page shows the tree and leads to its nodes.
        return obj is None and super().has_change_permission(request)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj.can_add_node = user_can_edit_pohon(request.user, obj)
        return obj

    def get_queryset(self, request):
        # Counted in the list's own query, so that the column sorts; the hidden root is no node.
        return super().get_queryset(request).annotate(node_total=Count("nodes", filter=~Q(nodes__jenis=rules.AKAR)))

    def _summary(self, obj: Pohon):
        if not hasattr(obj, "summary"):
            obj.summary = pohon_summaries([obj])[0]
        return obj.summary

    @admin.display(description=gettext_lazy("jumlah butir"), ordering="node_total")
    def node_count(self, obj: Pohon) -> int:
        return obj.node_total

    @admin.display(description=gettext_lazy("total pagu"))
    def total_pagu(self, obj: Pohon) -> str:
        return rupiah(self._summary(obj).total_pagu)

    @admin.display(description=gettext_lazy("butir"))
    def node_links(self, obj: Pohon) -> str:
        links = [(node_changelist_url(obj), _("Lihat butir"))]
        if getattr(obj, "can_add_node", False):  # set per request: the tree is a draft the user edits
            links.append((node_add_url(obj), _("Tambah butir")))
        return format_html_join(" | ", '<a href="{}">{}</a>', links)

    def save_model(self, request, obj, form, change):
        # Only adding reaches here (existing trees are read-only): the service creates the
        # hidden root node too. Only into an agency the user administers.
        self.authorize_write(request, obj, ADD)
        created = pohon_create(dinas=obj.dinas, tahun=obj.tahun, revisi=obj.revisi, tahun_akhir=obj.tahun_akhir)
        for field in Pohon._meta.concrete_fields:
            setattr(obj, field.attname, getattr(created, field.attname))
        obj._state.adding = False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:  # the form passed, the service refused in between
            refusal(request, self, error)
            return HttpResponseRedirect(request.get_full_path())
