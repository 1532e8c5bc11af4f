"""Name parts as the caseload's name search hashes them (issue 19): accents, case,
hyphens and tussenvoegsels do not stand in the way of finding a participant."""

from zroute_intake.domain.name_search import name_parts, normalise, query_parts


def test_parts_are_normalised_without_accents_case_or_punctuation():
    assert normalise("Çelik") == "celik" and normalise("ÖZTÜRK") == "ozturk"
    assert name_parts("Amina", "van der Berg-El Amrani") == {
        "amina",
        "van",
        "der",
        "berg",
        "el",
        "amrani",
    }
    assert name_parts("J.", "O'Neill") == {"neill"}  # one letter is no part


def test_a_query_names_one_to_six_parts():
    assert query_parts("  haddad  ") == {"haddad"}
    assert query_parts("a") is None
    assert query_parts("a b c d e f g h".replace(" ", "x ")) is None
