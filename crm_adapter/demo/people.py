"""The demo bank's organisation: teams of RMs with team leads, BU heads, the CCO, committee, risk, audit."""

from __future__ import annotations

import math

import pandas as pd

TEAMS = ("North", "South", "East", "West", "International")
REGION_WEIGHTS = (0.34, 0.22, 0.2, 0.14, 0.10)

FIRST_NAMES = (
    "Anna", "Ben", "Chloe", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kara", "Liam",
    "Maya", "Noah", "Olga", "Pedro", "Qing", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wei", "Yara", "Zane",
)  # fmt: skip
LAST_NAMES = (
    "Keller", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Novak", "Haddad", "Brennan", "Chen",
    "Rossi", "Fischer", "Kowalski", "Nguyen", "Schmidt", "Duarte", "Ivanova", "Patel", "Walsh", "Zhou",
)  # fmt: skip

# The first officer of each kind is a stable, documented demo persona.
DEMO_RM = "rm.anna"
DEMO_LEAD = "lead.north"
DEMO_BU_HEAD = "bu.head"
DEMO_CCO = "cco"


def _person(i: int) -> str:
    return (
        f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i * 7 + i // len(FIRST_NAMES)) % len(LAST_NAMES)]}"
    )


def build_officers(n_clients: int) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Officers (one row each) and, per team, the RM ids that clients are spread over."""
    rows: list[dict[str, object]] = []
    rms_by_team: dict[str, list[str]] = {}
    k = 0
    for t, team in enumerate(TEAMS):
        n_rms = max(2, math.ceil(n_clients * REGION_WEIGHTS[t] / 60))
        rms = []
        for j in range(n_rms):
            oid = DEMO_RM if (t == 0 and j == 0) else f"rm.{team.lower()}.{j + 1:03d}"
            name = "Anna Keller" if oid == DEMO_RM else _person(k)
            rows.append(_officer(oid, name, "rm", 0, team))
            rms.append(oid)
            k += 1
        rms_by_team[team] = rms
        rows.append(_officer(f"lead.{team.lower()}", _person(k), "approver", 1, team))
        rows.append(_officer(f"analyst.{team.lower()}", _person(k + 1), "analyst", 0, team))
        k += 2
    rows.append(_officer(DEMO_BU_HEAD, "Marta Lindqvist", "approver", 2, "Business Banking"))
    rows.append(_officer(DEMO_CCO, "Samuel Okafor", "approver", 3, "Credit Risk"))
    for j in range(3):
        rows.append(_officer(f"committee.{j + 1}", _person(k + j), "approver", 4, "Credit Committee"))
    rows.append(_officer("risk.lee", "Jin Lee", "risk", 0, "Credit Risk"))
    rows.append(_officer("audit.ravi", "Ravi Patel", "auditor", 0, "Internal Audit"))
    rows.append(_officer("admin", "Desk Administrator", "admin", 0, "Operations"))
    frame = pd.DataFrame(rows)
    frame["slack_user_id"] = [f"U{1000 + i:07d}" for i in range(len(frame))]
    return frame, rms_by_team


def _officer(oid: str, name: str, role: str, level: int, team: str) -> dict[str, object]:
    email = name.lower().replace(" ", ".") + "@bank.example"
    return {
        "officer_id": oid,
        "name": name,
        "email": email,
        "role": role,
        "approval_level": level,
        "team": team,
        "active": True,
    }
