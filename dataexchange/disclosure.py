"""Pasal 10: exchanged data leaves the two parties' own units only with the other party's written consent.

Every export of exchanged data asks who it is for (:class:`dataexchange.forms.ExportForm`). For the
parties' own units nothing changes; for a third party the recipient is named and the export is
refused unless :func:`clauses.services.disclosure_allowed` finds a consent on record for that
recipient and dataset, valid today. The dataset codes are the ones the consent register uses
(``bpu-2e``, ``kpj-2d``, ``perusahaan-2a``...).
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext as _

from clauses.services import disclosure_allowed
from dataexchange.models import Stream

logger = logging.getLogger(__name__)
DATASET_PREFIX = {"2a": "perusahaan", "2b": "pelaporan", "2c": "perusahaan", "2d": "kpj", "2e": "bpu", "2f": "csr"}


class DisclosureRefused(Exception):
    """No written consent on record for this recipient and dataset; ``message`` is Indonesian."""

    def __init__(self, message: str, *, dataset: str, recipient: str) -> None:
        super().__init__(message)
        self.message, self.dataset, self.recipient = message, dataset, recipient


def dataset_code(stream: Stream) -> str:
    return f"{DATASET_PREFIX.get(stream.code, 'data')}-{stream.code}"


def disclosure_check(*, stream: Stream, recipient: str, by: Any) -> None:
    """Raise :class:`DisclosureRefused` unless the third party ``recipient`` may receive the stream's data."""
    dataset = dataset_code(stream)
    if not disclosure_allowed(agreement=stream.agreement, recipient=recipient, dataset=dataset):
        message = _(
            "Ekspor untuk pihak ketiga %(recipient)s ditolak: belum ada persetujuan tertulis yang tercatat untuk "
            "data %(dataset)s (Pasal 10 Nota Kesepakatan). Data yang dipertukarkan hanya boleh diberikan kepada "
            "pihak ketiga dengan persetujuan tertulis PIHAK lainnya."
        ) % {"recipient": recipient, "dataset": dataset}
        raise DisclosureRefused(message, dataset=dataset, recipient=recipient)
    logger.info("third-party export of %s to %r by %s", dataset, recipient, getattr(by, "pk", None))
