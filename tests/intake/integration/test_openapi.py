"""The service documents its API: every resource with its request and response schemas."""

from __future__ import annotations

import httpx

from tests.intake.integration.flow import ok


async def test_the_openapi_document_describes_every_resource_and_its_schemas(client):
    async with httpx.AsyncClient(base_url=str(client.base_url)) as anonymous:
        assert (await anonymous.get("/openapi.json")).status_code == 401  # ZROUTE_API_DOCS=token
    document = ok(await client.get("/openapi.json"))
    paths = document["paths"]
    for path, method in [
        ("/participants", "post"),
        ("/participants", "get"),
        ("/participants/{participant_ref}", "get"),
        ("/participants/{participant_ref}/access-log", "get"),
        ("/participants/{participant_ref}/intake", "put"),
        ("/participants/{participant_ref}/intake/outcome", "post"),
        ("/participants/{participant_ref}/intake/corrections", "post"),
        ("/participants/{participant_ref}/contact-person", "put"),
        ("/participants/{participant_ref}/contact-persons", "get"),
        ("/participants/{participant_ref}/consents", "post"),
        ("/participants/{participant_ref}/consents/{consent_id}/withdrawal", "post"),
        ("/participants/{participant_ref}/withdrawal", "post"),
    ]:
        operation = paths[path][method]
        assert operation["summary"], (path, method)
        assert operation["security"] == [{"bearer": []}], (path, method)
    schemas = document["components"]["schemas"]
    for name in ("RegistrationIn", "ScheduleIn", "OutcomeIn", "ConsentIn", "ParticipantOut"):
        assert name in schemas
    assert schemas["RegistrationIn"]["additionalProperties"] is False
    assert set(schemas["OutcomeIn"]["properties"]["language_level"]["$ref"].split("/")[-1:]) == {
        "LanguageLevel"
    }
