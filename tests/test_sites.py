import re
from pathlib import Path

import pytest

from scraper.errors import SitesError
from scraper.sites import Site, load_sites, site_for_url


def test_packaged_sites_load_and_own_their_hosts() -> None:
    sites = load_sites()
    names = [s.name for s in sites]
    assert len(names) == len(set(names))
    thanhuy = site_for_url(sites, "https://hcmcpv.org.vn/tin-tuc/abc-1491907111")
    assert thanhuy is not None and thanhuy.name == "thanhuytphcm"
    assert site_for_url(sites, "https://example.org/a") is None


@pytest.mark.parametrize(
    ("hosts", "url", "owned"),
    [
        (("nld.com.vn",), "https://nld.com.vn/a", True),
        (("nld.com.vn",), "https://NLD.com.vn/a", True),
        (("nld.com.vn",), "https://www.nld.com.vn/a", True),
        (("nld.com.vn",), "https://m.nld.com.vn/a", True),
        (("www.nld.com.vn",), "https://nld.com.vn/a", True),
        (("nld.com.vn",), "https://nld.com.vn./a", True),  # a fully qualified name with its root dot
        (("nld.com.vn",), "https://user@nld.com.vn/a", True),
        (("nld.com.vn",), "https://tuoitre.vn/a", False),
        (("nld.com.vn",), "https://nld.com.vn.evil.example/a", False),
        (("nld.com.vn",), "https://thanhnien.nld.com.vn/a", False),  # a subdomain is another site
        (("127.0.0.1",), "http://127.0.0.1:8123/x", True),  # no port listed: every port
        (("127.0.0.1",), "http://127.0.0.1/x", True),
        (("127.0.0.1:8123",), "http://127.0.0.1:8123/x", True),
        (("127.0.0.1:8123",), "http://127.0.0.1:9000/x", False),  # a port listed: only that one
        (("127.0.0.1:8123",), "http://127.0.0.1/x", False),
        (("x.vn:443",), "https://x.vn/a", True),  # the scheme's default port is the URL's port
        (("x.vn:443",), "http://x.vn/a", False),
        (("a.vn", "b.vn"), "https://b.vn/a", True),
        (("a.vn",), "http://a.vn:abc/x", False),  # a malformed port is nobody's
        (("a.vn",), "/relative/path", False),
    ],
)
def test_a_site_owns_urls_by_host_name_and_listed_port(hosts: tuple[str, ...], url: str, owned: bool) -> None:
    site = Site(name="s", hosts=hosts, start=("https://a.vn/",))
    assert site.owns(url) is owned
    assert (site_for_url([site], url) is site) is owned


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
