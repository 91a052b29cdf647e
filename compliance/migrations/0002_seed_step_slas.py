"""Starting values for the local SLAs of the sanction steps the law gives no time limit.

These are proposals (DOMAIN.md §1.3), not law: the secretariat edits them in the admin.
Verification follows the suggested 10 working days pending Permenaker 4/2018's text.
"""

from django.db import migrations

BASIS = "Usulan awal; sesuaikan dengan keputusan Disnakertransgi dan BPJS Ketenagakerjaan"
SLAS = [
    ("teridentifikasi", 10),
    ("pembinaan", 20),
    ("denda", 22),
    ("tmp2t_diajukan", 5),
    ("verifikasi", 10),
    ("rekomendasi_terbit", 10),
    ("pencabutan_diajukan", 5),
    ("dicabut", 5),
]


def seed_slas(apps, schema_editor):
    SanctionStepSLA = apps.get_model("compliance", "SanctionStepSLA")
    for status, days in SLAS:
        SanctionStepSLA.objects.get_or_create(status=status, defaults={"working_days": days, "basis": BASIS})


def remove_slas(apps, schema_editor):
    apps.get_model("compliance", "SanctionStepSLA").objects.filter(basis=BASIS).delete()


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_sanction_cases")]

    operations = [migrations.RunPython(seed_slas, remove_slas)]
