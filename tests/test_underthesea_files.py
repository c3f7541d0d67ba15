"""underthesea's offline pieces loaded from its files (extract.underthesea_files) give underthesea's
own results, and extraction no longer imports the underthesea package (issue 11: ~72 MB)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from extract.underthesea_files import address_mapping_path, sent_tokenize_module, token_normalize_module

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [
    "Sáng 6-3, Cụm thi đua số 5 tổ chức hội nghị. Dự hội nghị có ông Nguyễn Văn An, Phó Chủ tịch UBND tỉnh.",
    "TP.HCM có 168 phường, xã. Khối thi đua các trường đại học... Họ ký kết giao ước! Còn gì nữa?",
    "Ths. Trần Thị Bích, Q. Giám đốc Sở, phát biểu.\nCác đơn vị thống nhất 5 nhóm chỉ tiêu.",
    "",
]
WORDS = ["hoà", "thuỷ", "Hoà", "khoẻ", "quí", "Thủy", "lí", "hóa", "tòa", "xoá", "ủy", "uỷ", "an"]


@pytest.mark.parametrize("text", TEXTS)
def test_the_splitter_is_underthesea_s(text: str) -> None:
    from underthesea import sent_tokenize

    assert sent_tokenize_module().sent_tokenize(text) == sent_tokenize(text)


def test_the_token_table_is_underthesea_s() -> None:
    from underthesea.pipeline.text_normalize import text_normalizer, token_normalize

    ours = token_normalize_module()
    assert ours.token_map == text_normalizer.token_map  # the same file read by pickle, not joblib
    for word in [*WORDS, *list(text_normalizer.token_map)[:500]]:
        assert ours.token_normalize(word) == token_normalize(word)


def test_the_address_list_is_underthesea_s() -> None:
    import underthesea

    path = address_mapping_path()
    assert path == Path(underthesea.__file__).parent / "address" / "data" / "mapping.json"


def test_extraction_does_not_import_the_underthesea_package() -> None:
    code = (
        "import sys\nfrom extract import extract_events\n"
        "events = extract_events('Sáng 6-3, tại phường Bến Thành, Cụm thi đua số 5 tổ chức hội nghị ký kết "
        "giao ước thi đua năm 2026. Dự có ông Nguyễn Văn An.', None, source='t')\n"
        "assert events, 'no event'\n"
        "print(sorted(m for m in ('underthesea', 'joblib', 'requests', 'tqdm') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
