"""The exchange's review queue points to ``registry.MatchDecision`` (registry 0005 took the table over).

State only: the column and its foreign key stay as they are, the table they point to was renamed.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dataexchange", "0006_company_matching_review_queue"),
        ("registry", "0005_match_decision_from_dataexchange"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="reviewitem",
                    name="decision",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="registry.matchdecision",
                    ),
                ),
                migrations.DeleteModel(name="MatchDecision"),
            ],
            database_operations=[],
        ),
    ]
