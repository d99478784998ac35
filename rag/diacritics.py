"""Vietnamese typed without its marks ("khao sat co bao nhieu cau hoi?"), written again with them.

Users often chat without diacritics. The embedder, the keyword index and every check on the question read
Vietnamese as the articles write it, so such a question found the wrong passage ("Filum.ai chia ca nhan hoa
thanh may cap do?" was answered with Filum.ai's closing words). pyvi's own `add_accents` writes "khảo sắt",
"cầu hội"; here each syllable takes the spelling that the indexed articles, then pyvi's dictionary, make
most likely after the one before it (a bigram model read with Viterbi). The articles' own words come first:
they are what the question is asked about.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from rag.segment import STOPWORDS

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# A word with what joins it to the next ("Filum.ai", "GPT-4", "Trainium2") is one token: only plain words change
_SPLIT = re.compile(r"(\w+(?:[.'’-]\w+)*)", re.UNICODE)
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})
# A word counts this many times over a dictionary entry's: the articles say what is asked about.
_ARTICLE_WEIGHT = 50
# Dirichlet smoothing of the bigram by the unigram (how much a pair never seen may still follow).
_SMOOTHING = 200.0
# Words that only Vietnamese writes: one of them tells a question typed without marks from an English one.
_VIETNAMESE_ONLY = frozenset(
    "cua cac nhung duoc khong nhieu gi nao voi trong nhu nay mot nguoi viec theo thi tai sao bao dau "
    "gom nhat hien bai viet doanh nghiep chung toi ban minh dang se cho biet la va co ve".split()
)
_SYLLABLE_SHARE = 0.8
# How questions ask, which articles seldom write ("mấy", "bao lâu", "nói gì"): counted as often as the
# commonest words, with the stopwords that every Vietnamese text is full of (rag/segment.py).
_QUESTION_WORDS = (
    "mấy | bao nhiêu | bao lâu | khi nào | lúc nào | ở đâu | từ đâu | tại sao | vì sao | như thế nào | "
    "ra sao | nói gì | làm gì | là gì | là ai | những ai | những gì | thì sao | có không | có phải | "
    "đã chưa | hỏi gì | hay không | có mấy | có bao nhiêu | thứ mấy | cho rằng | ai viết | do ai | "
    "năm nào | mấy năm | mấy phút | bao nhiêu tiền | giá bao nhiêu | địa điểm nào"
).split(" | ")
_COMMON_WEIGHT = 200


def fold(text: str) -> str:
    """The text without Vietnamese tone and vowel marks ("Đổi mới" -> "Doi moi")."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


@lru_cache(maxsize=1)
def _dictionary() -> tuple[str, ...]:
    """pyvi's word list (31k words, installed with it): the Vietnamese the articles do not use."""
    import pyvi

    path = Path(pyvi.__file__).parent / "models" / "words.txt"
    return tuple(path.read_text(encoding="utf-8").splitlines()) if path.exists() else ()


class DiacriticRestorer:
    """Writes a question typed without marks as the articles would (see the module's docstring)."""

    def __init__(self, texts: Iterable[str]) -> None:
        unigrams: Counter[str] = Counter()
        bigrams: Counter[tuple[str, str]] = Counter()
        common = [w.replace("_", " ") for w in STOPWORDS if fold(w) != w] + list(_QUESTION_WORDS)
        weighted = [
            *((t, _ARTICLE_WEIGHT) for t in texts),
            *((w, _COMMON_WEIGHT) for w in common),
            *((w, 1.0) for w in _dictionary()),
        ]
        for text, weight in weighted:
            for run in re.split(r"[^\w\s]|\d|_", unicodedata.normalize("NFC", text)):
                words = [w.lower() for w in _WORD.findall(run)]
                for word in words:
                    unigrams[word] += weight
                for pair in zip(words, words[1:]):
                    bigrams[pair] += weight
        self._unigrams = unigrams
        self._bigrams = bigrams
        self._total = sum(unigrams.values()) or 1
        spellings: defaultdict[str, list[str]] = defaultdict(list)
        for word in unigrams:
            spellings[fold(word)].append(word)
        self._spellings = dict(spellings)

    def lacks_marks(self, text: str) -> bool:
        """Vietnamese written without a single mark, not English ("What do the sources say about AI?")."""
        if fold(text) != text:
            return False
        # (names and acronyms are left out: "AWS Cloud Mastery Series", "Laura")
        words = [w.lower() for w in _WORD.findall(text) if self._markable(w.lower()) or not w[:1].isupper()]
        if len(words) < 3:
            return False
        known = sum(self._markable(w) or w in _VIETNAMESE_ONLY for w in words)
        # (every word a syllable, "Filum.ai chia ca nhan hoa thanh may cap do?", is Vietnamese too)
        vietnamese = any(w in _VIETNAMESE_ONLY for w in words) or (known == len(words) and known >= 4)
        return known / len(words) >= _SYLLABLE_SHARE and vietnamese

    def restore(self, text: str) -> str:
        """`text` with its marks written back when it lacks them all (`lacks_marks`), else `text` itself."""
        if not self.lacks_marks(text):
            return text
        parts = _SPLIT.split(text)  # tokens at odd indices, what lies between them at even ones
        out = list(parts)
        run: list[int] = []
        for i in range(1, len(parts), 2):
            run.append(i)
            if (parts[i + 1] if i + 1 < len(parts) else "").strip():  # punctuation ends what the next word follows
                self._restore_run(parts, out, run)
                run = []
        self._restore_run(parts, out, run)
        return "".join(out)

    def _markable(self, word: str) -> bool:
        """Some spelling of the (lower-case) word carries a mark: a Vietnamese syllable, not "fund"."""
        return any(s != word for s in self._spellings.get(word, ()))

    def _restorable(self, word: str) -> bool:
        # (names and acronyms written with a capital inside, "GenAI", "AWS", keep their spelling)
        return (
            _WORD.fullmatch(word) is not None
            and self._markable(word.lower())
            and not any(ch.isupper() for ch in word[1:])
        )

    def _restore_run(self, parts: list[str], out: list[str], run: list[int]) -> None:
        if not run:
            return
        # (a name or a number stays as written, and the word after it is read after it: "Quỹ GenAI")
        options = [self._spellings[parts[i].lower()] if self._restorable(parts[i]) else [parts[i].lower()] for i in run]
        for i, spelled in zip(run, self._best(options)):
            if self._restorable(parts[i]):
                out[i] = spelled.capitalize() if parts[i][:1].isupper() else spelled

    def _unigram(self, word: str) -> float:
        return (self._unigrams[word] + 0.5) / (self._total + 0.5 * len(self._unigrams))

    def _best(self, options: list[list[str]]) -> list[str]:
        """The likeliest spelling of each word in turn (Viterbi over the bigram model)."""
        # (best log-probability, spellings so far) for each spelling of the last word
        paths = {s: (math.log(self._unigram(s)), [s]) for s in options[0]}
        for spellings in options[1:]:
            step: dict[str, tuple[float, list[str]]] = {}
            for s in spellings:
                prior = _SMOOTHING * self._unigram(s)
                step[s] = max(
                    (
                        score + math.log((self._bigrams[(prev, s)] + prior) / (self._unigrams[prev] + _SMOOTHING)),
                        path + [s],
                    )
                    for prev, (score, path) in paths.items()
                )
            paths = step
        return max(paths.values())[1]
