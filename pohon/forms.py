"""Forms for the tree's admin screens.

The node form validates by running the services themselves in a savepoint that is rolled back
(a dry run), so it refuses exactly what ``node_create``/``node_update``/``node_move`` refuse, with
their Indonesian messages next to the fields, and saving later runs the same services for real.
"""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.forms.models import construct_instance
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from pohon import rules
from pohon.models import Node, Pohon
from pohon.money import pagu_parse, rupiah
from pohon.services import NODE_EDITABLE_FIELDS, NodeDeleted, node_create, node_move, node_update, pohon_root
from pohon.targets import SATUAN_MAX_LENGTH, TARGET_TEKS_MAX_LENGTH, target_parse


class PaguField(forms.CharField):
    """Whole Rupiah typed the way people write it: ``Rp. 2.078.747.000``, ``2078747000``,
    ``2.078.747.000,00``."""

    def __init__(self, **kwargs):
        # A hint, not an amount: a real-looking figure was read as a value already filled in.
        placeholder = _("Rupiah utuh, tanpa sen")
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": placeholder, "size": 22}))
        super().__init__(**kwargs)

    def to_python(self, value: object) -> Decimal | None:
        return pagu_parse(value)

    def prepare_value(self, value: object) -> object:
        return rupiah(value) if isinstance(value, (Decimal, int)) else value


def node_text_field(name: str, **kwargs) -> forms.CharField:
    """A form field for the Node text field ``name``, bounded as the model bounds it: the
    browser's maxlength, and the model's own length check with its message (for uraian
    "Uraian terlalu panjang: 2.345 karakter, paling banyak 2.000.", not Django's generic one)."""
    model_field = Node._meta.get_field(name)
    lengths = [validator for validator in model_field.validators if isinstance(validator, MaxLengthValidator)]
    field = forms.CharField(validators=lengths, **kwargs)
    field.widget.attrs["maxlength"] = str(model_field.max_length)
    return field


def target_field(**kwargs) -> forms.CharField:
    """The one "Target" input: a number with or without its satuan (``85,5``, ``50%``,
    ``45 OPD``, ``1.250``) or a qualitative text (``WTP``), read by ``target_clean``."""
    kwargs.setdefault("label", _("Target"))
    kwargs.setdefault(
        "help_text", _("Angka (85,5; 1.250; 50%; 45 OPD) atau teks (WTP, Baik). Titik memisahkan ribuan.")
    )
    field = forms.CharField(required=False, **kwargs)
    # room for a text target, or a number followed by its satuan
    field.widget.attrs["maxlength"] = str(TARGET_TEKS_MAX_LENGTH + SATUAN_MAX_LENGTH)
    return field


def target_clean(form: forms.Form, cleaned_data: dict) -> dict:
    """Read the form's typed ``target`` with its ``satuan`` (``pohon.targets.target_parse``) into
    the model's ``target_angka``, ``target_teks`` and ``satuan``; a refusal goes next to the
    field it is about (the target, or the satuan when the two name different units)."""
    if "target" not in form.fields or "target" not in cleaned_data:
        return cleaned_data
    typed = cleaned_data.pop("target")
    try:
        parsed = target_parse(typed, cleaned_data.get("satuan", ""))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return cleaned_data
    cleaned_data.update(target_angka=parsed.angka, target_teks=parsed.teks, satuan=parsed.satuan)
    return cleaned_data


class ParentAutocomplete(AutocompleteSelect):
    """The admin's autocomplete, asking only for nodes of one tree: the tree id travels in the
    URL and ``NodeAdmin.get_search_results`` filters on it. A plain <select> would list every
    node in the database."""

    def __init__(self, *args, pohon_id: int | None, **kwargs):
        self.pohon_id = pohon_id
        super().__init__(*args, **kwargs)

    def get_url(self) -> str:
        return f"{super().get_url()}?{urlencode({'pohon': self.pohon_id or ''})}"


class _DryRun(Exception):
    """Raised to roll back the validating run of the services."""


class NodeForm(forms.ModelForm):
    """Add or change one node. The admin gives it ``admin_site``; ``pohon`` comes from the
    instance on change and from the form data (the add URL's ``?pohon=``) on add."""

    uraian = node_text_field("uraian", label=_("Uraian"), widget=forms.Textarea(attrs={"rows": 3, "cols": 80}))
    pagu = PaguField(label=_("Pagu"), required=False, help_text=_("Hanya untuk Program, Kegiatan dan Sub Kegiatan."))
    target = target_field()

    admin_site = None  # set by NodeAdmin.get_form
    user = None  # set by NodeAdmin.get_form: the services check this user's rights on the branch

    class Meta:
        model = Node
        fields = ("pohon", "parent", "jenis", "kode", "uraian", "unit", "pagu", "target", "satuan", "arah")
        help_texts = {"kode": _("Kosongkan untuk nomor otomatis (contoh: PRG01).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pohon = self._find_pohon()
        if "pohon" in self.fields:
            self.fields["pohon"].widget = forms.HiddenInput()
        if "jenis" in self.fields:
            self.fields["jenis"].choices = [(v, label) for v, label in self.fields["jenis"].choices if v != rules.AKAR]
        if "parent" in self.fields:
            self.fields["parent"] = self._parent_field()
            if self.instance.pk and self.instance.parent_id and self.instance.parent.is_root:
                self.initial["parent"] = None  # empty means "at the top of the tree"
        if "target" in self.fields and self.instance.pk:
            self.initial.setdefault("target", self.instance.target_display)
        if "unit" in self.fields:
            units = self.fields["unit"].queryset
            self.fields["unit"].queryset = (
                units.filter(dinas_id=self.pohon.dinas_id) if self.pohon is not None else units.none()
            )

    def _find_pohon(self) -> Pohon | None:
        if self.instance.pohon_id is not None:
            return self.instance.pohon
        if "pohon" not in self.fields:
            return None
        raw = self.data.get(self.add_prefix("pohon")) if self.is_bound else self.initial.get("pohon")
        if isinstance(raw, Pohon):
            return raw
        try:
            return self.fields["pohon"].queryset.select_related("dinas").get(pk=int(raw))
        except (TypeError, ValueError, Pohon.DoesNotExist):
            return None

    def _parent_field(self) -> forms.ModelChoiceField:
        nodes = Node.objects.none()
        if self.pohon is not None:
            nodes = Node.objects.filter(pohon=self.pohon).exclude(jenis=rules.AKAR)
        widget = ParentAutocomplete(
            Node._meta.get_field("parent"),
            self.admin_site or admin.site,
            pohon_id=self.pohon.pk if self.pohon else None,
        )
        return forms.ModelChoiceField(
            queryset=nodes,
            required=False,
            widget=widget,
            label=_("Induk"),
            help_text=_("Kosongkan untuk menempatkan butir di tingkat teratas pohon."),
        )

    def clean_kode(self) -> str:
        return self.cleaned_data["kode"].strip()

    def clean(self) -> dict:
        return target_clean(self, super().clean())

    def _post_clean(self) -> None:
        # ModelForm would run the model's full_clean() on a half-built instance here, where an
        # empty parent ("top of the tree") and an empty kode (numbered by node_create) fail.
        # The services call full_clean() themselves, with the checks the model cannot make
        # (editable tree, same tree, not into its own subtree): validate by running them.
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        except ValidationError as error:
            self._update_errors(error)
        if self._errors:
            return
        try:
            with transaction.atomic():
                self.write()
                raise _DryRun
        except _DryRun:
            pass
        except ValidationError as error:
            self._add_service_errors(error)
        except PermissionDenied as error:
            self.add_error(None, str(error))

    def _add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            self.add_error(field if field in self.fields and field != NON_FIELD_ERRORS else None, errors)

    def write(self) -> Node:
        """Apply the cleaned form through the services; returns the saved node.

        Works on fresh copies from the database, so that a rolled-back dry run leaves no
        trace in the instances the admin goes on to use."""
        data = self.cleaned_data
        changes = {name: data[name] for name in NODE_EDITABLE_FIELDS if name in data}
        parent = data.get("parent")
        if self.instance.pk is None:
            if self.pohon is None:
                raise ValidationError({"pohon": _("Pilih pohon untuk butir ini.")})
            return node_create(
                pohon=self.pohon,
                parent=_fresh(parent) if parent else None,
                jenis=data["jenis"],
                user=self.user,
                **changes,
            )
        node = _fresh(self.instance)
        if "parent" in self.fields:
            target = _fresh(parent) if parent else pohon_root(node.pohon)
            if target.pk != node.parent_id:
                node_move(node=node, target=target, position="last-child", user=self.user)
                node = _fresh(node)
        return node_update(node=node, user=self.user, **changes)


def _fresh(node: Node) -> Node:
    """A fresh copy of ``node`` from the database; NodeDeleted (a ValidationError the admin
    shows) when someone deleted it after the form was validated."""
    fresh = Node.objects.select_related("pohon").filter(pk=node.pk).first()
    if fresh is None:
        raise NodeDeleted(node.kode)
    return fresh


class RiwayatFilterForm(forms.Form):
    """The history page's filters (GET): unit, user, kind of change, from/to dates. Invalid
    values are shown as errors and do not filter."""

    unit = forms.TypedChoiceField(label=_("Unit kerja"), required=False, coerce=int, empty_value=None)
    pengguna = forms.ChoiceField(label=_("Pengguna"), required=False)
    aksi = forms.ChoiceField(label=_("Jenis perubahan"), required=False)
    dari = forms.DateField(label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sampai = forms.DateField(label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, units, users: list[str], aksi_choices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        everyone = [("", _("Semua"))]
        self.fields["unit"].choices = everyone + [(unit.pk, unit.nama) for unit in units]
        self.fields["pengguna"].choices = everyone + [(name, name) for name in users]
        self.fields["aksi"].choices = everyone + list(aksi_choices)

    def clean(self):
        data = super().clean()
        if data.get("dari") and data.get("sampai") and data["dari"] > data["sampai"]:
            self.add_error("sampai", _("Tanggal akhir sebelum tanggal awal."))
        return data
