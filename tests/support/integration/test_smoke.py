"""The service starts, registers partners and records an agreement (events out)."""

from __future__ import annotations


async def test_partners_and_an_agreement_are_published(scenario):
    await scenario.setup()
    registered = await scenario.emitted("partner-registered", 8)
    assert {b["data"]["partner_id"] for b in registered} >= {"care-a", "kids"}
    [agreement] = await scenario.emitted("agreement-recorded")
    assert agreement["data"]["lead_partner_id"] == "coordinator"
    assert len(agreement["data"]["assignments"]) == 14
