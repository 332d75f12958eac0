"""The mention finder on the annotated news texts (tests/data/mentions/): the
thresholds of issue 31 on the part the finder is tuned on."""

import pytest

from benchmarks.eval_mentions import evaluate, load_texts

THRESHOLDS = {
    "precision": 0.98,
    "recall": 0.97,
    "role_accuracy": 0.85,
    "new_precision": 0.90,
    "new_recall": 0.85,
}


@pytest.fixture(scope="module")
def tuning():
    return evaluate()["tuning"]


@pytest.mark.parametrize(("figure", "threshold"), THRESHOLDS.items())
def test_tuning_part_reaches_the_threshold(tuning, figure, threshold):
    assert tuning[figure] >= threshold, tuning["counts"]


def test_every_text_has_a_source_licence_and_people():
    texts = load_texts()

    assert len(texts) >= 25
    assert all(t["url"] and t["licence"] and t["people"] for t in texts)
    assert sum(t["part"] == "heldout" for t in texts) * 3 >= len(texts)
