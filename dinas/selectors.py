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


def user_may_see_job(user: AbstractBaseUser | AnonymousUser, job) -> bool:
    """A background job (core.models.Pekerjaan) is seen by whoever asked for it and by the
    members of its agency (settings.POKIN_JOB_ACCESS names this rule for core)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or (job.user_id is not None and job.user_id == user.pk):
        return True
    return job.dinas_id is not None and Keanggotaan.objects.filter(user=user, dinas_id=job.dinas_id).exists()
