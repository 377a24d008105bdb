"""Doubted blocks the page vouches for (cleaners/generic/extract.py, chosen_blocks): a prose block a
little below the threshold between two chosen prose blocks of the same parent stays, and so does one
the page's JSON-LD articleBody holds; one too far below, one with a neighbour of another parent or
not chosen, one that is not prose, and one only a teaser-sized articleBody holds go."""
from __future__ import annotations

import lxml.html

from cleaners.generic import blocks
from cleaners.generic import extract as generic

PARAGRAPHS = [
    "The council met on Tuesday evening to settle the budget for the new library on the river bank, "
    "after two years of arguments about its size, its cost and the trees that would have to go.",
    "Most of the members agreed that the building should be smaller than first planned, and that the "
    "money saved should pay for longer opening hours in the evenings and at weekends instead.",
    "A vote on the final design is expected next month, once the architects have redrawn the plans "
    "and the neighbours have had a chance to see them at an open meeting in the town hall.",
]


def page(middle: str = PARAGRAPHS[1], split_parent: bool = False) -> list:
    body = (f"<div class='a'><p>{PARAGRAPHS[0]}</p></div><div class='b'><p>{middle}</p><p>{PARAGRAPHS[2]}</p></div>"
            if split_parent else "<div class='story'>" + "".join(f"<p>{p}</p>" for p in (PARAGRAPHS[0], middle, PARAGRAPHS[2])) + "</div>")
    tree = lxml.html.document_fromstring(f"<html><body>{body}<div class='side'><p>Weather</p></div></body></html>")
    return list(blocks.segment(tree))


def chosen(found, middle_p: float, threshold: float = 0.75, first_p: float = 0.9) -> list[str]:
    proba = []
    for b in found:
        proba.append(middle_p if b.text.startswith(("Most of", "Subscribe")) else
                     first_p if b.text.startswith("The council") else 0.9 if b.text.startswith("A vote") else 0.1)
    return [b.text for b in generic.chosen_blocks(found, proba, threshold)]


def test_a_doubted_paragraph_between_two_chosen_ones_stays():
    found = page()
    assert chosen(found, 0.6) == PARAGRAPHS  # 0.15 below the threshold
    assert chosen(found, 0.75 - generic.BRIDGE_MARGIN) == PARAGRAPHS  # the margin itself


def test_too_far_below_the_threshold_it_goes():
    assert chosen(page(), 0.4) == [PARAGRAPHS[0], PARAGRAPHS[2]]


def test_a_neighbour_not_chosen_or_of_another_parent_leaves_it_out():
    assert chosen(page(), 0.6, first_p=0.3) == [PARAGRAPHS[2]]
    assert chosen(page(split_parent=True), 0.6) == [PARAGRAPHS[0], PARAGRAPHS[2]]


def test_a_short_line_between_paragraphs_is_not_bridged():
    found = page(middle="Subscribe to our newsletter")  # not prose: too short
    assert chosen(found, 0.6) == [PARAGRAPHS[0], PARAGRAPHS[2]]


def test_the_switch_turns_it_off():
    generic.BRIDGE = False
    try:
        assert chosen(page(), 0.6) == [PARAGRAPHS[0], PARAGRAPHS[2]]
    finally:
        generic.BRIDGE = True


LD_BODY = " ".join(PARAGRAPHS) + " " + " ".join(["The library will open in the spring of next year."] * 8)


def test_a_doubted_block_the_json_ld_body_holds_stays():
    found = page(split_parent=True)  # no bridge: the middle paragraph's neighbour is of another parent
    assert chosen(found, 0.6) == [PARAGRAPHS[0], PARAGRAPHS[2]]
    kept = [b.text for b in generic.chosen_blocks(found, [0.9, 0.6, 0.9, 0.6], 0.75, LD_BODY)]
    assert kept == PARAGRAPHS  # "Weather" (0.6) is not in the articleBody: it stays out


def test_a_short_json_ld_body_is_a_teaser_and_vouches_for_nothing():
    found = page(split_parent=True)
    teaser = PARAGRAPHS[1]  # fewer than LD_BODY_WORDS words
    assert len(teaser.split()) < generic.LD_BODY_WORDS
    assert [b.text for b in generic.chosen_blocks(found, [0.9, 0.6, 0.9, 0.1], 0.75, teaser)] == [PARAGRAPHS[0], PARAGRAPHS[2]]


def test_the_json_ld_body_does_not_reach_further_than_the_margin():
    found = page(split_parent=True)
    assert [b.text for b in generic.chosen_blocks(found, [0.9, 0.4, 0.9, 0.1], 0.75, LD_BODY)] == [PARAGRAPHS[0], PARAGRAPHS[2]]


def test_a_short_line_the_json_ld_body_holds_is_not_vouched_for():
    # some sites keep a promo line inside the articleBody: only prose blocks are vouched for
    found = page(split_parent=True, middle="Watch our channel")
    body = LD_BODY.replace(PARAGRAPHS[1], "Watch our channel")
    assert [b.text for b in generic.chosen_blocks(found, [0.9, 0.6, 0.9, 0.1], 0.75, body)] == [PARAGRAPHS[0], PARAGRAPHS[2]]
