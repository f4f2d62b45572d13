"""No schema change: the step of the bounded-input change (issue 10) for this app, kept so that
later migrations can follow it under the name the issue gave it.

Every text field people or files fill here (agency nama, pemda, tempat; unit nama; official
nama, jabatan) is already a CharField with max_length: full_clean(), the admin forms (the
browser's maxlength) and the organisation import (each cell through the field's clean()) all
refuse longer text, and PostgreSQL's varchar does too. Only the tree's uraian and the workflow's
catatan were unbounded TextFields (pohon 0005_bounded_text).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dinas", "0001_initial"),
    ]

    operations = []
