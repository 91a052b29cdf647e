"""The annex listing: whole cases per page, the header line on each, long values wrapped in their column."""

from __future__ import annotations

from evaluation.annex import annex_pages

CASE = ["PT Alfa Sentosa", "BN000001", "Kota Administrasi Jakarta Selatan", "PWBD", "Denda", "4 Februari 2025", ""]


def test_every_page_starts_with_the_header_and_numbers_run_through():
    pages = annex_pages([CASE] * 7, first=2, per_page=3)
    assert [[case.number for case in page.cases] for page in pages] == [[1, 2], [3, 4, 5], [6, 7]]
    assert all(page.head.split()[:3] == ["No", "Pemberi", "kerja"] for page in pages)
    assert pages[1].cases[0].text.split()[:3] == ["3", "PT", "Alfa"]


def test_a_long_value_wraps_in_its_column_and_its_case_is_never_split_across_pages():
    long_name = "PT " + "Sangat Panjang Sekali " * 4 + "Akhir"
    pages = annex_pages([CASE, [long_name, *CASE[1:]], CASE], first=3, per_page=4)
    wrapped = pages[1].cases[0]
    lines = wrapped.text.split("\n")
    assert [case.number for case in pages[0].cases] == [1] and wrapped.number == 2 and len(lines) == 3
    column = lines[0].index("PT")  # every continuation line starts in the name's column
    assert all(not line[:column].strip() and line[column] != " " for line in lines[1:])
    assert " ".join(" ".join(line[column : column + 34].split()) for line in lines) == long_name
    assert "Jakarta Selatan" in lines[0] and "4 Februari 2025" in lines[0]


def test_columns_line_up_and_fit_the_landscape_page():
    pages = annex_pages([CASE, ["CV B", "BN2", "Jakarta Timur", "PWBD", "Pembinaan", "1 Maret 2025", "e-1/PN"]])
    first, second = (case.text for case in pages[0].cases)
    assert first.index("BN000001") == second.index("BN2") == pages[0].head.index("NPP")
    assert max(len(line) for page in pages for line in [page.head, *(c.text for c in page.cases)]) <= 191
