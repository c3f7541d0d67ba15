import re
from pathlib import Path

import pytest

from scraper.errors import SitesError
from scraper.sites import load_sites, site_for_url


def test_packaged_sites_load_and_own_their_hosts() -> None:
    sites = load_sites()
    names = [s.name for s in sites]
    assert len(names) == len(set(names))
    thanhuy = site_for_url(sites, "https://hcmcpv.org.vn/tin-tuc/abc-1491907111")
    assert thanhuy is not None and thanhuy.name == "thanhuytphcm"
    assert site_for_url(sites, "https://example.org/a") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[site]]\nhosts=['a.vn']\nstart=['https://a.vn/']\n", "'name'"),
        ("[[site]]\nname='a'\nstart=['https://a.vn/']\n", "'hosts' is required"),
        ("[[site]]\nname='a'\nhosts=['a.vn']\nstart=['ftp://a.vn/']\n", "not http(s)"),
        ("[[site]]\nname='a'\nhosts=['a.vn']\nstart=['https://a.vn/']\ndelay=-1\n", "'delay'"),
        (
            "[[site]]\nname='a'\nhosts=['a.vn']\nstart=['https://a.vn/']\narticle_url='('\n",
            "not a valid regex",
        ),
        (
            "[[site]]\nname='a'\nhosts=['a.vn']\nstart=['https://a.vn/']\n[site.selectors]\ntitel='h1'\n",
            "unknown selector 'titel'",
        ),
        ("[[site]\n", "not valid TOML"),
        ("[[site]]\nname='a'\nhosts=['a.vn']\nstart=['https://a.vn/']\ngatee=false\n", "unknown key 'gatee'"),
        ("[[site]]\nname='a'\nhosts=['a.vn']\nstart=['https://a.vn/']\ngate='no'\n", "'gate' must be true"),
    ],
)
def test_bad_sites_files_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SitesError, match=re.escape(message)):
        load_sites(path)


def test_missing_sites_file(tmp_path: Path) -> None:
    with pytest.raises(SitesError, match="not found"):
        load_sites(tmp_path / "nope.toml")
