"""Memberships: who holds which role in which agency; nobody grants roles to themselves."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dinas.admin.scoped import DinasScopedAdmin, unit_field_kwargs
from dinas.admin_access import user_may_manage_membership
from dinas.models import Keanggotaan

OWN_MEMBERSHIP_REFUSED = _(
    "Anda tidak dapat memberi, mengubah atau mencabut peran Anda sendiri. "
    "Mintalah Admin lain Perangkat Daerah ini atau superuser."
)


class KeanggotaanForm(forms.ModelForm):
    request_user = None  # set by KeanggotaanAdmin.get_form: nobody grants roles to themselves

    class Meta:
        model = Keanggotaan
        fields = ("user", "dinas", "peran", "unit")

    def clean_user(self):
        user = self.cleaned_data.get("user")
        if (
            user is not None
            and self.request_user is not None
            and not user_may_manage_membership(self.request_user, user.pk)
        ):
            raise ValidationError(OWN_MEMBERSHIP_REFUSED)
        return user


@admin.register(Keanggotaan)
class KeanggotaanAdmin(DinasScopedAdmin):
    form = KeanggotaanForm
    list_display = ("user", "dinas", "peran", "unit")
    list_filter = (("dinas", admin.RelatedOnlyFieldListFilter), "peran")
    search_fields = ("user__username", "user__first_name", "user__last_name", "dinas__nama", "dinas__kode")
    list_select_related = ("user", "dinas", "unit")
    autocomplete_fields = ("user",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user  # a fresh class per call: safe to set
        return form

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and user_may_manage_membership(
            request.user, obj.user_id if obj is not None else None
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and user_may_manage_membership(
            request.user, obj.user_id if obj is not None else None
        )

    def authorize_write(self, request: HttpRequest, obj: Keanggotaan, action: str) -> None:
        if not user_may_manage_membership(request.user, obj.user_id):
            raise PermissionDenied(OWN_MEMBERSHIP_REFUSED)
        super().authorize_write(request, obj, action)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET" and not user_may_manage_membership(request.user, obj.user_id):
            self.message_user(request, OWN_MEMBERSHIP_REFUSED, level=messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs = unit_field_kwargs(kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
