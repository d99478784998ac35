"""Cheap checks that the evidence can answer the kind of question asked.

Similarity cannot tell "how much capital does the fund manage?" from "how many
guests came?": both find sentences about the right thing. A quantity question
needs a number, and in Vietnamese the number should come with the unit asked
for ("bao nhiêu vốn" wants an amount of "vốn"); "năm nào" needs a time and
"ở đâu" a named place. Likewise "which 10 countries?" needs the countries named,
and "10 countries in Europe" only repeats the count.
Generators that cannot reason about this themselves (extractive, the small local
model) are held to it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from itertools import takewhile

from rag.diacritics import fold
from rag.glossary import PLACE_NAMES, vietnamese_forms
from rag.segment import STOPWORDS, language, segmented, verbs_in
from rag.sentences import LIST_ITEM, NUMBERED_TITLE, without_emphasis

_QUANTITY_VI = re.compile(r"(?P<before>(?:\S+\s+){0,2})(?:là\s+)?(?:bao nhiêu|mấy)\s*(?P<after>[^\s?.,!]*)", re.I)
_QUANTITY_EN = re.compile(r"\bhow (?:many|much)\b|\bwhat (?:is|was) the (?:amount|number)\b", re.I)
# A survey's response rate is a share of those asked, said of the responses ("12% phản hồi"): not a count of
# them ("~1.000 phản hồi"), nor another share ("Hơn 90% khách hàng … dự định hợp tác")
_RESPONSE_RATE_ASKED = re.compile(r"\bresponse rates?\b|\brates? of (?:response|reply|replies)\b", re.I)
_RESPONSES = r"phản hồi|trả lời|respon\w*|repl(?:y|ies)"
# "What percentage / share of…?" is answered by a figure with "%"
_PERCENT_EN = re.compile(r"\b(?:what|which)\s+(?:percentage|percent|proportion|share|fraction)\b", re.I)
# A price is answered by an amount of money, not by any number near the thing priced.
_COST_FOLLOWS = "per|in|for|to|each|a|an|the|now|today|annually|monthly|yearly|us|me|them|you"
_PRICE_EN = re.compile(
    r"\bwhat (?:is|was|are|were) the (?:[\w-]+ ){0,3}(?:price|cost|fee|budget)s?\b|"
    # "cost" as the verb ("…cost?", "…cost per month?"), not a noun's modifier ("…list under cost optimization?")
    rf"\bwhat (?:does|do|did|will|would) [^?]{{1,80}}? cost\b(?=\s*(?:[?.!,;]|$)|\s+(?:{_COST_FOLLOWS})\b)|"
    r"\bhow much (?:does|do|did|will|would|is|was) [^?]{1,80}? (?:cost|charge|priced?)\b|\bhow expensive\b|"
    # "What price does Bedrock charge per call?", "What does AWS charge for…?"
    r"\bwhat (?:prices?|fees?|rates?)\b|\bwhat (?:does|do|did|will|would) [^?]{1,80}? charge\b",
    re.I,
)
# "Amazon đầu tư bao nhiêu (vào Anthropic)?", "Bedrock tính phí bao nhiêu?": with nothing counted after it, an
# amount of money answers, not any number near it ("đầu tư bao nhiêu startup?" counts startups).
_MONEY_VI = re.compile(
    r"\b(?:đầu tư|rót vốn|rót|gọi vốn|huy động|tài trợ|chi|trả|tính phí|thu phí|tính tiền|chi phí|giá|phí|kinh phí|"
    r"ngân sách)\s+(?:được\s+)?(?:là\s+)?bao nhiêu\b",
    re.I,
)
# A valuation is an amount said to be the company's worth, not any amount near its name (an investment).
_VALUATION_ASKED = re.compile(
    r"\bvalued\b|\bvaluations?\b|\bwhat (?:is|was) [^?]{1,60}? worth\b|\b(?:định giá|trị giá)\s+(?:là\s+)?bao nhiêu\b",
    re.I,
)
# A share asked for ("tỷ lệ …", "bao nhiêu phần trăm …"): the sentence giving it must say what the question says
# the share is of and what they do ("92% các startup GenAI … B2B"): two of its words and 40% of them, besides
# the share itself (its other words name the report: "Báo cáo của AWS cho biết tỷ lệ…").
_SHARE_ASKED = re.compile(r"\btỷ lệ\b|\bphần trăm\b", re.I)
_SHARE = {"tỷ_lệ", "phần_trăm", "bao_nhiêu", "phần", "trăm", "%", "mấy", "là"}
_SHARE_WORDS_SHARED = 2
_SHARE_WORDS_PART = 0.4
# …and what they do: "Bao nhiêu phần trăm khách hàng hài lòng với đối tác AWS?" is not answered by "Hơn 90%
# khách hàng … dự định hợp tác với đối tác AWS" when the sources speak of that satisfaction elsewhere ("Mức độ
# hài lòng của khách hàng với đối tác"). A verb they never write may be the question's own word for the
# sentence's ("chi phối" for "kiểm soát") and is not held against it; nor are verbs that say little ("làm B2B").
_LIGHT_VERBS = {"làm", "có", "được", "bị", "đi", "thực_hiện", "đạt", "nói", "cho_biết", "nêu"}
# What follows "bao nhiêu" without being what is counted: "đầu tư bao nhiêu vào Anthropic?", "… bao nhiêu cho mỗi…"
_NOT_UNITS = {
    "vào", "cho", "sau", "trước", "trong", "theo", "mỗi", "với", "từ", "tại", "ở", "để", "khi", "nữa", "thôi",
    "vậy", "rồi", "không", "so", "trên", "qua", "đến", "tới", "của", "và", "hay", "hoặc", "ạ", "nhỉ", "nhé", "à",
}  # fmt: skip
# A discount is a share off or a lower price, not any figure near the thing discounted.
_DISCOUNT_ASKED = re.compile(
    r"\b(?:what|which|how much|how big an?)\s+(?:\w+\s+){0,2}?discounts?\b|\b(?:giảm giá|chiết khấu)\b", re.I
)
_NUMBER = re.compile(
    r"\d|\b(?:hai|ba|bốn|sáu|bảy|tám|chín|mười|trăm|nghìn|ngàn|triệu|tỷ|hundred|thousand|million|billion)\b", re.I
)
_NAMED_NUMBER = re.compile(r"#\d+")
_COUNT_WORDS = {
    "hai": 2, "ba": 3, "bốn": 4, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10,
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12,
}  # fmt: skip
_COUNT = r"(?P<n>\d+|" + "|".join(_COUNT_WORDS) + r")"
# "which 10 countries", "name the three areas"; "10 quốc gia nào", "ba lĩnh vực quan trọng nào", "kể tên 3 diễn giả"
_ENUMERATION = (
    re.compile(rf"\b(?:which|what|name|list)\s+(?:(?:are|were|the|all)\s+)*{_COUNT}\s+[a-z]", re.I),
    re.compile(rf"(?<![\wÀ-ỹ]){_COUNT}\s+[\wÀ-ỹ]+(?:\s+[\wÀ-ỹ]+){{0,3}}\s+nào\b", re.I),
    re.compile(rf"\b(?:kể tên|liệt kê)\s+(?:(?:các|những|tên)\s+)*{_COUNT}\s+[\wÀ-ỹ]", re.I),
    # "5 cấp độ cá nhân hóa của GenAI là gì?", "7 lĩnh vực trọng tâm gồm những gì?"
    re.compile(rf"(?<![\wÀ-ỹ]){_COUNT}\s+[\wÀ-ỹ]+(?:\s+[\wÀ-ỹ.]+){{0,7}}\s+(?:là gì|gồm những gì|gồm gì)", re.I),
)
# An enumeration inside one sentence: "…ba lĩnh vực: lập trình, viết lách và thương mại điện tử".
_ENUMERATION_OPENS = re.compile(r":|\bgồm\b|\bincluding\b|\bsuch as\b|\bnhư\b", re.I)
_ITEM_SEPARATOR = re.compile(r",|;|\s(?:và|and|hoặc|or)\s", re.I)
# ("thứ mấy" asks for a position: "cấp độ thứ mấy" is answered by "Cấp độ 2", which never says "thứ"; the
# word after it is no unit)
_SKIP = {"là", "có", "được", "thì", "tổng", "cộng", "hiện", "đang", "thứ", "the", "a"}
# Units a source writes otherwise: "bao nhiêu phần trăm" is answered by "92%".
_FREE = r"\b(?:free|miễn phí)\b"
_CURRENCY = r"usd|eur|đô la|dollars?|euros?|đồng|vnđ|vnd"
_MONEY = rf"[$€£₫]|\b(?:{_CURRENCY})\b|" + _FREE
# How something is priced ("tính phí như thế nào", "mức giá", "How is it priced?"): an amount or a way of charging
# answers ("pay-as-you-go", "thuê bao"), not a sentence about the thing priced. ("giá trị" is value, "đánh giá"
# an assessment, "định giá" a valuation or a pricing model.)
_PRICING_ASKED = re.compile(
    r"\btính (?:phí|tiền|giá)\b|\b(?:mức|bảng|biểu) (?:giá|phí)\b|\bgiá (?:cả|bán|thuê|dịch vụ)\b|"
    r"(?<!định )(?<!đánh )(?<!trị )\b(?:giá|phí)\b(?!\s+trị)(?=[^?]*\b(?:bao nhiêu|thế nào|ra sao|như nào)\b)|"
    r"\bhow (?:is|are|was|were) [^?]{1,60}? priced\b|\bpricing\b|\bhow (?:does|do|did) [^?]{1,60}? charge\b",
    re.I,
)
_PRICING = re.compile(
    # (an amount needs its figure: "đồng" alone is also "đồng hành", "đồng cảm")
    rf"[$€£₫]|\d[\d.,]*\s*(?:{_CURRENCY})\b|"
    + _FREE
    + r"|\b(?:phí|giá)\b(?!\s+trị)|pay-as-you-go|\bthuê bao\b|subscription|\b(?:price|fee|charge)[sd]?\b",
    re.I,
)
_UNIT_FORMS = {
    "money": _MONEY, "tiền": _MONEY,  # "bao nhiêu tiền" is answered by "4 tỷ đô la", which never says "tiền"
    "phần": r"%|phần trăm", "percent": r"%|phần trăm|percent",
    "đô": r"\$|đô|usd", "usd": r"\$|đô|usd", "đồng": r"đồng|vnđ|vnd|₫",
    "phút": r"phút|\bmins?\b|minutes?",  # "mấy phút?" and "3 min read"
    "valuation": r"định giá|trị giá|valuation|valued|\bworth\b",
    # a share off, not any share ("Hơn 90% khách hàng")
    "discount": r"giảm giá|chiết khấu|discount|giảm\s+\d+(?:[.,]\d+)?\s*%|\d+\s*%\s+off\b|" + _FREE,
    "response rate": rf"\d+(?:[.,]\d+)?\s*%\s*(?:\S+\s+){{0,3}}?(?:{_RESPONSES})|"
    rf"(?:{_RESPONSES})\s+(?:\S+\s+){{0,4}}?\d+(?:[.,]\d+)?\s*%",
    # how many answered a survey ("~1.000 phản hồi"), not a share of them ("92% các startup")
    "sample": r"(?<![\w.,])\d+(?:[.,]\d+)*(?!\s*%)(?!\d)\s*(?:\S+\s+){0,2}?"
    r"(?:phản hồi|câu trả lời|người|doanh nghiệp|khách hàng|công ty|respondents?|responses?|participants?|mẫu)",
}  # fmt: skip
# Nouns for people, which a count of "người" may stand with
_PEOPLE = ("người", "khách", "đại biểu", "thành viên", "nhân viên", "diễn giả", "học viên", "chuyên gia")
# "sample size", "cỡ mẫu": how many answered
# A count of answers to a survey is stated as such ("~1.000 phản hồi"); "bao nhiêu câu trả lời" is not
# answered by "60 câu hỏi"
_RESPONSES_COUNTED = re.compile(
    r"\bhow many (?:respondents|responses)\b|"
    r"\b(?:bao nhiêu|mấy)\s+(?:câu trả lời|lượt trả lời|người trả lời|phản hồi)\b",
    re.I,
)
_SAMPLE_ASKED = re.compile(rf"\bsample size\b|\bcỡ mẫu\b|{_RESPONSES_COUNTED.pattern}", re.I)
# "năm nào", "khi nào thì…", "when did…" ask for a time ("khi nào nên…" asks for a condition, "có bao giờ…"
# whether something ever happened, "bất cứ khi nào" means whenever, "when assessing…" a circumstance).
_TIME_ASKED = re.compile(
    r"\b(?:năm nào|năm bao nhiêu|tháng nào|ngày nào|lúc nào|thời điểm nào|(?<!có )(?<!chưa )bao giờ|"
    r"(?<!cứ )khi nào(?!\s+(?:nên|cần|phải)))|"
    # ("How does it react when it picks up…?": after another question word, "when" opens a clause, unless it
    # is asked as well: "Who spoke, and when?")
    r"(?<!\w)(?:^(?:(?!\b(?:what|how|which|who|whom|whose|where|why)\b)[^?])*|\b(?:and|or),?\s+|,\s*)"
    r"\bwhen\b(?!\s+(?:should|to|do|does|is it|\w+ing)\b)|"
    r"\b(?:what|which|in what) (?:year|date|month)\b|\bsince when\b",
    re.I,
)
# "Năm nào", "what year": a year answers, "gần đây" (recently) or "Jun 5" does not.
_YEAR_ASKED = re.compile(r"\bnăm (?:nào|bao nhiêu)\b|\b(?:what|which|in what) year\b", re.I)
_YEAR_GIVEN = re.compile(
    # ("trong vòng 3 năm tới" is a span of years, not the year asked)
    r"\b(?:19|20)\d\d\b|(?<!\d )\bnăm (?:nay|ngoái|trước|tới|sau)\b|\b(?:last|next|this) year\b|"
    r"\b\d+\s+năm (?:trước|qua)\b",
    re.I,
)
# "bao lâu", "how long did it last / does it take": a length of time ("2 ngày", "3 min read").
# ("How long is the survey?" asks a length of another kind.)
_DURATION_ASKED = re.compile(
    r"\bbao lâu\b|\bfor how long\b|\bhow long\b(?=[^?]*\b(?:last(?:s|ed)?|take[sn]?|took|run|ran)\b)", re.I
)
_DURATION = re.compile(  # (not a date's parts: "Quý 1 năm 2025", "tháng 3 năm 2025")
    rf"(?<!quý )(?<!tháng )(?<!ngày )(?<!tuần )(?:\d+|\b(?:{'|'.join(_COUNT_WORDS)}))\s*"
    r"(?:phút|giờ|tiếng|ngày|tuần|tháng|năm|quý|min|mins|minutes?|hours?|hrs?|days?|weeks?|months?|years?)\b",
    re.I,
)
# "thành lập năm nào", "when was it founded": the year of another event ("Quý 1 năm 2025") does not answer.
_FOUNDED = r"thành lập|ra đời|\bfounded\b|\bestablished\b|\bfounding\b|\bset up\b"
_FOUNDING_ASKED = re.compile(_FOUNDED, re.I)
_FOUNDING = re.compile(_FOUNDED + r"|sáng lập", re.I)  # (a source may say who founded it, and when)
# Asked when a state holds ("vẫn là … ở thời điểm nào"), not when something happened ("đã", "được đăng",
# "vào tháng…"; "vào lúc nào" is only "at what time").
_STAGE_ASKED = re.compile(
    r"^(?!.*\b(?:đã|vào(?!\s+(?:lúc|thời điểm|giai đoạn) nào)|được)\b)"
    r"(?=.*\b(?:vẫn|còn|thường|luôn|trở nên|trở thành)\b)"
    r"(?=.*\b(?:lúc nào|thời điểm nào|giai đoạn nào|khi nào)\b)|"
    r"\bwhen (?:is|are) [^?]*\b(?:still|usually|most|more|less)\b",
    re.I,
)
_CONDITION = re.compile(r"(?<!trong )\bkhi\b|\bgiai đoạn\b|\bwhen\b|\bonce\b|\bat the stage\b", re.I)
_TIME = re.compile(
    r"\b(?:19|20)\d\d\b|\b(?:quý|tháng|ngày|q)\s*\d|\d{1,2}/\d{1,2}|\b\d+\s+(?:năm|tháng|tuần|ngày)\b|"
    # ("gần đây", "recently" say no when: "Gần đây, tôi đã theo dõi khoản đầu tư…" does not date the investment)
    r"\b(?:năm (?:nay|ngoái|trước|tới|sau)|hiện nay|sắp tới|last year|next year|quarter)\b|"
    # month names only capitalised: "may đo" (tailor-made) and "may" (the verb) are no dates
    r"\b(?-i:January|February|March|April|May|June|July|August|September|October|November|December)\b",
    re.I,
)
# "ở đâu", "thành phố nào", "where…" ask for a place: the evidence must name one ("tại Việt Nam",
# "từ Malaysia", "tại châu Âu": a capitalised word right after the preposition or the word after it).
# ("functions where customers are mature": a relative "where" after a noun asks for no place)
_PLACE_ASKED = re.compile(
    # ("làm việc ở đâu", "công tác ở đâu": where someone works is answered by an organisation)
    r"(?<!làm việc )(?<!làm )(?<!công tác )\b(?:ở đâu|tại đâu)|"
    r"\b(?:nơi nào|địa điểm nào|thành phố nào|tỉnh nào|nước nào)|"
    r"(?:^|[,;]\s*|\b(?:and|or|from|to|know|tell me|ask)\s+)\W*where\b(?![^?]*\b(?:work|works|worked|working)\b)|"
    r"\b(?:which|what|in which|in what) (?:\w+ )?(?:city|country|place|venue|location|region)\b",
    re.I,
)
# "thành phố nào", "which city": a country or a region ("tại Việt Nam", "khắp Đông Nam Á") does not say which city
_CITY_ASKED = re.compile(r"\b(?:thành phố|tỉnh)\s+nào\b|\b(?:which|what)\s+(?:cities|city|town)\b", re.I)
_COUNTRY_OR_REGION = re.compile(
    r"^(?:Việt Nam|Vietnam|Đông Nam(?: Á)?|Southeast Asia|ASEAN|châu Á|Asia|châu Âu|Europe|Bắc Mỹ|North America|"
    r"Mỹ|Hoa Kỳ|the US|Trung Quốc|China|Nhật Bản|Japan|Hàn Quốc|Korea|Ấn Độ|India|Thái Lan|Thailand|"
    r"Indonesia|Malaysia|Philippines|Úc|Australia|Anh|the UK|châu Phi|Africa|Mỹ Latinh|Latin America|"
    r"Trung Đông|the Middle(?: East)?|toàn cầu|khu vực)\b",
)
# The place a question is about ("… tại Việt Nam", "đến từ Việt Nam", "khắp châu Âu"): an answer from a passage
# that never names it is about somewhere else. After "tại" / "ở" any capitalised name; after "từ" / "khắp" only
# a country or region ("từ AWS" is where something comes from). An English question names places in English,
# which the sources write in Vietnamese.
_ABOUT_PLACE_VI = re.compile(r"\b(?i:tại|ở)\s+([A-ZĐ][\w-]*(?:\s+[A-ZĐ][\w-]*)*)")
_FROM_PLACE_VI = re.compile(r"\b(?i:từ|khắp)\s+([A-ZĐ][\w-]*(?:\s+[A-ZĐ][\w-]*)*)")
_ABOUT_PLACE_EN = re.compile(
    r"\b(?:in|from|across|within|throughout)\s+(?:the\s+)?("
    + "|".join(re.escape(p) for p in sorted(PLACE_NAMES, key=len, reverse=True))
    + r")\b"
)
# A model family's name ("Claude", "Llama"), not a word of "GenAI", "Generative AI" or "Large Language Models"
_MODEL_FAMILY = r"(?!(?:Gen|GenAI|Generative|Foundation|Large|Language)\b)(?-i:[A-Z][a-z][\w.-]*)"
# "Which Claude model version…?", "phiên bản nào": a version is named by a number ("Claude 3.5",
# "phiên bản thứ hai", "GPT-4"); a sentence about the product that gives none does not say which.
_VERSION_ASKED = re.compile(
    r"\b(?:which|what)\s+(?:[\w.-]+\s+){0,3}?(?:versions?|releases?|editions?)\b|"
    r"\b(?:phiên bản|bản phát hành)\s+(?:[\wÀ-ỹ.-]+\s+){0,2}?(?:nào|gì)\b|"
    # "Which Claude model…?", "mô hình Llama nào": a model of a named family is named by its version
    rf"\b(?:which|what)\s+{_MODEL_FAMILY}\s+models?\b|\bmô hình\s+{_MODEL_FAMILY}\s+nào\b",
    re.I,
)
_VERSION = re.compile(
    r"\b(?:phiên bản|version|edition|bản)\s+(?:thứ\s+\w+|\d)|(?-i:\b[A-Z][\w.]*(?:-|\s+)\d+(?:\.\d+)*\b)|"
    r"\b(?:first|second|third|latest|newest)\s+(?:version|edition|release)\b",
    re.I,
)
# "Where can partners find the resources?": a product or site holds them ("trong AWS Partner Central")
_FIND_ASKED = re.compile(
    r"\bwhere\s+(?:can|could|do|does|should|may)\s+[^?]{1,60}?\b(?:find|access|get|download|read|see|view)\b|"
    r"\b(?:tìm|truy cập|xem|tải|đọc)\s+(?:[\wÀ-ỹ.-]+\s+){0,4}?(?:ở đâu|tại đâu)",
    re.I,
)
_PLACE_WITHIN = re.compile(r"\b(?:trong|trên|on|within)\s+(\w)", re.I)
# "đặt trụ sở ở đâu", "where is X headquartered": where an organisation is based, which a place it works in
# ("hệ sinh thái AI tại Đông Nam Á") does not say.
_BASED_ASKED = re.compile(
    r"\btrụ sở\b|\bheadquarter(?:s|ed)?\b|\bhead office\b|\bwhere\b[^?]{0,60}\bbased\b|\bbased in which\b", re.I
)
_BASED = re.compile(r"trụ sở|headquarter|head office|văn phòng|\boffices?\b|\bbased in\b|đặt tại", re.I)
# "Ai là CEO…?", "Who is the director…?", "ai viết / who said": a person, whom the evidence must name.
_ROLE = (
    r"(?:tổng |phó |)giám đốc|ceo|cto|chủ tịch|nhà sáng lập|người sáng lập|đồng sáng lập|tác giả|người viết|diễn giả|"
    r"trưởng \w+|director|founder|co-founder|chair(?:man|woman)?|president|author|writer|speaker|head|chief \w+"
)
_PERSON_ASKED = re.compile(
    rf"(?:^|[\s,])(?-i:Ai|ai)\s+(?:là\s+(?:\w+\s+){{0,1}}(?:{_ROLE})\b|(?:là người\s+|đã\s+)?(?:viết|nói|phát biểu|"
    r"trình bày|thuyết trình|sáng lập|điều hành|đứng đầu)\b)|"
    rf"\bwho\s+(?:wrote|said|founded|leads|led|runs|heads|authored)\b|\bwho\s+(?:is|was)\s+(?:the\s+)?(?:\w+\s+){{0,2}}(?:{_ROLE})\b",
    re.I,
)
# "Tên các foundation model … là gì?", "what are the names of…": names the question does not already say
# ("kể tên" means "list", which plain words can answer).
_NAME_ASKED = re.compile(
    r"^\W*tên\b|(?<!kể )\btên\s+(?:gọi\s+)?(?:của\s+)?(?:các|những)\b|\bwhat (?:is|are|were) the names?\b|"
    r"\bthe names? of\b",
    re.I,
)
# "Which banks…?", "trường đại học nào…?": institutions a source names with their kind ("Ngân hàng ACB",
# "Đại học Bách khoa"), so evidence that never says the kind names none of them. Only kinds written that
# way: a company or a service is often named without the word ("VPI thuộc Petrovietnam").
_INSTITUTION_KINDS = (
    (r"banks?|ngân hàng", r"ngân hàng|\bbanks?\b"),
    (r"universit(?:y|ies)|colleges?|(?:trường )?đại học|học viện", r"đại học|học viện|universit|college"),
    (r"schools?|trường học", r"trường học|đại học|\bschools?\b"),
    (r"hospitals?|bệnh viện", r"bệnh viện|hospital"),
    (r"(?:large )?language models?|llms?|mô hình ngôn ngữ(?: lớn)?", r"mô hình ngôn ngữ|language model|\bllms?\b"),
    # ("lập trình" alone is a field: "lợi thế trong … lập trình" names no language)
    (
        r"programming languages?|ngôn ngữ lập trình",
        r"ngôn ngữ lập trình|programming language|\b(?:python|java(?:script)?|typescript|rust|c\+\+|c#|kotlin)\b",
    ),
    # "Báo cáo được phát hành bằng những ngôn ngữ nào?": a language people speak ("điều chỉnh ngôn ngữ" is none)
    (
        r"(?<!mô hình )ngôn ngữ(?! lập trình| lớn)|(?<!programming )(?<!large )languages?(?! models?)",
        r"\btiếng (?:việt|anh|trung|nhật|hàn|pháp|đức|thái)\b|đa ngôn ngữ|multilingual|"
        r"\b(?:english|vietnamese|chinese|japanese|korean|french|german|thai|spanish)\b",
    ),
)
# "Ai là người dẫn chương trình…?", "Who is the CEO of…?": a person in a role, whom the evidence must name in
# that role. A name alone answers "who spoke" but not "who hosted": the sources name many people in other roles.
_ROLE_KINDS = (
    (r"(?:tổng |phó )?giám đốc(?: điều hành)?|ceo|chief executive|director", r"giám đốc|director|\bceo|chief"),
    (r"(?:nhà |người |đồng )?sáng lập|(?:co-?)?founders?|founded", r"sáng lập|founder|founded|thành lập"),
    (r"chủ tịch|chair(?:man|woman|person)?|president", r"chủ tịch|\bchair|president"),
    (r"(?:người )?dẫn chương trình|mc|hosts?|hosted|moderat\w+", r"dẫn chương trình|\bmc\b|\bhost|moderat|điều phối"),
    (r"nhà khoa học(?: dữ liệu)?|(?:data )?scientists?", r"khoa học|scientist"),
)


def _kinds_asked(template: str, kinds: tuple[tuple[str, str], ...]) -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    """(how a question asks for the kind, what evidence of that kind says), with KIND in template the kind."""
    return [(re.compile(template.replace("KIND", asked), re.I), re.compile(given, re.I)) for asked, given in kinds]


_INSTITUTIONS_ASKED = _kinds_asked(
    r"\b(?:which|what)\s+(?:[\w-]+\s+){0,2}?(?:KIND)\b|(?:^|\s)(?:KIND)\s+(?:[\wÀ-ỹ]+\s+){0,2}?nào\b",
    _INSTITUTION_KINDS,
)
_ROLES_ASKED = _kinds_asked(
    r"(?:^|[\s,])(?-i:Ai|ai)\s+(?:là\s+)?(?:KIND)\b|\b(?:KIND)\s+(?:[\w.À-ỹ-]+\s+){0,6}?là\s+(?-i:ai)\b|"
    r"\b(?:KIND)\s+(?:[\w.À-ỹ-]+\s+){0,6}?tên\s+(?:là\s+)?gì\b|"
    r"\bname of (?:the|its|their)\s+(?:[\w'’-]+\s+){0,3}?(?:KIND)\b|"
    r"\bwho\s+(?:(?:is|was|are|were)\s+(?:the\s+)?(?:[\w.-]+\s+){0,2}?)?(?:KIND)\b",
    _ROLE_KINDS,
)
# "NIC là viết tắt của…", "What does CDP stand for?", "tên đầy đủ của…": an acronym spelled out answers.
_EXPANSION_ASKED = re.compile(r"viết tắt|tên đầy đủ|\bstands? for\b|\bfull (?:name|form)\b|\babbreviat", re.I)
_HONORIFIC = re.compile(r"\b(?:ông|bà|anh|chị|mr|ms|mrs|dr)\.?\s+(\S+)", re.I)
_BYLINE_AUTHOR = re.compile(r"^\W*(?:tác giả|author|người viết)\W*:", re.I | re.M)
# A name with its role after it: "Lâm Tuấn Kiệt - Senior DevOps Engineer", "Laura Nguyễn, Giám đốc…".
_NAME_THEN_ROLE = re.compile(r"((?:[^\W\d_][\w'.-]*\s+){1,3}[^\W\d_][\w'.-]*)\s*[-–,]\s+(\S)")
# "Bà Laura Nguyễn từng làm việc ở công ty nào trước khi về GenAI Fund?", "Where did he work before?": someone's
# past work, which a sentence about what they do now does not tell
_PAST_WORK_ASKED = re.compile(
    r"\b(?:từng|trước đây|trước khi)\b.{0,40}\b(?:làm việc|công tác|làm ở|giữ)\b|"
    r"\b(?:làm việc|công tác|làm ở|giữ)\b.{0,40}\b(?:trước đây|trước khi)\b|"
    r"\b(?:previously|formerly)\b|\bwork(?:ed)?\b.{0,40}\bbefore\b|\bbefore (?:joining|founding|leading)\b",
    re.I,
)
# "Huy Nguyen giữ chức vụ gì ở Filum.ai?", "What is Laura Nguyễn's role?": what someone named does
_ROLE_OF_ASKED = re.compile(
    r"\b(?:giữ|đảm nhận|đảm nhiệm|làm)\s+(?:chức vụ|chức danh|vị trí|vai trò)\b|"
    r"\b(?:chức vụ|chức danh|vai trò|công việc)\s+(?:của\s+)?(?:[\w.À-ỹ-]+\s+){0,4}?(?:là\s+)?(?:gì|nào)\b|"
    r"\bwhat (?:is|was) (?:[\w.'’-]+\s+){1,4}?(?:role|position|job title|title|job)\b",
    re.I,
)
_PAST = re.compile(r"\btừng\b|trước đây|trước khi|trước đó|\bpreviously\b|\bformerly\b|\bformer\b|\bex-", re.I)
# "What was the title of the FPT speaker's talk?": a talk is named by a title in quotes beside the talk it names;
# the write-up's own title, and the speaker's line, are not it.
_TALK = (
    r"bài (?:nói|trình bày|phát biểu|thuyết trình)|phần trình bày|tham luận|phiên(?! bản)|talks?|presentations?|"
    r"sessions?|speech(?:es)?|keynotes?"
)
_TALK_TITLE_ASKED = re.compile(
    rf"(?:tiêu đề|tựa đề|\btên)\s+(?:của\s+)?(?:{_TALK})\b|\b(?:{_TALK})\b[^?]{{0,40}}?(?:tiêu đề|tựa đề|tên là gì)|"
    rf"\b(?:title|name)s?\s+of\s+(?:[\w'’]+\s+){{0,3}}?(?:{_TALK})\b|\b(?:{_TALK})\s+(?:\w+\s+){{0,2}}?(?:titled|called|named)\b",
    re.I,
)
_TALK_NAMED = re.compile(rf"(?=.*(?:{_TALK}))(?=.*[“\"«][^”\"»]{{3,}}[”\"»])", re.I | re.S)
# Business facts an article states in these words or not at all: a question about an award, revenue, profit, a
# market share, a stake, a salary, an acquisition, a listing, a patent or a lawsuit is not answered by sentences
# that never speak of one ("Startup nào đã giành giải thưởng tại GenAI Open Innovation?" by the event's success).
_FACT_KINDS = tuple(
    re.compile(kind, re.I)
    for kind in (
        r"giải thưởng|trao giải|đoạt giải|giành giải|\bawards?\b|\bprizes?\b",
        r"doanh thu|doanh số|\brevenues?\b|\bturnover\b",
        r"lợi nhuận|\bprofits?\b|\bprofitab\w*|\bearnings\b",
        r"thị phần|\bmarket shares?\b",
        r"cổ phần|cổ phiếu|\bstakes?\b|\bshareholding",
        r"\blương\b|\bsalar(?:y|ies)\b|\bwages?\b",
        r"mua lại|thâu tóm|sáp nhập|\bacqui(?:re[ds]?|sitions?)\b|\bmergers?\b",
        r"niêm yết|lên sàn|\bIPO\b|\bgo(?:es|ing|ne)? public\b|\bstock exchange\b",
        r"bằng sáng chế|\bpatents?\b",
        r"vụ kiện|khởi kiện|kiện tụng|\blawsuits?\b|\bsued\b|\blitigation\b",
    )
)
_PLACE = re.compile(r"\b(?P<prep>tại|ở|từ|khắp|in|at|across|from)\s+(\S+)(?:\s+(\S+))?", re.I)
_SOURCE_PREP = {"từ", "from"}


def quantity_unit(question: str) -> tuple[bool, str | None]:
    """Is this a quantity question, and which word should stand with the number (Vietnamese only)?"""
    if _PRICE_EN.search(question):
        return True, "money"
    if _VALUATION_ASKED.search(question):
        return True, "valuation"
    if _RESPONSE_RATE_ASKED.search(question):
        return True, "response rate"
    if _PERCENT_EN.search(question):
        return True, "percent"
    if _DISCOUNT_ASKED.search(question):
        return True, "discount"
    if _SAMPLE_ASKED.search(question):
        return True, "sample"
    match = _QUANTITY_VI.search(question)
    if match and re.search(r"\btỷ lệ\b", question, re.I):
        return True, "phần"  # "Tỷ lệ khách hàng … là bao nhiêu?" is a share, whatever word stands before it
    if match:
        words = re.findall(r"[\wÀ-ỹ]+", match.group("before").lower())
        after = match.group("after").lower()
        # ("cấp độ thứ mấy trong…" counts no "trong")
        if after and after not in _SKIP and after not in _NOT_UNITS and words[-1:] != ["thứ"]:
            return True, after
        if _MONEY_VI.search(question):
            return True, "money"
        before = [w for w in words if w not in _SKIP]
        if not before:
            return True, None
        # "Amazon đầu tư bao nhiêu?", "Sự kiện thu hút bao nhiêu?": a verb before it names no unit
        verbs = verbs_in(question)
        if any(
            before[-1] in verb.split("_") and f" {verb.replace('_', ' ')} " in f" {match.group('before').lower()}"
            for verb in verbs
        ):
            return True, None
        return True, before[-1]
    return bool(_QUANTITY_EN.search(question)), None


_COUNTED_VI = re.compile(r"\b(?:mấy|bao nhiêu)\s+(?P<noun>[^\W\d_]+(?:\s+[^\W\d_]+)?)", re.I)
_COUNTED_EN = re.compile(r"\bhow many\s+(?P<noun>[^\W\d_]+)", re.I)
# Not things counted in a list: amounts, shares, times.
_NOT_COUNTED = {
    "phần",
    "tiền",
    "vốn",
    "đô",
    "usd",
    "tỷ",
    "triệu",
    "năm",
    "tháng",
    "ngày",
    "giờ",
    "lần",
    "tuổi",
    "percent",
}


_NOT_COUNTED_EN = {"people", "times", "years", "months", "weeks", "days", "hours", "more", "percent", "dollars"}


def counted_noun(question: str) -> str | None:
    """What a "how many X" question counts ("mấy bài học" -> "bài học", "how many speakers" -> "speakers").

    When no sentence states the number, a list of those things answers by its length.
    """
    match = _COUNTED_VI.search(question) or _COUNTED_EN.search(question)
    if not match or _PRICE_EN.search(question):
        return None
    words = match.group("noun").lower().split()
    if words[0] in _NOT_COUNTED or words[0] in _SKIP or words[0] in _NOT_UNITS:
        return None
    if len(words) == 2 and (words[1] in STOPWORDS or _starts_a_word(question[match.start("noun") :], words[1])):
        return words[0]  # "mấy điều về…", "mấy hướng áp dụng": "áp" begins the next word ("áp_dụng")
    return " ".join(words)


def _starts_a_word(phrase: str, syllable: str) -> bool:
    """Does `syllable`, the phrase's second, begin a word of several syllables there (pyvi's segmentation)?"""
    words = segmented(phrase).lower().split()
    return len(words) >= 2 and "_" not in words[0] and words[1].startswith(syllable + "_")


def stated_count(question: str) -> re.Pattern[str] | None:
    """What states the number a "how many X" question asks for ("5 cấp độ" for "mấy cấp độ"), if it counts."""
    if _RESPONSES_COUNTED.search(question):  # "bao nhiêu câu trả lời": "~1.000 phản hồi", not "60 câu hỏi"
        return re.compile(_UNIT_FORMS["sample"], re.I)
    noun = counted_noun(question)
    if noun is None:
        return None
    return re.compile(rf"(?<![\w.,])(?:\d+|{'|'.join(_COUNT_WORDS)})\s+{counted_forms(noun)}\b", re.I)


def counted_forms(noun: str) -> str:
    """A pattern for the thing counted as asked or, asked in English, as the Vietnamese sources write it."""
    return f"(?:{'|'.join(re.escape(form) for form in (noun, *vietnamese_forms(noun)))})"


_ORDINAL_VI = re.compile(r"\bthứ\s+(?:mấy|bao nhiêu)\b", re.I)
# "lần thứ mấy?" is answered by "lần đầu tiên", which holds no number
_FIRST_OR_LAST = r"đầu tiên|cuối cùng"


def _counted(unit: str | Iterable[str], question: str, between: tuple[int, int] = (0, 2)) -> str:
    """A number standing with the thing counted ("200 khách mời", "12 tỷ giao dịch"), not a share ("92% các
    startup"), `between` words apart; for a position asked ("cấp độ thứ mấy"), the number after it ("Cấp độ 2",
    "phiên bản thứ hai"). The thing may go by several names (`_PEOPLE`)."""
    units = "|".join(map(re.escape, [unit] if isinstance(unit, str) else unit))
    if _ORDINAL_VI.search(question):
        return rf"\b(?:{units})\s+(?:thứ\s+)?(?:\d+|nhất|{_FIRST_OR_LAST}|{'|'.join(_COUNT_WORDS)})\b"
    number = rf"(?<![\w.,])\d+(?:[.,]\d+)*(?!\s*%)(?!\d)|\b(?:{'|'.join(_COUNT_WORDS)}|trăm|nghìn|ngàn|triệu|tỷ)"
    return rf"(?:{number})\s*(?:\S+\s+){{{between[0]},{between[1]}}}?(?:{units})\b"


def _loanword_counted(question: str, texts: list[str]) -> str | None:
    """The stem of what an English "how many X" counts, when the Vietnamese sources write X as is ("startup",
    "use case"): then the number must stand with it. None when X is translated, which no pattern can follow."""
    match = _COUNTED_EN.search(question)
    noun = match.group("noun").lower() if match else ""
    if len(noun) < 4 or noun in _NOT_COUNTED_EN:
        return None
    stem = re.sub(r"(?:ies|es|s)$", "", noun) if len(noun) > 4 else noun
    return stem if any(re.search(rf"\b{re.escape(stem)}", text) for text in texts) else None


def quantity_supported(question: str, sentences: Iterable[str]) -> bool:
    """False when a quantity is asked for and no sentence gives one (with its unit, when known)."""
    asked, unit = quantity_unit(question)
    if not asked:
        return True
    if _SHARE_ASKED.search(question) and language(question) == "vi":
        # "Tỷ lệ khách hàng đã đưa GenAI vào production là bao nhiêu phần trăm?" is not answered by "Hơn 90%
        # khách hàng … dự định hợp tác với đối tác AWS": a share is of something, and of those that do something
        words = _content_words(question)
        needed = max(_SHARE_WORDS_SHARED, math.ceil(_SHARE_WORDS_PART * len(words)))
        sentences = [t for t in sentences if len(_content_words(t) & words) >= needed]
    # a list item's number ("1. Lâm Tuấn Kiệt") and a name's ("Series #1") count nothing
    texts = [_NAMED_NUMBER.sub(" ", LIST_ITEM.sub("", text)).lower() for text in sentences]
    loanword = None if unit else _loanword_counted(question, texts)
    if loanword:
        form = re.compile(_counted(loanword, question).removesuffix(r"\b"))
    elif unit == "người":  # any kind of person counts people: "bao nhiêu người được mời?" -> "200 khách mời"
        form = re.compile(_counted(_PEOPLE, question))
    else:
        form = re.compile(_UNIT_FORMS.get(unit, _counted(unit, question)) if unit else "")
    # "mấy mảng trọng tâm?" is answered by "7 lĩnh vực trọng tâm": the word qualifying the unit, after another noun
    qualifier = _qualifier(question, unit) if unit and unit not in _UNIT_FORMS and not loanword else None
    if qualifier is not None:
        form = re.compile(rf"{form.pattern}|{_counted(qualifier, question, between=(1, 3))}")
    free = re.compile(_FREE) if unit == "money" else None  # "free" is a price without a figure
    first = re.compile(rf"\b(?:{_FIRST_OR_LAST})\b") if _ORDINAL_VI.search(question) else None
    given = (_NUMBER, free, first)
    return any(any(g and g.search(text) for g in given) and form.search(text) for text in texts)


def share_doings_supported(question: str, quoted: Sequence[str], passages: Sequence[str]) -> bool:
    """False when a share is asked of those that do something the `passages` say, and no `quoted` sentence
    giving a figure says any such thing (see `_LIGHT_VERBS`)."""
    if not (_SHARE_ASKED.search(question) and language(question) == "vi" and quantity_unit(question)[0]):
        return True
    # (a word pyvi joined or one with Vietnamese marks: not a loanword it took for a verb, "startup")
    doings = {v for v in verbs_in(question) if ("_" in v or fold(v) != v) and v not in _LIGHT_VERBS | STOPWORDS}
    said = {v for v in doings if any(_says(v, text) for text in passages)}
    figures = [text for text in quoted if _NUMBER.search(text)]
    return not said or any(_says(v, text) for v in said for text in figures)


def _says(word: str, text: str) -> bool:
    """`text` has the (segmented) `word` as a word of its own, case aside ("hỏi" is not in "câu hỏi")."""
    if re.search(rf"(?<!\w){re.escape(word.replace('_', ' '))}(?!\w)", text, re.I) is None:
        return False
    return word in _segmented_words(text)


def _content_words(text: str) -> set[str]:
    """The words of a text (syllables joined, lower-cased) but stopwords and the words that ask for a share."""
    return {w for w in _segmented_words(text) if w and w not in STOPWORDS and w not in _SHARE}


def _segmented_words(text: str) -> set[str]:
    """A text's words, syllables joined and lower-cased, without the punctuation pyvi may leave on them
    ("AI." at a sentence's end; `rag.segment`'s own word list drops such words)."""
    return {w.strip(".,;:!?()[]\"'“”*") for w in segmented(text).lower().split()}


def _qualifier(question: str, unit: str) -> str | None:
    """The word of several syllables right after the unit asked for ("mấy mảng trọng tâm" -> "trọng tâm")."""
    match = re.search(rf"\b(?:mấy|bao nhiêu)\s+{re.escape(unit)}\s+(?P<rest>[^?.,!]+)", question, re.I)
    words = segmented(match.group("rest")).lower().split() if match else []
    if not words or "_" not in words[0] or words[0] in STOPWORDS:
        return None
    return words[0].replace("_", " ")


def kind_supported(question: str, sentences: Iterable[str]) -> bool:
    """False when the question asks for a quantity, a time or duration, a person, a place or an institution
    of a kind, or a person in a role, and no sentence gives one.

    Similarity finds sentences about the right thing whether or not they hold the kind of
    answer asked for: "Filum.ai được thành lập năm nào?" finds sentences about Filum.ai.
    """
    texts = list(sentences)
    if not quantity_supported(question, texts):
        return False
    if _YEAR_ASKED.search(question) and not any(_YEAR_GIVEN.search(t) for t in texts):
        return False
    if _DURATION_ASKED.search(question) and not any(_DURATION.search(t) for t in texts):
        return False
    founding = _TIME_ASKED.search(question) and _FOUNDING_ASKED.search(question)  # ("năm nào" is a time asked)
    if founding and not any(_TIME.search(t) and _FOUNDING.search(t) for t in texts):
        return False
    if _TIME_ASKED.search(question) and not any(_TIME.search(t) for t in texts):
        # "lúc nào / ở thời điểm nào … vẫn là…" asks about a state, which a condition answers ("khi bắt đầu…")
        if not (_STAGE_ASKED.search(question) and any(_CONDITION.search(t) for t in texts)):
            return False
    if _BASED_ASKED.search(question) and not any(_BASED.search(t) for t in texts):
        return False
    if _PERSON_ASKED.search(question) and not any(names_a_person(t) for t in texts):
        return False
    if _NAME_ASKED.search(question) and not any(_new_names(t, question) for t in texts):
        return False
    for asked, given in _INSTITUTIONS_ASKED + _ROLES_ASKED:
        if asked.search(question) and not any(given.search(t) for t in texts):
            return False
    if _VERSION_ASKED.search(question) and not any(_VERSION.search(without_emphasis(t)) for t in texts):
        return False
    if _PRICING_ASKED.search(question) and not any(_PRICING.search(t) for t in texts):
        return False
    if _PAST_WORK_ASKED.search(question) and not any(_PAST.search(t) for t in texts):
        return False
    if _TALK_TITLE_ASKED.search(question) and not any(_TALK_NAMED.match(t) for t in texts):
        return False
    if any(kind.search(question) and not any(kind.search(t) for t in texts) for kind in _FACT_KINDS):
        return False
    finding = bool(_FIND_ASKED.search(question))
    city = bool(_CITY_ASKED.search(question))
    return not (_PLACE_ASKED.search(question) and not any(_names_a_place(t, finding, city) for t in texts))


def role_supported(question: str, sentences: Iterable[str]) -> bool:
    """False when a person in a role is asked for ("Ai là giám đốc điều hành của Renova Cloud?") and none of
    these sentences, the ones an answer quotes, says the role: one elsewhere ("Bà Laura Nguyễn, Giám đốc
    Quỹ GenAI Fund") is about someone else, and a model would pin the role on the name it has. Nor when the
    role of someone named is asked ("Huy Nguyen giữ chức vụ gì?") and no sentence names them."""
    texts = list(sentences)
    if any(asked.search(question) and not any(given.search(t) for t in texts) for asked, given in _ROLES_ASKED):
        return False
    if not _ROLE_OF_ASKED.search(question):
        return True
    seen = fold(" ".join(texts)).lower()
    return all(fold(name).lower() in seen for name in _people_named(question))


def _people_named(question: str) -> list[str]:
    """The last two of each run of capitalised plain words ("Huy Nguyen", "Hiếu Nghĩa" of "Đặng Hoàng Hiếu
    Nghĩa", "Laura Nguyễn" of "Bà Laura Nguyễn's"): people's names without a title or a sentence's first word. A
    name with a capital inside, a dot or a digit ("GenAI Fund", "Filum.ai") is not a person's."""
    runs: list[list[str]] = [[]]
    for word in re.findall(r"[^\W\d_][\w.'’-]*|\S", re.sub(r"['’]s\b", "", question)):
        if word[:1].isupper() and word[1:].islower() and word.isalpha():
            runs[-1].append(word)
        else:
            runs.append([])
    return [" ".join(run[-2:]) for run in runs if len(run) >= 2]


def spelled_out(question: str) -> re.Pattern[str] | None:
    """Where a source spells out the acronym a question asks about ("NIC là viết tắt của gì?", "What does CDP
    stand for?"): "Trung tâm … (NIC)" or "CDP (Nền tảng Dữ liệu Khách hàng)"; None if it asks no such thing."""
    if not _EXPANSION_ASKED.search(question):
        return None
    acronyms = "|".join(map(re.escape, re.findall(r"\b[A-Z][A-Za-z]*[A-Z]\b", question)))
    if not acronyms:
        return None
    return re.compile(rf"\((?:{acronyms})\)|\b(?:{acronyms})\s+\((?!(?:{acronyms})\))[^)]{{3,}}\)")


def names_a_person(text: str) -> bool:
    """A title before a capitalised name, a byline, or a capitalised name followed by its role."""
    text = without_emphasis(text)
    if _BYLINE_AUTHOR.search(text) or any(m.group(1)[:1].isupper() for m in _HONORIFIC.finditer(text)):
        return True
    for match in _NAME_THEN_ROLE.finditer(text):
        name = list(takewhile(_is_name_word, reversed(match.group(1).split())))
        if len(name) >= 2 and match.group(2).isupper():  # "AI Engineer" is an acronym and a word
            return True
    return False


def _new_names(text: str, question: str) -> bool:
    """A capitalised name (not an acronym, not a sentence's first word) that the question does not say."""
    asked = {w.lower() for w in re.findall(r"[\w.'-]+", question)}
    for sentence in re.split(r"(?<=[.!?…:])\s+|\n", without_emphasis(text)):
        if sentence.rstrip(" *").endswith(":") or sentence.lstrip().startswith("#"):
            continue  # a heading or lead-in capitalises its words ("Tận Dụng Amazon Bedrock:")
        words = re.findall(r"[^\W\d_][\w.'-]*", sentence)
        if any(_is_name_word(w) and w.lower() not in asked for w in words[1:]):
            return True
    return False


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() and any(ch.islower() for ch in word[1:])


def _names_a_place(text: str, finding: bool = False, city: bool = False) -> bool:
    """ "tại Việt Nam", "từ Malaysia"; where something is found (`finding`), also a product or site; when a
    `city` is asked, no country or region ("tại Việt Nam" does not say where in it)."""
    if finding and any(m.group(1).isupper() for m in _PLACE_WITHIN.finditer(without_emphasis(text))):
        return True
    for m in _PLACE.finditer(without_emphasis(text)):
        first, second = m.group(2), m.group(3) or ""
        if city and _COUNTRY_OR_REGION.match(f"{first} {second}".strip(" .,;")):
            continue
        if m.group("prep").lower() in _SOURCE_PREP:
            # "từ Malaysia" is a place; "từ Generative AI", "từ PoC" name where value comes from
            if _is_name_word(first) and not any(ch.isupper() for ch in first[1:]) and second.strip(".,") != "AI":
                return True
        elif first[:1].isupper() or second[:1].isupper():
            return True
    return False


def places_asked(question: str) -> list[tuple[str, ...]]:
    """The places the question is about, each as the sources may write it, lower-cased ("Bao nhiêu người trả
    lời đến từ Việt Nam?" -> [("việt nam",)]; "from Vietnam" -> [("việt nam", "vietnam")])."""
    if language(question) != "vi":
        return [PLACE_NAMES[m] for m in _ABOUT_PLACE_EN.findall(question)]
    places = _ABOUT_PLACE_VI.findall(question)
    places += [p for p in _FROM_PLACE_VI.findall(question) if _COUNTRY_OR_REGION.match(p) and p != "Anh"]
    return [(p.lower(),) for p in places]


def enumeration_asked(question: str) -> int | None:
    """How many named items the question asks for ("which 10 countries" -> 10), if it asks for a set count."""
    for pattern in _ENUMERATION:
        match = pattern.search(question)
        if match:
            n = match.group("n").lower()
            count = int(n) if n.isdigit() else _COUNT_WORDS[n]
            return count if count >= 2 else None
    return None


def enumeration_supported(question: str, sentences: Iterable[str]) -> bool:
    """False when the question asks for N named items and the evidence only repeats that there are N.

    The items may be list lines (those that do not themselves state the count) or
    one sentence that enumerates them after a colon or "gồm"/"including".
    """
    count = enumeration_asked(question)
    if count is None:
        return True
    stated = re.compile(
        rf"(?<!\d){count}(?!\d)|\b(?:{'|'.join(w for w, v in _COUNT_WORDS.items() if v == count)})\b", re.I
    )
    items = 0
    for text in sentences:
        if len(inline_items(text)) >= min(count, 3) or _names_joined(text) >= min(count, 3):
            return True
        if LIST_ITEM.match(text) and not stated.search(LIST_ITEM.sub("", text)):
            items += 1
        elif (title := NUMBERED_TITLE.match(without_emphasis(text))) and not stated.search(text[title.end() :]):
            items += 1  # "Cấp độ 1: …" … "Cấp độ 5: …"
    return items >= 2


# Names joined into one run ("Malaysia và Singapore", "Sovico, VPI và Globe Telecom"): items named in prose.
_NAME = r"(?-i:[A-ZĐ][\w.-]*)(?:\s+(?-i:[A-ZĐ][\w.-]*))*"
_NAME_RUN = re.compile(rf"{_NAME}(?:\s*,\s*{_NAME})*,?\s+(?:và|and|&)\s+{_NAME}")


def _names_joined(text: str) -> int:
    """How many names the longest run of names joined by commas and "và" / "and" holds."""
    runs = [m.group(0) for m in _NAME_RUN.finditer(without_emphasis(text))]
    return max((len(re.split(r"\s*,\s*|\s+(?:và|and|&)\s+", run)) for run in runs), default=0)


def inline_items(text: str) -> list[str]:
    """The items a sentence enumerates after its colon or "gồm" ("…: A, B và C" -> [A, B, C])."""
    opens = _ENUMERATION_OPENS.search(text)
    if not opens:
        return []
    parts = (part.strip(" .*") for part in _ITEM_SEPARATOR.split(text[opens.end() :]))
    return [re.sub(r"^(?:và|and|hoặc|or)\s+", "", part, flags=re.I) for part in parts if part]


# A name written so that it cannot be a common word: letters with digits ("GPT-4", "Llama3", "Trainium2") or a
# capital inside a word ("OpenAI", "ChatGPT"). Acronyms ("CRM", "ROI") are left out: a source may spell them out
# in Vietnamese, as may kinds of things written like names ("GenAI", "DevOps", "B2B", "5G"). A lower-case English
# suffix is the name's use ("GPT-4-based" names GPT-4; "360-degree" and "#1" name nothing), and "Q1" / "H2" are a
# quarter and a half-year.
_CODED_NAME = re.compile(r"(?<![\w.#-])(?:[A-Za-z]+[\w-]*\d[\w-]*|\d+[\w-]*[A-Za-z][\w-]*|[A-Z][a-z]+[A-Z][\w-]*)")
_USE_SUFFIX = re.compile(r"-[a-z]{3,}$")
_POSSESSIVE = re.compile(r"['’]s$")
_WORD_IN_SENTENCE = re.compile(r"(?<=[\w,]) +([^\W\d_][\w'-]*(?:\.[^\W\d_]+)*)")
_KIND_LIKE_A_NAME = re.compile(r"^(?:[QH]\d|\d[A-Za-z]|Web\d|GenAI|DevOps|\w*Ops|[PIS]aaS|\w+Tech)$", re.I)


def names_as_written(question: str) -> set[str]:
    """The names in a question that an article about them would write as the question does ("GPT-4", "OpenAI";
    in a Vietnamese question also "Llama", "Laura").

    A question about a model or company no article speaks of is not answered by what they say of another
    ("Claude có đánh bại GPT-4 không?"); such names are not translated, so their absence can be checked.
    """
    names = {_USE_SUFFIX.sub("", name) for name in _CODED_NAME.findall(question)}
    if language(question) == "vi":
        # A Vietnamese question writes a name as a Vietnamese article does ("Llama", "Meta"): a capital inside a
        # sentence, after a word or a comma, marks one. (An English question's "Vietnam" or "Southeast Asia" is
        # the sources' "Việt Nam".)
        names |= {
            _POSSESSIVE.sub("", m.group(1))  # ("Nguyễn's" is "Nguyễn")
            for m in _WORD_IN_SENTENCE.finditer(question)
            if m.group(1)[0].isupper() and not m.group(1).isupper() and "." not in m.group(1)
        }
    return {name for name in names if re.search(r"[^\W\d_]", name) and not _KIND_LIKE_A_NAME.match(name)}
