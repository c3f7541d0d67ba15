"""Word lists the rules share: surnames, honorifics and ranks, title heads, unit head words, verbs.

Everything here is NFC with new-style tone placement (the form :func:`extract.normalize.normalize_text`
produces), so the lists can be matched against normalised text directly.
"""

from __future__ import annotations

import re

# Character classes of Vietnamese letters (a plain "À-Ỹ" range would mix cases).
UPPER = "A-ZÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ"
LOWER = "a-zàáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of a block of text, as a set."""
    return frozenset(text.split())


# Vietnamese family names, the common ones first (covers the vast majority of officials).
SURNAMES = word_set(
    """
        Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Vương Trịnh
        Trương Lâm Phùng Mai Tô Hà Tạ Lương Lưu Cao Chu Đinh Kiều Quách Thái Triệu Mạc Lại Văn Tăng Đồng
        Hứa Khúc Kim Ông Lã Lò Lục Mẫn Nghiêm Nông Quan Thân Tôn Từ Vi Y H' K' Giang Doãn Âu Bế Hầu
        Khổng Khương Lạc Lều Lỗ Ma Mông Nhữ Ninh Phó Phí Tòng Tiêu Trình Ung Uông Vòng Xa Bạch Cù Diệp
        Đàm Đường Hàn Hoa Kha Khuất Lô Mạnh Ngọ Nhan Tống Thạch Thiều Cấn Cầm Điêu Đới Giáp Hạ Lường
        Lăng Quàng Sầm Thào Vàng Sùng Hoàng Lầu Giàng Mùa Danh Chế Châu Viên Bàn Hồng Quang Phương Thiệu
        Điểu Lù
        Đàng Quảng Trượng
        Đậu Phí Khiếu Trầm Lò Ksor Siu Rơ Nay Rmah Rcom Kpă Niê Mlô Bdap Êban Êmăn Hdơk
    """
)
# Words that look like names but are places or doctrine, never persons.
NOT_PERSON = frozenset(
    {
        "Hồ Chí Minh",
        "Thành phố Hồ Chí Minh",
        "Võ Nguyên Giáp",
        "Lê Lợi",
        "Trần Hưng Đạo",
        "Lý Thường Kiệt",
        "Nguyễn Huệ",
        "Hà Nội",
        "Hà Tĩnh",
        "Hà Giang",
        "Hà Nam",
        "Lâm Đồng",
        "Cao Bằng",
        "Đồng Nai",
        "Đồng Tháp",
        "Giang Thành",
        "Kim Sơn",
        "Mai Sơn",
        "Thái Bình",
        "Thái Nguyên",
        "Quang Trung",
        "Phú Yên",
        "Lý Sơn",
        "Hòa Bình",
        "Lạc Dương",
        "Lạc Sơn",
        "Tây Ninh",
        "Ninh Bình",
        "Ninh Thuận",
        "Vĩnh Long",
        "Đào Tạo",
    }
)

# Honorifics and ranks stripped from a person's name (longest first when matching).
HONORIFICS = (
    "các đồng chí",
    "đồng chí",
    "Đ/c",
    "đ/c",
    "đ.c",
    "ông",
    "bà",
    "PGS.TS.",
    "PGS. TS.",
    "PGS.TS",
    "GS.TS.",
    "GS.TS",
    "TS.",
    "ThS.",
    "TS",
    "ThS",
    "BS.",
    "CN.",
    "KS.",
    "LS.",
    "NGƯT.",
    "NGND.",
    "NSƯT",
    "Đại tướng",
    "Thượng tướng",
    "Trung tướng",
    "Thiếu tướng",
    "Đại tá",
    "Thượng tá",
    "Trung tá",
    "Thiếu tá",
    "Đại úy",
    "Thượng úy",
    "Trung úy",
    "Thiếu úy",
    "Chuẩn úy",
    "Thượng sĩ",
    "Trung sĩ",
    "Hạ sĩ",
    # teachers' forms of address (README decision 35)
    "thầy",
    "cô",
)
# The plain forms of address among them ("ông", "bà", "đồng chí", "Đ/c"): a word after one of
# these is a person's name even where no rank or title follows; matched at the end of a prefix.
ADDRESS_FORMS = ("đồng chí", "đ/c", "ông", "bà")
ADDRESS_ALT = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in ADDRESS_FORMS)
ADDRESS_BEFORE_RE = re.compile(
    r"(?:^|[\s,;(])(?:" + ADDRESS_ALT + r")\s*:?\s*$",
    re.IGNORECASE,
)
HONORIFIC_RE = re.compile(
    r"(?:(?<=^)|(?<=[\s,;:(\"]))(?:"
    + "|".join(re.escape(h) for h in sorted(HONORIFICS, key=len, reverse=True))
    + r")(?=[\s:.]|$)\s*:?\s*",
    re.IGNORECASE,
)

# Words that start a title (an office), as written before or after a name.
TITLE_HEADS = (
    "Phó Bí thư",
    "Bí thư",
    "Phó Chủ tịch",
    "Chủ tịch",
    "Phó Chủ nhiệm",
    "Chủ nhiệm",
    "Phó Giám đốc",
    "Giám đốc",
    "Tổng Giám đốc",
    "Phó Tổng Giám đốc",
    "Phó Trưởng",
    "Trưởng",
    "Phó Chánh",
    "Chánh",
    "Phó Viện trưởng",
    "Viện trưởng",
    "Phó Cục trưởng",
    "Cục trưởng",
    "Phó Vụ trưởng",
    "Vụ trưởng",
    "Bộ trưởng",
    "Thứ trưởng",
    "Tổng Cục trưởng",
    "Phó Tổng Cục trưởng",
    "Phó Hiệu trưởng",
    "Hiệu trưởng",
    "Phó Thủ trưởng",
    "Thủ trưởng",
    "Phó Chỉ huy trưởng",
    "Chỉ huy trưởng",
    "Chính ủy",
    "Phó Chính ủy",
    "Phó Tư lệnh",
    "Tư lệnh",
    "Tỉnh ủy viên",
    "Thành ủy viên",
    "Huyện ủy viên",
    "Quận ủy viên",
    "Ủy viên",
    "Đại biểu Quốc hội",
    "Phó Tổng Biên tập",
    "Tổng Biên tập",
    "Phó Văn phòng",
    "Chánh Văn phòng",
    "Phó Chánh Văn phòng",
    "Phó Trưởng phòng",
    "Trưởng phòng",
    "Phó Trưởng ban",
    "Trưởng ban",
    "Phó Trưởng Ban",
    "Trưởng Ban",
    # the short form of "Phó Trưởng Ban" common in party reports: "Phó Ban Tổ chức Huyện ủy"
    "Phó Ban",
    "Phó Trưởng Công an",
    "Trưởng Công an",
    "Phó Giám thị",
    "Giám thị",
    "Thẩm phán",
    "Kiểm sát viên",
    "Chấp hành viên",
    "Phó Chủ tịch Thường trực",
    "Phó Bí thư Thường trực",
    "Thường trực",
    "Phó Trưởng Khối",
    "Cụm trưởng",
    "Cụm phó",
    "Khối trưởng",
    "Khối phó",
    "Đảng ủy viên",
    "Bí thư Đảng ủy",
    "Phó Bí thư Đảng ủy",
    "Đoàn viên",
    "Đại diện",
    "Lãnh đạo",
    # army political officers and team leaders: "Chính trị viên phó Ban CHQS huyện …", "Tổ trưởng Tổ Toán"
    "Chính trị viên",
    "Chính trị viên phó",
    "Phó Chính trị viên",
    "Tổ trưởng",
    "Tổ phó",
    "Đội trưởng",
    "Phó Đội trưởng",
)
_TITLE_ALT = "|".join(re.escape(t) for t in sorted(set(TITLE_HEADS), key=len, reverse=True) if t[0].isupper())
TITLE_START_RE = re.compile(rf"(?:{_TITLE_ALT})(?![\wÀ-ỹ])", re.IGNORECASE)

# Words that start a unit name in a member list ("…, Sở Xây dựng, Công an tỉnh …").
UNIT_HEADS = (
    "Sở",
    "Ban",
    "Hội",
    "Công an",
    "UBND",
    "Ủy ban",
    "HĐND",
    "Huyện",
    "Quận",
    "Thị xã",
    "Thị ủy",
    "Thành phố",
    "TP",
    "TP.",
    "Tỉnh",
    "Trường",
    "Trung tâm",
    "Bệnh viện",
    "Liên đoàn",
    "Liên hiệp",
    "Đảng ủy",
    "Văn phòng",
    "Viện",
    "Viện kiểm sát",
    "VKSND",
    "TAND",
    "Tòa án",
    "Cục",
    "Chi cục",
    "Tổng cục",
    "Bộ",
    "Báo",
    "Đài",
    "Phòng",
    "Xã",
    "Phường",
    "Thị trấn",
    "Đoàn",
    "Tỉnh đoàn",
    "Thành đoàn",
    "Huyện đoàn",
    "Huyện ủy",
    "Quận ủy",
    "Thành ủy",
    "Tỉnh ủy",
    "Mặt trận",
    "Ủy ban MTTQ",
    "UBMTTQ",
    "UBMTTQVN",
    "MTTQ",
    "LĐLĐ",
    "Kho bạc",
    "Ngân hàng",
    "Chi nhánh",
    "Cơ quan",
    "Bộ Chỉ huy",
    "Bộ đội",
    "Ban Chỉ huy",
    "Học viện",
    "Đại học",
    "Hạt",
    "Công ty",
    "Tổng công ty",
    "Hợp tác xã",
    "Cảnh sát",
    "Phòng Cảnh sát",
    "Trại giam",
    "Bảo hiểm",
    "BHXH",
    "Cục Thuế",
    "Thanh tra",
    "Quỹ",
    "Tạp chí",
    "Nhà xuất bản",
    "Nhà văn hóa",
    "Bảo tàng",
    "Thư viện",
    "Vườn quốc gia",
    "Ban Quản lý",
    "Văn phòng Tỉnh ủy",
    "Đảng bộ",
    "Chi bộ",
    "Hội đồng",
)
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(set(UNIT_HEADS), key=len, reverse=True))
UNIT_HEAD_RE = re.compile(rf"(?!Xã\s+hội)(?:{_UNIT_ALT})(?![\wÀ-ỹ])")
# A dash inside one name ("Thi đua - Khen thưởng", "Văn hóa - Xã hội", "Quy hoạch - Kiến trúc"): only
# before a known second half, because a dash after a name usually opens a title ("A - Chủ tịch …").
DASH_JOIN = re.compile(
    r"\s*-\s*(?=(?:Khen\s+thưởng|[Xx]ã\s+hội|Kỹ\s+thuật|Thương\s+binh|Truyền\s+hình|Du\s+lịch|Kiến\s+trúc|"
    r"Khoa\s+học|Công\s+nghệ|Nghệ\s+thuật|Phát\s+thanh|Thể\s+thao|"
    # second halves of sector names: "Than - Khoáng sản", "Tài nguyên - Môi trường", "Dân số - Gia đình"
    r"Khoáng\s+sản|Môi\s+trường|Thương\s+mại|Dịch\s+vụ|Dầu\s+khí|Gia\s+đình|Đào\s+tạo|Truyền\s+thông|"
    r"Xuất\s+nhập\s+khẩu|Lâm\s+sản|Thủy\s+sản|Cao\s+su)(?![\wÀ-ỹ]))"
)

# Lower-case administrative words that take a distributed prefix ("các quận", "các huyện" …).
UNIT_NOUNS = (
    "thành phố",
    "thị xã",
    "thị trấn",
    "quận",
    "huyện",
    "tỉnh",
    "xã",
    "phường",
    "sở",
    "ban",
    "hội",
    "trường",
    "phòng",
    "đảng ủy",
    "đơn vị",
    "cơ quan",
    "ngành",
    "bệnh viện",
    "trung tâm",
    "huyện ủy",
    "quận ủy",
    "thị ủy",
    "thành ủy",
    "tỉnh ủy",
    "đài",
    "báo",
    "chi cục",
    "cục",
    "viện",
    # youth-union and enterprise units: "các Huyện đoàn: A, B", "các công ty: Than A, Than B"
    "huyện đoàn",
    "quận đoàn",
    "thị đoàn",
    "thành đoàn",
    "tỉnh đoàn",
    "công ty",
    "tổng công ty",
    "chi nhánh",
)

# Verbs and function words that end a name, a label or a list item when met in lower case.
STOP_WORDS = word_set(
    """
        đã vừa mới ký họp cùng với tại gồm bao do là làm có được sẽ nhằm để theo trong về năm ngày
        nhận trao cho của thuộc cũng này đó thì mà khi sau trước giữa đến từ trên dưới vào ra lên
        xuống bởi nên nhưng hay hoặc đạt đứng xếp bầu tặng thăm dự
    """
)
STOP_PHRASES = (
    "tổ chức",
    "ký kết",
    "tổng kết",
    "sơ kết",
    "phát động",
    "tiến hành",
    "long trọng",
    "diễn ra",
    "đồng loạt",
    "thực hiện",
    "tham dự",
    "chủ trì",
    "phát biểu",
    "ghi nhận",
    "đánh giá",
    "nhấn mạnh",
    "đề nghị",
    "yêu cầu",
    "biểu dương",
    "khen thưởng",
    "chúc mừng",
    "cảm ơn",
    "thống nhất",
    "thảo luận",
    "báo cáo",
    "đăng cai",
    "giữ vai trò",
    "điều hành",
    "triển khai",
    "dẫn đầu",
    "bàn giao",
    "luân phiên",
    "hội nghị",
    "cam kết",
    "quyết tâm",
    "dự kiến",
    "ký giao ước",
    "kiểm tra",
    "giao lưu",
    "tập huấn",
    "góp ý",
    "hội thảo",
    "tọa đàm",
    "gặp mặt",
    "làm việc",
    "sinh hoạt",
    "đổi mới",
    "trao đổi",
    "tiếp tục",
    "đẩy mạnh",
    "phấn đấu",
    "hoàn thành",
    "xây dựng",
    "nâng cao",
    "tăng cường",
    "quyết định",
    "vinh dự",
    "được tặng",
)


#: Forms of address and degree titles that extraction never meets before a name it returns, but that
#: names typed by hand or stored by older extractor versions carry ("anh Lê Văn A", "PGS. Trần B"):
#: identity keys (db) strip them together with ``HONORIFICS``, so those names join the same person.
KEY_HONORIFICS = (
    *HONORIFICS,
    *("anh", "chị", "ngài", "thầy", "đc", "bs", "bs.", "gs", "gs.", "pgs", "pgs.", "ks.", "ls."),
    *("nsnd", "nsưt"),
)
