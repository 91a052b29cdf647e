"""The name-matching decisions move from dataexchange to the shared registry, rows kept.

The table ``dataexchange_matchdecision`` (dataexchange 0006) becomes registry's model in the
state only, then is renamed to ``registry_matchdecision``; PostgreSQL keeps its rows, indexes,
constraints and the foreign key from ``dataexchange_reviewitem`` (which follows the table).
dataexchange 0007 drops its copy of the model from the state.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_drop_employer_name_trigram_gist"),
        ("dataexchange", "0006_company_matching_review_queue"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MatchDecision",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name_key", models.CharField(max_length=300, verbose_name="nama ternormalisasi")),
                        (
                            "decided_at",
                            models.DateTimeField(default=django.utils.timezone.now, verbose_name="diputuskan"),
                        ),
                        (
                            "decided_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "employer",
                            models.ForeignKey(
                                blank=True,
                                help_text="Kosong: bukan perusahaan yang diusulkan (perusahaan baru).",
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="registry.employer",
                            ),
                        ),
                        (
                            "region",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="registry.region"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "keputusan pemadanan perusahaan",
                        "verbose_name_plural": "keputusan pemadanan perusahaan",
                        "db_table": "dataexchange_matchdecision",
                        "constraints": [
                            models.UniqueConstraint(fields=("name_key", "region"), name="decision_once_per_name_region")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="matchdecision", table=None),
    ]
