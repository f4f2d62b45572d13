"""The admin list and form of nodes: the tree of one Pohon, edited and moved through the services."""

import json
from types import SimpleNamespace

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags.admin_list import result_headers
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from js_asset import Script
from mptt.admin import DraggableMPTTAdmin, MPTTModelAdmin

from dinas.admin import DinasScopedAdmin
from dinas.admin_access import ADD, user_may
from pohon import rules
from pohon.admin.common import node_add_url, node_changelist_url, refusal
from pohon.formatting import depth_class
from pohon.forms import NodeForm
from pohon.models import Node, Pohon
from pohon.money import rupiah
from pohon.permissions import editable_node_ids, user_can_edit_pohon
from pohon.services import POSITIONS, node_delete, node_move


class PohonListFilter(admin.SimpleListFilter):
    """One tree; its parameter is the ``?pohon=`` the add link takes too."""

    title = gettext_lazy("pohon")
    parameter_name = "pohon"

    def lookups(self, request, model_admin):
        return [(pohon.pk, str(pohon)) for pohon in model_admin.visible_pohon(request)]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            raise IncorrectLookupParameters(value)
        return queryset.filter(pohon_id=int(value))


@admin.register(Node)
class NodeAdmin(DinasScopedAdmin, DraggableMPTTAdmin):
    dinas_path = "pohon__dinas"
    form = NodeForm
    fields = ("pohon", "parent", "jenis", "kode", "uraian", "unit", "pagu", "target", "satuan", "arah")
    # Rendered by _result_rows, not by the admin's result_list tag: every name is an admin
    # method or a plain model field; the list_display_links column becomes the row's <th>,
    # which draggable-admin.js aligns its drop line on. indented_title makes its own link.
    list_display = ("tree_actions", "indented_title", "jenis", "kode", "unit", "pagu_rupiah", "add_child")
    list_display_links = ("indented_title",)
    list_filter = (
        PohonListFilter,
        ("pohon__dinas", admin.RelatedOnlyFieldListFilter),
        "pohon__tahun",
        "jenis",
    )
    list_select_related = ("pohon__dinas__pemda", "unit")
    search_fields = ("kode", "uraian")
    sortable_by = ()  # the list is the tree, in tree order
    list_per_page = 2500  # one tree on one page, so that drag and drop reaches every node
    list_max_show_all = 2500
    show_full_result_count = False
    view_on_site = False
    mptt_level_indent = 20

    # --- access ---------------------------------------------------------------------------

    def visible_pohon(self, request: HttpRequest) -> QuerySet[Pohon]:
        pohon = Pohon.objects.select_related("dinas")
        if not request.user.is_superuser:
            pohon = pohon.filter(dinas__in=self.visible_dinas(request))
        return pohon

    def has_change_permission(self, request, obj=None):
        # Without obj: the group's permission and a role that edits nodes in some agency
        # (dinas.admin_access); with obj: that node's branch, by pohon.permissions.
        if not super().has_change_permission(request):
            return False
        return obj is None or self._node_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request):
            return False
        return obj is None or self._node_editable(request, obj)

    def _node_editable(self, request: HttpRequest, node: Node) -> bool:
        """Not the hidden root, its tree a draft, and the node in a branch the user edits (an
        Admin of the tree's agency: all of it; an Operator: their unit's branch). The services
        refuse the rest anyway; this turns the forms read-only. Asked for every node of a
        subtree on the delete page, hence answered per tree once per request."""
        return not node.is_root and node.pk in self._editable_node_ids(request, node.pohon_id)

    def _editable_node_ids(self, request: HttpRequest, pohon_id: int, pohon: Pohon | None = None) -> set[int]:
        """``pohon.permissions.editable_node_ids`` for one tree (``pohon`` if at hand), read in
        one query and kept for the request."""
        found = request.__dict__.setdefault("_pokin_editable_nodes", {})
        if pohon_id not in found:
            if pohon is None:
                pohon = Pohon.objects.filter(pk=pohon_id).first()
            ids: set[int] = set()
            if pohon is not None and user_can_edit_pohon(request.user, pohon):
                rows = Node.objects.filter(pohon_id=pohon_id).order_by("lft").values_list("pk", "parent_id", "unit_id")
                tree = SimpleNamespace(
                    nodes=[
                        SimpleNamespace(pk=pk, parent_id=parent_id, unit_id=unit_id) for pk, parent_id, unit_id in rows
                    ]
                )
                ids = editable_node_ids(request.user, pohon, tree)
            found[pohon_id] = ids
        return found[pohon_id]

    def get_actions(self, request):
        # Django's own delete action, which calls delete_queryset (and so node_delete), not
        # MPTTModelAdmin's, which deletes row by row with obj.delete().
        return super(MPTTModelAdmin, self).get_actions(request)

    # --- list -------------------------------------------------------------------------------

    def action_checkbox(self, obj: Node) -> str:
        # The stock one renders a CheckboxInput through the template engine for every row;
        # same markup, formatted directly. The hidden root is never selected for deletion.
        if obj.is_root:
            return ""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(_("Select this object for an action - {}"), str(obj)),
        )

    @admin.display(description="")
    def tree_actions(self, node: Node) -> str:
        # The collapse marker always; the drag handle only on a node the user may move.
        if getattr(node, "editable_here", False):
            return super().tree_actions(node)
        return format_html('<div class="tree-node" data-pk="{}" data-level="{}"></div>', node.pk, node.level)

    @admin.display(description=gettext_lazy("uraian"))
    def indented_title(self, node: Node) -> str:
        # Indented by a class (static/pohon/depth.css and admin.css), not django-mptt's
        # style="text-indent:...": the Content Security Policy refuses inline styles.
        indent = depth_class(node.level)
        if node.is_root:
            label = _("Pohon %(pohon)s") % {"pohon": node.pohon}
            return format_html('<div class="node-title {}"><strong>{}</strong></div>', indent, label)
        return format_html(
            '<div class="node-title {}"><a href="{}">{}</a></div>',
            indent,
            reverse("admin:pohon_node_change", args=[node.pk]),
            node.uraian if len(node.uraian) <= 160 else Truncator(node.uraian).chars(160),
        )

    @admin.display(description=gettext_lazy("pagu"))
    def pagu_rupiah(self, node: Node) -> str:
        return rupiah(node.pagu)

    @admin.display(description="")
    def add_child(self, node: Node) -> str:
        if not rules.allowed_children(node.jenis) or not getattr(node, "editable_here", False):
            return ""
        label = _("+ butir teratas") if node.is_root else _("+ anak")
        return format_html('<a href="{}">{}</a>', node_add_url(node.pohon, node), label)

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and request.POST.get("cmd") == "move_node":
            return self._move_node(request)
        pohon = self._pohon_from(request, request.GET)
        can_add = pohon is not None and user_can_edit_pohon(request.user, pohon)
        extra_context = {
            **(extra_context or {}),
            "pohon_terpilih": pohon,
            "pohon_add_url": node_add_url(pohon) if can_add else None,
        }
        try:
            with transaction.atomic():
                # ModelAdmin's view, not DraggableMPTTAdmin's: that one serialises the parent of
                # every node in the database for its script; this page needs only its own rows.
                response = super(DraggableMPTTAdmin, self).changelist_view(request, extra_context)
        except ValidationError as error:  # a bulk delete refused by node_delete
            refusal(request, self, error)
            return HttpResponseRedirect(request.get_full_path())
        context = getattr(response, "context_data", None)
        if context and "cl" in context and "media" in context:
            cl = context["cl"]
            self._mark_editable(request, cl.result_list)
            context["media"] += self._drag_media(cl.result_list)
            context["node_headers"] = list(result_headers(cl))
            context["node_rows"] = self._result_rows(cl)
        return response

    def _mark_editable(self, request: HttpRequest, nodes: list[Node]) -> None:
        """Mark each listed node the user may change or add under (``editable_here``), so that
        a read-only viewer gets no drag handle and no add link; one query per tree listed."""
        for node in nodes:
            node.editable_here = node.pk in self._editable_node_ids(request, node.pohon_id, node.pohon)

    def _result_rows(self, cl: ChangeList) -> list[str]:
        """The rows of the list, one format_html per cell. Django's result_list tag spends some
        60 microseconds per cell (lookups, display rules, a widget render for each checkbox):
        1 s for a 2,000-node tree. Same markup and classes, so that actions.js and
        draggable-admin.js work unchanged."""
        empty = self.get_empty_value_display()
        columns = []
        for name in cl.list_display:
            method = getattr(self, name, None)
            field = labels = None
            if not callable(method):
                method, field = None, Node._meta.get_field(name)
                labels = {value: str(label) for value, label in field.flatchoices} if field.choices else None
            tag = "th" if name in cl.list_display_links else "td"
            css = "action-checkbox" if name == "action_checkbox" else f"field-{name}"
            columns.append((method, field, labels, format_html('<{} class="{}">', tag, css), f"</{tag}>"))
        rows = []
        for node in cl.result_list:
            cells = []
            for method, field, labels, start, end in columns:
                if method is not None:
                    value = method(node)
                elif labels is not None:
                    value = labels.get(getattr(node, field.attname))
                else:
                    value = getattr(node, field.name)
                if value is None:
                    value = empty
                cells.append(f"{start}{conditional_escape(value)}{end}")
            rows.append(mark_safe(f"<tr>{''.join(cells)}</tr>"))
        return rows

    def _drag_media(self, nodes: list[Node]) -> forms.Media:
        tree_structure: dict[str, list[int]] = {}
        for node in nodes:
            tree_structure.setdefault(str(node.parent_id) if node.parent_id else 0, []).append(node.pk)
        drag_context = {
            "storageName": "tree_pohon_node_collapsed",
            "treeStructure": tree_structure,
            "levelIndent": self.mptt_level_indent,
            "messages": {
                "before": _("letakkan sebelum butir ini"),
                "child": _("jadikan anak butir ini"),
                "after": _("letakkan sesudah butir ini"),
                "collapseTree": _("Ciutkan pohon"),
                "expandTree": _("Bentangkan pohon"),
            },
            "expandTreeByDefault": self.expand_tree_by_default,
        }
        return forms.Media(
            css={"all": ["mptt/draggable-admin.css", "pohon/depth.css", "pohon/admin.css"]},
            js=[
                "admin/js/vendor/jquery/jquery.js",
                "admin/js/jquery.init.js",
                Script(
                    "mptt/draggable-admin.js",
                    id="draggable-admin-context",
                    **{"data-context": json.dumps(drag_context, cls=DjangoJSONEncoder)},
                ),
            ],
        )

    # --- drag and drop ----------------------------------------------------------------------

    @transaction.atomic
    def _move_node(self, request):
        """DraggableMPTTAdmin's endpoint, answering the same way, but moving through node_move
        so that the rule table, the tree boundary and the tree's status are checked."""
        position = request.POST.get("position")
        if position not in POSITIONS:
            self.message_user(request, _("Perintah pemindahan tidak dikenali."), level=messages.ERROR)
            return HttpResponse("FAIL, unknown instruction.")
        queryset = self.get_queryset(request)
        try:
            cut_item = queryset.get(pk=request.POST.get("cut_item"))
            pasted_on = queryset.get(pk=request.POST.get("pasted_on"))
        except (Node.DoesNotExist, TypeError, ValueError):
            self.message_user(request, _("Butir tidak ditemukan lagi; muat ulang halaman."), level=messages.ERROR)
            return HttpResponse("FAIL, invalid objects.")
        if not super().has_change_permission(request):
            self.message_user(request, _("Anda tidak berhak memindahkan butir."), level=messages.ERROR)
            return HttpResponse("FAIL, no permission.")
        data_before_update = self.get_data_before_update(request, cut_item, pasted_on)
        try:
            node_move(node=cut_item, target=pasted_on, position=position, user=request.user)
        except ValidationError as error:
            refusal(request, self, error)
            return HttpResponse("FAIL, invalid move.")
        except PermissionDenied as error:
            self.message_user(request, str(error), level=messages.ERROR)
            return HttpResponse("FAIL, no permission.")
        LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=[cut_item],
            action_flag=CHANGE,
            change_message=self.get_move_node_change_message(request, cut_item, pasted_on, data_before_update),
            single_object=True,
        )
        self.message_user(request, _("%(node)s berhasil dipindahkan.") % {"node": cut_item})
        return HttpResponse("OK, moved.")

    # --- add, change, delete -----------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.admin_site = self.admin_site  # a fresh class per call: safe to set
        form.user = request.user
        return form

    def get_fields(self, request, obj=None):
        # An existing node shows its lasting key, read only; a new one gets its key when saved.
        return (*self.fields, "kunci") if obj is not None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return ("pohon", "jenis", "kunci") if obj is not None else ()

    def _pohon_from(self, request: HttpRequest, params: QueryDict) -> Pohon | None:
        """The tree named by ``?pohon=``, or by the filters the changelist passed on."""
        raw = params.get("pohon") or QueryDict(params.get("_changelist_filters", "")).get("pohon")
        if not raw or not raw.isdigit():
            return None
        found = request.__dict__.setdefault("_pokin_pohon_from", {})  # add_view and its initial data both ask
        if raw not in found:
            found[raw] = self.visible_pohon(request).filter(pk=int(raw)).first()
        return found[raw]

    def add_view(self, request, form_url="", extra_context=None):
        pohon = self._pohon_from(request, request.GET)
        if pohon is None and request.method == "GET":
            return self._choose_pohon_view(request)
        if pohon is not None and not user_may(request.user, self.access_label, ADD, pohon.dinas_id):
            # A tree the user only reads (a draft's or approved tree's own refusals come from
            # the form, with the services' messages).
            raise PermissionDenied(_("Anda tidak berhak menambah butir pada pohon ini."))
        if pohon is not None:
            extra_context = {"subtitle": _("Pohon %(pohon)s") % {"pohon": pohon}, **(extra_context or {})}
        return super().add_view(request, form_url, extra_context)

    def _choose_pohon_view(self, request: HttpRequest) -> TemplateResponse:
        if not self.has_add_permission(request):
            return super().add_view(request)  # answers with the stock PermissionDenied
        trees = [pohon for pohon in self.visible_pohon(request) if user_can_edit_pohon(request.user, pohon)]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Pilih pohon untuk butir baru"),
            "choices": [(pohon, node_add_url(pohon)) for pohon in trees],
        }
        return TemplateResponse(request, "admin/pohon/node/choose_pohon.html", context)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        pohon = self._pohon_from(request, request.GET)
        if pohon is not None:
            initial["pohon"] = pohon.pk
        return initial

    def save_model(self, request, obj, form, change):
        node = form.write()
        for field in Node._meta.concrete_fields:
            setattr(obj, field.attname, getattr(node, field.attname))
        obj._state.adding = False

    def delete_model(self, request, obj):
        node_delete(node=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # all or nothing: a refusal undoes the ones before it
            for pk in list(queryset.order_by("tree_id", "lft").values_list("pk", flat=True)):
                node = Node.objects.select_related("pohon").filter(pk=pk).first()
                if node is not None:  # else it went with an ancestor deleted just before
                    node_delete(node=node, user=request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:  # the dry run passed, the real write was refused in between
            refusal(request, self, error)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            refusal(request, self, error)
            return HttpResponseRedirect(reverse("admin:pohon_node_changelist"))

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        if "_addanother" in request.POST:
            response["Location"] = node_add_url(obj.pohon)
        return response

    # After saving, back to the node's own tree unless the changelist passed its filters on.
    def response_post_save_add(self, request, obj):
        if self.get_preserved_filters(request):
            return super().response_post_save_add(request, obj)
        return HttpResponseRedirect(node_changelist_url(obj.pohon))

    def response_post_save_change(self, request, obj):
        if self.get_preserved_filters(request):
            return super().response_post_save_change(request, obj)
        return HttpResponseRedirect(node_changelist_url(obj.pohon))

    def get_search_results(self, request, queryset, search_term):
        # The parent autocomplete asks with the tree's id (ParentAutocomplete): answer only
        # with nodes of that tree, never the hidden root; without an id, with nothing.
        match = request.resolver_match
        if (
            match is not None
            and match.url_name == "autocomplete"
            and request.GET.get("model_name") == "node"
            and request.GET.get("field_name") == "parent"
        ):
            pohon_id = request.GET.get("pohon", "")
            if not pohon_id.isdigit():
                return queryset.none(), False
            queryset = queryset.filter(pohon_id=int(pohon_id)).exclude(jenis=rules.AKAR)
        return super().get_search_results(request, queryset, search_term)
