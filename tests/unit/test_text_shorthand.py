"""Staff shorthand in a question is searched for as the documents spell it out."""

from retrieval.text import query_tokens


def test_shorthand_is_spelled_out_for_search() -> None:
    tokens = query_tokens("standard PA TAT for an MA PCP on home O2")
    for word in ("prior", "authorization", "medicare", "advantage", "timeframe"):
        assert word in tokens
    assert {"primary", "care", "provider", "oxygen"} <= set(tokens)
    assert {"emergency", "room", "out-of-network"} <= set(query_tokens("an OON ER visit"))


def test_a_word_that_is_not_shorthand_is_left_alone() -> None:
    assert query_tokens("oxygen coverage") == ["oxygen", "coverage"]


def test_a_letter_is_searched_for_as_the_written_notice_the_rules_name() -> None:
    tokens = query_tokens("when does the denial letter have to go out")
    assert {"letter", "written", "notice"} <= set(tokens)


def test_reviewer_and_request_shorthand_is_spelled_out() -> None:
    tokens = set(query_tokens("can an RN deny a retro recon or does it go to an MD? non-par SCA"))
    assert {"nurse", "physician", "retrospective", "reconsideration"} <= tokens
    assert {"single", "case", "agreement", "non-participating", "out-of-network"} <= tokens


def test_shorthand_counts_through_what_it_stands_for_in_the_composer() -> None:
    from bot.composer import question_tokens

    # "TAT" is "turnaround ...", itself shorthand: neither is a word the question asks about.
    words = question_tokens("TAT on a retrospective review?")
    assert {"decision", "timeframe", "retrospective", "review"} <= words
    assert not {"tat", "turnaround"} & words


def test_appeal_and_behavioral_health_shorthand_is_spelled_out() -> None:
    tokens = set(query_tokens("does the doc need an AOR? BH psych PHP vs IOP, QIO for the HHA"))
    assert {"appointment", "representative", "behavioral", "psychiatric"} <= tokens
    assert {"partial", "hospitalization", "intensive", "outpatient"} <= tokens
    assert {"quality", "improvement", "organization", "home", "health", "agency"} <= tokens
    assert {"group", "health", "plan", "claimant"} <= set(query_tokens("ERISA notice content"))


def test_special_needs_plan_and_determination_shorthand_is_spelled_out() -> None:
    tokens = set(query_tokens("FIDE SNP member's expedited OD, and a D-SNP member's Part D CD"))
    assert {"fully", "integrated", "dual", "eligible", "special", "need", "plan"} <= tokens
    assert {"organization", "coverage", "determination"} <= tokens
