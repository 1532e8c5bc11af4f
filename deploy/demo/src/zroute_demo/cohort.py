"""The demo's programme and cohort: plain data, generated from a seed (no I/O).

One municipality (Amsterdam, GM0363) runs a Z-route programme with a lead partner that
coordinates care, a language school, two participation partners, job coaches, two
mental-health partners (the first one small, so referrals re-route), physical care,
debt help, childcare and transport. The participants vary in language, level, literacy,
care signals, childcare and transport needs, as the pilots' participants did.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from zroute_runtime.privacy import random_valid_bsn

PROGRAMME = "programme-demo"
MUNICIPALITY = "GM0363"
LEAD = "care-coordinator"

# partner id -> (organisation, capabilities, capacity per capability)
PARTNERS: dict[str, tuple[str, list[str], dict[str, int]]] = {
    LEAD: ("Zorgregie Amsterdam", ["interpreting"], {}),
    "language-school": ("Taalschool De Brug", ["language_teaching", "knm"], {}),
    "work-partner": (
        "Werkplaats Noord",
        ["participation_workplaces"],
        {"participation_workplaces": 12},
    ),
    "work-partner-2": ("Werkplaats Zuid", ["participation_workplaces"], {}),
    "job-coaches": ("Jobcoach Collectief", ["job_coaching"], {}),
    "mental-care-a": ("GGZ Buurtteam", ["mental_health_care"], {"mental_health_care": 2}),
    "mental-care-b": ("GGZ Centrum", ["mental_health_care"], {}),
    "physical-care": ("Huisartsenzorg Oost", ["physical_care"], {}),
    "debt-help": ("Schuldhulp Amsterdam", ["debt_finance"], {}),
    "childcare": ("Kinderopvang Zonnetje", ["childcare"], {}),
    "transport": ("Vervoer op Maat", ["transport"], {}),
}

RESPONSIBLE: dict[str, str] = {
    "intake": LEAD,
    "language_teaching": "language-school",
    "knm": "language-school",
    "map": "work-partner",
    "participation_placement": "work-partner",
    "job_coaching": "job-coaches",
    "care_referral_physical": "physical-care",
    "care_referral_mental_health": "mental-care-a",
    "care_referral_debt_finance": "debt-help",
    "childcare": "childcare",
    "transport": "transport",
    "interpreter": LEAD,
    "progress_consultation": LEAD,
    "follow_up": LEAD,
}

PVT_PROVIDER = "work-partner"
"""The partner the agreement names for the participatieverklaringstraject (PVT): it records
the PVT hours (participation hours with ``module: pvt``, issue 16)."""

CASEWORKERS = ["km-jansen", "km-el-idrissi", "km-de-vries"]
LANGUAGES = ["ar", "ti", "fa", "so", "uk", "tr", "prs", "ps", "ku", "en"]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]
CARE = {
    "mental_health_care": "health_psychological",
    "physical_care": "health_physical",
    "debt_finance": "finances",
}
FOLLOW_UPS = ["volunteering", "daytime_activity", "paid_work", "sheltered_work", "care_trajectory"]


@dataclass
class Person:
    """One participant of the cohort, as the caseworker learns about them."""

    number: int
    bsn: str
    given_names: str
    family_name: str
    date_of_birth: str
    language: str
    interpreter: bool
    level: str
    literacy: str
    learnability: str
    needs: list[dict]
    care_signals: list[dict]
    child_ages: list[int]
    transport_modes: list[str]
    availability: list[dict]
    goals: list[str]
    caseworker: str
    attendance: float  # the share of sessions attended
    ref: str = ""
    version: int = 0
    signal_ids: list[str] = field(default_factory=list)

    @property
    def needs_childcare(self) -> bool:
        return bool(self.child_ages)

    @property
    def needs_transport(self) -> bool:
        return bool(self.transport_modes)


valid_bsn = random_valid_bsn


GIVEN = [
    "Amina",
    "Yonas",
    "Farida",
    "Hamid",
    "Olena",
    "Mehmet",
    "Zahra",
    "Abdi",
    "Leyla",
    "Samir",
    "Mariam",
    "Tesfay",
    "Nadia",
    "Omid",
    "Iryna",
    "Hawa",
    "Karim",
    "Selam",
]
FAMILY = [
    "Haddad",
    "Tesfaye",
    "Ahmadi",
    "Yusuf",
    "Kovalenko",
    "Yilmaz",
    "Rahimi",
    "Warsame",
    "Kaya",
    "Mansour",
    "Gebru",
    "Hosseini",
    "Shevchenko",
    "Osman",
    "Bakr",
    "Demir",
]


def cohort(size: int, seed: int = 2027) -> list[Person]:
    """``size`` participants, the same for the same seed."""
    rng = random.Random(seed)
    people = []
    for n in range(size):
        literacy = rng.choices(
            ["not_alphabetised", "low_literate", "latin_script_learner", "literate"],
            weights=[3, 3, 2, 2],
        )[0]
        level = (
            "A0"
            if literacy in ("not_alphabetised", "low_literate")
            else rng.choice(["A0", "A1", "A1", "A2"])
        )
        language = rng.choice(LANGUAGES)
        signals = []
        if rng.random() < 0.35:
            category = rng.choice(
                ["mental_health_care", "mental_health_care", "physical_care", "debt_finance"]
            )
            signals.append(
                {
                    "domain": CARE[category],
                    "category": category,
                    "severity": rng.choice(["moderate", "severe"]),
                    "urgency": rng.choice(["routine", "routine", "urgent"]),
                }
            )
        needs = [
            {"domain": "language_literacy", "severity": "severe" if level == "A0" else "moderate"}
        ]
        if rng.random() < 0.4:
            needs.append({"domain": "finances", "severity": "moderate"})
        if rng.random() < 0.3:
            needs.append({"domain": "social_network", "severity": "light"})
        # Availability: a common core of mornings plus some own slots, so groups can form.
        days = rng.sample(WEEKDAYS, 4)
        availability = [{"weekday": d, "day_part": "morning"} for d in days]
        availability += [{"weekday": d, "day_part": "afternoon"} for d in rng.sample(WEEKDAYS, 3)]
        goals = [
            "language_self_reliance",
            rng.choice(["social_participation", "volunteering", "daytime_activity", "paid_work"]),
        ]
        people.append(
            Person(
                number=n + 1,
                bsn=valid_bsn(rng),
                given_names=rng.choice(GIVEN),
                family_name=rng.choice(FAMILY),
                date_of_birth=f"{rng.randint(1965, 2002)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                language=language,
                interpreter=language != "en" and rng.random() < 0.8,
                level=level,
                literacy=literacy,
                learnability=rng.choice(["very_low", "low", "low", "medium"]),
                needs=needs,
                care_signals=signals,
                child_ages=sorted(rng.sample(range(0, 12), rng.randint(1, 2)))
                if rng.random() < 0.35
                else [],
                transport_modes=["public_transport_pass"] if rng.random() < 0.4 else [],
                availability=availability,
                goals=goals,
                caseworker=CASEWORKERS[n % len(CASEWORKERS)],
                attendance=rng.choice([0.95, 0.9, 0.85, 0.8, 0.7, 0.6]),
            )
        )
    return people
