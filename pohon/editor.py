"""The tree editor of the chart and table pages: operators and admins add, change, reorder, move
and delete nodes of their own branches without the Django admin.

Each view is thin: it parses a small form, calls one service with the user (the service checks
the per-unit rights) and the ``versi`` the page showed (the service refuses a stale page), and
renders a fragment. htmx loads a form (GET) into a row of the table below the node, or on the
chart into the node's panel (``halaman=bagan``), and posts it; a refusal comes back as the same
form with the service's Indonesian message next to its field, a success as the re-rendered page,
from which the rows or the chart, the totals and the checks panel are swapped in
(``hx-select-oob`` on the page's wrapper, ``HX-Reswap: none``).
"""

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dinas.models import UnitKerja
from pohon import rules
from pohon.chart_partial import ChartChange
from pohon.forms import PaguField, node_text_field, target_clean, target_field
from pohon.models import Node
from pohon.pemda.selectors import target_tahunan_map
from pohon.pemda.services import indikator_pemda_update, target_tahunan_set
from pohon.permissions import authorize_branch_edit, editable_node_ids, unit_choices_for, user_can_edit_branch
from pohon.selectors import node_for_user, pohon_for_user, pohon_tree
from pohon.services import NodeDeleted, node_create, node_delete, node_move, node_update, pohon_ensure_editable
from pohon.targets import Arah, target_parse
from pohon.views import BAGAN, halaman_param, page_after_edit

# The table's columns: kode, jenis, uraian, unit, Pagu, total, target, satuan and the controls.
TABLE_COLUMNS = 9
INDENT = "\u00a0\u00a0"  # a level deeper in the list of new parents


class NodeForm(forms.Form):
    """A form about one node, carrying the node's version as the page showed it: the services
    refuse an edit based on an older one."""

    versi = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, node: Node, user=None, **kwargs):
        self.node = node
        self.user = user
        super().__init__(*args, **kwargs)


def _unit_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=gettext_lazy("Unit kerja"), queryset=UnitKerja.objects.none(), required=False)


def _uraian_field() -> forms.CharField:
    return node_text_field("uraian", label=gettext_lazy("Uraian"), widget=forms.Textarea(attrs={"rows": 2, "cols": 60}))


def _measured(field: forms.Field) -> forms.Field:
    field.jenis_only = sorted(rules.MEASURED)  # the editor script shows it only for these kinds
    return field


def _arah_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=gettext_lazy("Arah"), choices=Arah.choices, required=False, initial=Arah.NAIK)


def _yearly_target_fields(form: forms.Form) -> None:
    """A Pemda tree's Indikator has a target per year of the period (``target_2014`` ...) instead
    of the one ``target``: add those fields (shown for an Indikator only) and drop that one."""
    pohon = form.node.pohon
    if not pohon.is_pemda:
        return
    form.fields.pop("target", None)
    for tahun in pohon.periode:
        form.fields[f"target_{tahun}"] = _measured(
            target_field(label=_("Target %(tahun)s") % {"tahun": tahun}, help_text="")
        )


def _yearly_target_clean(form: forms.Form, cleaned_data: dict) -> dict:
    """Read each ``target_<tahun>`` with the satuan into ``cleaned_data["target_tahunan"]``
    ({tahun: ParsedTarget}); a refusal goes next to its year's field."""
    pohon = form.node.pohon
    if not pohon.is_pemda:
        return cleaned_data
    targets = {}
    names = [name for name in (f"target_{tahun}" for tahun in pohon.periode) if name in form.fields]
    if not names or (form.fields.get("jenis") and cleaned_data.get("jenis") != rules.INDIKATOR):
        for name in names:
            cleaned_data.pop(name, None)
        return cleaned_data  # not an Indikator: no yearly targets
    for tahun in pohon.periode:
        name = f"target_{tahun}"
        try:
            targets[tahun] = target_parse(cleaned_data.pop(name, ""), cleaned_data.get("satuan", ""))
        except ValidationError as error:
            form.add_error(name, error.messages)
    cleaned_data["target_tahunan"] = targets
    return cleaned_data


class NodeAddForm(NodeForm):
    jenis = forms.ChoiceField(label=gettext_lazy("Jenis"))
    uraian = _uraian_field()
    kode = node_text_field(
        "kode", label=gettext_lazy("Kode"), required=False, help_text=gettext_lazy("Kosongkan untuk nomor otomatis.")
    )
    unit = _unit_field()
    pagu = PaguField(label=gettext_lazy("Pagu"), required=False)
    target = _measured(target_field())
    satuan = _measured(node_text_field("satuan", label=gettext_lazy("Satuan"), required=False))
    arah = _measured(_arah_field())

    field_order = ["jenis", "uraian", "kode", "unit", "pagu", "target", "satuan", "arah"]

    def __init__(self, *args, node: Node, **kwargs):
        super().__init__(*args, node=node, **kwargs)
        # Every kind is accepted, so that a kind the rule table refuses under this parent gets the
        # service's own message (naming both kinds); the list offers only the allowed ones.
        self.fields["jenis"].choices = [(j, rules.jenis_label(j)) for j in rules.JENIS_LABELS if j != rules.AKAR]
        self.fields["jenis"].widget.choices = [
            (j, rules.jenis_label(j)) for j in rules.allowed_children(node.jenis, node.pohon.pemilik)
        ]
        # an operator's choice: their own unit and those below (pohon.permissions)
        self.fields["unit"].queryset = unit_choices_for(self.user, node.pohon)
        self.fields["pagu"].jenis_only = sorted(rules.BUDGETED)
        _yearly_target_fields(self)

    def clean(self) -> dict:
        cleaned_data = _yearly_target_clean(self, target_clean(self, super().clean()))
        if cleaned_data.get("jenis") not in rules.MEASURED:
            # The select always posts a value, hidden by the editor script for other kinds.
            cleaned_data["arah"] = ""
        return cleaned_data


class NodeEditForm(NodeForm):
    uraian = _uraian_field()
    unit = _unit_field()
    pagu = PaguField(label=gettext_lazy("Pagu"), required=False)
    target = target_field()
    satuan = node_text_field("satuan", label=gettext_lazy("Satuan"), required=False)
    arah = _arah_field()

    def __init__(self, *args, node: Node, **kwargs):
        super().__init__(*args, node=node, **kwargs)
        self.fields["unit"].queryset = unit_choices_for(self.user, node.pohon, node)
        # Only the fields the kind carries (and any a node holds from older data, so it can be cleared).
        if node.jenis not in rules.BUDGETED and node.pagu is None:
            del self.fields["pagu"]
        if node.jenis not in rules.MEASURED and not (node.has_target or node.satuan):
            del self.fields["target"], self.fields["satuan"]
        if node.jenis not in rules.MEASURED:
            del self.fields["arah"]
        elif node.jenis == rules.INDIKATOR:
            _yearly_target_fields(self)

    def clean(self) -> dict:
        return _yearly_target_clean(self, target_clean(self, super().clean()))


class NodeMoveForm(NodeForm):
    # A plain number, not a choice among the listed parents: a parent the user may not use gets
    # the service's refusal (message or 403), not a generic "invalid choice".
    parent = forms.IntegerField(label=gettext_lazy("Induk baru"), widget=forms.Select)

    def __init__(self, *args, node: Node, parents: list[tuple[int, str]], **kwargs):
        super().__init__(*args, node=node, **kwargs)
        self.fields["parent"].widget.choices = parents


class NodeDeleteForm(NodeForm):
    pass


def _add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal next to the field it names (the rule table's ``parent`` message
    next to the kind or the new parent), anything else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        if field == "parent" and "parent" not in form.fields and "jenis" in form.fields:
            field = "jenis"
        form.add_error(field if field in form.fields and field != "versi" else None, errors)


def _versi_param(request) -> int | None:
    value = request.GET.get("versi", "")
    return int(value) if value.isdigit() else None


class NodeEditorView(LoginRequiredMixin, View):
    """GET: the form as a table row; POST: run the service, then the refreshed page or the form
    with the refusal. A refused right is answered 403 with the reason as plain text (the editor
    script shows it); nothing has changed then, since the service refuses before it writes. A
    change of a node deleted meanwhile (by someone else, with an ancestor or on its own) is
    answered 409 the same way: the page is stale, and a form for a node that is gone would help
    nobody."""

    form_class: type[forms.Form]
    title = ""
    submit_label = gettext_lazy("Simpan")
    danger = False
    allow_root = False  # only adding may start at the hidden root (the top of the tree, for admins)
    change: ChartChange | None = None  # what ``perform`` changed, for the chart's partial answer

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as error:
            message = str(error) or _("Anda tidak berhak mengubah butir ini.")
            return HttpResponse(message, status=403, content_type="text/plain; charset=utf-8")
        except NodeDeleted as error:
            return HttpResponse(" ".join(error.messages), status=409, content_type="text/plain; charset=utf-8")

    @property
    def halaman(self) -> str:
        return halaman_param(self.request)

    def get_node(self) -> Node:
        """The node of the URL, in a tree the user may see (404 for another agency's)."""
        if not hasattr(self, "_node"):
            try:
                self._node = node_for_user(
                    self.request.user,
                    dinas_kode=self.kwargs["dinas"],
                    tahun=self.kwargs["tahun"],
                    pk=self.kwargs["pk"],
                    allow_root=self.allow_root,
                )
            except Http404:
                # A form asked for, or a change posted, from a page showing a node that has been
                # deleted since: say so when the user may see the tree (else 404, no hint of what
                # exists elsewhere).
                if not Node.objects.filter(pk=self.kwargs["pk"]).exists():
                    pohon_for_user(self.request.user, dinas_kode=self.kwargs["dinas"], tahun=self.kwargs["tahun"])
                    raise NodeDeleted() from None
                raise
        return self._node

    def authorize_form(self, node: Node) -> None:
        """Showing a form is refused for the same reasons its submission would be."""
        try:
            pohon_ensure_editable(node.pohon)
        except ValidationError as error:
            raise PermissionDenied(" ".join(error.messages)) from None
        authorize_branch_edit(self.request.user, node.pohon, node)

    def get_form_kwargs(self, node: Node) -> dict:
        return {"node": node, "user": self.request.user}

    def get_initial(self, node: Node) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        node = self.get_node()
        self.authorize_form(node)
        versi = _versi_param(request)
        initial = {"versi": node.versi if versi is None else versi, **self.get_initial(node)}
        form = self.form_class(initial=initial, **self.get_form_kwargs(node))
        return self.render_form(node, form)

    def post(self, request, *args, **kwargs):
        node = self.get_node()
        form = self.form_class(request.POST, **self.get_form_kwargs(node))
        if form.is_valid():
            try:
                focus, message = self.perform(node, form.cleaned_data)
            except NodeDeleted:
                raise  # answered by dispatch
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                return self.success(node, focus, message)
        return self.render_form(node, form)

    def perform(self, node: Node, data: dict) -> tuple[int | None, str]:
        """Call the one service; return the node to focus afterwards and the message to show,
        and set ``change`` to what it changed."""
        raise NotImplementedError

    def extra_context(self, node: Node) -> dict:
        return {}

    def render_form(self, node: Node, form: forms.Form) -> HttpResponse:
        context = {
            "node": node,
            "form": form,
            "title": self.title,
            "submit_label": self.submit_label,
            "danger": self.danger,
            "action_url": self.request.path,
            "colspan": TABLE_COLUMNS,
            **self.extra_context(node),
        }
        template = "pohon/editor/_form_panel.html" if self.halaman == BAGAN else "pohon/editor/_form_row.html"
        return render(self.request, template, context)

    def render_refusal(self, node: Node, error: ValidationError) -> HttpResponse:
        """A refusal of an action that has no form (the arrows): its message where the form goes."""
        template = "pohon/editor/_message_panel.html" if self.halaman == BAGAN else "pohon/editor/_message_row.html"
        return render(self.request, template, {"node": node, "messages_": error.messages, "colspan": TABLE_COLUMNS})

    def success(self, node: Node, focus: int | None, message: str) -> HttpResponse:
        return page_after_edit(
            self.request, pohon=node.pohon, halaman=self.halaman, focus=focus, message=message, change=self.change
        )


class NodeAddView(NodeEditorView):
    form_class = NodeAddForm
    allow_root = True
    title = gettext_lazy("Tambah butir di bawah")
    submit_label = gettext_lazy("Tambah")

    def jenis_param(self, node: Node) -> str | None:
        """The kind a "Tambah Kegiatan" button asks for (``?jenis=kegiatan``), if allowed here."""
        jenis = self.request.GET.get("jenis")
        return jenis if jenis in rules.allowed_children(node.jenis, node.pohon.pemilik) else None

    def get_initial(self, node: Node) -> dict:
        jenis = self.jenis_param(node)
        return {"unit": node.unit_id} | ({"jenis": jenis} if jenis else {})

    def extra_context(self, node: Node) -> dict:
        jenis = self.jenis_param(node) if self.request.method == "GET" else None
        if jenis is None:
            return {}
        return {"title": _("Tambah %(jenis)s di bawah") % {"jenis": rules.jenis_label(jenis)}}

    def perform(self, node: Node, data: dict) -> tuple[int | None, str]:
        child = node_create(
            pohon=node.pohon,
            parent=node,
            jenis=data["jenis"],
            uraian=data["uraian"],
            kode=data["kode"],
            unit=data["unit"],
            pagu=data["pagu"],
            target_angka=data.get("target_angka"),
            target_teks=data.get("target_teks", ""),
            satuan=data["satuan"],
            arah=data["arah"],
            user=self.request.user,
        )
        if child.jenis == rules.INDIKATOR and data.get("target_tahunan"):
            target_tahunan_set(node=child, targets=data["target_tahunan"], user=self.request.user)
        self.change = ChartChange(parents=(node.pk,))
        return child.pk, _("%(jenis)s %(kode)s ditambahkan.") % {"jenis": child.jenis_label, "kode": child.kode}


class NodeUpdateView(NodeEditorView):
    form_class = NodeEditForm
    title = gettext_lazy("Ubah")

    def get_initial(self, node: Node) -> dict:
        fields = {f: getattr(node, f) for f in ("uraian", "pagu", "satuan", "arah")}
        if node.pohon.is_pemda and node.jenis == rules.INDIKATOR:
            yearly = target_tahunan_map(node.pohon).get(node.kunci, {})
            fields |= {f"target_{tahun}": target.display for tahun, target in yearly.items()}
        return fields | {"target": node.target_display, "unit": node.unit_id}

    def perform(self, node: Node, data: dict) -> tuple[int | None, str]:
        changes = {field: value for field, value in data.items() if field not in ("versi", "target_tahunan")}
        if "target_tahunan" in data:
            indikator_pemda_update(
                node=node, user=self.request.user, versi=data["versi"], targets=data["target_tahunan"], **changes
            )
        else:
            node_update(node=node, user=self.request.user, versi=data["versi"], **changes)
        self.change = ChartChange(changed=(node.pk,))
        return node.pk, _("%(kode)s disimpan.") % {"kode": node.kode}


class NodeMoveView(NodeEditorView):
    """Move under another parent (the form), or one place up or down among the siblings
    (``arah=naik|turun`` posted straight from the row's arrow buttons)."""

    form_class = NodeMoveForm
    title = gettext_lazy("Pindahkan")
    submit_label = gettext_lazy("Pindahkan")

    def get_form_kwargs(self, node: Node) -> dict:
        return {"node": node, "parents": self.parent_choices(node)}

    def parent_choices(self, node: Node) -> list[tuple[int, str]]:
        """The parents this node may move under: kinds that allow its kind, in branches the user
        may edit, not inside the node itself, from the tree read once."""
        pohon = node.pohon
        tree = pohon_tree(pohon)
        editable = editable_node_ids(self.request.user, pohon, tree)
        choices = []
        pemilik = pohon.pemilik
        if rules.jenis_allowed_under(node.jenis, rules.AKAR, pemilik) and user_can_edit_branch(
            self.request.user, pohon, None
        ):
            choices.append((tree.root.pk, _("(tingkat teratas pohon)")))
        for candidate, depth in tree.walk():
            if (
                candidate.pk in editable
                and rules.jenis_allowed_under(node.jenis, candidate.jenis, pemilik)
                and not node.lft <= candidate.lft <= node.rght
            ):
                label = f"{INDENT * (depth - 1)}{candidate.kode} {candidate.jenis_label}: {candidate.uraian[:60]}"
                choices.append((candidate.pk, label))
        return choices

    def get_initial(self, node: Node) -> dict:
        return {"parent": node.parent_id}

    def post(self, request, *args, **kwargs):
        direction = request.POST.get("arah")
        if direction is None:
            return super().post(request, *args, **kwargs)
        node = self.get_node()
        versi = request.POST.get("versi", "")
        try:
            if direction == "naik":
                target, position = node.get_previous_sibling(), "left"
            elif direction == "turun":
                target, position = node.get_next_sibling(), "right"
            else:
                raise ValidationError(_("Arah pemindahan %(arah)s tidak dikenal.") % {"arah": direction})
            if target is None:
                edge = _("pertama") if direction == "naik" else _("terakhir")
                raise ValidationError(
                    _("%(kode)s sudah berada di urutan %(edge)s.") % {"kode": node.kode, "edge": edge}
                )
            self.change = ChartChange(parents=(node.parent_id,))
            node_move(
                node=node,
                target=target,
                position=position,
                user=request.user,
                versi=int(versi) if versi.isdigit() else None,
            )
        except NodeDeleted:
            raise  # answered by dispatch
        except ValidationError as error:
            return self.render_refusal(node, error)
        return self.success(node, node.pk, _("%(kode)s dipindahkan.") % {"kode": node.kode})

    def perform(self, node: Node, data: dict) -> tuple[int | None, str]:
        parent = Node.objects.filter(pohon_id=node.pohon_id, pk=data["parent"]).first()
        if parent is None:
            raise ValidationError({"parent": _("Induk baru tidak ditemukan di pohon ini.")})
        self.change = ChartChange(parents=(node.parent_id, parent.pk))
        node_move(node=node, target=parent, position="last-child", user=self.request.user, versi=data["versi"])
        return node.pk, _("%(kode)s dipindahkan ke bawah %(induk)s.") % {"kode": node.kode, "induk": parent.kode}


class NodeDeleteView(NodeEditorView):
    form_class = NodeDeleteForm
    title = gettext_lazy("Hapus")
    submit_label = gettext_lazy("Hapus")
    danger = True

    def extra_context(self, node: Node) -> dict:
        below = node.get_descendant_count()  # from lft/rght, no query
        jenis = node.jenis_label
        title = _("Hapus %(jenis)s") % {"jenis": jenis}
        if not below:
            return {"title": title, "confirm": _("Hapus %(jenis)s ini?") % {"jenis": jenis}}
        confirm = _("Hapus %(jenis)s ini beserta %(n)s butir di bawahnya?") % {"jenis": jenis, "n": below}
        return {"title": title, "confirm": confirm}

    def perform(self, node: Node, data: dict) -> tuple[int | None, str]:
        # The parent is read after the deletion, under the tree's lock: read before, it may be
        # gone already (deleted by someone else), and node_delete says so.
        count = node_delete(node=node, user=self.request.user, versi=data["versi"])
        parent = node.parent
        parent_id = None if parent is None or parent.is_root else parent.pk
        if parent is not None:
            self.change = ChartChange(parents=(parent.pk,))
        return parent_id, _("%(kode)s dihapus (%(n)s butir).") % {"kode": node.kode, "n": count}
