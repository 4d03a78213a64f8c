"""The reader's word lists are data with an example each; every example uses a word of its own list."""

import pytest

from fmcgm.language.lexicon import lexicon
from fmcgm.language.names import stem, tokens


@pytest.mark.parametrize("name", sorted(lexicon()))
def test_every_list_has_an_example_that_uses_it(name):
    entry = lexicon()[name]
    assert entry.words and entry.example
    # pairs and attribute rows: any word of them
    listed = {w for row in entry.words for w in row.replace("|", " ").split()} \
        if name in ("antonyms", "attribute_values") else entry.words
    toks = tokens(entry.example)
    stems = [stem(w) for w in toks]
    text = " ".join(toks)
    pairs = {f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False)}
    assert any(w in stems or w in toks or w in pairs or (" " in w and w in text) or w in entry.example
               for w in listed), (name, entry.example)


def test_negating_verbs_are_stems_of_their_inflections():
    verbs = lexicon()["negating_verbs"].words
    for w in ("quitting", "stopped", "avoids", "banning", "refrained", "abstaining", "ceased"):
        assert stem(w) in verbs, w
