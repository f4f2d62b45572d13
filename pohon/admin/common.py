"""What the tree and node admin screens share: links between them, and a refusal as a message."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from pohon.models import Node, Pohon


def refusal(request: HttpRequest, model_admin: admin.ModelAdmin, error: ValidationError) -> None:
    model_admin.message_user(request, " ".join(error.messages), level=messages.ERROR)


def node_changelist_url(pohon: Pohon) -> str:
    return reverse("admin:pohon_node_changelist") + "?" + urlencode({"pohon": pohon.pk})


def node_add_url(pohon: Pohon, parent: Node | None = None) -> str:
    query = {"pohon": pohon.pk}
    if parent is not None and not parent.is_root:
        query["parent"] = parent.pk
    return reverse("admin:pohon_node_add") + "?" + urlencode(query)
