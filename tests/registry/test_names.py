import pytest

from registry.names import normalize_company_name, normalize_nib, normalize_npp, normalize_npwp


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("PT. Maju Jaya Abadi, Tbk.", "maju jaya abadi"),
        ("P.T. MAJU-JAYA ABADI", "maju jaya abadi"),
        ("Maju Jaya Abadi (Persero)", "maju jaya abadi"),
        ("CV Karya & Sentosa", "karya dan sentosa"),
        ("  Kopi   Kenangan  ", "kopi kenangan"),
        ("PT Ceria Ásia", "ceria asia"),
        ("PT", ""),
    ],
)
def test_company_names_lose_legal_form_case_and_punctuation(raw, expected):
    assert normalize_company_name(raw) == expected


def test_a_name_that_merely_contains_a_legal_form_keeps_it():
    assert normalize_company_name("PT Ptolemy Cvetkovic") == "ptolemy cvetkovic"


def test_identifiers_are_canonical_text():
    assert normalize_npp(" jj 012345 ") == "JJ012345"
    assert normalize_nib("9120-0012 34567") == "9120001234567"
    assert normalize_npwp("01.234.567.8-901.000") == "0012345678901000"
    assert normalize_npwp("0012345678901000") == "0012345678901000"
