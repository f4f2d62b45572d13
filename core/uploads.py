"""Uploaded spreadsheets kept between an import's preview and its confirmation.

Each upload is one row named by a random id, with the kind of import, the user, the bytes and
their SHA-256, the file name and the parameters chosen at upload. ``load`` answers None unless
the row is of this kind and this user, younger than ``UPLOAD_MAX_AGE`` and its bytes still hash
to what was stored; the caller cannot tell a wrong id from someone else's. Rows are deleted after
the confirmation, and anything older than the maximum age is swept away whenever a new upload is
stored. In the database, so that any of several app servers can take the confirmation.
"""

import datetime
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.models import UnggahanSementara

# A staged upload is kept this long; a preview left open longer must be uploaded again.
UPLOAD_MAX_AGE = 3 * 60 * 60
_UPLOAD_ID = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)


@dataclass(frozen=True)
class StagedUpload:
    id: str
    filename: str
    data: bytes
    params: dict[str, Any]


class UploadStore:
    def __init__(self, kind: str) -> None:
        self.kind = kind

    def save(self, *, user, data: bytes, filename: str, params: dict[str, Any]) -> str:
        self.purge()
        upload = UnggahanSementara(
            id=secrets.token_urlsafe(32),
            jenis=self.kind,
            user=user,
            nama_berkas=filename[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            parameter=params,
            data=data,
        )
        upload.save(force_insert=True)
        return upload.id

    def load(self, upload_id: str, *, user) -> StagedUpload | None:
        if not isinstance(upload_id, str) or not _UPLOAD_ID.fullmatch(upload_id):
            return None
        since = timezone.now() - datetime.timedelta(seconds=UPLOAD_MAX_AGE)
        upload = UnggahanSementara.objects.filter(
            pk=upload_id, jenis=self.kind, user_id=user.pk, dibuat_pada__gte=since
        ).first()
        if upload is None:
            return None
        data = bytes(upload.data)
        if not secrets.compare_digest(hashlib.sha256(data).hexdigest(), upload.sha256):
            return None
        return StagedUpload(id=upload.id, filename=upload.nama_berkas, data=data, params=upload.parameter)

    def delete(self, upload_id: str) -> None:
        UnggahanSementara.objects.filter(pk=upload_id, jenis=self.kind).delete()

    def delete_on_commit(self, upload_id: str) -> None:
        """Delete once the import is committed; a rolled-back import keeps its upload."""
        transaction.on_commit(lambda: self.delete(upload_id))

    @staticmethod
    def purge(max_age: float = UPLOAD_MAX_AGE) -> None:
        UnggahanSementara.objects.filter(dibuat_pada__lt=timezone.now() - datetime.timedelta(seconds=max_age)).delete()
