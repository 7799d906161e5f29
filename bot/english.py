"""How common a word is in general English, to tell phrasing from a topic the index lacks.

A question word the index never uses is either how the asker talks ("blow the deadline", "the
decision clock", "nobody got an auth") or a subject the documents do not cover ("fecal
incontinence", "cochlear implants", "copays"). The first kind is common English, the second is
mostly not: on the tuning questions, unknown words of answerable questions have a median Zipf
frequency near 4.6, those of unanswerable ones near 3.8. The frequencies are wordfreq's
(word lists shipped inside the package: nothing is downloaded).
"""

from functools import lru_cache

from wordfreq import zipf_frequency

# Zipf 5 is about once in every 10,000 words of general English, Zipf 3 once in a million
# ("stop" 5.5, "clock" 4.4, "dental" 4.1, "fecal" 3.0, "cochlear" 2.8). A word is fully
# common at the first, fully rare at the second, and in between by its distance from each:
# "dental" is both a common word and a subject, so it counts for half.
COMMON_ZIPF, RARE_ZIPF = 5.0, 3.0


@lru_cache(maxsize=8192)
def zipf(token: str) -> float:
    """The word's Zipf frequency; the tokenizer's crude plural cut ("bonus" -> "bonu",
    "glasses" -> "glasse") is undone by also trying the word with "s" and "es" put back."""
    return max(
        zipf_frequency(t, "en", wordlist="small") for t in (token, token + "s", token + "es")
    )


def rarity(token: str) -> float:
    """0 for a word of everyday English, 1 for a rare one, linear in Zipf frequency between."""
    return min(1.0, max(0.0, (COMMON_ZIPF - zipf(token)) / (COMMON_ZIPF - RARE_ZIPF)))
