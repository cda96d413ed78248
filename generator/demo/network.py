"""Deterministic synthetic networks of any size, for benchmarks and tests.

Every person, program and handle here is invented. Handles start with ``mmm-demo-`` so
they are recognisable as fictional, and contact URLs use the reserved ``example.edu``.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import tempfile
import unicodedata
from pathlib import Path
from typing import Any, Literal

import yaml

try:
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]

from generator.content.vocabulary import vocabulary
from generator.core.paths import project_root
from generator.demo.bios import realistic_bio

BioStyle = Literal["short", "realistic"]

FIRST = [
    "Amara",
    "Bao",
    "Camila",
    "Dario",
    "Esi",
    "Farid",
    "Gabriela",
    "Hana",
    "Imani",
    "Jamal",
    "Kiona",
    "Luis",
    "Marisol",
    "Nia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Santiago",
    "Tala",
    "Uriel",
    "Valeria",
    "Wren",
    "Ximena",
    "Yusuf",
    "Zainab",
    "Adaeze",
    "Beatriz",
    "Cyrus",
    "Dalia",
    "Emeka",
    "Fatima",
    "Gideon",
    "Hoku",
    "Isabela",
    "Jonah",
    "Kwame",
    "Leilani",
    "Mateo",
    "Noor",
    "Oscar",
    "Paloma",
    "Rafael",
    "Soledad",
    "Thuy",
    "Ulani",
    "Vikram",
    "Wanjiru",
    "Yara",
    "Zaid",
    "Akosua",
    "Bruno",
    "Chayton",
    "Dominga",
    "Elan",
    "Folake",
    "Guadalupe",
    "Hassan",
    "Inés",
    "Joaquín",
    "Kalani",
    "Lucía",
    "Malik",
    "Nayeli",
    "Obinna",
    "Pilar",
    "Rashida",
    "Sione",
    "Tomás",
    "Ama",
    "Kofi",
    "Ngozi",
    "Tariq",
    "Renata",
    "Hiba",
    "Marcus",
    "Desmond",
    "Aaliyah",
    "Jasmine",
    "Andrés",
    "Diego",
    "Mai",
    "Linh",
    "Hoa",
    "Minh",
    "Kiri",
    "Ayasha",
    "Dakota",
    "Sequoia",
    "Talise",
]
LAST = [
    "Abara",
    "Baptiste",
    "Castellano",
    "Delacroix",
    "Echeverría",
    "Fontaine",
    "Galindo",
    "Halona",
    "Ibarra",
    "Jiménez",
    "Kahale",
    "Lozano",
    "Mbeki",
    "Nakai",
    "Okafor",
    "Pereira",
    "Quintero",
    "Redcloud",
    "Salazar",
    "Tenorio",
    "Uchenna",
    "Valdivia",
    "Whitehorse",
    "Xiong",
    "Yazzie",
    "Zamora",
    "Adeyemi",
    "Benally",
    "Cárdenas",
    "Diallo",
    "Esquivel",
    "Fonoti",
    "Greyeyes",
    "Hernández",
    "Iwu",
    "Juárez",
    "Kealoha",
    "Lam",
    "Mensah",
    "Nguyen",
    "Obi",
    "Palafox",
    "Quispe",
    "Riverbend",
    "Sandoval",
    "Tso",
    "Umeh",
    "Vásquez",
    "Walkingstick",
    "Yellowhorse",
    "Zúñiga",
    "Achebe",
    "Begay",
    "Chávez",
    "Duarte",
    "Eze",
    "Figueroa",
    "Gatewood",
    "Huerta",
    "Ikeda",
    "Joseph",
    "Kamakana",
    "Lucero",
    "Mahoe",
    "Nwosu",
    "Orozco",
    "Pham",
    "Ramos",
    "Solís",
    "Tafoya",
    "Villalobos",
    "Wahpepah",
    "Yeboah",
    "Asante",
    "Boateng",
    "Coulibaly",
    "Dang",
    "Etsitty",
    "Faleolo",
    "Goitia",
    "Holiday",
    "Ilori",
    "Kealamakia",
    "Leota",
    "Manuelito",
    "Noriega",
    "Oyelaran",
    "Tran",
    "Vo",
    "Truong",
]
PLACES = [
    "Cedar Hollow",
    "Lakeshore",
    "Mesa Alta",
    "Riverbend",
    "Prairie Ridge",
    "Harbor Point",
    "Sunfield",
    "Pine Bluff Valley",
    "Copper Canyon",
    "Bayview",
    "Redwater",
    "Northgate",
    "Willow Creek",
    "Stonebridge",
    "Clearwater Plains",
    "Magnolia",
    "Eastbrook",
    "Highland Mesa",
    "Coral Shore",
    "Ironwood",
    "Silver Lake",
    "Oak Terrace",
    "Blue Ridge Gap",
]
KINDS = [
    ("md", "School of Medicine", "MD"),
    ("do", "College of Osteopathic Medicine", "DO"),
    ("nursing", "School of Nursing", "DNP"),
    ("pharmacy", "College of Pharmacy", "PharmD"),
    ("public-health", "School of Public Health", "MPH"),
    ("dentistry", "School of Dentistry", "DDS"),
    ("physician-assistant", "Physician Assistant Program", "PA-C"),
]
TIMEZONES = {
    "AK": "America/Anchorage",
    "HI": "Pacific/Honolulu",
    "AZ": "America/Phoenix",
    "CA": "America/Los_Angeles",
    "WA": "America/Los_Angeles",
    "OR": "America/Los_Angeles",
    "NV": "America/Los_Angeles",
    "CO": "America/Denver",
    "NM": "America/Denver",
    "UT": "America/Denver",
    "MT": "America/Denver",
    "TX": "America/Chicago",
    "IL": "America/Chicago",
    "MN": "America/Chicago",
    "LA": "America/Chicago",
    "MS": "America/Chicago",
    "AL": "America/Chicago",
    "OK": "America/Chicago",
    "MO": "America/Chicago",
    "PR": "America/Puerto_Rico",
    "GU": "Pacific/Guam",
}
STAGE_WEIGHTS = {
    "early-faculty": 22,
    "mid-faculty": 14,
    "senior-faculty": 8,
    "clinician": 12,
    "resident": 16,
    "fellow": 8,
    "ms3": 5,
    "ms4": 6,
    "md-phd": 3,
    "gap-year": 2,
    "ms2": 2,
    "ms1": 1,
    "premed": 1,
}
NON_PHYSICIAN_SPECIALTIES = {
    "advanced-practice-nursing",
    "nurse-anesthesia",
    "midwifery",
    "clinical-pharmacy",
    "general-dentistry",
    "epidemiology",
    "health-policy",
    "global-health",
    "biomedical-research",
    "undecided",
}
SPECIALTIES_BY_PROFESSION = {
    "nursing": [
        "advanced-practice-nursing",
        "nurse-anesthesia",
        "midwifery",
        "pediatrics",
        "psychiatry",
    ],
    "pharmacy": ["clinical-pharmacy", "infectious-disease", "hematology-oncology", "critical-care"],
    "public-health": ["epidemiology", "health-policy", "global-health", "preventive-medicine"],
    "dentistry": ["general-dentistry", "pediatrics"],
    "physician-assistant": [
        "emergency-medicine",
        "family-medicine",
        "general-surgery",
        "dermatology",
        "pediatrics",
    ],
}
BIO_OPENINGS = [
    "I grew up in {origin} and was the first in my family to {milestone}.",
    "Before medicine I worked as a {job}, so I know what it is to start over.",
    "My family moved to {origin} when I was a child, and I interpreted for my parents at the doctor.",
    "I came to {field} through community college and a post-bacc program.",
    "I am a {role} who trained at a public university and stayed close to the community I serve.",
]
BIO_MIDDLES = [
    "Today I practise {specialty} and teach students on the wards.",
    "My work focuses on {specialty} in under-resourced communities.",
    "I split my time between {specialty} clinic and a research program on health equity.",
    "I lead a pipeline program and see patients in {specialty}.",
]
BIO_ENDINGS = [
    "I am glad to talk about {area}, and about the parts of training nobody explains.",
    "Ask me about {area}; I also like to help with the hidden curriculum.",
    "I mentor on {area} and on finding your people in a place that was not built for you.",
    "Happy to review drafts and talk through {area}, USMLE/COMLEX planning and wellness.",
]
ORIGINS = [
    "a small farming town",
    "the Rio Grande Valley",
    "a reservation community",
    "the Bronx",
    "rural Appalachia",
    "the Mississippi Delta",
    "a fishing village",
    "South Texas",
    "the Navajo Nation",
    "an island community",
    "a mill town",
    "the Central Valley",
]
MILESTONES = [
    "finish college",
    "go to graduate school",
    "become a clinician",
    "apply to medical school",
]
JOBS = [
    "paramedic",
    "teacher",
    "line cook",
    "medical interpreter",
    "research technician",
    "soldier",
    "social worker",
]


def _pick(rng: random.Random, seq: list[str], k: int) -> list[str]:
    return rng.sample(seq, k=min(k, len(seq)))


def _dump(data: dict[str, Any], schema_ref: str) -> str:
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return f"# yaml-language-server: $schema={schema_ref}\n{body}"


def generate(
    mentors: int, programs: int, seed: int, *, bios: BioStyle = "short"
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The program and mentor records of a synthetic network (deterministic for a seed).

    ``bios``: *short* (30–60 words from a few phrases) or *realistic* (100–220 words,
    :mod:`generator.demo.bios`); the other fields are the same either way."""
    if programs < 1:
        raise ValueError("programs must be at least 1")
    rng = random.Random(seed)
    vocab = vocabulary()
    states = [s for s in vocab.ids("states")]
    by_profession = {kind: pool for kind, pool in SPECIALTIES_BY_PROFESSION.items()}
    medical = [s for s in vocab.ids("specialties") if s not in NON_PHYSICIAN_SPECIALTIES]
    areas = vocab.ids("areas")
    affinities = vocab.ids("affinities")
    program_records: list[dict[str, Any]] = []
    used_ids: set[str] = set()
    for index in range(programs):
        place = PLACES[index % len(PLACES)]
        if index >= len(PLACES):
            place = f"{place} {['North', 'South', 'East', 'West', 'Central'][(index // len(PLACES)) % 5]}"
            if index >= 5 * len(PLACES):
                place = f"{place} {index}"
        kind, school, _ = KINDS[0] if index % 3 == 0 else rng.choice(KINDS)
        institution = f"{place} University"
        pid = "-".join(f"{place} {school}".lower().replace("'", "").split())
        pid = "".join(c for c in pid if c.isalnum() or c == "-")
        state = rng.choice(states)
        program_records.append(
            {
                "id": pid,
                "name": f"{place} {school} Mentoring Network",
                "institution": institution,
                "profession": kind,
                "state": state,
                "website": f"https://{pid}.example.edu/mentoring",
                "maintainers": [f"mmm-demo-coordinator-{index + 1}"],
                "description": f"Mentors from {institution} {school} who volunteer with MentorMeMed.",
            }
        )
        if index % 4 != 3:  # most programs list a page where their students send requests
            program_records[-1]["requests"] = f"https://{pid}.example.edu/mentoring/request"
        used_ids.add(pid)
    names: set[str] = set()
    mentor_records: list[dict[str, Any]] = []
    stage_ids, stage_w = list(STAGE_WEIGHTS), list(STAGE_WEIGHTS.values())
    start = dt.date(2024, 1, 1)
    for _ in range(mentors):
        program = program_records[rng.randrange(programs)]
        while True:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            middle = "" if rng.random() < 0.6 else f" {chr(65 + rng.randrange(26))}."
            name = f"{first}{middle} {last}"
            if name.casefold() not in names:
                break
            if rng.random() < 0.2:
                name = f"{first} {chr(65 + rng.randrange(26))}. {chr(65 + rng.randrange(26))}. {last}"
                if name.casefold() not in names:
                    break
        names.add(name.casefold())
        ascii_name = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()
        base = "-".join("".join(c for c in ascii_name if c.isalnum() or c == " ").split()) or "mentor"
        mid, n = base, 2
        while mid in used_ids:
            mid, n = f"{base}-{n}", n + 1
        used_ids.add(mid)
        profession = program["profession"]
        stage = rng.choices(stage_ids, stage_w)[0]
        degree = next(d for k, _, d in KINDS if k == profession)
        degrees = (
            [degree]
            + (["MPH"] if rng.random() < 0.15 and degree != "MPH" else [])
            + (["PhD"] if stage == "md-phd" else [])
        )
        spec = _pick(rng, by_profession.get(profession, medical), rng.choice([1, 1, 2]))
        my_areas = _pick(rng, areas, rng.randint(2, 6))
        public = _pick(rng, affinities, rng.choice([0, 1, 1, 2, 2, 3]))
        private = [a for a in _pick(rng, affinities, rng.choice([0, 0, 0, 1, 2])) if a not in public]
        langs = (
            ["en"]
            + (["es"] if rng.random() < 0.25 else [])
            + (
                [rng.choice(["vi", "ht", "yo", "fr", "ar", "zh", "tl", "nv", "no", "ko", "pt"])]
                if rng.random() < 0.12
                else []
            )
        )
        meeting = ["virtual"] + (["in-person"] if rng.random() < 0.5 else [])
        if rng.random() < 0.08:
            meeting = ["in-person"]
        state = program["state"] if rng.random() < 0.85 else rng.choice(states)
        capacity = 0 if rng.random() < 0.05 else rng.randint(1, 6)
        record: dict[str, Any] = {
            "id": mid,
            "name": name + f", {degree}",
            "pronouns": rng.choice(["she/her", "he/him", "they/them", "she/they", "he/they"]),
            "program": program["id"],
            "profession": profession,
            "stage": stage,
            "degrees": list(dict.fromkeys(degrees)),
            "specialties": spec,
            "areas": my_areas,
            "affinities": public,
        }
        if private:
            record["private_affinities"] = private
        record |= {
            "languages": list(dict.fromkeys(langs)),
            "meeting": meeting,
            "state": state,
            "timezone": TIMEZONES.get(state, "America/New_York"),
            "capacity": capacity,
            "accepting": capacity > 0 and rng.random() < 0.88,
        }
        if rng.random() < 0.5:
            record["contact"] = {"github": f"mmm-demo-{mid}"[:39].rstrip("-")}
        spec_label = vocab.label("specialties", spec[0]).lower()
        area_label = vocab.label("areas", my_areas[0]).lower()
        fields = {
            "origin": rng.choice(ORIGINS),
            "milestone": rng.choice(MILESTONES),
            "job": rng.choice(JOBS),
            "field": "medicine",
            "role": stage.replace("-", " "),
            "specialty": spec_label,
            "area": area_label,
        }
        record["bio"] = " ".join(
            rng.choice(part).format(**fields) for part in (BIO_OPENINGS, BIO_MIDDLES, BIO_ENDINGS)
        )
        if bios == "realistic":
            record["bio"] = realistic_bio(
                seed, mid, state=vocab.label("states", state), specialty=spec_label, area=area_label
            )
        record["last_confirmed"] = (start + dt.timedelta(days=rng.randrange(640))).isoformat()
        mentor_records.append(record)
    return program_records, mentor_records


#: The demo network's settings file (``network.yml``): fictional core maintainers.
NETWORK_RECORD: dict[str, Any] = {
    "name": "MentorMeMed Demo Network",
    "site_url": "https://demo.invalid/directory",
    "core_maintainers": ["mmm-demo-core-lead", "mmm-demo-network/core"],
}


def write_network(
    output: Path, mentors: int, programs: int, seed: int, *, force: bool = False, bios: BioStyle = "short"
) -> int:
    """Write a synthetic network to ``output`` atomically (``network.yml``, programs and
    mentors); returns the number of files."""
    output = Path(output)
    if output.exists() and any(output.iterdir()) and not force:
        raise FileExistsError(f"{output} exists and is not empty")
    program_records, mentor_records = generate(mentors, programs, seed, bios=bios)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-", dir=output.parent))
    try:
        schemas = project_root() / "schemas"
        prog_ref = os.path.relpath(schemas / "program.schema.json", output.resolve() / "programs")
        ment_ref = os.path.relpath(schemas / "mentor.schema.json", output.resolve() / "mentors" / "x")
        net_ref = os.path.relpath(schemas / "network.schema.json", output.resolve())
        (staging / "network.yml").write_text(_dump(NETWORK_RECORD, net_ref), encoding="utf-8")
        (staging / "programs").mkdir()
        for record in program_records:
            (staging / "programs" / f"{record['id']}.yml").write_text(
                _dump(record, prog_ref), encoding="utf-8"
            )
        for record in mentor_records:
            folder = staging / "mentors" / record["program"]
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{record['id']}.yml").write_text(_dump(record, ment_ref), encoding="utf-8")
        if output.exists():
            trash = output.with_name(f".{output.name}-old")
            output.rename(trash)
            staging.rename(output)
            shutil.rmtree(trash)
        else:
            staging.rename(output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return 1 + len(program_records) + len(mentor_records)
