"""Word lists the demo world draws from: names, titles, firmographics, profile values.

Plain data, no logic. Lists are tuples so nothing downstream can reorder them
by accident: the generator's determinism depends on their order.
"""

from __future__ import annotations

from graph.model import Function, Seniority

FIRST_NAMES = (
    "Aaliyah", "Aaron", "Abigail", "Adrian", "Aisha", "Alan", "Alejandro", "Alice", "Amara",
    "Amelia", "Ana", "Andre", "Andrew", "Anika", "Anna", "Arjun", "Astrid", "Ben", "Bianca",
    "Brian", "Camila", "Carlos", "Caroline", "Chen", "Chloe", "Chris", "Clara", "Daniel",
    "David", "Diana", "Diego", "Dmitri", "Elena", "Eli", "Elif", "Emeka", "Emily", "Emma",
    "Erik", "Fatima", "Felix", "Fiona", "Gabriel", "Grace", "Hannah", "Hiro", "Ibrahim",
    "Ingrid", "Isabel", "Ivan", "Jack", "James", "Jana", "Javier", "Jin", "Joanna", "John",
    "Jonas", "Julia", "Kai", "Kamala", "Karen", "Kenji", "Laila", "Lars", "Laura", "Leo",
    "Li", "Lucas", "Lucia", "Maria", "Mark", "Marta", "Mateo", "Maya", "Mei", "Michael",
    "Mohammed", "Nadia", "Naomi", "Nikhil", "Nina", "Noah", "Olga", "Oliver", "Omar",
    "Paolo", "Patricia", "Paul", "Priya", "Rafael", "Rahul", "Rebecca", "Ren", "Rosa",
    "Ruth", "Sam", "Sara", "Sean", "Sofia", "Sven", "Tariq", "Thomas", "Tomas", "Uma",
    "Victor", "Wei", "William", "Yara", "Yusuf", "Zoe",
)

LAST_NAMES = (
    "Abara", "Adams", "Ahmed", "Alvarez", "Andersen", "Baker", "Banerjee", "Becker",
    "Bennett", "Bianchi", "Brown", "Carter", "Castro", "Chen", "Clarke", "Costa", "Das",
    "Dubois", "Edwards", "Eriksson", "Evans", "Fernandes", "Fischer", "Garcia", "Ghosh",
    "Gonzalez", "Gupta", "Hansen", "Harris", "Hoffmann", "Hughes", "Ito", "Jackson",
    "Jansen", "Johnson", "Kaur", "Khan", "Kim", "Kowalski", "Kumar", "Larsen", "Lee",
    "Lopez", "Martin", "Meyer", "Moreau", "Muller", "Murphy", "Nakamura", "Nguyen",
    "Nielsen", "Novak", "Okafor", "Olsen", "Owusu", "Patel", "Perez", "Petrov", "Popescu",
    "Rahman", "Reddy", "Richter", "Rossi", "Sato", "Schmidt", "Schneider", "Shah", "Silva",
    "Singh", "Smith", "Sousa", "Suzuki", "Tanaka", "Taylor", "Thomas", "Torres", "Van Dijk",
    "Wagner", "Walker", "Wang", "Weber", "Williams", "Wilson", "Wong", "Yamamoto", "Yilmaz",
    "Young", "Zhang", "Zimmermann",
)

NAME_STEMS = (
    "Acme", "Alder", "Apex", "Arbor", "Atlas", "Aurora", "Beacon", "Birch", "Blue", "Bright",
    "Cardinal", "Cedar", "Clear", "Cobalt", "Crest", "Delta", "Eagle", "Ember", "Evergreen",
    "Falcon", "Fern", "Golden", "Granite", "Harbor", "Helix", "Horizon", "Iron", "Juniper",
    "Keystone", "Lake", "Lumen", "Maple", "Meridian", "Milestone", "Nimbus", "North",
    "Oak", "Orbit", "Pacific", "Peak", "Pine", "Pioneer", "Prairie", "Quartz", "Red",
    "Ridge", "River", "Sage", "Silver", "Sky", "Stone", "Summit", "Terra", "Tidal", "Union",
    "Vantage", "Vertex", "West", "Willow", "Zenith",
)

NAME_TAILS = (
    "field", "gate", "line", "point", "view", "wood", "works", "well", "stone", "bridge",
    "way", "wave", "ton", "vale", "spring", "core", "path", "mark", "stack", "light",
)

# industry -> words that make a company name sound like it belongs there.
INDUSTRIES: dict[str, tuple[str, ...]] = {
    "Healthcare": ("Health", "Medical", "Clinics", "Care", "Biosciences"),
    "Financial Services": ("Capital", "Bank", "Insurance", "Financial", "Partners"),
    "Manufacturing": ("Industries", "Manufacturing", "Components", "Machinery", "Metals"),
    "Retail": ("Retail", "Stores", "Outfitters", "Market", "Brands"),
    "Technology": ("Software", "Systems", "Labs", "Networks", "Technologies"),
    "Education": ("University", "Learning", "Academy", "Schools", "Education"),
    "Government": ("County", "Authority", "Agency", "Council", "Services"),
    "Energy": ("Energy", "Power", "Renewables", "Utilities", "Grid"),
    "Logistics": ("Logistics", "Freight", "Shipping", "Transport", "Supply"),
    "Media": ("Media", "Research", "Press", "Insights", "Publishing"),
}
# How often each industry appears among ordinary accounts.
INDUSTRY_WEIGHTS = (14, 13, 13, 10, 16, 8, 6, 7, 8, 5)

SIZE_BANDS = ("1-50", "51-200", "201-1000", "1001-5000", "5000+")
SIZE_WEIGHTS = (12, 24, 30, 22, 12)
REVENUE_BANDS = ("<$10M", "$10M-$50M", "$50M-$250M", "$250M-$1B", "$1B+")
REGIONS = ("North America", "EMEA", "APAC", "LATAM")
REGION_WEIGHTS = (45, 30, 17, 8)
TLDS = {"North America": "com", "EMEA": "eu", "APAC": "io", "LATAM": "co"}

# Functions every company has, then the ones bigger companies add.
CORE_FUNCTIONS = (Function.EXECUTIVE, Function.FINANCE, Function.PROCUREMENT, Function.IT)
MORE_FUNCTIONS = (
    Function.OPERATIONS, Function.SUPPORT, Function.SALES, Function.MARKETING, Function.RND,
    Function.LEGAL, Function.HR, Function.INVESTOR_RELATIONS,
)

_C, _VP, _D, _M, _IC = (
    Seniority.C_LEVEL, Seniority.VP, Seniority.DIRECTOR, Seniority.MANAGER, Seniority.INDIVIDUAL,
)

# (function, seniority) -> believable titles.
TITLES: dict[tuple[Function, Seniority], tuple[str, ...]] = {
    (Function.EXECUTIVE, _C): ("Chief Executive Officer", "Chief Operating Officer", "President"),
    (Function.EXECUTIVE, _VP): ("SVP Strategy", "VP Corporate Development"),
    (Function.EXECUTIVE, _D): ("Chief of Staff", "Director of Strategy"),
    (Function.EXECUTIVE, _M): ("Executive Office Manager",),
    (Function.EXECUTIVE, _IC): ("Executive Assistant", "Strategy Analyst"),
    (Function.FINANCE, _C): ("Chief Financial Officer",),
    (Function.FINANCE, _VP): ("VP Finance",),
    (Function.FINANCE, _D): ("Financial Controller", "Director of Finance"),
    (Function.FINANCE, _M): ("Accounts Payable Manager", "Finance Manager"),
    (Function.FINANCE, _IC): ("Accounts Payable Specialist", "Financial Analyst", "Accountant"),
    (Function.PROCUREMENT, _C): ("Chief Procurement Officer",),
    (Function.PROCUREMENT, _VP): ("VP Procurement",),
    (Function.PROCUREMENT, _D): ("Director of Procurement", "Head of Sourcing"),
    (Function.PROCUREMENT, _M): ("Procurement Manager", "Category Manager"),
    (Function.PROCUREMENT, _IC): ("Buyer", "Purchasing Specialist", "Sourcing Analyst"),
    (Function.IT, _C): ("Chief Information Officer", "Chief Technology Officer"),
    (Function.IT, _VP): ("VP Information Technology", "VP Infrastructure"),
    (Function.IT, _D): ("Director of IT", "Head of Enterprise Architecture"),
    (Function.IT, _M): ("IT Manager", "Infrastructure Manager"),
    (Function.IT, _IC): ("Systems Administrator", "Solutions Architect", "DevOps Engineer"),
    (Function.OPERATIONS, _C): ("Chief Operating Officer",),
    (Function.OPERATIONS, _VP): ("VP Operations",),
    (Function.OPERATIONS, _D): ("Director of Operations",),
    (Function.OPERATIONS, _M): ("Operations Manager", "Plant Manager"),
    (Function.OPERATIONS, _IC): ("Operations Analyst", "Process Engineer", "Coordinator"),
    (Function.MARKETING, _C): ("Chief Marketing Officer",),
    (Function.MARKETING, _VP): ("VP Marketing",),
    (Function.MARKETING, _D): ("Marketing Director", "Director of Demand Generation"),
    (Function.MARKETING, _M): ("Marketing Manager", "Product Marketing Manager"),
    (Function.MARKETING, _IC): ("Marketing Specialist", "Content Strategist"),
    (Function.SALES, _C): ("Chief Revenue Officer",),
    (Function.SALES, _VP): ("VP Sales",),
    (Function.SALES, _D): ("Sales Director", "Director of Partnerships"),
    (Function.SALES, _M): ("Sales Manager", "Alliance Manager"),
    (Function.SALES, _IC): ("Account Executive", "Sales Development Rep"),
    (Function.SUPPORT, _C): ("Chief Customer Officer",),
    (Function.SUPPORT, _VP): ("VP Customer Support",),
    (Function.SUPPORT, _D): ("Director of Customer Success",),
    (Function.SUPPORT, _M): ("Support Manager", "Service Desk Manager"),
    (Function.SUPPORT, _IC): ("Support Engineer", "Customer Success Associate"),
    (Function.LEGAL, _C): ("General Counsel",),
    (Function.LEGAL, _VP): ("VP Legal",),
    (Function.LEGAL, _D): ("Legal Director",),
    (Function.LEGAL, _M): ("Contracts Manager",),
    (Function.LEGAL, _IC): ("Paralegal", "Legal Counsel"),
    (Function.HR, _C): ("Chief People Officer",),
    (Function.HR, _VP): ("VP People",),
    (Function.HR, _D): ("HR Director",),
    (Function.HR, _M): ("HR Manager", "Talent Acquisition Manager"),
    (Function.HR, _IC): ("HR Generalist", "Recruiter"),
    (Function.RND, _C): ("Chief Technology Officer",),
    (Function.RND, _VP): ("VP Engineering", "VP Research"),
    (Function.RND, _D): ("Director of Engineering", "Head of Data"),
    (Function.RND, _M): ("Engineering Manager", "Lab Manager"),
    (Function.RND, _IC): ("Software Engineer", "Data Scientist", "Research Scientist"),
    (Function.INVESTOR_RELATIONS, _C): ("Chief Communications Officer",),
    (Function.INVESTOR_RELATIONS, _VP): ("VP Investor Relations",),
    (Function.INVESTOR_RELATIONS, _D): ("Investor Relations Director",),
    (Function.INVESTOR_RELATIONS, _M): ("Investor Relations Manager",),
    (Function.INVESTOR_RELATIONS, _IC): ("Investor Relations Analyst", "Board Member"),
    (Function.OTHER, _C): ("Managing Partner",),
    (Function.OTHER, _VP): ("Vice President",),
    (Function.OTHER, _D): ("Research Director", "Editor in Chief"),
    (Function.OTHER, _M): ("Senior Analyst", "Senior Editor"),
    (Function.OTHER, _IC): ("Industry Analyst", "Journalist", "Reporter"),
}

# Titles for the people of an analyst firm or publication (the media-only account).
ANALYST_TITLES = ("Industry Analyst", "Senior Analyst", "Research Director", "Principal Analyst")
MEDIA_TITLES = ("Journalist", "Reporter", "Senior Editor", "Editor in Chief")
INVESTOR_TITLES = ("Board Member", "Investor Relations Director", "Investor Relations Manager")

# Our own people.
USER_FIRST = ("Alex", "Jordan", "Morgan", "Casey", "Riley", "Taylor", "Jamie", "Robin",
              "Avery", "Quinn", "Drew", "Sky", "Reese", "Parker", "Rowan", "Sage")
USER_LAST = ("Rivers", "Stone", "Fox", "Hale", "Lane", "Brooks", "Frost", "Grant",
             "Hayes", "Knight", "Marsh", "Pike", "Reed", "Shaw", "Vale", "Wren")
OUR_DOMAIN = "accountgraph.example"

# Profile items: key -> (values, probability the item is public).
SCHOOLS = (
    "State University", "Northfield College", "Institute of Technology", "Lakeside University",
    "Royal College of Commerce", "University of the Coast", "Pacific Business School",
    "Central Polytechnic", "Hillcrest University", "National University",
)
CHARITIES = (
    "Food Bank Network", "Children's Hospital Fund", "Habitat Builders", "Literacy Alliance",
    "Animal Rescue League", "Clean Rivers Trust", "Veterans Outreach",
)
FAMILY = (
    "married, two children", "one daughter at university", "newborn son", "three kids",
    "cares for elderly parent", "twins starting school", "no children, two dogs",
)
SPORTS = (
    "marathon runner", "cycling", "tennis", "football supporter", "sailing", "climbing",
    "swimming", "cricket fan",
)
HOBBIES = (
    "golf", "photography", "cooking", "chess", "gardening", "woodworking", "jazz piano",
    "birdwatching", "wine", "reading history",
)
# What a contact values in a vendor. "responsiveness" is a true revenue trigger
# (see docs/demo-world.md); the others carry no effect.
VALUES_IN_VENDOR = (
    "responsiveness", "low price", "innovation", "reliability", "security", "local presence",
    "long-term partnership",
)
VALUES_WEIGHTS = (22, 18, 14, 16, 12, 8, 10)

# A rare charity seen only on three contacts of won deals: a "trigger" the
# revenue-trigger analysis must refuse for lack of support.
RARE_DECOY = ("charity", "Harbor Light Foundation")
RARE_DECOY_CASES = 3

CAMPAIGNS = (
    "Spring Product Launch", "Customer Summit", "Healthcare Roundtable", "Year-End Renewal Push",
    "Security Webinar Series", "Analyst Day", "Partner Kickoff", "Cost Savings Mailer",
    "Executive Dinner", "Net Promoter Survey",
)
