"""Words a world is made of: names, firmographic values, profile items."""

from __future__ import annotations

FIRST_NAMES = (
    "Aisha", "Alan", "Amara", "Ana", "Andrei", "Beatriz", "Ben", "Carla", "Chen", "Chloe",
    "Daniel", "Dara", "Diego", "Elena", "Emeka", "Emma", "Farah", "Felix", "Grace", "Hana",
    "Hugo", "Ines", "Ivan", "Jamal", "Jana", "Jonas", "Julia", "Kai", "Kenji", "Lara",
    "Leon", "Lina", "Luca", "Maya", "Mehmet", "Mia", "Nadia", "Noah", "Nora", "Olga",
    "Omar", "Paula", "Priya", "Rafael", "Rosa", "Sam", "Sara", "Sofia", "Tariq", "Tom",
    "Uma", "Victor", "Wei", "Yara", "Yusuf", "Zoe",
)
LAST_NAMES = (
    "Adeyemi", "Almeida", "Andersen", "Bauer", "Becker", "Bianchi", "Brown", "Castro",
    "Chen", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Gupta", "Haddad", "Ito",
    "Jensen", "Kaya", "Khan", "Kim", "Kowalski", "Larsen", "Lopez", "Martin", "Meyer",
    "Moreau", "Murphy", "Nakamura", "Novak", "Okafor", "Olsen", "Patel", "Petrov", "Rossi",
    "Santos", "Schmidt", "Silva", "Singh", "Smith", "Suzuki", "Tanaka", "Varga", "Wagner",
    "Walsh", "Weber", "Wong", "Yilmaz", "Zhang",
)
COMPANY_HEADS = (
    "North", "Blue", "Iron", "Silver", "Bright", "Clear", "Green", "Red", "Stone", "High",
    "Oak", "Swift", "True", "Cedar", "Harbor", "Summit", "Polar", "Prime", "Apex", "Delta",
)
COMPANY_TAILS = (
    "field", "line", "gate", "works", "point", "bridge", "path", "wave", "peak", "forge",
    "stream", "ridge", "port", "leaf", "well", "mark", "haven", "core", "grid", "stack",
)
COMPANY_SUFFIXES = ("Inc", "Ltd", "GmbH", "Group", "Systems", "Labs", "Holdings", "")
TLDS = ("com", "com", "com", "io", "de", "co.uk", "fr", "net")

INDUSTRIES = (
    "Manufacturing", "Retail", "Financial Services", "Healthcare", "Software", "Logistics",
    "Energy", "Education", "Telecommunications", "Professional Services",
)
# Companies whose people we talk to for another purpose than buying.
ANALYST_INDUSTRY = "Market Research"
MEDIA_INDUSTRY = "Media & Publishing"
REGIONS = ("North America", "EMEA", "APAC", "LATAM")
REGION_WEIGHTS = (0.45, 0.32, 0.15, 0.08)
# Bands as the shipped Salesforce mapping makes them from employees and revenue.
SIZE_BANDS = ("1-50", "51-200", "201-1000", "1001-5000", "5001+")
REVENUE_BANDS = ("<1M", "1M-10M", "10M-100M", "100M-1B", "1B+")
REVENUE_WEIGHTS = (0.14, 0.24, 0.3, 0.21, 0.11)
# A number inside each band, for exports that carry the raw figure.
SIZE_EMPLOYEES = (30, 120, 600, 2_500, 12_000)
REVENUE_AMOUNTS = (600_000.0, 5e6, 4e7, 4e8, 3e9)

# What reps note about people: nothing here has anything to do with buying.
PROFILE_ITEMS: dict[str, tuple[str, ...]] = {
    "hobby": ("golf", "running", "sailing", "cooking", "chess", "photography"),
    "alma_mater": ("State University", "Tech Institute", "City College", "Business School"),
}
