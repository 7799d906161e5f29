"""Words and codes: the one tokenizer, stopword list and code shapes every layer shares.

The keyword index, the composer's overlap scores, the router and the criteria tool must agree on
what a word and a code are, or a question matches a passage in one place and not in another.
"""

import re

TOKEN_RE = re.compile(r"[a-z0-9]+(?:[.\-][a-z0-9]+)*")
STOPWORDS = frozenset(
    "a an and are as at be by can do does for from has have how i if in is it its may of "
    "on or our should that the their them there these this to was we what when which who "
    "will with would you your".split()
)

# Staff shorthand the documents spell out; added to keyword queries, never to indexed text.
QUERY_EXPANSIONS = {
    "pa": "prior authorization",
    "auth": "authorization",
    "ma": "medicare advantage",
    "ire": "independent review entity",
    "p2p": "peer-to-peer",
    "snf": "skilled nursing facility",
    "irf": "inpatient rehabilitation facility",
    "dme": "durable medical equipment",
    "um": "utilization management",
    "lcd": "local coverage determination",
    "lcds": "local coverage determination",
    "ncd": "national coverage determination",
    "ncds": "national coverage determination",
    # Staff shorthand for what documents spell out.
    "tat": "turnaround decision timeframe",
    "turnaround": "decision timeframe",
    "o2": "oxygen",
    "asl": "american sign language",
    "pcp": "primary care provider",
    "mco": "managed care organization",
    "org": "organization",
    "abd": "adverse benefit determination",
    "er": "emergency room",
    "oon": "out-of-network",
    "ltss": "long-term services and supports",
    "rn": "nurse",
    "md": "physician",
    "retro": "retrospective",
    "recon": "reconsideration",
    "sca": "single case agreement",
    "nonpar": "non-participating out-of-network",
    "non-par": "non-participating out-of-network",
    "dx": "diagnosis",
    "cmte": "committee",
    "f2f": "face-to-face",
    "ur": "utilization review",
    "aor": "appointment of representative",
    "mbr": "member",
    "tx": "treatment",
    "qio": "quality improvement organization",
    "hha": "home health agency",
    "corf": "comprehensive outpatient rehabilitation facility",
    # "The ERISA claims reg" is 29 CFR 2560.503-1, which speaks of group health plans and
    # claimants, never of ERISA.
    "erisa": "employee benefit group health plan claimant",
    # Behavioral health shorthand.
    "bh": "behavioral health",
    "psych": "psychiatric",
    "php": "partial hospitalization program",
    "iop": "intensive outpatient program",
    # HIPAA shorthand: the Privacy Rule speaks of covered entities and protected health
    # information, never of "HIPAA" or "TPO".
    "hipaa": "covered entity protected health information privacy",
    "npp": "notice of privacy practices",
    "phi": "protected health information",
    "tpo": "treatment payment health care operations",
    # Claims and member-services shorthand.
    "eob": "explanation of benefits",
    "csr": "customer service representative",
    "cob": "coordination of benefits",
    # The No Surprises Act's rules speak of balance billing by nonparticipating providers.
    "nsa": "surprise billing balance billing nonparticipating",
    "ed": "emergency department",
    # Medicaid quality and children's benefits.
    "pip": "performance improvement project",
    "pips": "performance improvement project",
    "qapi": "quality assessment performance improvement",
    "ldct": "low dose computed tomography",
    # Medicare Advantage shorthand: special needs plans and the determinations staff abbreviate.
    "snp": "special needs plan",
    "snps": "special needs plan",
    "d-snp": "dual eligible special needs plan",
    "dsnp": "dual eligible special needs plan",
    "fide": "fully integrated dual eligible",
    "od": "organization determination",
    "ods": "organization determination",
    "cd": "coverage determination",
    "cds": "coverage determination",
    "ip": "inpatient",
    "op": "outpatient",
    "los": "length of stay",
    "htn": "hypertension",
    # Staff say "letter"; regulations and policies say "written notice".
    "letter": "written notice",
}

# A token that is a code or paragraph number (72148, g47.33, 422.592), not a year.
CODE_LIKE_TOKEN_RE = re.compile(r"^(?=.*\d)(?!(?:19|20)\d\d$)[a-z0-9.\-]{4,}$")
# A candidate CPT/HCPCS or ICD-10 code inside free text, checked against the shapes below.
CODE_CANDIDATE_RE = re.compile(
    r"(?<![\w.])[A-Za-z]?\d[0-9A-Za-z]{1,4}(?:\.[0-9A-Za-z]{1,4})?(?!\w)"
)
# CPT (5 digits, or 4 digits + F/T/U category II/III), HCPCS level II (letter + 4 digits) and
# 4-digit UB-04 revenue codes (inpatient rehab 0024, SNF 0022): what a UM request names.
SERVICE_CODE_RE = re.compile(r"^([0-9]{5}|[0-9]{4}[FTU]|[A-V][0-9]{4}|0[0-9]{3})$")
# ICD-10-CM: letter, digit, alphanumeric, then an optional dot and up to 4 more characters.
ICD10_RE = re.compile(r"^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")


def tokenize(text: str) -> list[str]:
    """Lowercase words and codes (72148, g47.33, 438.404); crude plural folding; no stopwords."""
    tokens = []
    for tok in TOKEN_RE.findall(text.lower()):
        if tok in STOPWORDS:
            continue
        if len(tok) > 4 and tok.endswith("s") and not tok.endswith("ss") and tok.isalpha():
            tok = tok[:-1]
        tokens.append(tok)
    return tokens


def query_tokens(text: str) -> list[str]:
    """Keyword tokens of a question, with staff abbreviations expanded."""
    out: list[str] = []
    for token in tokenize(text):
        out.append(token)
        out.extend(tokenize(QUERY_EXPANSIONS.get(token, "")))
    return out


def has_code(tokens: list[str]) -> bool:
    """A code or paragraph number (72148, g47.33, 422.592) is a keyword question; years are not."""
    return any(CODE_LIKE_TOKEN_RE.match(t) for t in tokens)


def codes_in(text: str) -> list[str]:
    """CPT/HCPCS and ICD-10 codes named in `text`, upper-cased, in order, each once."""
    found = []
    for token in CODE_CANDIDATE_RE.findall(text):
        code = token.upper()
        if (SERVICE_CODE_RE.match(code) or ICD10_RE.match(code)) and code not in found:
            found.append(code)
    return found
