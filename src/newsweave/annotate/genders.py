"""Common given names that tell a person's grammatical gender in English news, so that "she
said" is not read as a man named just before. Written for this project from general
knowledge; names used for both (Jordan, Alex, Chris, Taylor…) are left out on purpose."""

from __future__ import annotations

MALE_NAMES = frozenset({
    "aaron", "abdul", "abraham", "adam", "ahmed", "alan", "albert", "alberto", "alexander",
    "alfred", "ali", "andrew", "angelo", "anthony", "antonio", "arnold", "arthur", "barack",
    "ben", "benjamin", "bernard", "bernie", "bill", "billy", "bob", "bobby", "boris", "brad",
    "brandon", "brent", "brett", "brian", "bruce", "bryan", "carl", "carlos", "chad", "charles",
    "charlie", "chuck", "clarence", "craig", "dan", "daniel", "darrell", "dave", "david", "dean",
    "dennis", "derek", "devin", "dick", "don", "donald", "doug", "douglas", "duncan", "dwight",
    "earl", "eddie", "edward", "elijah", "emmanuel", "eric", "ernest", "eugene", "frank",
    "franklin", "fred", "gary", "george", "gerald", "glenn", "gordon", "greg", "gregory", "hank",
    "harold", "harry", "henry", "herbert", "howard", "hugh", "ian", "igor", "ivan", "jack",
    "jacob", "jake", "james", "jason", "jeb", "jeff", "jeffrey", "jeremy", "jerry", "jim",
    "jimmy", "joe", "joel", "john", "johnny", "jon", "jonathan", "jorge", "jose", "joseph",
    "josh", "joshua", "juan", "justin", "karl", "keith", "ken", "kenneth", "kevin", "lamar",
    "larry", "lawrence", "lee", "leon", "lindsey", "louis", "luis", "luke", "marco", "mark",
    "martin", "matt", "matthew", "max", "michael", "mike", "mitch", "mitt", "mohammed",
    "muhammad", "nathan", "neil", "newt", "nicholas", "nick", "nigel", "oliver", "omar",
    "orrin", "oscar", "patrick", "paul", "pete", "peter", "phil", "philip", "ralph", "rand",
    "randy", "raymond", "reince", "richard", "rick", "rob", "robert", "roger", "ron", "ronald",
    "roy", "rudy", "russell", "ryan", "sam", "samuel", "scott", "sean", "sergei", "stephen",
    "steve", "steven", "ted", "terry", "thomas", "tim", "timothy", "todd", "tom", "tony",
    "trey", "vladimir", "walter", "wayne", "william", "willie", "xi", "zach",
})  # fmt: skip

FEMALE_NAMES = frozenset({
    "abigail", "alice", "alicia", "amanda", "amy", "andrea", "angela", "angelina", "ann",
    "anna", "anne", "barbara", "betsy", "betty", "beverly", "bonnie", "brenda", "carly",
    "carol", "caroline", "catherine", "cathy", "charlotte", "cheryl", "christina", "christine",
    "claire", "claudia", "cynthia", "deborah", "debbie", "denise", "diana", "diane", "donna",
    "dorothy", "elaine", "elizabeth", "ellen", "emily", "emma", "eva", "evelyn", "frances",
    "gloria", "grace", "hannah", "heather", "heidi", "helen", "hillary", "hope", "huma",
    "ivanka", "jane", "janet", "janice", "jean", "jeanne", "jennifer", "jessica", "jill",
    "joan", "joanne", "joni", "joyce", "judith", "judy", "julia", "julie", "karen", "kate",
    "katherine", "kathleen", "kathy", "kayleigh", "kellyanne", "kirsten", "kristen", "laura",
    "lauren", "linda", "lisa", "loretta", "lori", "louise", "madeleine", "margaret", "maria",
    "marie", "marilyn", "martha", "mary", "megan", "megyn", "melania", "melissa", "michele",
    "michelle", "mika", "monica", "nancy", "natalie", "nicole", "nikki", "olivia", "pamela",
    "patricia", "patty", "paula", "rachel", "rebecca", "rosa", "rose", "ruth", "sally",
    "samantha", "sandra", "sara", "sarah", "sharon", "shirley", "sophia", "stephanie", "susan",
    "susana", "suzanne", "tammy", "teresa", "theresa", "tina", "tulsi", "valerie", "victoria",
    "virginia", "wendy",
})  # fmt: skip


def gender_of_name(name: str) -> str | None:
    """ "he" or "she" by the given name that opens ``name``, else None."""
    words = name.split()
    first = words[0].lower().strip(".,") if words else ""
    if first in MALE_NAMES:
        return "he"
    if first in FEMALE_NAMES:
        return "she"
    return None
