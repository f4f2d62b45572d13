"""Reads of agencies, scoped to what a user may see."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from dinas.models import Keanggotaan, PerangkatDaerah


def dinas_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[PerangkatDaerah]:
    """Superusers see every agency; everyone else only the agencies they are a member of."""
    if not user.is_authenticated or not user.is_active:
        return PerangkatDaerah.objects.none()
    if user.is_superuser:
        return PerangkatDaerah.objects.all()
    return PerangkatDaerah.objects.filter(anggota__user=user).distinct()


def dinas_administered_by(user: AbstractBaseUser | AnonymousUser) -> QuerySet[PerangkatDaerah]:
    """The agencies the user administers (imports, copies): every one for a superuser, else
    those where they are Admin."""
    if not user.is_authenticated or not user.is_active:
        return PerangkatDaerah.objects.none()
    if user.is_superuser:
        return PerangkatDaerah.objects.all()
    return PerangkatDaerah.objects.filter(anggota__user=user, anggota__peran=Keanggotaan.Peran.ADMIN).distinct()
