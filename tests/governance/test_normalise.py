import pytest

from governance.normalise import normalise_keyword
from openplatform.data.text import normalise_text

# "DUCHANG" in full-width letters, spelt out so that no reader mistakes it for ASCII.
FULL_WIDTH_DUCHANG = "\uff24\uff35\uff23\uff28\uff21\uff2e\uff27"


@pytest.mark.parametrize(
    "raw, normalised",
    [
        ("賭 場", "赌场"),
        ("赌场", "赌场"),
        (FULL_WIDTH_DUCHANG, "duchang"),
        ("Du Chang", "duchang"),
        ("du-chang", "duchang"),
        ("DuChAnG!", "duchang"),
        ("賭\u200b場", "赌场"),
        ("【賭場】", "赌场"),
        ("Straße", "strasse"),
        ("  ", ""),
    ],
)
def test_normalise_text_folds_width_script_case_spacing_and_punctuation(raw, normalised):
    assert normalise_text(raw) == normalised


def test_a_keyword_is_stored_in_the_form_text_is_matched_in():
    assert normalise_keyword("澳門 賭場") == normalise_text("澳门赌场") == "澳门赌场"
