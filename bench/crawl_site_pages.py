"""The bench site's pages (made-up text in the shapes of a VCCorp outlet), for ``bench/crawl_bench.py``.

``make_articles`` makes the articles (half with a cluster in title and slug), ``write_site`` writes
every page of the site under a folder: article pages of ~90 KB (inline scripts and a mega-menu, as
real pages carry), a section listing with timelinelist pagination, an RSS feed of the latest 50, a
sitemap index with two child sitemaps and robots.txt.
"""

# ruff: noqa: E501 - page templates read better unwrapped
from __future__ import annotations

import html
import random
from datetime import datetime, timedelta
from email.utils import formatdate
from pathlib import Path
from typing import Any

from scraper.text import ascii_words
from scraper.timezone import VN_TZ

PER_PAGE = 20
ZONE = 1961001
NEW_ON_REPEAT = 20

UNITS = [
    "Liên đoàn Lao động TPHCM",
    "Hội Nông dân TPHCM",
    "Thành đoàn TPHCM",
    "Hội Liên hiệp Phụ nữ TPHCM",
    "Ban Tuyên giáo Thành ủy",
    "Sở Giáo dục và Đào tạo",
    "Công an TPHCM",
    "Bộ Chỉ huy Quân sự TPHCM",
    "Tòa án nhân dân tỉnh An Giang",
    "Viện Kiểm sát nhân dân tỉnh Đồng Tháp",
]
PLACES = [
    "phường Bến Thành",
    "phường Sài Gòn",
    "xã Bình Chánh",
    "phường Tân Định",
    "phường Chợ Lớn",
    "xã Cần Giờ",
]
PEOPLE = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Minh Châu", "Phạm Quốc Dũng", "Võ Thị Hạnh", "Đặng Văn Khoa"]
AUTHORS = ["Thanh Nga", "Minh Khôi", "Bảo Trân", "Hoàng Minh", "Ngọc Ánh", "Lê Vĩnh"]
OTHER_TOPICS = [
    "khánh thành công trình nước sạch",
    "mở rộng tuyến xe buýt",
    "tổ chức ngày hội việc làm",
    "ra mắt mô hình dân vận khéo",
    "sửa chữa trường học trước năm học mới",
    "trồng cây xanh ven kênh",
]
SENTENCES = [
    "Sáng {d}, tại hội trường {place}, {unit} đã tổ chức hội nghị với sự tham dự của đại diện các đơn vị.",
    "Dự hội nghị có ông {person}, Phó Chủ tịch {unit}, cùng lãnh đạo các đơn vị thành viên.",
    "Các đơn vị thống nhất 5 nhóm chỉ tiêu chính, trong đó chú trọng chăm lo đời sống người lao động.",
    "Phát biểu tại hội nghị, bà {person} đề nghị tiếp tục đổi mới nội dung, hình thức tổ chức phong trào.",
    "Năm qua, {unit} đã vận động hơn {n} đoàn viên tham gia các hoạt động tình nguyện tại {place}.",
    "Nhiều cách làm hay được ghi nhận và nhân rộng, góp phần hoàn thành nhiệm vụ chính trị của địa phương.",
    "Dịp này, {n} tập thể và cá nhân có thành tích xuất sắc được tặng giấy khen.",
    "Hội nghị thống nhất chọn {place} là nơi tổ chức hoạt động chung vào quý tới.",
]


def make_articles(count: int, first: int = 0) -> list[dict[str, Any]]:
    """Made-up articles, newest first; index ``first`` onward (stable across calls)."""
    articles = []
    for i in range(first, first + count):
        rng = random.Random(i)
        when = datetime(2026, 3, 6, 16, 0, tzinfo=VN_TZ) - timedelta(hours=3 * i)
        unit = rng.choice(UNITS)
        if i % 2 == 0:
            title = f"Cụm thi đua số {i % 17 + 1} {unit} ký kết giao ước thi đua năm 2026"
            slug = f"cum-thi-dua-so-{i % 17 + 1}-ky-ket-giao-uoc-thi-dua-bai-{i}"
        else:
            topic = rng.choice(OTHER_TOPICS)
            title = f"{rng.choice(PLACES).capitalize()} {topic}"
            slug = f"dia-phuong-{ascii_words(topic).replace(' ', '-')}-bai-{i}"
        news_id = f"19626{i:013d}"
        paras = [
            rng.choice(SENTENCES).format(
                d=f"{when.day}-{when.month}",
                place=rng.choice(PLACES),
                unit=unit,
                person=rng.choice(PEOPLE),
                n=rng.randint(20, 3000),
            )
            for _ in range(rng.randint(8, 14))
        ]
        articles.append(
            {
                "i": i,
                "title": title,
                "path": f"/{slug}-{news_id}.htm",
                "when": when,
                "id": news_id,
                "author": rng.choice(AUTHORS),
                "lead": f"(NLĐO) - {paras[0]}",
                "paras": paras,
            }
        )
    return articles


SECTIONS = [
    ("thoi-su", "Thời sự"),
    ("kinh-te", "Kinh tế"),
    ("cong-doan", "Công đoàn"),
    ("phap-luat", "Pháp luật"),
    ("giao-duc", "Giáo dục"),
    ("y-te", "Y tế"),
    ("van-hoa", "Văn hóa"),
    ("the-thao", "Thể thao"),
    ("quoc-te", "Quốc tế"),
    ("ban-doc", "Bạn đọc"),
    ("an-sinh", "An sinh"),
    ("dia-phuong", "Địa phương"),
]
NAV = "\n".join(f'<a href="/{slug}.htm" title="{name}">{name}</a>' for slug, name in SECTIONS)
FOOTER = "\n".join(
    f'<div class="footer__col"><p class="footer__title">{name}</p>'
    + "".join(f'<a href="/{slug}/chuyen-muc-{k}.htm">Chuyên mục {name.lower()} {k}</a>' for k in range(1, 6))
    + "</div>"
    for slug, name in SECTIONS
)


# What brings a page to ~90 KB, as on real outlets: inline configuration scripts and a mega-menu.
PADDING = (
    "<script>var __zones = ["
    + ",".join(
        f'{{"id":{k},"slug":"chuyen-muc-{k}","name":"Chuyên mục {k}","parent":{k // 20},"ads":"slot-{k % 7}"}}'
        for k in range(560)
    )
    + "];</script>"
    + '<div class="mega-menu" hidden>'
    + "".join(f'<a href="/chuyen-muc-{k}.htm">Chuyên mục số {k} của bạn đọc</a>' for k in range(400))
    + "</div>"
)


def related_box(a: dict[str, Any]) -> str:
    """A "Tin liên quan" box with eight links to neighbouring articles, as VCCorp pages carry."""
    items = make_articles(8, first=a["i"] + 1)
    return (
        '<div class="box-related" data-role="newsrelation"><p class="box-related-title">Tin liên quan</p>'
        + "".join(
            f'<div class="box-category-item"><h3 class="box-category-title-text"><a class="box-category-link-title" '
            f'data-linktype="newsdetail" href="{r["path"]}" title="{html.escape(r["title"])}">{html.escape(r["title"])}</a></h3></div>'
            for r in items
        )
        + "</div>"
    )


def article_page(a: dict[str, Any], base: str) -> str:
    t = html.escape(a["title"])
    iso = a["when"].isoformat()
    body = "\n".join(f'<p style="text-align: justify;">{html.escape(p)}</p>' for p in a["paras"])
    figure = (
        f'<figure class="VCSortableInPreviewMode" type="Photo"><div><img src="{base}/media/{a["id"]}-1.jpg" '
        f'alt="{t} - Ảnh 1."></div><figcaption class="PhotoCMS_Caption"><p>Quang cảnh hội nghị - Ảnh: '
        f"{html.escape(a['author'].upper())}</p></figcaption></figure>"
    )
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>
<title>{t}</title><meta name="description" content="{html.escape(a["lead"])}">
<meta property="og:title" content="{t}"><meta property="og:type" content="article"/>
<link rel="canonical" href="{base}{a["path"]}"/>
<meta property="article:published_time" content="{iso}">
<script type="application/ld+json">{{"@context":"http://schema.org","@type":"NewsArticle","headline":"{t}",
"datePublished":"{iso}","dateModified":"{iso}","author":{{"@type":"Person","name":""}}}}</script>
</head><body>
<header class="header"><div class="header__top"><span>ĐƯỜNG DÂY NÓNG: 0909.000.111</span></div>
<a href="/" class="header__logo">BENCH.VN</a><nav class="header__nav">{NAV}</nav>
<div class="header__search"><form action="/tim-kiem.htm"><input name="keywords" placeholder="Tìm kiếm"></form></div></header>
<!-- Server: web07 - Cached at 3/7/2026 9:15:42 AM -->
<div class="detail__main"><h1 class="detail-title" data-role="title">{t}</h1>
<div class="detail-info"><div class="detail-author"><div class="author-info"><p class="name" data-role="author">
{html.escape(a["author"])}</p></div></div><div class="detail-time"><time data-role="publishdate" datetime="{iso}">
{a["when"]:%d/%m/%Y %H:%M} GMT+7</time></div></div>
<h2 class="detail-sapo" data-role="sapo">{html.escape(a["lead"])}</h2>
<div class="detail-cmain"><div class="detail-content afcbc-body" data-role="content">
{body}
{figure}
<div type="RelatedOneNews" class="VCSortableInPreviewMode"><a href="/thoi-su.htm">Tin liên quan</a></div>
</div></div>
{related_box(a)}
<section class="comment-wrapper"><p>Ý kiến bạn đọc</p><textarea placeholder="Gửi bình luận"></textarea></section>
</div>
<input type="hidden" id="hdZoneId" value="{ZONE}"/>
<footer class="footer">{FOOTER}<p>Cơ quan chủ quản: dữ liệu thử nghiệm. Tải ứng dụng BENCH.VN trên điện thoại</p></footer>
{PADDING}
</body></html>"""


def listing_page(items: list[dict[str, Any]], page: int) -> str:
    cells = "\n".join(
        f'<div class="box-category-item"><h3 class="box-category-title-text"><a class="box-category-link-title" '
        f'href="{a["path"]}" title="{html.escape(a["title"])}">{html.escape(a["title"])}</a></h3>'
        f'<p class="box-category-sapo">{html.escape(a["lead"])}</p></div>'
        for a in items
    )
    more = f'<a class="btn-viewmore" href="/timelinelist/{ZONE}/{page + 1}.htm">Xem thêm</a>' if items else ""
    return (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Thời sự - trang {page}</title></head>'
        f'<body><div class="box-category-middle">{cells}</div>{more}'
        f'<input type="hidden" id="hdZoneId" value="{ZONE}"/></body></html>'
    )


def write_site(root: Path, articles: list[dict[str, Any]], base: str) -> None:
    """Write (or rewrite) every page of the site; article files that exist already are left alone."""
    for a in articles:
        file = root / a["path"].lstrip("/")
        if not file.exists():
            file.write_text(article_page(a, base), encoding="utf-8")
    pages = [articles[i : i + PER_PAGE] for i in range(0, len(articles), PER_PAGE)] + [[]]
    (root / "timelinelist" / str(ZONE)).mkdir(parents=True, exist_ok=True)
    _write_if_changed(root / "thoi-su.htm", listing_page(pages[0], 1))
    for n, items in enumerate(pages[1:], start=2):
        _write_if_changed(root / "timelinelist" / str(ZONE) / f"{n}.htm", listing_page(items, n))
    items = "\n".join(
        f"<item><title>{html.escape(a['title'])}</title><link>{base}{a['path']}</link>"
        f"<description>{html.escape(a['lead'])}</description>"
        f"<pubDate>{formatdate(a['when'].timestamp(), localtime=False, usegmt=True)}</pubDate></item>"
        for a in articles[:50]
    )
    _write_if_changed(
        root / "rss.rss",
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench</title>{items}'
        "</channel></rss>",
    )
    half = (len(articles) + 1) // 2
    children = []
    for n, part in enumerate((articles[:half], articles[half:]), start=1):
        urls = "\n".join(
            f"<url><loc>{base}{a['path']}</loc><lastmod>{a['when'].isoformat()}</lastmod></url>" for a in part
        )
        _write_if_changed(
            root / f"sitemap-{n}.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{urls}</urlset>",
        )
        children.append(f"<sitemap><loc>{base}/sitemap-{n}.xml</loc></sitemap>")
    _write_if_changed(
        root / "sitemaps.xml",
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(children)
        + "</sitemapindex>",
    )
    _write_if_changed(root / "robots.txt", "User-agent: *\nDisallow: /private/\n")


def _write_if_changed(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
