"""The Pemda's own tree (RPJMD): Visi -> Misi -> Tujuan Pemda -> Sasaran Pemda (-> Tematik ->
Sub Tematik) with the IKU's targets for each year of the period.

The tree itself is an ordinary ``pohon.Pohon`` owned by the Pemda's owner record (a
``PerangkatDaerah`` of jenis pemda, ``dinas.services.pemda_pemilik_ensure``), so the editor,
history, workflow, signing, import/export and copy serve it unchanged; this package adds what
only the Pemda tree has: the yearly targets (``models.TargetTahunan``), the reads that find a
Pemda's tree for a year (``selectors``) and the Pemda's entry page (``views``).
"""
