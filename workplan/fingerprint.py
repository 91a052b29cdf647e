"""A fingerprint of the work plan's rows, to key cached renderings of it (issue 8's load targets).

The work-plan table is the same for every reader and changes only when the plan does (an import,
an amendment, an edit in the admin), yet rendering it was most of the page's cost. Instead of
invalidating on save (bulk updates and raw SQL would slip past a signal), the key is an MD5 of
every row of the tables the table shows, computed by PostgreSQL in one query of about a
millisecond (a few hundred rows): any change to any column of any row gives a new key. The key
also carries a token drawn when the process starts: a deploy restarts every process, so a changed
template or translation catalogue never meets a fragment rendered by the code before it (the
cached template loader makes the same assumption).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Model

from core.pagecache import PROCESS_TOKEN
from workplan.models import Activity, Agreement, Organization, Program, Responsibility, ResponsibleUnit

PLAN_MODELS: tuple[type[Model], ...] = (Agreement, Program, Activity, Responsibility, ResponsibleUnit, Organization)


def plan_fingerprint(*, also: tuple[type[Model], ...] = ()) -> str:
    """MD5 of the agreement, programs, activities, responsibilities, units and organizations (and of
    the tables of ``also``, e.g. the yearly statuses the matrix shows), per process."""
    tables = [connection.ops.quote_name(model._meta.db_table) for model in (*PLAN_MODELS, *also)]
    rows = "coalesce((SELECT array_agg(t ORDER BY t.id)::text FROM {} t), '')"  # every column of every row
    parts = ", ".join(rows.format(table) for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT md5(concat_ws('|', {parts}))")
        return f"{PROCESS_TOKEN}-{cursor.fetchone()[0]}"
