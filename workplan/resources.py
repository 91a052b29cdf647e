"""django-import-export column maps for the work plan's reference data (used by the admin).

Rows are matched by natural keys (a unit's short name, a program's number, an activity's
program number and letter), never by database ids, so a file exported from one server
imports into another. Quarterly reports are not importable: they change only through their workflow.
"""

from __future__ import annotations

from typing import Any

from import_export import fields, resources, widgets

from workplan.models import Activity, Agreement, FundingSource, Organization, Program, ResponsibleUnit


class OrganizationResource(resources.ModelResource):
    parent = fields.Field(
        attribute="parent", column_name="parent", widget=widgets.ForeignKeyWidget(Organization, field="short_name")
    )
    aliases = fields.Field(attribute="aliases", column_name="aliases", widget=widgets.SimpleArrayWidget(separator=";"))

    class Meta:
        model = Organization
        import_id_fields = ["short_name"]
        fields = ["short_name", "name", "institution", "kind", "parent", "aliases", "email", "is_active"]
        skip_unchanged = True
        report_skipped = True


class FundingSourceResource(resources.ModelResource):
    class Meta:
        model = FundingSource
        import_id_fields = ["name"]
        fields = ["name"]
        skip_unchanged = True


class ProgramResource(resources.ModelResource):
    agreement = fields.Field(
        attribute="agreement", column_name="agreement", widget=widgets.ForeignKeyWidget(Agreement, field="number")
    )

    class Meta:
        model = Program
        import_id_fields = ["agreement", "number"]
        fields = ["agreement", "number", "title"]
        skip_unchanged = True


class ActivityResource(resources.ModelResource):
    """Activities, exported with their program number; on import the program must already exist."""

    program = fields.Field(
        attribute="program", column_name="program", widget=widgets.ForeignKeyWidget(Program, field="number")
    )
    years = fields.Field(attribute="years", column_name="years", widget=widgets.SimpleArrayWidget(separator=";"))
    funding = fields.Field(attribute="funding", column_name="funding", widget=widgets.SimpleArrayWidget(separator=";"))

    class Meta:
        model = Activity
        import_id_fields = ["program", "letter"]
        fields = ["program", "letter", "title", "location", "funding", "years", "output", "outcome"]
        skip_unchanged = True

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        # The array widget gives strings; the column holds whole years.
        if row.get("years"):
            row["years"] = ";".join(str(int(year)) for year in str(row["years"]).split(";") if year.strip())


class ResponsibleUnitResource(resources.ModelResource):
    """Read-only listing of who is responsible for what (the annex's columns 7 and 10), for export."""

    activity = fields.Field(column_name="activity")
    side = fields.Field(attribute="responsibility__side", column_name="side")
    organization = fields.Field(attribute="organization__short_name", column_name="organization")

    class Meta:
        model = ResponsibleUnit
        fields = ["activity", "side", "position", "organization"]

    def dehydrate_activity(self, unit: ResponsibleUnit) -> str:
        return unit.responsibility.activity.code
