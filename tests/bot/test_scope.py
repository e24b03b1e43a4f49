"""The scope model: its decision, and a fitted file refused when it does not match."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.calibration import (
    Sample,
    hashed_folds,
    labelled_sources,
    out_of_fold,
    with_votes,
)
from bot.scope import (
    FEATURES,
    NEAR_SHARE,
    SCOPE_FILE,
    Evidence,
    Examples,
    ScopeMismatch,
    ScopeModel,
    load_scope,
)
from corpus.models import AlignedUnit, Corpus, Passage

EXPECTED = {"model": "m", "corpus_hash": "c", "profile_hash": "p", "analysis": "a"}


def _evidence(**over: object) -> Evidence:
    base = dict(dense_top=0.85, offtopic_gap=0.02, dense_margin=0.01, lexical_top=3.0,
                coverage=0.6, top_coverage=0.4, agreement=True, referenced=False, glossary=1,
                tokens=5, domain=0, peak=3.0)
    return Evidence(**{**base, **over})  # type: ignore[arg-type]


def test_references_always_and_other_places_never_covered() -> None:
    model = ScopeModel(threshold=0.99)
    assert model.covered(_evidence(referenced=True, coverage=0.0))
    assert model.covered(_evidence(named=True, coverage=0.0))  # "under the Widget Act, ..."
    assert not model.covered(_evidence(coverage=0.0))
    assert not ScopeModel(threshold=0.01).covered(_evidence(elsewhere=True))


def test_a_refusal_within_the_near_share_of_the_threshold_is_near() -> None:
    evidence = _evidence()
    p = ScopeModel().probability(evidence)
    assert 0.05 < p < 0.45  # every threshold below stays under 1
    assert not ScopeModel(threshold=p * 0.99).near(evidence)  # answered: not a refusal
    assert ScopeModel(threshold=p * 1.01).near(evidence)  # refused by little
    assert ScopeModel(threshold=p / NEAR_SHARE * 0.99).near(evidence)
    assert not ScopeModel(threshold=p / NEAR_SHARE * 1.01).near(evidence)  # refused by far
    # another place: refused, never near; a named provision: answered
    assert not ScopeModel(threshold=p * 1.01).near(_evidence(elsewhere=True))
    assert not ScopeModel(threshold=0.99).near(_evidence(referenced=True))


def test_more_evidence_more_probability() -> None:
    model = ScopeModel()
    assert model.probability(_evidence(coverage=1.0, top_coverage=1.0)) > \
        model.probability(_evidence(coverage=0.1, top_coverage=0.0))


def test_fitted_file_round_trips_and_mismatch_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ScopeMismatch, match="bilex calibrate"):
        load_scope(tmp_path, EXPECTED)
    model = ScopeModel(threshold=0.4, provenance={**EXPECTED, "inputs": {}})
    (tmp_path / SCOPE_FILE).write_text(json.dumps(model.to_dict()), encoding="utf-8")
    assert load_scope(tmp_path, EXPECTED).threshold == 0.4
    with pytest.raises(ScopeMismatch, match="corpus hash"):
        load_scope(tmp_path, {**EXPECTED, "corpus_hash": "other"})
    # fitted on evidence counted in words analysed otherwise (another stemming)
    with pytest.raises(ScopeMismatch, match="another analysis"):
        load_scope(tmp_path, {**EXPECTED, "analysis": "other"})
    (tmp_path / SCOPE_FILE).write_text("{", encoding="utf-8")
    with pytest.raises(ScopeMismatch, match="unreadable"):
        load_scope(tmp_path, EXPECTED)


def test_a_model_stored_beside_a_shared_index_is_read_before_the_data_directory(
        tmp_path: Path) -> None:
    stored = ScopeModel(threshold=0.3, provenance={**EXPECTED, "inputs": {}})
    blob = json.dumps(stored.to_dict()).encode("utf-8")
    assert load_scope(tmp_path, EXPECTED, blob).threshold == 0.3  # no file needed
    (tmp_path / SCOPE_FILE).write_text(json.dumps(
        ScopeModel(threshold=0.4, provenance={**EXPECTED, "inputs": {}}).to_dict()),
        encoding="utf-8")
    assert load_scope(tmp_path, EXPECTED, blob).threshold == 0.3
    with pytest.raises(ScopeMismatch, match="unreadable"):
        load_scope(tmp_path, EXPECTED, b"\xff{")
    with pytest.raises(ScopeMismatch, match="corpus hash"):
        load_scope(tmp_path, {**EXPECTED, "corpus_hash": "other"}, blob)


def test_bad_models_are_refused() -> None:
    with pytest.raises(ValueError):
        ScopeModel(weights=(1.0,))
    with pytest.raises(ValueError):
        ScopeModel(threshold=1.5)


def test_out_of_fold_figures_on_separable_synthetic_rows() -> None:
    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal(1.0, 0.3, (40, 8)), rng.normal(-1.0, 0.3, (40, 8))])
    y = np.array([1] * 40 + [0] * 40)
    sets = ["a"] * 40 + ["b"] * 40
    figures = out_of_fold(x, y, sets, folds=4, seed=1)
    assert figures["a"]["in_scope_answered"] >= 0.9 and figures["a"]["in_n"] == 40
    assert figures["b"]["out_of_scope_refused"] >= 0.9 and figures["b"]["out_n"] == 40
    with pytest.raises(ValueError):
        out_of_fold(x, y, sets, folds=1, seed=1)
    keys = [f"q{i}" for i in range(80)]
    hashed = out_of_fold(x, y, sets, folds=4, seed=1, keys=keys)
    assert hashed["a"]["in_scope_answered"] >= 0.9 and hashed["b"]["out_of_scope_refused"] >= 0.9
    with pytest.raises(ValueError, match="one each"):
        out_of_fold(x, y, sets, folds=4, seed=1, keys=keys[:-1])


def test_a_question_joining_the_rows_moves_no_other_question_to_another_fold() -> None:
    keys = [f"set\nquestion {i}" for i in range(300)]
    folds = hashed_folds(keys, 5, seed=11)
    assert set(folds.tolist()) == {0, 1, 2, 3, 4}
    assert max(np.bincount(folds)) < 90  # about 60 each
    assert hashed_folds(keys[:100] + ["set\na new one"] + keys[100:], 5, 11).tolist() == [
        *folds[:100].tolist(), hashed_folds(["set\na new one"], 5, 11)[0], *folds[100:].tolist()]
    assert hashed_folds(keys, 5, seed=12).tolist() != folds.tolist()  # the seed draws others


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_examples_vote_for_the_side_a_question_lies_near() -> None:
    rng = np.random.default_rng(2)
    inside = _unit(np.array([1.0, 0.0, 0.0]) + rng.normal(0, 0.1, (8, 3)))
    outside = _unit(np.array([0.0, 1.0, 0.0]) + rng.normal(0, 0.1, (8, 3)))
    examples = Examples(np.vstack([inside, outside]), np.array([True] * 8 + [False] * 8))
    assert examples.vote(np.array([1.0, 0.0, 0.0])) > 0.5
    assert examples.vote(np.array([0.0, 1.0, 0.0])) < -0.5
    # an example left out of its own vote: a lone in-scope example far from the others
    lone = Examples(np.vstack([[0.0, 0.0, 1.0], outside]), np.array([True] + [False] * 8))
    assert lone.vote(np.array([0.0, 0.0, 1.0])) > 0.8
    assert lone.vote(np.array([0.0, 0.0, 1.0]), exclude=0) == 0.0  # no in-scope example left
    with pytest.raises(ValueError, match="both"):
        Examples(inside, np.array([True] * 8))
    with pytest.raises(ValueError, match="one vector per label"):
        Examples(inside, np.array([True, False]))


def test_vote_column_leaves_each_row_out_and_model_round_trips(tmp_path: Path) -> None:
    vectors = _unit(np.array([[1.0, 0.1], [1.0, 0.2], [0.1, 1.0], [0.2, 1.0]] * 3))
    labels = np.array([True, True, False, False] * 3)
    examples = Examples(vectors, labels)
    x = np.zeros((len(labels), len(FEATURES)))
    votes = with_votes(x, vectors, examples, np.arange(len(labels)))[:, FEATURES.index("neighbours")]
    assert (votes[labels] > 0).all() and (votes[~labels] < 0).all()
    model = ScopeModel(threshold=0.4, provenance={**EXPECTED, "inputs": {}}, examples=examples)
    (tmp_path / SCOPE_FILE).write_text(json.dumps(model.to_dict()), encoding="utf-8")
    loaded = load_scope(tmp_path, EXPECTED)
    assert loaded.examples is not None and loaded.examples.labels.tolist() == labels.tolist()
    assert abs(loaded.vote(vectors[0]) - model.vote(vectors[0])) < 1e-3
    assert ScopeModel().vote(vectors[0]) == 0.0  # the prior has no examples


def test_a_question_an_unlabelled_source_answers_first_gets_the_fitted_mean_vote(
        tmp_path: Path) -> None:
    """The labelled examples speak for the sources their labels were written for: a question
    the corpus answers first from an act added beside them gets no vote either way (the
    fitted mean), where a vote of about 0 had counted against it."""
    vectors = _unit(np.array([[1.0, 0.1], [1.0, 0.2], [0.1, 1.0], [0.2, 1.0]] * 3))
    examples = Examples(vectors, np.array([True, True, False, False] * 3))
    mean = tuple(0.25 if f == "neighbours" else 0.0 for f in FEATURES)
    model = ScopeModel(mean=mean, threshold=0.4, provenance={**EXPECTED, "inputs": {}},
                       examples=examples, labelled=("seed.txt",))
    near_outside = vectors[2]
    assert model.vote(near_outside, frozenset({"act_en.txt", "act_fr.txt"})) == 0.25
    assert model.vote(near_outside, frozenset({"seed.txt"})) == examples.vote(near_outside) < 0
    assert model.vote(near_outside) == examples.vote(near_outside)  # no sources given
    # every source labelled (an empty tuple): the vote applies to all
    assert ScopeModel(mean=mean, examples=examples).vote(near_outside, frozenset({"x"})) < 0
    (tmp_path / SCOPE_FILE).write_text(json.dumps(model.to_dict()), encoding="utf-8")
    assert load_scope(tmp_path, EXPECTED).labelled == ("seed.txt",)


def test_rows_of_unlabelled_sources_vote_the_mean_of_the_others() -> None:
    vectors = _unit(np.array([[1.0, 0.1], [1.0, 0.2], [0.1, 1.0], [0.2, 1.0]] * 3))
    labels = np.array([True, True, False, False] * 3)
    examples = Examples(vectors, labels)
    x = np.zeros((len(labels), len(FEATURES)))
    speaks = np.array([True] * 8 + [False] * 4)
    vote = FEATURES.index("neighbours")
    votes = with_votes(x, vectors, examples, np.arange(len(labels)), speaks)[:, vote]
    spoken = with_votes(x, vectors, examples, np.arange(len(labels)))[:, vote]
    assert votes[:8].tolist() == spoken[:8].tolist()
    assert np.allclose(votes[8:], spoken[:8].mean())
    assert np.allclose(with_votes(x, vectors, examples, None, speaks, 0.5)[8:, vote], 0.5)


def _side(uid: str, source: str, lang: str, text: str, heading: str | None = None,
          kind: str = "statute") -> Passage:
    return Passage(f"{uid}.{lang}", source, lang, kind, text, "", 1, 1, "1", heading)


def _corpus(*units: AlignedUnit, commentary: tuple[Passage, ...] = ()) -> Corpus:
    return Corpus(units, commentary, (), (), (), "enc", "hash")


def _act_unit(uid: str, en: str, fr: str, heading_en: str, heading_fr: str) -> AlignedUnit:
    return AlignedUnit(uid, "W-1", uid.split(".")[1], 1,
                       _side(uid, "w_fr.txt", "fr", fr, heading_fr),
                       _side(uid, "w_en.txt", "en", en, heading_en), 1.0, ())


def test_labelled_sources_hold_most_of_each_questions_gold() -> None:
    article = AlignedUnit("A.1", "A", "I", 1,
                          _side("A.1", "seed.txt", "fr", "Le salarié est réputé démissionnaire."),
                          _side("A.1", "seed.txt", "en",
                                "The employee is deemed to have resigned from the post."),
                          1.0, ())
    act = _act_unit("W-1.5.1", "A widget is deemed to have resigned from the post in law.",
                    "Un widget", "Widgets", "Widgets")
    note = _side("N.p1", "note.txt", "en", "A note on widgets and their keepers today.",
                 kind="commentary")
    corpus = _corpus(article, act, commentary=(note,))
    samples = [
        # two snippets in the seed, one of them in the act too: the seed speaks for it
        Sample("q1", "en", True, "s", ("deemed to have resigned from the post",
                                       "The employee is deemed")),
        Sample("q2", "en", True, "s", ("widgets",)),  # too short to tell a source
        Sample("q3", "en", False, "s"),
    ]
    assert labelled_sources(corpus, samples) == {"seed.txt"}
    samples.append(Sample("q4", "en", True, "s", ("on widgets and their keepers",)))
    assert labelled_sources(corpus, samples) == {"seed.txt", "note.txt"}


def test_calibration_refuses_labels_written_for_other_sources() -> None:
    """Questions whose gold no source of this corpus holds were written for other sources: a
    model fitted on them took those sources' questions for in-scope ones here (`bilex build`
    then leaves the prior in place and says so)."""
    import types

    from bot.calibration import calibrate

    act = _act_unit("W-1.5.1", "A widget is deemed to have resigned from the post in law.",
                    "Un widget", "Widgets", "Widgets")
    bot = types.SimpleNamespace(corpus=_corpus(act), scope=None)
    samples = [Sample("q1", "en", True, "s", ("the employee is deemed to have resigned",)),
               Sample("q2", "en", False, "s")]
    with pytest.raises(ValueError, match="written for other sources"):
        calibrate(bot, samples, {}, {})  # type: ignore[arg-type]


def test_the_expected_provenance_names_the_word_analysis() -> None:
    from bot.scope import expected_provenance
    from indexer.lexical import analysis_version

    assert expected_provenance("m", "c", "p", analysis_version())["analysis"] == \
        analysis_version()


def test_the_labels_speak_for_their_sources_or_for_every_source_when_none_is_named() -> None:
    assert ScopeModel().speaks_for(frozenset({"any.txt"}))
    named = ScopeModel(labelled=("seed.txt",))
    assert named.speaks_for(frozenset({"seed.txt", "act.txt"}))
    assert not named.speaks_for(frozenset({"act.txt"}))
