"""The Perjanjian Kinerja (PK): each official's yearly agreement with the superior, generated
from the agency's approved tree (one PK per structural unit), agreed (submitted by the pihak
pertama, approved or returned by the pihak kedua), then frozen, rendered, signed and stored as
an issued document (``Dokumen.Jenis.PERJANJIAN_KINERJA``)."""
