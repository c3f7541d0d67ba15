"""The one spelling of a cluster's owner: abbreviations, "UBND" before a place, heads and whole names."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from extract.systems import canonical_system, is_known_system, system_key


@pytest.mark.parametrize(
    ("variants", "canonical"),
    [
        (["tỉnh Lâm Đồng", "UBND tỉnh Lâm Đồng", "thuộc UBND tỉnh Lâm Đồng", "Lâm Đồng",
          "Uỷ ban nhân dân tỉnh Lâm Đồng"], "tỉnh Lâm Đồng"),
        (["TPHCM", "TP.HCM", "TP. HCM", "TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh", "thành phố Hồ Chí Minh",
          "UBND TP.HCM", "Hồ Chí Minh"], "thành phố Hồ Chí Minh"),
        (["LĐLĐ tỉnh Nghệ An", "Liên đoàn Lao động tỉnh Nghệ An"], "Liên đoàn Lao động tỉnh Nghệ An"),
        (["MTTQ tỉnh Cà Mau", "UBMTTQVN tỉnh Cà Mau", "Ủy ban MTTQ Việt Nam tỉnh Cà Mau",
          "Ủy ban Mặt trận Tổ quốc tỉnh Cà Mau", "Uỷ ban MTTQ tỉnh Cà Mau"],
         "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Cà Mau"),
        (["Ủy ban Trung ương MTTQ Việt Nam", "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", "MTTQ Việt Nam"],
         "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam"),
        (["TAND tỉnh An Giang", "Tòa án nhân dân tỉnh An Giang"], "Tòa án nhân dân tỉnh An Giang"),
        (["VKSND TP.HCM", "Viện kiểm sát nhân dân TPHCM"], "Viện kiểm sát nhân dân thành phố Hồ Chí Minh"),
        (["BCHQS tỉnh Nghệ An", "Bộ Chỉ huy Quân sự tỉnh Nghệ An"], "Bộ Chỉ huy Quân sự tỉnh Nghệ An"),
        (["CA tỉnh Nghệ An", "Công an tỉnh Nghệ An"], "Công an tỉnh Nghệ An"),
        (["Hội LHPN tỉnh Nghệ An", "Hội Liên hiệp Phụ nữ tỉnh Nghệ An"], "Hội Liên hiệp Phụ nữ tỉnh Nghệ An"),
        (["\u00d0à Nẵng", "TP Đà Nẵng", "Thành phố Đà Nẵng"], "thành phố Đà Nẵng"),  # Ð folded
        (["Ban Thi đua – Khen thưởng Trung ương", "Ban TĐKT Trung ương"],
         "Ban Thi đua - Khen thưởng Trung ương"),
    ],
)  # fmt: skip
def test_every_spelling_of_a_system_has_one_key(variants: list[str], canonical: str) -> None:
    assert {system_key(v) for v in variants} == {system_key(canonical)}
    assert canonical_system(variants[0]).casefold() == canonical.casefold()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("tỉnh Nghệ An", "tỉnh Hà Tĩnh"),
        ("Công an tỉnh Nghệ An", "tỉnh Nghệ An"),  # a body of a province is not the province
        ("Ca trưởng tỉnh Nghệ An", "Công an tỉnh Nghệ An"),  # "CA" only in capitals
        ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Cà Mau", "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam"),
    ],
)
def test_different_systems_keep_different_keys(a: str, b: str) -> None:
    assert system_key(a) != system_key(b)


def test_every_site_system_in_the_packaged_sites_file_resolves() -> None:
    data = tomllib.loads(resources.files("scraper").joinpath("sites.toml").read_text(encoding="utf-8"))
    unresolved = sorted({s["system"] for s in data["site"] if not is_known_system(s["system"])})
    assert len(data["site"]) > 10
    assert unresolved == []


def test_an_unknown_system_does_not_resolve() -> None:
    assert not is_known_system("Bộ Không Có Thật")
    assert not is_known_system("Cụm thi đua số 3")
