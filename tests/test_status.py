"""Status and stage: corrected where the report's words and the PA-X definitions settle them."""

from __future__ import annotations

from summarizer.status import checked_stage, checked_status

COLLAPSED = "The ceasefire collapsed on Sunday when the militia pulled out of the deal."


def test_a_deal_that_collapsed_after_a_walk_out_is_collapsed() -> None:
    assert checked_status("signed", ["accepts", "withdrew"], COLLAPSED) == "collapsed"
    assert checked_status("in_force", ["accepts", "withdrew"], COLLAPSED) == "collapsed"


def test_an_older_truce_that_broke_down_does_not_collapse_this_one() -> None:
    text = "The deal replaces a truce signed in 2012 that broke down this year."
    assert checked_status("signed", ["accepts", "accepts"], text) == "signed"
    # nor does a collapse that is only feared
    feared = "Farmers warned that a collapse of the truce would ruin the harvest."
    assert checked_status("signed", ["accepts", "withdrew"], feared) == "signed"


def test_a_signed_deal_that_took_effect_is_in_force_one_that_will_is_not() -> None:
    assert checked_status("signed", ["accepts"], "It took effect on 1 June.") == "in_force"
    assert checked_status("signed", ["accepts"], "It will take effect on 1 June.") == "signed"
    assert checked_status("proposed", ["withdrew"], COLLAPSED) == "proposed"


def test_a_local_agreement_is_partial_at_most() -> None:
    assert checked_stage("comprehensive", "local") == "partial"
    assert checked_stage("comprehensive", "intrastate") == "comprehensive"
    assert checked_stage("ceasefire", "local") == "ceasefire"
    assert checked_stage(None, None) is None
