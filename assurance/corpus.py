"""A generated corpus of malformed uploads, per upload path.

``samples(path)`` yields :class:`Sample` files for one of ``PATHS``: the data-exchange 2e list, the
non-compliance list, the work-plan (annex) import and evidence files. Each tabular path gets the
same families of damage, applied to a small valid file of its own columns; evidence files get the
non-tabular ones. Nothing here touches the database: ``tests/assurance/test_corpus.py`` feeds the
files to each path's view or service and counts what happened.
"""

from __future__ import annotations

import codecs
import datetime
import io
import random
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from openpyxl import Workbook

FIXED_TIME = datetime.datetime(2025, 2, 4, 9, 0)  # noqa: DTZ001 - openpyxl writes naive document times
ZIP_TIME = (2025, 2, 4, 9, 0, 0)
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*<")
PATHS = ("exchange", "compliance", "workplan", "evidence")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NIKS = ["3171014107850001", "3172025503900002", "3173031212800003"]

HEADERS: dict[str, list[str]] = {
    "exchange": ["Nama", "NIK", "No. HP"],
    "compliance": [
        "NPP",
        "Nama Perusahaan",
        "NIB",
        "NPWP",
        "Alamat",
        "Kota",
        "Kategori",
        "TK Terdaftar",
        "TK Seharusnya",
        "Tunggakan",
        "Periode",
        "Tanggal Teguran 1",
        "Tanggal Teguran 2",
    ],
    "workplan": ["No", "Kegiatan", "Pihak Kesatu", "Pihak Kedua", "Sumber Dana", "Output", "Outcome", "2025"],
}
ROWS: dict[str, list[list[str]]] = {
    "exchange": [["Budi", NIKS[0], "081234567890"], ["Siti", NIKS[1], ""], ["Agus", NIKS[2], "0813-1111-2222"]],
    "compliance": [
        ["JJ000001", "PT Alfa", "", "", "Jl. Satu", "Jakarta Timur", "PWBD", "1", "5", "", "2025-06", "", ""],
        ["JJ000002", "PT Beta", "", "", "Jl. Dua", "Jakarta Barat", "PDS Upah", "2", "9", "", "2025-06", "", ""],
    ],
    "workplan": [["1", "Sosialisasi", "Disnakertransgi", "BPJS Kanwil DKI", "APBD", "Materi", "Paham", "v"]],
}


@dataclass(frozen=True)
class Sample:
    path: str
    family: str
    name: str
    content: bytes
    content_type: str
    tabular: bool = True


def csv_bytes(header: list[str] | None, rows: list[list[str]], *, sep: str = ",", encoding: str = "utf-8") -> bytes:
    lines = ([sep.join(header)] if header else []) + [sep.join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding, errors="replace")


def xlsx_bytes(
    header: list[str] | None, rows: Sequence[Sequence[object]], *, sheets: int = 1, empty_first: bool = False
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if empty_first:
        sheet.title = "Kosong"
        sheet = workbook.create_sheet("Data")
    for _ in range(sheets - 1):
        workbook.create_sheet()
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    # Fixed entry dates and document times (openpyxl stamps "modified" on save): the same bytes every run.
    return rezip(buffer.getvalue(), lambda name, data: STAMP.sub(rb"\g<1>2025-02-04T09:00:00Z<", data))


def rezip(base: bytes, change: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None) -> bytes:
    """Rewrite an XLSX's parts: ``change(name, data)`` returns new data, or None to drop the part."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = change(item.filename, source.read(item.filename))
            if data is not None:
                target.writestr(zipfile.ZipInfo(item.filename, ZIP_TIME), data, zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            target.writestr(zipfile.ZipInfo(name, ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def replace_part(base: bytes, part: str, data: bytes) -> bytes:
    return rezip(base, lambda name, old: data if name == part else old)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10)
    )
    + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
    b'<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
    b'<c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
)


def million_empty_rows_xlsx(header: list[str]) -> bytes:
    cells = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(header))
    body = "".join(f'<row r="{n}"/>' for n in range(2, 1_000_002))
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main"><sheetData><row r="1">{cells}</row>{body}</sheetData></worksheet>'
    )
    return replace_part(xlsx_bytes(header, []), "xl/worksheets/sheet1.xml", sheet.encode())


def zip_bomb_xlsx(header: list[str]) -> bytes:
    """A sheet part of 200 MB of spaces: tiny compressed, refused from the zip directory alone."""
    out = io.BytesIO()
    base = xlsx_bytes(header, [])
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                info = zipfile.ZipInfo(item.filename, ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                with target.open(info, "w", force_zip64=True) as handle:
                    handle.write(source.read(item.filename)[:-30])
                    chunk = b" " * (1 << 20)
                    for _ in range(200):
                        handle.write(chunk)
                    handle.write(b"</sheetData></worksheet>")
            else:
                target.writestr(zipfile.ZipInfo(item.filename, ZIP_TIME), source.read(item.filename))
    return out.getvalue()


def many_entries_zip(header: list[str]) -> bytes:
    return rezip(xlsx_bytes(header, []), lambda n, d: d, {f"xl/media/x{i}.bin": b"x" for i in range(2000)})


def nested_zip() -> bytes:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("a.txt", ZIP_TIME), b"0" * (20 << 20), zipfile.ZIP_DEFLATED)
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(5):
            archive.writestr(zipfile.ZipInfo(f"inner{i}.zip", ZIP_TIME), inner.getvalue(), zipfile.ZIP_DEFLATED)
    return outer.getvalue()


def corrupt(data: bytes, seed: int, flips: int = 40) -> bytes:
    rng = random.Random(seed)  # noqa: S311 - reproducible damage, not secrecy
    buffer = bytearray(data)
    for _ in range(flips):
        position = rng.randrange(len(buffer) // 4, len(buffer))
        buffer[position] = rng.randrange(256)
    return bytes(buffer)


def _tabular(path: str) -> Iterator[tuple[str, str, bytes]]:
    """(family, file name, bytes) for every damage a list can carry."""
    header, rows = HEADERS[path], ROWS[path]
    good_xlsx, good_csv = xlsx_bytes(header, rows), csv_bytes(header, rows)
    width = len(header)
    for cut in (0.05, 0.3, 0.5, 0.8, 0.95, 0.99):
        yield "truncated xlsx", f"potong-{int(cut * 100)}.xlsx", good_xlsx[: int(len(good_xlsx) * cut)]
    for seed in range(12):
        yield "corrupt xlsx", f"rusak-{seed}.xlsx", corrupt(good_xlsx, seed)
    yield "corrupt xlsx", "tanpa-sheet.xlsx", rezip(good_xlsx, lambda n, d: None if "worksheets" in n else d)
    yield "corrupt xlsx", "tanpa-workbook.xlsx", rezip(good_xlsx, lambda n, d: None if n == "xl/workbook.xml" else d)
    yield "corrupt xlsx", "sheet-bukan-xml.xlsx", replace_part(good_xlsx, "xl/worksheets/sheet1.xml", b"\x00\xffjunk")
    yield (
        "corrupt xlsx",
        "shared-strings-rusak.xlsx",
        rezip(good_xlsx, lambda n, d: d, {"xl/sharedStrings.xml": b"<sst"}),
    )
    yield "corrupt xlsx", "zip-kosong.xlsx", b"PK\x05\x06" + b"\x00" * 18
    yield "corrupt xlsx", "teks-berekstensi.xlsx", good_csv
    for encoding in ("utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252", "cp500", "shift_jis"):
        accented = [[cell + ("é" if i == 0 else "") for i, cell in enumerate(row)] for row in rows]
        yield "wrong encoding", f"enc-{encoding}.csv", csv_bytes(header, accented, encoding=encoding)
    yield "wrong encoding", "utf8-bom.csv", codecs.BOM_UTF8 + good_csv
    yield "wrong encoding", "utf8-invalid.csv", good_csv.replace(b"\n", b"\xc3\x28\n", 2)
    for name, sep in (("titik-koma", ";"), ("tab", "\t"), ("pipa", "|"), ("spasi", " "), ("titik", ".")):
        yield "wrong delimiter", f"pemisah-{name}.csv", csv_bytes(header, rows, sep=sep)
    mixed = csv_bytes(header, rows).replace(b",", b";", 3)
    yield "wrong delimiter", "pemisah-campur.csv", mixed
    for i in range(min(width, 4)):
        yield (
            "missing header",
            f"tanpa-kolom-{i}.csv",
            csv_bytes(header[:i] + header[i + 1 :], [r[:i] + r[i + 1 :] for r in rows]),
        )
    yield "missing header", "tanpa-header.csv", csv_bytes(None, rows)
    yield "missing header", "tanpa-header.xlsx", xlsx_bytes(None, rows)
    yield "extra header", "kolom-tambahan.csv", csv_bytes([*header, "Catatan", "Lain"], [[*r, "x", "y"] for r in rows])
    yield "extra header", "kolom-ganda.csv", csv_bytes([*header, header[1]], [[*r, r[1]] for r in rows])
    yield "extra header", "sepuluh-ribu-kolom.csv", csv_bytes([*header, *(f"K{i}" for i in range(10_000))], rows)
    yield "renamed header", "header-typo.csv", csv_bytes([h[:-1] + "x" for h in header], rows)
    yield "renamed header", "header-huruf-besar.csv", csv_bytes([h.upper() for h in header], rows)
    yield "renamed header", "header-spasi.csv", csv_bytes([f"  {h}  " for h in header], rows)
    yield "renamed header", "header-baris-3.csv", csv_bytes(None, [["Judul laporan"], [""], header, *rows])
    yield "renamed header", "header-saja.csv", csv_bytes(header, [])
    yield "empty", "kosong.csv", b""
    yield "empty", "spasi-saja.csv", b"   \n\n \t\n"
    yield "empty", "kosong.xlsx", xlsx_bytes(None, [])
    yield "empty", "sheet-pertama-kosong.xlsx", xlsx_bytes(header, rows, empty_first=True)
    yield "empty", "banyak-sheet.xlsx", xlsx_bytes(header, rows, sheets=30)
    yield "million empty rows", "sejuta-baris-kosong.csv", csv_bytes(header, []) + b",\n" * 1_000_000
    yield "million empty rows", "sejuta-baris-kosong.xlsx", million_empty_rows_xlsx(header)
    yield "million empty rows", "sejuta-newline.csv", csv_bytes(header, rows) + b"\n" * 1_000_000
    yield "NUL bytes", "nul-sel.csv", csv_bytes(header, [[c + "\x00" for c in r] for r in rows])
    yield "NUL bytes", "nul-header.csv", csv_bytes([h + "\x00" for h in header], rows)
    yield "NUL bytes", "nul-semua.csv", b"\x00" * 4096
    yield (
        "NUL bytes",
        "nul-xlsx.xlsx",
        xlsx_bytes(header, [[c + "\x01" for c in r] for r in rows])
        if False
        else good_xlsx.replace(b"PK\x03\x04", b"PK\x03\x00", 1),
    )
    yield (
        "10 MB cell",
        "sel-9mb.csv",
        csv_bytes(header, [[("A" * (9 << 20)) if i == 0 else c for i, c in enumerate(rows[0])]]),
    )
    yield (
        "10 MB cell",
        "sel-11mb.csv",
        csv_bytes(header, [[("A" * (11 << 20)) if i == 0 else c for i, c in enumerate(rows[0])]]),
    )
    yield (
        "10 MB cell",
        "sel-besar.xlsx",
        xlsx_bytes(header, [[("B" * 32_000) if i == 0 else c for i, c in enumerate(rows[0])]]),
    )
    yield "10 MB cell", "baris-panjang-tanpa-newline.csv", b"A" * (5 << 20)
    for n, formula in enumerate(
        ["=1+1", '=HYPERLINK("http://x","klik")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "=cmd|'/c calc'!A1"]
    ):
        yield (
            "formula",
            f"rumus-{n}.csv",
            csv_bytes(header, [[formula if i == 0 else c for i, c in enumerate(r)] for r in rows]),
        )
    formula_rows: list[list[object]] = [[("=1+1" if i == 0 else c) for i, c in enumerate(r)] for r in rows]
    yield "formula", "rumus-asli.xlsx", xlsx_bytes(header, formula_rows)
    yield "formula", "rumus-ddeauto.xlsx", xlsx_bytes(header, [['=DDEAUTO("cmd")', *rows[0][1:]]])
    number_rows: list[list[object]] = [list(r) for r in rows]
    for r, nik in zip(number_rows, NIKS, strict=False):
        r[1 if path == "exchange" else 0] = int(nik)
    yield "NIK as number", "nik-angka.xlsx", xlsx_bytes(header, number_rows)
    yield (
        "NIK as number",
        "nik-float.xlsx",
        xlsx_bytes(header, [[float(c) if isinstance(c, int) else c for c in r] for r in number_rows]),
    )
    yield (
        "NIK as number",
        "nik-notasi-ilmiah.csv",
        csv_bytes(header, [[("3.17101E+15" if c in NIKS else c) for c in r] for r in rows]),
    )
    yield (
        "NIK with spaces",
        "nik-spasi.csv",
        csv_bytes(header, [[(f"{c[:6]} {c[6:12]} {c[12:]}" if c in NIKS else c) for c in r] for r in rows]),
    )
    yield (
        "NIK with spaces",
        "nik-strip.csv",
        csv_bytes(header, [[(f"{c[:6]}-{c[6:]}" if c in NIKS else c) for c in r] for r in rows]),
    )
    yield (
        "NIK with spaces",
        "nik-apostrof.csv",
        csv_bytes(header, [[(f"'{c}" if c in NIKS else c) for c in r] for r in rows]),
    )
    yield (
        "NIK with spaces",
        "nik-nbsp.csv",
        csv_bytes(header, [[(f"\u00a0{c}\u200b" if c in NIKS else c) for c in r] for r in rows]),
    )
    superscript = [[("¹²" if i == len(r) - 5 else c) for i, c in enumerate(r)] for r in rows]
    yield "unicode digits", "angka-superskrip.csv", csv_bytes(header, superscript)
    yield "unicode digits", "angka-arab.csv", csv_bytes(header, [[c.translate(ARABIC_DIGITS) for c in r] for r in rows])
    yield "duplicate rows", "baris-ganda.csv", csv_bytes(header, rows + rows)
    yield "duplicate rows", "baris-ganda-100.csv", csv_bytes(header, rows * 100)
    yield "duplicate rows", "baris-ganda.xlsx", xlsx_bytes(header, rows * 3)
    yield "zip bomb", "bom-zip.xlsx", zip_bomb_xlsx(header)
    yield "zip bomb", "bom-entri.xlsx", many_entries_zip(header)
    yield "zip bomb", "bom-bersarang.xlsx", nested_zip()
    yield "XML entity bomb", "billion-laughs.xlsx", replace_part(good_xlsx, "xl/worksheets/sheet1.xml", BILLION_LAUGHS)
    yield "XML entity bomb", "xxe.xlsx", replace_part(good_xlsx, "xl/worksheets/sheet1.xml", XXE)
    yield "XML entity bomb", "laughs-workbook.xlsx", replace_part(good_xlsx, "xl/workbook.xml", BILLION_LAUGHS)
    yield "XML entity bomb", "laughs-content-types.xlsx", replace_part(good_xlsx, "[Content_Types].xml", BILLION_LAUGHS)
    for name in ("../../../etc/passwd.csv", "..\\..\\windows\\win.ini.csv", "/etc/cron.d/x.csv", "daftar.csv.exe",
                 "daftar.xlsx.php", "daftar.exe", "daftar", ".csv", "d\u202egpj.csv", "a" * 300 + ".csv",
                 "daftar%00.csv", "CON.csv"):  # fmt: skip
        data = good_xlsx if name.endswith(".xlsx.php") else good_csv
        yield "hostile file name", name, data
    yield "wrong content", "pdf-berekstensi.csv", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF\n"
    yield "wrong content", "png-berekstensi.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    yield "wrong content", "html-berekstensi.csv", b"<html><script>alert(1)</script></html>\n"
    yield "wrong content", "exe-berekstensi.csv", b"MZ\x90\x00" + b"\x00" * 200
    yield "wrong content", "xls-lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    yield "wrong content", "ods.ods", b"PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
    yield "line endings", "crlf.csv", good_csv.replace(b"\n", b"\r\n")
    yield "line endings", "cr-saja.csv", good_csv.replace(b"\n", b"\r")
    yield "line endings", "kutip-tak-tertutup.csv", good_csv.replace(b"\n", b'\n"', 1)
    yield "line endings", "kutip-multibaris.csv", csv_bytes(header, [[f'"{c}\n{c}"' for c in r] for r in rows])


def _content_type(name: str, family: str, index: int) -> str:
    """The declared type: right for most, deliberately wrong for every fifth file."""
    if index % 5 == 0:
        return ["image/png", "application/x-msdownload", "text/html", "application/octet-stream"][index // 5 % 4]
    return XLSX if name.endswith(".xlsx") else "text/csv"


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def real_pdf(pages: int = 12) -> bytes:
    """A PDF that readers open: catalog, page tree, one text page each, a correct xref (about 3 KB)."""
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode()]
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i in range(pages):
        text = f"BT /F1 12 Tf 72 770 Td (Daftar hadir sosialisasi BPU, halaman {i + 1}) Tj ET".encode()
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {5 + 2 * i} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref, count = len(out), len(objects) + 1  # entry 0 is the free list's head
    out += b"xref\n0 %d\n0000000000 65535 f \n" % count
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count, xref)
    return bytes(out)


def _evidence() -> Iterator[tuple[str, str, bytes, str]]:
    """Non-tabular damage for evidence files: (family, name, bytes, content type)."""
    office = xlsx_bytes(["a"], [["b"]])
    yield "truncated", "potong.pdf", PDF[:10], "application/pdf"
    whole = real_pdf()
    for cut in (0.3, 0.6, 0.9, 0.99):
        yield "truncated", f"potong-{int(cut * 100)}.pdf", whole[: int(len(whole) * cut)], "application/pdf"
    yield "truncated", "tanpa-eof.pdf", whole.removesuffix(b"%%EOF\n"), "application/pdf"
    yield "truncated", "potong.png", PNG[:6], "image/png"
    yield "truncated", "potong.xlsx", office[: len(office) // 2], XLSX
    for seed in range(4):
        yield "corrupt", f"rusak-{seed}.xlsx", corrupt(office, seed), XLSX
    for seed in range(4):
        yield "corrupt", f"rusak-{seed}.pdf", corrupt(whole, seed), "application/pdf"
    yield "empty", "kosong.pdf", b"", "application/pdf"
    yield "too large", "besar.pdf", PDF + b"0" * (11 << 20), "application/pdf"
    yield "wrong content", "exe.pdf", b"MZ\x90\x00" + b"\x00" * 64, "application/pdf"
    yield "wrong content", "html.pdf", b"<html><script>alert(1)</script>", "application/pdf"
    yield (
        "wrong content",
        "svg.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "image/png",
    )
    yield "wrong content", "gambar.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml"
    yield "wrong content", "skrip.js", b"alert(1)", "application/javascript"
    yield "wrong content", "pdf-sebagai-png.png", PDF, "image/png"
    yield "wrong content", "zip-biasa.docx", _zip({"a.txt": b"x"}), "application/zip"
    yield "wrong content", "makro.xlsm", rezip(office, lambda n, d: d, {"xl/vbaProject.bin": b"\xd0\xcf"}), XLSX
    yield "wrong content", "makro.docx", _zip({"[Content_Types].xml": b"<Types/>", "word/vbaProject.bin": b"x"}), XLSX
    yield "zip bomb", "bom.xlsx", zip_bomb_xlsx(["a"]), XLSX
    yield "zip bomb", "bom-entri.docx", many_entries_zip(["a"]), XLSX
    yield "zip bomb", "bom-bersarang.docx", nested_zip(), XLSX
    yield "XML entity bomb", "laughs.xlsx", replace_part(office, "[Content_Types].xml", BILLION_LAUGHS), XLSX
    yield "XML entity bomb", "xxe.xlsx", replace_part(office, "xl/worksheets/sheet1.xml", XXE), XLSX
    for name in ("../../../etc/passwd.pdf", "..\\..\\boot.ini.pdf", "/var/abs.pdf", "bukti.pdf.exe", "bukti.exe.pdf",
                 "bukti.php.pdf", "bukti", ".pdf", "bukti\u202efdp.exe", "a" * 300 + ".pdf", "bukti%00.pdf",
                 "<script>alert(1)</script>.pdf", "bukti.PDF", "NUL.pdf"):  # fmt: skip
        content = b"MZ\x90\x00" if name.endswith(".exe") else PDF + name.encode("utf-8", "replace")
        yield "hostile file name", name, content, "application/pdf"
    for n, declared in enumerate(("text/html", "application/x-msdownload", "image/svg+xml", "")):
        yield "wrong content type", f"tipe-{n}.pdf", PDF + bytes([n]), declared


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(zipfile.ZipInfo(name, ZIP_TIME), data)
    return out.getvalue()


def samples(path: str) -> Iterator[Sample]:
    if path == "evidence":
        for family, name, content, declared in _evidence():
            yield Sample(path, family, name, content, declared, tabular=False)
        return
    for index, (family, name, content) in enumerate(_tabular(path)):
        yield Sample(path, family, name, content, _content_type(name, family, index))


def corpus() -> Iterator[Sample]:
    for path in PATHS:
        yield from samples(path)


if __name__ == "__main__":
    from collections import Counter

    counts = Counter(sample.path for sample in corpus())
    print(dict(counts), sum(counts.values()))
