from retrieval.designations import designate, leading_markers


def labels(paragraphs: list[str]) -> list[str | None]:
    return [p.labels() if p else None for _, p in designate(paragraphs)]


def test_paragraphs_nest_letter_number_roman_capital() -> None:
    paras = [
        "(a) Rule.",
        "(1) One.",
        "(i) Roman.",
        "(A) Capital.",
        "(B) Next.",
        "(ii) Two.",
        "(b) B.",
    ]
    assert labels(paras) == [
        "(a)",
        "(a)(1)",
        "(a)(1)(i)",
        "(a)(1)(i)(A)",
        "(a)(1)(i)(B)",
        "(a)(1)(ii)",
        "(b)",
    ]


def test_i_after_h_is_a_letter_but_under_h1_it_is_roman() -> None:
    letters = [f"({c}) x" for c in "abcdefgh"] + ["(i) the letter", "(j) next"]
    assert labels(letters)[-2:] == ["(i)", "(j)"]
    roman = [f"({c}) x" for c in "abcdefgh"] + ["(1) one", "(i) roman", "(ii) two", "(i) letter"]
    assert labels(roman)[-4:] == ["(h)(1)", "(h)(1)(i)", "(h)(1)(ii)", "(i)"]


def test_combined_and_inline_designations() -> None:
    assert labels(["(a) A.", "(b)(1) Both.", "(2) Two."]) == ["(a)", "(b)(1)", "(b)(2)"]
    paras = ["(c) Extension of timeframes. (1) The plan may extend if—", "(i) asked; or"]
    assert labels(paras) == ["(c)(1)", "(c)(1)(i)"]
    assert leading_markers("(b)(2) Text")[0] == ["b", "2"]


def test_text_without_designations_has_none() -> None:
    assert labels(["Plain paragraph.", "(a) Rule."]) == [None, "(a)"]


def test_the_next_paragraph_decides_between_roman_and_letter() -> None:
    head = [f"({c}) x" for c in "abcdefg"] + ["(h) H.", "(1) One.", "(4) Four."]
    assert labels([*head, "(i) Letter.", "(j) Jay."])[-2:] == ["(i)", "(j)"]
    assert labels([*head, "(i) Roman.", "(ii) Two."])[-2:] == ["(h)(4)(i)", "(h)(4)(ii)"]
    assert labels([*head, "(i) Letter.", "(1) Its child."])[-2:] == ["(i)", "(i)(1)"]


def test_chained_inline_designations_after_a_dash() -> None:
    paras = ["(a) A.", "(b) B.", "(c) Filing requirements—(1) Authority to file. (i) An enrollee."]
    assert labels([*paras, "(ii) A provider."])[-2:] == ["(c)(1)(i)", "(c)(1)(ii)"]


def test_four_and_five_letter_roman_numerals_stay_in_their_list() -> None:
    romans = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
    romans += ["xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii"]
    paras = ["(h) Directory.", "(1) It lists:", *(f"({r}) item" for r in romans), "(2) Next."]
    got = labels(paras)
    assert got[9] == "(h)(1)(viii)"
    assert got[19] == "(h)(1)(xviii)"
    assert got[-1] == "(h)(2)"


def test_a_colon_inside_a_paragraph_heading_keeps_its_inline_child() -> None:
    # 42 CFR 438.114(c): "(c) Coverage and payment: Emergency services—(1) ...", then (i), (ii).
    paras = ["(a) A.", "(b) B.", "(c) Coverage and payment: Emergency services—(1) The plan pays."]
    assert labels([*paras, "(i) One.", "(ii) Two."])[-3:] == ["(c)(1)", "(c)(1)(i)", "(c)(1)(ii)"]


def test_designations_run_together_are_cut_where_the_tree_goes_on() -> None:
    from retrieval.designations import split_inline

    text = (
        "(a) Basic rule. (1) Each plan meets this section, apart from paragraphs (a)(2) and "
        "(a)(3) of this section. (2) For a PAHP, the State decides whether it has to — (i) Meet "
        "the primary care rule; and (ii) Assess special needs as paragraph (c)(2) describes."
    )
    assert split_inline([text, None, "(b) Care. Every plan coordinates care."]) == [
        [
            "(a) Basic rule. (1) Each plan meets this section, apart from paragraphs (a)(2) and "
            "(a)(3) of this section.",
            "(2) For a PAHP, the State decides whether it has to —",
            "(i) Meet the primary care rule; and",
            "(ii) Assess special needs as paragraph (c)(2) describes.",
        ],
        [],
        ["(b) Care. Every plan coordinates care."],
    ]
    # A marker out of sequence is a reference, not a paragraph: "(5)" cannot follow (a)(1).
    assert split_inline(["(a) Rule. (1) Text. (5) Other text."]) == [
        ["(a) Rule. (1) Text. (5) Other text."]
    ]


def test_an_excerpt_may_open_a_level_past_its_first_paragraph() -> None:
    # "paragraphs (c)(2) through (c)(4) only": read as letters, "(i)" and "(ii)" were (i), (ii)
    # of the section and everything below them was misplaced.
    paras = ["(c) Parity.", "(2) General rule—", "(i) Rule.", "(ii) Classes—", "(A) In general."]
    paras += ["(3) Limits—", "(i) Terms.", "(iii) Special rules—", "(C) Office visits.", "(d) D."]
    assert labels(paras) == [
        "(c)",
        "(c)(2)",
        "(c)(2)(i)",
        "(c)(2)(ii)",
        "(c)(2)(ii)(A)",
        "(c)(3)",
        "(c)(3)(i)",
        "(c)(3)(iii)",
        "(c)(3)(iii)(C)",
        "(d)",
    ]
