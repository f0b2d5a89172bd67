"""Closed vocabularies of the client data. Stored as short strings in SQL."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    RM = "rm"
    ANALYST = "analyst"
    APPROVER = "approver"
    RISK = "risk"
    AUDITOR = "auditor"
    ADMIN = "admin"


class SizeSegment(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    CORPORATE = "corporate"


class ClientStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    CLOSED = "closed"


class Product(StrEnum):
    REVOLVING = "revolving"
    TERM_LOAN = "term_loan"
    OVERDRAFT = "overdraft"
    TRADE_CREDIT = "trade_credit"
    GUARANTEE = "guarantee"
    LETTER_OF_CREDIT = "letter_of_credit"


class FacilityStatus(StrEnum):
    ACTIVE = "active"
    FROZEN = "frozen"
    CLOSED = "closed"


class PeriodType(StrEnum):
    ANNUAL = "annual"
    QUARTERLY = "quarterly"


class SignalCategory(StrEnum):
    LITIGATION = "litigation"
    ADVERSE_NEWS = "adverse_news"
    TAX = "tax"
    RATING_CHANGE = "rating_change"
    MANAGEMENT_CHANGE = "management_change"
    SUPPLIER_FEEDBACK = "supplier_feedback"
    POSITIVE = "positive"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    SEVERE = "severe"


class CoverStatus(StrEnum):
    ACTIVE = "active"
    PENDING = "pending"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class ContactKind(StrEnum):
    VISIT = "visit"
    CALL = "call"
    MEETING = "meeting"
    EMAIL = "email"
