"""Page parsing into Article / Listing (scraper/parse.py), one fixture page per page shape.

Every article page is parsed twice: with the packaged sites.toml (``site=None``) and as a site with no
configuration at all (a bare ``Site``), and both must give the same fields: the generic parser is
what pages of unconfigured sites get.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from scraper import parse_article, parse_listing
from scraper.article import content_hash
from scraper.errors import ParseError, SitesError
from scraper.sites import Site, load_sites, site_for_url

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
VN = timezone(timedelta(hours=7))


@dataclass(frozen=True)
class Page:
    file: str
    url: str
    fetched_at: datetime
    canonical: str
    title: str
    lead: str
    author: str | None
    published: datetime | None
    modified: datetime | None
    body: tuple[str, ...]
    captions: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()  # boilerplate that must not reach the body


ARTICLES = [
    Page(
        file="nld_article.html",
        url="https://nld.com.vn/cum-thi-dua-so-5-ky-ket-giao-uoc-thi-dua-nam-2026-196260307071308923.htm"
        "?utm_source=facebook&fbclid=IwAR0x",
        fetched_at=datetime(2026, 3, 8, 6, 0, tzinfo=VN),
        canonical="https://nld.com.vn/cum-thi-dua-so-5-ky-ket-giao-uoc-thi-dua-nam-2026-196260307071308923.htm",
        title="Cụm thi đua số 5 ký kết giao ước thi đua năm 2026",
        lead="Sáng 6-3, Cụm thi đua số 5 thuộc Liên đoàn Lao động TP HCM tổ chức hội nghị ký kết "
        "giao ước thi đua "
        "năm 2026.",
        author="Thu Hà",  # meta author "NLD.COM.VN" is the site, JSON-LD author is empty
        published=datetime(2026, 3, 7, 8, 6, tzinfo=VN),
        modified=datetime(2026, 3, 7, 8, 40, 59, tzinfo=VN),
        body=(
            "Cụm thi đua số 5 gồm Công đoàn các khu chế xuất và công nghiệp, Công đoàn ngành Dệt "
            "may và Công đoàn "
            "Tổng Công ty Cơ khí Giao thông vận tải Sài Gòn.",
            "Phát biểu tại hội nghị, bà Nguyễn Thị Thanh Vân, Phó Chủ tịch Liên đoàn Lao động TP "
            "HCM, đề nghị các "
            "đơn vị chăm lo tốt hơn cho đoàn viên.",
            "Năm 2026, Công đoàn Tổng Công ty Cơ khí Giao thông vận tải Sài Gòn được bầu làm cụm "
            "trưởng, Công đoàn "
            "ngành Dệt may làm cụm phó.",
            "Các đơn vị thống nhất năm nội dung thi đua trọng tâm, gắn với việc thực hiện nghị "
            "quyết đại hội công "
            "đoàn các cấp.",
        ),
        captions=("Đại diện các đơn vị ký giao ước thi đua - Ảnh: Thu Hà",),
        absent=(
            "Kỷ niệm ngày Quốc tế Phụ nữ",
            "hàng nghìn đoàn viên",
            "Video:",
            "Tin khác",
            "ĐỌC NGAY",
            "bình luận",
            "(NLĐO)",
        ),
    ),
    Page(
        file="tuoitre_article.html",
        url="https://tuoitre.vn/khoi-thi-dua-cac-truong-dai-hoc-phat-dong-phong-trao-nam-2026-20260305185519174.htm",
        fetched_at=datetime(2026, 3, 6, 9, 0, tzinfo=VN),
        canonical="https://tuoitre.vn/khoi-thi-dua-cac-truong-dai-hoc-phat-dong-phong-trao-nam-2026-20260305185519174.htm",
        # JSON-LD headline double-escaped ("Kh&amp;#7889;i"), <title> in NFD
        title="Khối thi đua các trường đại học phát động phong trào năm 2026",
        lead="Chiều 5-3, Khối thi đua các trường đại học, cao đẳng TP.HCM tổ chức lễ phát động "
        "phong trào thi đua "
        "năm 2026.",
        author="NGỌC PHƯỢNG, MINH KHÔI",  # two bylines, the first in NFD; meta author "TUOI TRE ONLINE"
        published=datetime(2026, 3, 5, 19, 1, tzinfo=VN),  # JSON-LD (seconds truncated) before meta
        modified=datetime(2026, 3, 5, 21, 15, tzinfo=VN),
        body=(
            "Khối thi đua gồm 12 trường đại học công lập trên địa bàn thành phố, do Trường đại học "
            "Sư phạm Kỹ "
            "thuật làm khối trưởng năm 2026.",
            "Phong trào năm nay tập trung vào chuyển đổi số trong giảng dạy và nghiên cứu khoa "
            "học, theo ông Lê "
            "Văn Hùng, Phó giám đốc Sở Giáo dục và Đào tạo.",
            "Các trường cam kết hoàn thành chỉ tiêu tuyển sinh và nâng tỉ lệ sinh viên có việc làm "
            "sau khi tốt "
            "nghiệp.",
        ),
        captions=("Đại biểu bấm nút phát động phong trào thi đua - Ảnh: N.P.",),
        absent=("ký giao ước thi đua", "Đọc tiếp", "Ảnh 1"),
    ),
    Page(
        file="baochinhphu_article.html",
        url="https://baochinhphu.vn/cum-thi-dua-cac-bo-nganh-kinh-te-tong-ket-cong-tac-nam-2025-102260301095112345.htm",
        fetched_at=datetime(2026, 3, 2, 8, 0, tzinfo=VN),
        canonical="https://baochinhphu.vn/cum-thi-dua-cac-bo-nganh-kinh-te-tong-ket-cong-tac-nam-2025-102260301095112345.htm",
        title="Cụm thi đua các bộ, ngành kinh tế tổng kết công tác năm 2025",  # JSON-LD "C&#7909;m"
        lead="Ngày 28/2, Cụm thi đua các bộ, ngành kinh tế tổng hợp tổ chức hội nghị tổng kết công "
        "tác thi đua, "
        "khen thưởng năm 2025.",
        author=None,
        published=datetime(2026, 3, 1, 9, 51, tzinfo=VN),  # byline with no offset; the comment says 3/1/2026
        modified=None,
        body=(
            "Cụm thi đua gồm Bộ Tài chính, Bộ Công Thương, Ngân hàng Nhà nước Việt Nam và Bộ Xây "
            "dựng. Năm 2025, "
            "Bộ Tài chính là cụm trưởng.",
            "Thứ trưởng Trần Quốc Phương cho biết các đơn vị trong cụm đã hoàn thành toàn diện các "
            "chỉ tiêu thi đua "
            "đã ký kết từ đầu năm.",
            "Hội nghị đã bình xét, suy tôn Bộ Công Thương là cụm trưởng năm 2026.",
        ),
        captions=("Thứ trưởng Bộ Tài chính Trần Quốc Phương phát biểu tại hội nghị. Ảnh: VGP/Minh Anh",),
        absent=("Tải ứng dụng", "(Chinhphu.vn)"),
    ),
    Page(
        file="sggp_article.html",
        url="https://www.sggp.org.vn/khoi-thi-dua-dan-van-so-ket-6-thang-dau-nam-post734512.html",
        fetched_at=datetime(2024, 1, 27, 8, 0, tzinfo=VN),
        canonical="https://sggp.org.vn/khoi-thi-dua-dan-van-so-ket-6-thang-dau-nam-post734512.html",
        title="Khối thi đua Dân vận sơ kết 6 tháng đầu năm",
        lead="Chiều 26/1, Khối thi đua Dân vận TPHCM tổ chức hội nghị sơ kết công tác thi đua 6 "
        "tháng đầu năm và "
        "triển khai nhiệm vụ thời gian tới.",
        author="Trung Kiên",
        published=datetime(2024, 1, 26, 15, 24, tzinfo=VN),  # "15:24 - 26/01/2024", not the banner
        modified=None,
        body=(
            "Khối thi đua Dân vận gồm Ban Dân vận Thành ủy, Ủy ban Mặt trận Tổ quốc Việt Nam TPHCM "
            "và các tổ chức "
            "chính trị - xã hội thành phố.",
            "Theo báo cáo, trong 6 tháng, các đơn vị trong khối đã tổ chức hơn 200 hoạt động hướng "
            "về cơ sở, giúp "
            "đỡ gần 5.000 hộ nghèo.",
            "Đồng chí Nguyễn Hồ Hải, Phó Bí thư Thường trực Thành ủy TPHCM, ghi nhận kết quả và đề "
            "nghị khối tiếp "
            "tục đổi mới cách làm.",
        ),
        captions=("Các đại biểu dự hội nghị. Ảnh: VIỆT DŨNG",),
        absent=("Tin liên quan", "Tin khác"),
    ),
    Page(
        file="plo_article.html",
        url="https://plo.vn/cum-thi-dua-cac-quan-trung-tam-ky-ket-giao-uoc-nam-2021-post612345.html",
        fetched_at=datetime(2021, 4, 16, 8, 0, tzinfo=VN),
        canonical="https://plo.vn/cum-thi-dua-cac-quan-trung-tam-ky-ket-giao-uoc-nam-2021-post612345.html",
        title="Cụm thi đua các quận trung tâm ký kết giao ước năm 2021",
        lead="Sáng 14/4, Cụm thi đua các quận trung tâm TP.HCM đã ký kết giao ước thi đua năm 2021.",
        author="THU TRANG",
        published=datetime(2021, 4, 15, 8, 4, tzinfo=VN),  # .cms-date content attribute
        modified=None,
        body=(
            "Cụm thi đua gồm quận 1, quận 3, quận 5 và quận 10, do UBND quận 3 làm cụm trưởng năm 2021.",
            "Ông Lê Trương Hải Hiếu, Chủ tịch UBND quận 3, cho biết các quận sẽ thi đua cải cách "
            "hành chính và "
            "chỉnh trang đô thị.",
            "Dịp này, cụm cũng phát động phong trào thi đua chào mừng bầu cử đại biểu Quốc hội khóa XV.",
        ),
        captions=("Lãnh đạo các quận ký giao ước thi đua. Ảnh: THU TRANG",),
        absent=("08:04, 15/04/2021",),
    ),
    Page(
        file="vnexpress_article.html",
        url="https://vnexpress.net/nam-cum-thi-dua-cua-tinh-dong-nai-ky-giao-uoc-5047363.html",
        fetched_at=datetime(2026, 3, 7, 9, 0, tzinfo=VN),
        canonical="https://vnexpress.net/nam-cum-thi-dua-cua-tinh-dong-nai-ky-giao-uoc-5047363.html",
        title="Năm cụm thi đua của tỉnh Đồng Nai ký giao ước",
        lead="Năm cụm thi đua trực thuộc UBND tỉnh Đồng Nai ký giao ước thi đua năm 2026 với chủ "
        "đề chuyển đổi số.",
        author="Phước Tuấn",  # the right-aligned last paragraph, not meta author "VnExpress"
        published=datetime(2026, 3, 7, 0, 5, tzinfo=VN),  # "Thứ bảy, 7/3/2026, 00:05 (GMT+7)"
        modified=None,
        body=(
            "Sáng 6/3, tại Biên Hòa, UBND tỉnh Đồng Nai tổ chức hội nghị ký kết giao ước thi đua "
            "giữa năm cụm thi "
            "đua thuộc tỉnh.",
            "Ông Võ Văn Phi, Phó chủ tịch UBND tỉnh, đề nghị các cụm lấy kết quả chuyển đổi số làm "
            "tiêu chí chấm "
            "điểm chính.",
            "Cụm thi đua các sở, ngành kinh tế năm nay do Sở Tài chính làm cụm trưởng, Sở Công "
            "Thương làm cụm phó.",
        ),
        captions=("Lãnh đạo các sở ký giao ước thi đua tại hội nghị. Ảnh: Phước Tuấn",),
        absent=("Tin liên quan",),
    ),
    Page(
        file="dantri_article.html",
        url="https://dantri.com.vn/xa-hoi/cum-thi-dua-cac-hoi-dac-thu-tong-ket-nam-2025-20260307080054340.htm",
        fetched_at=datetime(2026, 3, 7, 10, 0, tzinfo=VN),
        canonical="https://dantri.com.vn/xa-hoi/cum-thi-dua-cac-hoi-dac-thu-tong-ket-nam-2025-20260307080054340.htm",
        title="Cụm thi đua các hội đặc thù tổng kết năm 2025",
        lead="Chiều 6/3, Cụm thi đua các hội đặc thù thành phố Hà Nội tổ chức hội nghị tổng kết "
        "công tác thi đua "
        "năm 2025.",
        author="Hoàng Mạnh Hà",
        published=datetime(2026, 3, 7, 8, 7, tzinfo=VN),  # time[datetime="2026-03-07 08:07"], no offset
        modified=None,
        body=(
            "Cụm thi đua gồm Hội Nhà báo, Hội Luật gia, Hội Chữ thập đỏ và Hội Người mù thành phố Hà Nội.",
            "Năm 2025, Hội Chữ thập đỏ thành phố được suy tôn dẫn đầu cụm, Hội Luật gia làm cụm phó.",
            "Bà Nguyễn Thị Thu Hà, Phó Chủ tịch Ủy ban MTTQ Việt Nam thành phố, dự và phát biểu "
            "chỉ đạo hội nghị.",
        ),
        captions=("Đại diện các hội nhận cờ thi đua (Ảnh: Mạnh Hà).",),
        absent=("khen thưởng tập thể", "(Dân trí)"),
    ),
    Page(
        file="vietnamnet_article.html",
        url="https://vietnamnet.vn/cum-thi-dua-khoi-doanh-nghiep-trung-uong-ky-ket-giao-uoc-2026-2377894.html",
        fetched_at=datetime(2026, 3, 7, 12, 0, tzinfo=VN),
        canonical="https://vietnamnet.vn/cum-thi-dua-khoi-doanh-nghiep-trung-uong-ky-ket-giao-uoc-2026-2377894.html",
        title="Cụm thi đua Khối Doanh nghiệp Trung ương ký kết giao ước 2026",
        lead="Sáng 6/3, các doanh nghiệp trong Cụm thi đua Khối Doanh nghiệp Trung ương ký kết "
        "giao ước thi đua năm "
        "2026.",
        author="Trần Thủy",
        # JSON-LD "2026-03-07T08:52:11.000 +07:00" (space before the offset, trailing comma in the JSON)
        published=datetime(2026, 3, 7, 8, 52, 11, tzinfo=VN),
        modified=datetime(2026, 3, 7, 9, 10, tzinfo=VN),
        body=(
            "Cụm thi đua gồm Tập đoàn Điện lực Việt Nam, Tập đoàn Dầu khí Việt Nam và Tập đoàn Bưu "
            "chính Viễn "
            "thông Việt Nam.",
            "Ông Nguyễn Văn Minh, Phó Bí thư Đảng ủy Khối, đề nghị các tập đoàn thi đua hoàn thành "
            "kế hoạch sản "
            "xuất kinh doanh.",
            "Tập đoàn Điện lực Việt Nam được bầu làm cụm trưởng năm 2026.",
        ),
        absent=("Quảng cáo", "Tin liên quan"),
    ),
    Page(
        file="thanhuytphcm_article.html",
        url="https://hcmcpv.org.vn/tin-tuc/nhan-rong-dien-hinh-tien-tien-tu-cac-phong-trao-thi-dua-1491907111",
        fetched_at=datetime(2023, 4, 13, 8, 0, tzinfo=VN),
        canonical="https://hcmcpv.org.vn/tin-tuc/nhan-rong-dien-hinh-tien-tien-tu-cac-phong-trao-thi-dua-1491907111",
        title="Nhân rộng điển hình tiên tiến từ các phong trào thi đua",
        lead="Chiều 11/4, Cụm thi đua 6 gồm các quận 4, 7, 8 và huyện Nhà Bè tổ chức hội nghị sơ "
        "kết phong trào thi "
        "đua quý I năm 2023.",
        author="Thu Hương",
        published=datetime(2023, 4, 12, tzinfo=VN),  # "Ngày đăng: 12.04.2023", not the other news' dates
        modified=None,
        body=(
            "Đến dự có đồng chí Nguyễn Văn Dũng, Phó Chủ tịch UBND TPHCM, Trưởng Cụm thi đua 6.",
            "Theo báo cáo, quý I năm 2023, các đơn vị trong cụm đã biểu dương 120 tập thể, cá nhân "
            "điển hình tiên "
            "tiến.",
            "Hội nghị thống nhất chọn UBND quận 7 làm cụm trưởng, UBND huyện Nhà Bè làm cụm phó năm 2023.",
            "Đồng chí Nguyễn Văn Dũng đề nghị các đơn vị tiếp tục nhân rộng các mô hình hay, cách "
            "làm hiệu quả.",
        ),
        captions=("Quang cảnh hội nghị. Ảnh: Thu Hương",),
        absent=("Các tin khác", "Lịch công tác", "(Thanhuytphcm.vn)"),
    ),
    Page(
        file="generic_banner_article.html",
        url="https://tintuclamdong.example.vn/chinh-tri/khoi-thi-dua-cac-co-quan-dang-tinh-to-chuc-hoi-nghi-18234.html",
        fetched_at=datetime(2024, 3, 28, 10, 0, tzinfo=VN),
        canonical="https://tintuclamdong.example.vn/chinh-tri/khoi-thi-dua-cac-co-quan-dang-tinh-to-chuc-hoi-nghi-18234.html",
        title="Khối thi đua các cơ quan Đảng tỉnh tổ chức hội nghị",
        # no sapo element: the bold first paragraph of the body is the sapo
        lead="Sáng 26/3, Khối thi đua các cơ quan Đảng tỉnh Lâm Đồng tổ chức hội nghị ký kết giao "
        "ước thi đua năm 2024.",
        author="Đức Trung",  # "Bài và ảnh: Đức Trung"
        published=datetime(2024, 3, 26, 15, 24, tzinfo=VN),  # never the banner "Thứ Năm, ngày 28 tháng 3 …"
        modified=None,
        body=(
            "Khối thi đua gồm Văn phòng Tỉnh ủy, Ban Tổ chức, Ban Tuyên giáo, Ban Dân vận, Ủy ban "
            "Kiểm tra Tỉnh ủy "
            "và Đảng ủy Khối các cơ quan tỉnh, với nhiều hoạt động phối hợp trong năm.",
            "Phát biểu tại hội nghị, đồng chí Trần Văn Hiệp, Phó Bí thư Thường trực Tỉnh ủy, đề "
            "nghị các đơn vị "
            "bám sát nhiệm vụ chính trị, tổ chức các phong trào thi đua thiết thực, tránh hình thức.",
            "Hội nghị đã thống nhất bầu Ban Tuyên giáo Tỉnh ủy làm khối trưởng và Ban Dân vận Tỉnh "
            "ủy làm khối phó "
            "năm 2024, đồng thời ký kết giao ước thi đua giữa các đơn vị.",
        ),
        absent=("Chia sẻ", "Bình luận", "Đọc nhiều", "Giấy phép"),
    ),
    Page(
        file="comments_dates_article.html",
        url="https://tinmiennui.example.vn/cum-thi-dua-cac-huyen-mien-nui-trao-doi-kinh-nghiem.html",
        fetched_at=datetime(2026, 3, 8, 8, 0, tzinfo=VN),
        canonical="https://tinmiennui.example.vn/cum-thi-dua-cac-huyen-mien-nui-trao-doi-kinh-nghiem.html",
        title="Cụm thi đua các huyện miền núi trao đổi kinh nghiệm",
        lead="",
        author=None,
        published=None,  # the only timestamps are US-ordered ones in HTML comments
        modified=None,
        body=(
            "Ngày 5-3, Cụm thi đua các huyện miền núi tỉnh Quảng Nam tổ chức hội nghị trao đổi "
            "kinh nghiệm xây dựng "
            "nông thôn mới.",
            "Các đại biểu đã đi thực tế mô hình trồng sâm Ngọc Linh tại huyện Nam Trà My và nghe "
            "báo cáo kết quả "
            "giảm nghèo bền vững.",
            "Huyện Tây Giang được chọn làm cụm trưởng, huyện Đông Giang làm cụm phó năm 2026.",
        ),
    ),
    Page(
        file="cp1258_article.html",
        url="http://thidua-cu.example.vn/tin/cum-thi-dua-so-3-tong-ket.asp",
        fetched_at=datetime(2023, 10, 27, 8, 0, tzinfo=VN),
        canonical="http://thidua-cu.example.vn/tin/cum-thi-dua-so-3-tong-ket.asp",
        title="Cụm thi đua số 3 tổng kết năm 2023",
        lead="Chiều 25/10, Cụm thi đua 3 tổ chức hội nghị tổng kết phong trào thi đua năm 2023.",
        author=None,
        published=None,
        modified=datetime(2023, 10, 26, 8, 30, tzinfo=VN),  # "Cập nhật lúc 08:30, 26/10/2023"
        body=(
            "Chiều 25/10, Cụm thi đua 3 gồm các quận Bình Thạnh, Phú Nhuận, Gò Vấp và Tân Bình tổ "
            "chức hội nghị "
            "tổng kết phong trào thi đua năm 2023.",
            "Đồng chí Phạm Thị Hồng Hà, Bí thư Quận ủy Phú Nhuận, cụm trưởng năm 2023, chủ trì hội "
            "nghị và trao cờ "
            "cho đơn vị dẫn đầu.",
            "Hội nghị suy tôn quận Gò Vấp làm cụm trưởng năm 2024, quận Tân Bình làm cụm phó.",
        ),
    ),
    Page(
        file="nfd_article.html",
        url="https://baobinhduong.example.vn/khoi-thi-dua-van-hoa-xa-hoi-ky-giao-uoc-nam-2024-a123456.html",
        fetched_at=datetime(2024, 2, 3, 8, 0, tzinfo=VN),
        canonical="https://baobinhduong.example.vn/khoi-thi-dua-van-hoa-xa-hoi-ky-giao-uoc-nam-2024-a123456.html",
        title="Khối thi đua Văn hóa - Xã hội ký giao ước năm 2024",
        lead="Sáng 2/2, Khối thi đua Văn hóa - Xã hội tỉnh Bình Dương ký kết giao ước thi đua năm 2024.",
        author="NGUYỄN THÀNH",
        published=datetime(2024, 2, 2, 15, 30, tzinfo=VN),
        modified=None,
        body=(
            "Khối thi đua gồm Sở Văn hóa, Thể thao và Du lịch, Sở Giáo dục và Đào tạo, Sở Y tế và "
            "Sở Lao động - "
            "Thương binh và Xã hội.",
            "Sở Y tế được bầu làm khối trưởng, Sở Giáo dục và Đào tạo làm khối phó năm 2024.",
        ),
    ),
]


def bare_site(url: str) -> Site:
    """The site of a URL as a user would add it with three lines: no selectors, no article regex."""
    host = urlsplit(url).netloc
    return Site(name="bare", hosts=(host,), start=(f"https://{host}/",))


def read(name: str) -> bytes:
    return (PAGES / name).read_bytes()


@pytest.mark.parametrize("config", ["packaged", "bare"])
@pytest.mark.parametrize("page", ARTICLES, ids=[p.file.removesuffix(".html") for p in ARTICLES])
def test_article_fields(page: Page, config: str) -> None:
    site = None if config == "packaged" else bare_site(page.url)
    article = parse_article(read(page.file), page.url, site=site, fetched_at=page.fetched_at)

    assert article.url == page.url
    assert article.canonical_url == page.canonical
    assert article.source == urlsplit(page.canonical).netloc
    assert article.title == page.title
    assert article.lead == page.lead
    assert article.author == page.author
    assert article.published == page.published
    assert article.modified == page.modified
    for value in (article.published, article.modified):
        if value is not None:
            assert value.utcoffset() == timedelta(hours=7)
            assert value <= page.fetched_at
    assert article.body.split("\n\n") == list(page.body)
    assert article.captions == page.captions
    for junk in page.absent:
        assert junk not in article.body, junk
    for caption in page.captions:
        assert caption not in article.body
    assert article.fetched_at == page.fetched_at
    assert article.content_hash == content_hash(article.title, article.lead, article.body)
    for text in (article.title, article.lead, article.body, article.author or "", *article.captions):
        assert unicodedata.is_normalized("NFC", text)
    expected_site = site_for_url(load_sites(), page.url) if config == "packaged" else site
    assert article.site == (expected_site.name if expected_site is not None else None)


def test_str_and_bytes_give_the_same_article() -> None:
    page = ARTICLES[0]
    from_bytes = parse_article(read(page.file), page.url, fetched_at=page.fetched_at)
    from_str = parse_article(read(page.file).decode("utf-8"), page.url, fetched_at=page.fetched_at)
    assert from_bytes == from_str


def test_http_charset_header_decodes_a_page_without_meta() -> None:
    data = read("cp1258_article.html").replace(
        b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">', b""
    )
    article = parse_article(
        data, "http://thidua-cu.example.vn/tin/a.asp", {"Content-Type": "text/html; charset=windows-1258"}
    )
    assert article.title == "Cụm thi đua số 3 tổng kết năm 2023"
    assert "Bình Thạnh, Phú Nhuận" in article.body


def test_same_text_from_two_urls_has_one_hash() -> None:
    page = ARTICLES[8]  # thanhuytphcm: one site, two hosts
    first = parse_article(read(page.file), page.url)
    second = parse_article(
        read(page.file), page.url.replace("hcmcpv.org.vn", "www.thanhuytphcm.vn") + "?zarsrc=31"
    )
    assert first.content_hash == second.content_hash
    assert first.site == second.site


def test_dates_after_the_fetch_time_are_never_used() -> None:
    page = ARTICLES[0]  # published 7 March 2026 08:06 in JSON-LD, meta and byline
    article = parse_article(read(page.file), page.url, fetched_at=datetime(2026, 3, 1, 8, 0, tzinfo=VN))
    assert article.published is None
    assert article.modified is None


@pytest.mark.parametrize(
    ("name", "message"),
    [("challenge.html", "challenge"), ("empty.html", "no title and no article text")],
)
def test_pages_that_are_not_articles_raise(name: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_article(read(name), "https://nld.com.vn/cum-thi-dua-196260307071308923.htm")


def test_empty_bytes_raise() -> None:
    with pytest.raises(ParseError):
        parse_article(b"", "https://example.vn/a.html")


def test_legacy_font_page_is_kept_and_reported(caplog: pytest.LogCaptureFixture) -> None:
    article = parse_article(read("tcvn3_article.html"), "http://old.example.vn/tin/a.htm")
    assert article.title == "Côm thi ®ua sè 3 tæng kÕt n¨m 2003"  # stored as is, not guessed
    assert "tcvn3" in caplog.text


def test_site_selectors_win_over_generic_markup() -> None:
    site = Site(
        name="custom",
        hosts=("tintuclamdong.example.vn",),
        start=("https://tintuclamdong.example.vn/",),
        selectors={
            "title": ".khong-co, h1.post-title",
            "body": ".post-body",
            "drop": "p strong",
            "author": ".post-meta .post-author",
        },
    )
    page = ARTICLES[9]
    article = parse_article(read(page.file), page.url, site=site, fetched_at=page.fetched_at)
    assert article.site == "custom"
    assert article.title == page.title
    assert article.author == "Đức Trung"
    assert article.body.split("\n\n") == list(page.body)  # the bold sapo dropped by the site's "drop"
    assert article.lead == ""


@dataclass(frozen=True)
class ListPage:
    file: str
    url: str
    articles: tuple[str, ...]
    next_page: str | None


LISTINGS = [
    ListPage(
        "nld_list.html",
        "https://nld.com.vn/thoi-su.htm",
        (
            "https://nld.com.vn/cum-thi-dua-so-5-ky-ket-giao-uoc-thi-dua-nam-2026-196260307071308923.htm",
            "https://nld.com.vn/khoi-thi-dua-cac-co-quan-dang-so-ket-quy-i-196260306153012345.htm",
            "https://nld.com.vn/thanh-pho-chuan-bi-le-hoi-ao-dai-196260306110000111.htm",
        ),
        "https://nld.com.vn/timelinelist/1961001/2.htm",  # built from #hdZoneId
    ),
    ListPage(
        "tuoitre_list.html",
        "https://tuoitre.vn/giao-duc.htm",
        (
            "https://tuoitre.vn/khoi-thi-dua-cac-truong-dai-hoc-phat-dong-phong-trao-nam-2026-20260305185519174.htm",
            "https://tuoitre.vn/hoc-sinh-tp-hcm-nghi-tet-20260304101010123.htm",
            "https://tuoitre.vn/thi-tot-nghiep-thpt-2026-co-gi-moi-20260303080000456.htm",
        ),
        "https://tuoitre.vn/timeline/13/trang-2.htm",
    ),
    ListPage(
        "baochinhphu_list.html",
        "https://baochinhphu.vn/chinh-sach-moi.htm",
        (
            "https://baochinhphu.vn/cum-thi-dua-cac-bo-nganh-kinh-te-tong-ket-cong-tac-nam-2025-102260301095112345.htm",
            "https://baochinhphu.vn/thu-tuong-chu-tri-hop-chinh-phu-thuong-ky-102260228150000999.htm",
        ),
        "https://baochinhphu.vn/timelinelist/1021119/2.htm",
    ),
    ListPage(
        "sggp_list.html",
        "https://www.sggp.org.vn/chinhtri/",
        (
            "https://sggp.org.vn/khoi-thi-dua-dan-van-so-ket-6-thang-dau-nam-post734512.html",
            "https://sggp.org.vn/thanh-pho-trao-tang-danh-hieu-chien-si-thi-dua-post734400.html",
        ),
        "https://www.sggp.org.vn/chinhtri/trang-2.html",  # "»" anchor
    ),
    ListPage(
        "plo_list.html",
        "https://plo.vn/thoi-su/",
        ("https://plo.vn/cum-thi-dua-cac-quan-trung-tam-ky-ket-giao-uoc-nam-2021-post612345.html",),
        "https://plo.vn/thoi-su/?trang=2",  # <link rel=next>
    ),
    ListPage(
        "vnexpress_list.html",
        "https://vnexpress.net/thoi-su",
        (
            "https://vnexpress.net/nam-cum-thi-dua-cua-tinh-dong-nai-ky-giao-uoc-5047363.html",
            "https://vnexpress.net/giao-thong-ngay-dau-tuan-5047360.html",
        ),
        "https://vnexpress.net/thoi-su-p2",
    ),
    ListPage(
        "dantri_list.html",
        "https://dantri.com.vn/xa-hoi.htm",
        (
            "https://dantri.com.vn/xa-hoi/cum-thi-dua-cac-hoi-dac-thu-tong-ket-nam-2025-20260307080054340.htm",
            "https://dantri.com.vn/xa-hoi/ha-noi-ra-quan-don-ve-sinh-moi-truong-20260306201500123.htm",
            "https://dantri.com.vn/xa-hoi/nguoi-dan-phan-khoi-nhan-so-do-20260306170000456.htm",
            "https://dantri.com.vn/xa-hoi/mien-bac-don-khong-khi-lanh-20260306090000789.htm",
        ),
        "https://dantri.com.vn/xa-hoi/trang-2.htm",
    ),
    ListPage(
        "vietnamnet_list.html",
        "https://vietnamnet.vn/thoi-su",
        (
            "https://vietnamnet.vn/cum-thi-dua-khoi-doanh-nghiep-trung-uong-ky-ket-giao-uoc-2026-2377894.html",
            "https://vietnamnet.vn/quoc-hoi-thao-luan-du-an-luat-dat-dai-2377800.html",
        ),
        "https://vietnamnet.vn/thoi-su-page1",
    ),
    ListPage(
        "thanhuytphcm_list.html",
        "https://thanhuytphcm.vn/nhom-tin/thi-dua-khen-thuong-1197606001",
        (
            "https://thanhuytphcm.vn/tin-tuc/nhan-rong-dien-hinh-tien-tien-tu-cac-phong-trao-thi-dua-1491907111",
            "https://hcmcpv.org.vn/tin-tuc/-hoi-nghi-cum-thi-dua-5-1491879789",
            "https://thanhuytphcm.vn/tin-tuc/quan-1-phat-dong-thi-dua-1491870001",
        ),
        "https://thanhuytphcm.vn/nhom-tin/thi-dua-khen-thuong-1197606001?page=2",
    ),
    ListPage(
        "generic_list.html",
        "https://tintuclamdong.example.vn/chinh-tri/",
        (
            "https://tintuclamdong.example.vn/chinh-tri/khoi-thi-dua-cac-co-quan-dang-tinh-to-chuc-hoi-nghi-18234.html",
            "https://tintuclamdong.example.vn/chinh-tri/hoi-dong-nhan-dan-tinh-hop-ky-chuyen-de-18230.html",
            "https://tintuclamdong.example.vn/chinh-tri/nam-2024-tinh-uy-trien-khai-nhieu-nhiem-vu-trong-tam/",
        ),
        "https://tintuclamdong.example.vn/chinh-tri/page/2/",
    ),
]


@pytest.mark.parametrize("page", LISTINGS, ids=[p.file.removesuffix(".html") for p in LISTINGS])
def test_listing_without_configuration(page: ListPage) -> None:
    """Heuristics alone: article-looking links of the site, canonical, deduplicated, in page order."""
    listing = parse_listing(read(page.file), page.url, site=bare_site(page.url))
    assert listing.url == page.url
    host = urlsplit(page.url).netloc
    # a bare site knows one host: links to the portal's second host are off-site
    assert listing.article_urls == tuple(u for u in page.articles if urlsplit(u).netloc in (host, host[4:]))
    assert listing.next_page == page.next_page


def test_listing_of_thanhuytphcm_accepts_both_hosts() -> None:
    site = Site(
        name="thanhuytphcm",
        hosts=("thanhuytphcm.vn", "hcmcpv.org.vn", "www.hcmcpv.org.vn"),
        start=("https://thanhuytphcm.vn/",),
    )
    page = LISTINGS[8]
    assert parse_listing(read(page.file), page.url, site=site).article_urls == page.articles


def test_listing_selector_and_article_regex_from_the_site() -> None:
    site = Site(
        name="vcc",
        hosts=("nld.com.vn",),
        start=("https://nld.com.vn/",),
        article_url=r"/khoi-thi-dua-[^/]*-\d{18}\.htm$",
        selectors={"listing": "h3.box-category-title-text"},
    )
    listing = parse_listing(read("nld_list.html"), "https://nld.com.vn/thoi-su.htm", site=site)
    assert listing.article_urls == (
        "https://nld.com.vn/khoi-thi-dua-cac-co-quan-dang-so-ket-quy-i-196260306153012345.htm",
    )


def test_timeline_page_continues_while_it_lists_articles() -> None:
    html = """<div class="box-category-item"><h3><a class="box-category-link-title"
        href="/khoi-thi-dua-cac-co-quan-dang-so-ket-quy-i-196260306153012345.htm">Khối thi đua</a>
        </h3></div>"""
    listing = parse_listing(html, "https://nld.com.vn/timelinelist/1961001/2.htm")
    assert listing.next_page == "https://nld.com.vn/timelinelist/1961001/3.htm"
    assert parse_listing("<div></div>", "https://nld.com.vn/timelinelist/1961001/9.htm").next_page is None


def test_listing_with_no_pagination_has_no_next_page() -> None:
    html = '<main><a href="/tin/cum-thi-dua-so-3-tong-ket-nam-2023-so-ket.html">Cụm thi đua số 3</a></main>'
    listing = parse_listing(html, "https://example.vn/tin/")
    assert listing.article_urls == ("https://example.vn/tin/cum-thi-dua-so-3-tong-ket-nam-2023-so-ket.html",)
    assert listing.next_page is None


PARAGRAPHS = (
    "Sáng 12/11, Cụm thi đua các huyện phía Bắc tỉnh Lâm Đồng tổ chức hội nghị ký kết giao ước thi đua.",
    "Huyện Lạc Dương được bầu làm cụm trưởng, huyện Đam Rông làm cụm phó; các đơn vị thống nhất sáu mục.",
    "Đồng chí Nguyễn Văn Sơn, Phó Chủ tịch UBND tỉnh, đề nghị các huyện tập trung giảm nghèo bền vững.",
)


def unknown_page(title: str, description: str) -> str:
    paras = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<html><head><meta property="og:title" content="{title}">
    <meta property="og:site_name" content="Báo Lâm Đồng điện tử">
    <meta name="description" content="{description}"></head>
    <body><div class="khung-bai">{paras}</div></body></html>"""


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Cụm thi đua phía Bắc ký giao ước - Báo Lâm Đồng điện tử", "Cụm thi đua phía Bắc ký giao ước"),
        ("Cụm thi đua phía Bắc ký giao ước | baolamdong.vn", "Cụm thi đua phía Bắc ký giao ước"),
        ("Khối thi đua Văn hóa - Xã hội ký giao ước", "Khối thi đua Văn hóa - Xã hội ký giao ước"),
    ],
)
def test_site_name_is_cut_from_the_title(title: str, expected: str) -> None:
    article = parse_article(unknown_page(title, ""), "https://baolamdong.vn/xa-hoi/cum-thi-dua-123456.html")
    assert article.title == expected


def test_meta_description_that_repeats_the_body_is_not_a_lead() -> None:
    repeated = unknown_page("Cụm thi đua", PARAGRAPHS[0][:80] + "...")
    article = parse_article(repeated, "https://baolamdong.vn/xa-hoi/cum-thi-dua-123456.html")
    assert article.lead == ""
    assert article.body.split("\n\n") == list(PARAGRAPHS)
    summary = "Cụm thi đua phía Bắc có cụm trưởng mới."
    article = parse_article(unknown_page("Cụm thi đua", summary), "https://baolamdong.vn/a-123456.html")
    assert article.lead == summary


def test_amp_page_takes_the_canonical_url_of_the_article() -> None:
    html = f"""<html><head><link rel="canonical" href="https://nld.com.vn/cum-thi-dua-so-5-196260307071308923.htm">
    <meta property="og:title" content="Cụm thi đua số 5"></head>
    <body><article>{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}</article></body></html>"""
    url = "https://m.nld.com.vn/amp/cum-thi-dua-so-5-196260307071308923.htm?utm_source=zalo"
    article = parse_article(html, url)
    assert article.canonical_url == "https://nld.com.vn/cum-thi-dua-so-5-196260307071308923.htm"
    assert article.source == "nld.com.vn"
    packaged = site_for_url(load_sites(), url)
    assert article.site == (packaged.name if packaged is not None else None)
    assert article.body.split("\n\n") == list(PARAGRAPHS)


@pytest.mark.parametrize(
    ("anchor", "is_next"),
    [
        ('<a href="/xa-hoi/trang-2.htm">Trang sau ›</a>', True),
        ('<a href="/xa-hoi/trang-2.htm">›</a>', True),
        ('<a href="/xa-hoi/trang-2.htm"> » </a>', True),
        ('<a href="/xa-hoi/trang-2.htm">Tiếp theo</a>', True),
        ('<a href="/xa-hoi/trang-2.htm">Next page</a>', True),
        ('<a href="/xa-hoi/trang-2.htm" class="btn-page next-page"><svg></svg></a>', True),
        ('<a href="/xa-hoi/trang-2.htm" title="Trang tiếp"><i class="icon"></i></a>', True),
        ('<a href="/xa-hoi/trang-2.htm" rel="next">2</a>', True),
        ('<a href="/xa-hoi/trang-9.htm">»»</a>', False),  # the last page
        ('<a href="/xa-hoi/trang-9.htm">Trang cuối</a>', False),
        ('<a href="#">›</a>', False),
        ('<a href="javascript:void(0)" class="next">Sau</a>', False),
        (
            '<a href="/xa-hoi/nguoi-dan-phan-khoi-nhan-so-do-20260306170000456.htm">Sau lũ, người dân</a>',
            False,
        ),
    ],
)
def test_next_page_anchor(anchor: str, is_next: bool) -> None:
    listing = parse_listing(f"<main>{anchor}</main>", "https://dantri.com.vn/xa-hoi.htm")
    expected = "https://dantri.com.vn/xa-hoi/trang-2.htm" if is_next else None
    assert listing.next_page == expected


@pytest.mark.parametrize("key", ["title", "body", "listing"])
def test_invalid_site_selector_is_a_clear_sites_error(key: str) -> None:
    site = Site(
        name="hong", hosts=("baolamdong.vn",), start=("https://baolamdong.vn/",), selectors={key: "h1["}
    )
    with pytest.raises(SitesError, match=rf"site 'hong': selector {key} = 'h1\[' is not valid CSS"):
        parse_article(unknown_page("Cụm thi đua", ""), "https://baolamdong.vn/a-123456.html", site=site)
    with pytest.raises(SitesError, match="not valid CSS"):
        parse_listing("<main></main>", "https://baolamdong.vn/xa-hoi/", site=site)


_SAPO = "Sáng 7/3, Cụm thi đua các doanh nghiệp tổ chức hội nghị ký kết giao ước thi đua năm 2026."
_BODY = "".join(
    f"<p>Đoạn {i}: hội nghị đã thảo luận, thống nhất nội dung giao ước thi đua và các tiêu chí chấm điểm.</p>"
    for i in range(6)
)


@pytest.mark.parametrize(
    "crumb",
    [
        '<ul class="breadcrumb"><li><a href="/">Trang chủ</a></li>'
        '<li class="sapo"><a href="/kinh-te.htm">Tài chính</a></li></ul>',
        '<nav aria-label="breadcrumb"><a href="/kinh-te.htm" class="sapo-link">Tài chính</a></nav>',
        '<ol itemscope itemtype="https://schema.org/BreadcrumbList">'
        '<li class="summary"><a href="/t.htm">Tài chính</a></li></ol>',
        # dantri: the breadcrumb link itself carries a *sapo* class and a tracking name
        '<ul><li><a class="dt-text-common-sapo" data-content-name="article-breadcrumb" href="/t.htm">'
        "Tài chính</a></li></ul>",
        # no breadcrumb mark at all: a sapo-classed box that is only a section link
        '<div class="article-sapo-cate"><a href="/kinh-doanh/tai-chinh.htm">Tài chính</a></div>',
    ],
)
def test_breadcrumb_is_never_the_lead(crumb: str) -> None:
    url = "https://bao-moi.vn/kinh-te/cum-thi-dua-ky-giao-uoc-2026-1234567.htm"
    html = (
        f'<html><head><meta name="description" content="{_SAPO}"></head><body>{crumb}'
        f'<article><h1>Cụm thi đua ký giao ước 2026</h1><h2 class="sapo">{_SAPO}</h2>'
        f"{_BODY}</article></body></html>"
    )
    article = parse_article(html, url, site=bare_site(url))
    assert article.lead == _SAPO
    # without a sapo element, the description is the lead — still not the breadcrumb
    without = html.replace(f'<h2 class="sapo">{_SAPO}</h2>', "")
    assert parse_article(without, url, site=bare_site(url)).lead == _SAPO


_ROOT = Path(__file__).resolve().parent.parent
_CANDIDATES = [p / "shared" / "reference-pages" for p in (_ROOT.parent, _ROOT.parent.parent)]
_REFERENCE = next((p for p in _CANDIDATES if p.is_dir()), _CANDIDATES[0])  # a worktree sits one deeper


@pytest.mark.skipif(not _REFERENCE.is_dir(), reason="../shared/reference-pages (real outlet pages) is absent")
@pytest.mark.parametrize(
    ("outlet", "host", "starts"),
    [
        ("nld", "nld.com.vn", "Không ít hộ kinh doanh"),
        ("tuoitre", "tuoitre.vn", "Xung đột ở khu vực Trung Đông"),
        ("vnexpress", "vnexpress.net", "Trung Quốc, Nhật Bản, Thái Lan"),
        ("dantri", "dantri.com.vn", "Giá vàng trong nước tiếp tục giảm"),  # was the breadcrumb "Tài chính"
    ],
)
def test_real_article_lead_is_the_sapo(outlet: str, host: str, starts: str) -> None:
    """Reads (never copies) the saved real article pages; the generic lead is the sapo."""
    url = f"https://{host}/bai-viet-mau-cho-kiem-tra-196260307071308923.htm"
    article = parse_article((_REFERENCE / f"{outlet}_article.html").read_bytes(), url, site=bare_site(url))
    assert article.lead.startswith(starts)


def test_the_generic_drop_list_is_compound_selectors_only() -> None:
    # parse_article removes them all in one query, which is the same as one by one only while no
    # selector depends on structure (combinators, pseudo-classes) that an earlier removal changes.
    from scraper.markup import DROP_SELECTORS

    for selector in DROP_SELECTORS:
        assert not any(ch in selector for ch in " >+~:,"), selector


_NESTED_BOXES = """<html><head><title>Cụm thi đua số 7 họp</title></head><body>
<h1>Cụm thi đua số 7 họp tổng kết năm 2025</h1>
<div class="post-body">
<p>Sáng 12/1, Cụm thi đua số 7 tổ chức hội nghị tổng kết công tác thi đua năm 2025 tại hội trường xã.</p>
<div class="box-related"><p>Tin cũ hơn</p><div class="ads"><script>var a = 1;</script><p>Quảng cáo</p></div>
<div class="related tags"><p>Đọc thêm một tin khác</p></div></div>
<p>Các đơn vị thống nhất nội dung giao ước thi đua năm 2026 và bầu đơn vị trưởng cụm mới.</p>
<div class="note"><span>Ghi chú của tòa soạn</span></div><p class="last">Dòng cuối do trang thêm vào.</p>
</div></body></html>"""


def test_nested_and_overlapping_boxes_are_dropped_and_the_site_drop_sees_what_is_left() -> None:
    site = Site(
        name="nested",
        hosts=("nested.example.vn",),
        start=("https://nested.example.vn/",),
        selectors={"body": ".post-body", "drop": ".note + p"},  # structural: after the generic list
    )
    article = parse_article(_NESTED_BOXES, "https://nested.example.vn/a-1.htm", site=site)
    assert article.body.split("\n\n") == [
        "Sáng 12/1, Cụm thi đua số 7 tổ chức hội nghị tổng kết công tác thi đua năm 2025 tại hội trường xã.",
        "Các đơn vị thống nhất nội dung giao ước thi đua năm 2026 và bầu đơn vị trưởng cụm mới.",
        "Ghi chú của tòa soạn",
    ]
