"""The Vietnamese words for what an English question counts ("How many companies…?" over "Các doanh nghiệp…"),
and for the places it names ("from Vietnam" over "Việt Nam").

An English question shares only names and loanwords with the Vietnamese text. A count is answered by a
number standing with the thing counted ("7 doanh nghiệp") or by the list of them under a lead-in that
names them ("…phụ thuộc vào những yếu tố sau:"), and both are written in Vietnamese. These are the
things business articles count; a noun not listed is looked for as written (loanwords: "startup").
"""

from __future__ import annotations

import re

_COUNTED: dict[str, tuple[str, ...]] = {
    "area": ("lĩnh vực", "mảng"),
    "benefit": ("lợi ích",),
    "business": ("doanh nghiệp", "công ty"),
    "challenge": ("thách thức",),
    "company": ("doanh nghiệp", "công ty"),
    "country": ("quốc gia", "nước"),
    "criterion": ("tiêu chí",),
    "criteria": ("tiêu chí",),
    "customer": ("khách hàng",),
    "domain": ("lĩnh vực",),
    "enterprise": ("doanh nghiệp",),
    "event": ("sự kiện",),
    "factor": ("yếu tố",),
    "feature": ("tính năng",),
    "field": ("lĩnh vực",),
    "function": ("chức năng",),
    "goal": ("mục tiêu",),
    "group": ("nhóm",),
    "industry": ("ngành",),
    "lesson": ("bài học",),
    "level": ("cấp độ", "mức"),
    "limitation": ("hạn chế", "giới hạn"),
    "model": ("mô hình",),
    "objective": ("mục tiêu",),
    "organization": ("tổ chức",),
    "organisation": ("tổ chức",),
    "partner": ("đối tác",),
    "phase": ("giai đoạn",),
    "principle": ("nguyên tắc",),
    "product": ("sản phẩm",),
    "program": ("chương trình",),
    "programme": ("chương trình",),
    "question": ("câu hỏi",),
    "report": ("báo cáo",),
    "risk": ("rủi ro",),
    "sector": ("ngành", "lĩnh vực"),
    "service": ("dịch vụ",),
    "stage": ("giai đoạn", "cấp độ"),
    "step": ("bước",),
    "tool": ("công cụ",),
    "trend": ("xu hướng",),
    "type": ("loại",),
    "kind": ("loại",),
    "way": ("cách",),
}


# A place an English question names, as the sources may write it (lower-cased)
PLACE_NAMES: dict[str, tuple[str, ...]] = {
    "Vietnam": ("việt nam", "vietnam"),
    "Southeast Asia": ("đông nam á", "southeast asia", "asean"),
    "Asia": ("châu á", "asia"),
    "Europe": ("châu âu", "europe"),
    "North America": ("bắc mỹ", "north america"),
    "China": ("trung quốc", "china"),
    "Japan": ("nhật bản", "japan"),
    "Korea": ("hàn quốc", "korea"),
    "India": ("ấn độ", "india"),
    "Thailand": ("thái lan", "thailand"),
    "Australia": ("úc", "australia"),
    "Africa": ("châu phi", "africa"),
    "Latin America": ("mỹ latinh", "latin america"),
    "Malaysia": ("malaysia",),
    "Singapore": ("singapore",),
    "Indonesia": ("indonesia",),
    "Philippines": ("philippines",),
}


def vietnamese_forms(noun: str) -> tuple[str, ...]:
    """The Vietnamese for an English `noun`, plural or not ("companies" -> "doanh nghiệp", "công ty"); () if unknown."""
    word = noun.lower().strip()
    for singular in (word, re.sub(r"ies$", "y", word), re.sub(r"es$", "", word), re.sub(r"s$", "", word)):
        if singular in _COUNTED:
            return _COUNTED[singular]
    return ()
