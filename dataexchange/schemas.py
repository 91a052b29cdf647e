"""The data contract of every stream: the annex's six exchanges and BPJS's membership extract.

Columns are declared with the shared pipeline's :class:`core.tabular.Column` (the MoU's own words
as the label, the spellings people use as aliases); ``dataexchange.seed`` freezes each version in
a :class:`dataexchange.models.SchemaVersion` row. A change of columns is a new version here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from core.tabular import Column

MEMBERSHIP = "kepesertaan"  # the schema key of BPJS's membership extract (not an annex row)

NAME = Column("name", "Nama", aliases=("Nama Lengkap", "Nama Pekerja", "Nama Peserta", "Nama Sesuai KTP"))
NIK = Column("nik", "NIK", aliases=("Nomor Induk Kependudukan", "No. NIK", "No NIK", "NIK KTP"))
PHONE = Column(
    "phone",
    "Nomor Handphone",
    aliases=("Nomor HP", "No. HP", "No HP", "HP", "No. Handphone", "Nomor Telepon", "No. Telp", "Telepon", "WA"),
    required=False,
)
COMPANY = Column("company", "Nama Perusahaan", aliases=("Perusahaan", "Nama Badan Usaha", "Nama PT"))
ADDRESS = Column("address", "Alamat Perusahaan", aliases=("Alamat",))
CITY = Column("city", "Wilayah Kota", aliases=("Kota", "Kota/Kabupaten", "Kabupaten/Kota", "Wilayah", "Kode Wilayah"))
NPP = Column("npp", "NPP", aliases=("Nomor Pendaftaran Perusahaan", "No. NPP"), required=False)
NIB = Column("nib", "NIB", aliases=("Nomor Induk Berusaha",), required=False)
NPWP = Column("npwp", "NPWP", aliases=("NPWP Perusahaan",), required=False)
STATUS = Column("status", "Status Kepesertaan", aliases=("Status", "Status Aktif", "Aktif/Non Aktif"))
WAGE = Column("wage", "Upah Dilaporkan", aliases=("Upah", "Upah yang Dilaporkan", "Total Upah"))
PIC = Column("pic", "Kontak PIC", aliases=("PIC", "Nama PIC", "Kontak PIC Perusahaan", "Telepon PIC"))
EMAIL = Column("email", "Email Perusahaan", aliases=("Email", "E-mail", "Surel"))
WORKERS = Column("workers", "Jumlah Pekerja Terdaftar", aliases=("Jumlah Pekerja", "Jumlah Tenaga Kerja", "Jumlah TK"))
LAST_PAID = Column(
    "last_paid", "Bulan Iuran Terakhir", aliases=("Iuran Terakhir", "Bulan Bayar Terakhir", "Last Paid"), required=False
)


@dataclass(frozen=True)
class StreamSpec:
    """How the annex describes one exchange, and the contract the app holds it to."""

    code: str
    title: str
    description: str
    senders: tuple[str, ...]  # Organization short names
    receiver: str
    cadence: str
    columns: tuple[Column, ...]
    personal_data: bool = False
    purpose: str = ""
    lawful_basis: str = ""
    version: int = 1
    valid_from: datetime.date = field(default=datetime.date(2025, 2, 4))


BPJS = "BPJS Kanwil DKI"
SEVEN_PLUS = (
    "DPPKUKM",
    "Disnakertransgi",
    "DKPKP",
    "Dishub",
    "Dispora",
    "Disparekraf",
    "Disbud",
    "Dinsos",
    "DPPAPP",
    "Diskominfotik",
)
COMPANY_COLUMNS = (NPP, NIB, NPWP, COMPANY, ADDRESS, CITY, STATUS, WAGE, PIC, EMAIL)
# 2d from version 2: one row per Kartu Pekerja Jakarta holder (dataexchange.kpj reconciles them); the NIK is
# kept only as a token and a mask (dataexchange.privacy.nik_stored). A row without it is a company row as in 2a.
KPJ_NIK = Column("nik", "NIK Pemegang KPJ", aliases=("NIK", "NIK KPJ", "NIK Pekerja", "Nomor Induk Kependudukan"),
                 required=False)  # fmt: skip
KPJ_NAME = Column("name", "Nama Pemegang KPJ", aliases=("Nama", "Nama Pekerja", "Nama Pemegang Kartu"), required=False)
PIC_PURPOSE = "Pelaksanaan Kegiatan Strategis Daerah dan program Kartu Pekerja Jakarta (Lampiran baris 2a/2d)."

STREAMS: tuple[StreamSpec, ...] = (
    StreamSpec(
        "2a",
        "Data perusahaan untuk Kegiatan Strategis Daerah",
        "Status aktif/non aktif kepesertaan, upah yang dilaporkan, nama, alamat, wilayah kota, kontak PIC "
        "dan email perusahaan, setiap 3 bulan.",
        (BPJS,),
        "Disnakertransgi",
        "triwulanan",
        COMPANY_COLUMNS,
        personal_data=True,
        purpose=PIC_PURPOSE,
        lawful_basis="20_2_e",
    ),
    StreamSpec(
        "2b",
        "Pelaporan aspek ketenagakerjaan kepada Kementerian/Lembaga",
        "Data untuk laporan kepada Kementerian dan/atau Lembaga Negara, sewaktu-waktu.",
        (BPJS,),
        "Disnakertransgi",
        "sewaktu_waktu",
        (
            Column("indicator", "Indikator", aliases=("Uraian",)),
            Column("value", "Nilai", aliases=("Jumlah",)),
            Column("unit", "Satuan", required=False),
            Column("note", "Keterangan", required=False),
        ),
    ),
    StreamSpec(
        "2c",
        "Satu Data Indonesia (SDI)",
        "Nama perusahaan, alamat dan wilayah kota, jumlah pekerja terdaftar; diterbitkan hanya sebagai agregat.",
        (BPJS,),
        "Diskominfotik",
        "sewaktu_waktu",
        (NPP, COMPANY, ADDRESS, CITY, WORKERS),
    ),
    StreamSpec(
        "2d",
        "Rekonsiliasi data penerima Kartu Pekerja Jakarta (KPJ)",
        "Data yang sama dengan 2a untuk rekonsiliasi penerima KPJ, setiap 3 bulan.",
        (BPJS,),
        "Disnakertransgi",
        "triwulanan",
        (KPJ_NIK, KPJ_NAME, *COMPANY_COLUMNS),
        personal_data=True,
        purpose=PIC_PURPOSE,
        lawful_basis="20_2_e",
        version=2,
    ),
    StreamSpec(
        "2e",
        "Data pekerja bukan penerima upah (BPU)",
        "Nama, NIK dan Nomor Handphone (jika tersedia) dari perangkat daerah; BPJS mengidentifikasi status "
        "kepesertaan dan mendorong pendaftaran.",
        SEVEN_PLUS,
        BPJS,
        "sewaktu_waktu",
        (NAME, NIK, PHONE),
        personal_data=True,
        purpose="Identifikasi status kepesertaan Jaminan Sosial Ketenagakerjaan pekerja bukan penerima upah "
        "(Lampiran baris 2e); tidak untuk tujuan lain.",
        lawful_basis="20_2_e",
    ),
    StreamSpec(
        "2f",
        "Data Corporate Social Responsibility dan filantropi",
        "Program CSR dan filantropi yang mendukung perlindungan tenaga kerja, dari BPJS kepada Disnakertransgi.",
        (BPJS,),
        "Disnakertransgi",
        "sewaktu_waktu",
        (
            Column("program", "Nama Program", aliases=("Program",)),
            COMPANY,
            Column("amount", "Nilai (Rp)", aliases=("Nilai", "Anggaran", "Nilai Rupiah")),
            Column("location", "Lokasi", required=False),
            Column("year", "Tahun"),
        ),
    ),
)

MEMBERSHIP_COLUMNS = (NIK, STATUS, LAST_PAID)


def spec_for(code: str) -> StreamSpec:
    return next(spec for spec in STREAMS if spec.code == code)


def columns_json(columns: tuple[Column, ...]) -> list[dict[str, Any]]:
    return [{"key": c.key, "label": c.label, "aliases": list(c.aliases), "required": c.required} for c in columns]


def columns_from_json(data: list[dict[str, Any]]) -> tuple[Column, ...]:
    return tuple(Column(d["key"], d["label"], aliases=tuple(d["aliases"]), required=d["required"]) for d in data)
