"""Themed name sets for the question generator: everyday binary variables with the phrases a story needs.

A probabilistic :class:`Theme` names a population (``unit``) and five variables by role: the treatment
``x``, the outcome ``y``, a confounder or second cause ``z``, a mediator ``m`` and a collider ``c``,
plus the noun of an unobserved common cause ``u``. A :class:`RuleTheme` names two causes and an
effect tied by a deterministic boolean rule, with the tense forms counterfactual questions need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def to_infinitive(phrase: str) -> str:
    for finite, bare in (("are not ", "not be "), ("are ", "be "), ("do not ", "not ")):
        if phrase.startswith(finite):
            return bare + phrase[len(finite):]
    return phrase


@dataclass(frozen=True)
class Var:
    """A binary variable of a population story.

    ``noun`` names the variable in graph statements and questions ("smoking"); ``pos``/``neg`` are the
    groups with the value 1/0 ("smokers"/"non-smokers"); ``event``/``neg_event`` are verb phrases for
    a plural subject ("smoke"/"do not smoke"); ``pp`` the past participle after "had they (not)"
    ("smoked"); ``off`` gerund phrases that set the treatment to 0 ("quitting smoking"); ``pnoun`` the
    noun after "the probability of" when ``noun`` does not fit there; ``sym`` the name in notation.
    """

    noun: str
    pos: str
    neg: str
    event: str
    neg_event: str
    pp: str = ""
    off: tuple[str, ...] = ()
    pnoun: str = ""
    sym: str = ""

    @property
    def prob_noun(self) -> str:
        return self.pnoun or self.noun

    @property
    def inf(self) -> str:
        """The event as a bare infinitive, for "likely to ..." and "help them ...": "are vaccinated" -> "be vaccinated"."""
        return to_infinitive(self.event)

    @property
    def neg_inf(self) -> str:
        return to_infinitive(self.neg_event)

    @property
    def symbol(self) -> str:
        if self.sym:
            return self.sym
        bare = re.sub(r"^(a|an|the) ", "", self.noun.lower())
        return re.sub(r"[^a-z0-9]+", "_", bare).strip("_")


@dataclass(frozen=True)
class Theme:
    name: str
    unit: str
    x: Var
    y: Var
    z: Var
    m: Var
    c: Var
    u: str

    @property
    def who(self) -> str:
        """The relative pronoun for the unit: "who" for people, "that" for fields, cars, mice..."""
        return "who" if self.unit in PERSONAL_UNITS else "that"

    def var(self, role: str) -> Var:
        """Role letters used by the structures: X, Y, Z (or W, a second cause), M, C."""
        return {"X": self.x, "Y": self.y, "Z": self.z, "W": self.z, "M": self.m, "C": self.c}[role]


@dataclass(frozen=True)
class RuleVar:
    """A yes/no fact of a deterministic story, in the tense forms the sentences use.

    ``subj`` + ``pp`` build "had it (not) rained" / "would the grass have been wet"; ``pres``/``pres_neg``
    the rule's clauses; ``past``/``past_neg`` the observations; ``pp_neg`` the negated outcome
    ("stayed dry"), optional.
    """

    subj: str
    pres: str
    pres_neg: str
    past: str
    past_neg: str
    pp: str
    pp_neg: str = ""


@dataclass(frozen=True)
class RuleTheme:
    name: str
    a: RuleVar
    b: RuleVar
    y: RuleVar
    ops: tuple[str, ...]  # "and", "or", "unless" (y = a and not b)


V = Var
PERSONAL_UNITS = frozenset({"people", "students", "patients", "employees", "children", "customers", "drivers", "workers",
                            "teenagers"})


THEMES: tuple[Theme, ...] = (
    Theme(
        "smoking", "people",
        V("smoking", "smokers", "non-smokers", "smoke", "do not smoke", pp="smoked",
          off=("quitting smoking", "giving up smoking", "avoiding cigarettes", "a ban on smoking")),
        V("lung cancer", "people with lung cancer", "people without lung cancer", "get lung cancer", "stay cancer-free"),
        V("the risk gene", "carriers of the risk gene", "people without the risk gene", "carry the risk gene",
          "do not carry the risk gene", pnoun="carrying the risk gene", sym="gene"),
        V("tar buildup", "people with tar deposits", "people without tar deposits", "have tar deposits",
          "have no tar deposits", pnoun="having tar deposits", sym="tar"),
        V("hospitalization", "hospitalized people", "people who are not hospitalized", "are hospitalized",
          "are not hospitalized", pnoun="being hospitalized"),
        "a hidden genetic trait",
    ),
    Theme(
        "tutoring", "students",
        V("tutoring", "tutored students", "untutored students", "get tutoring", "do not get tutoring",
          pp="gotten tutoring", off=("cancelling tutoring", "stopping tutoring")),
        V("passing the exam", "students who pass", "students who fail", "pass the exam", "fail the exam", sym="pass"),
        V("family wealth", "students from wealthy families", "students from poorer families", "come from wealthy families",
          "come from poorer families", pnoun="coming from a wealthy family", sym="wealth"),
        V("study time", "students who study a lot", "students who study little", "study a lot", "study little",
          pnoun="studying a lot"),
        V("a scholarship", "scholarship winners", "students without a scholarship", "win a scholarship",
          "do not win a scholarship", pnoun="winning a scholarship", sym="scholarship"),
        "motivation",
    ),
    Theme(
        "fertilizer", "fields",
        V("fertilizer", "fertilized fields", "unfertilized fields", "receive fertilizer", "receive no fertilizer",
          pp="received fertilizer", off=("withholding fertilizer", "banning fertilizer")),
        V("a high yield", "fields with a high yield", "fields with a poor yield", "give a high yield", "give a poor yield",
          pnoun="giving a high yield", sym="high_yield"),
        V("heavy rain", "fields with heavy rain", "fields with little rain", "get heavy rain", "get little rain", sym="rain"),
        V("soil nitrogen", "fields with nitrogen-rich soil", "fields with nitrogen-poor soil", "have nitrogen-rich soil",
          "have nitrogen-poor soil", pnoun="nitrogen-rich soil", sym="nitrogen"),
        V("a prize at the fair", "prize-winning fields", "fields without a prize", "win a prize at the fair",
          "win no prize at the fair", pnoun="winning a prize", sym="prize"),
        "soil quality",
    ),
    Theme(
        "drug", "patients",
        V("the drug", "patients who take the drug", "patients who do not take the drug", "take the drug",
          "do not take the drug", pp="taken the drug", off=("stopping the drug", "withdrawing the drug"),
          pnoun="taking the drug", sym="drug"),
        V("recovery", "patients who recover", "patients who stay ill", "recover", "stay ill"),
        V("old age", "older patients", "younger patients", "are over 60", "are 60 or younger", pnoun="being over 60",
          sym="old_age"),
        V("lower blood pressure", "patients with lower blood pressure", "patients with unchanged blood pressure",
          "have lower blood pressure", "have unchanged blood pressure"),
        V("early discharge", "patients discharged early", "patients discharged late", "are discharged early",
          "are discharged late", sym="early_discharge"),
        "disease severity",
    ),
    Theme(
        "exercise", "people",
        V("exercise", "people who exercise", "people who do not exercise", "exercise", "do not exercise", pp="exercised",
          off=("stopping exercise", "giving up exercise")),
        V("heart disease", "people with heart disease", "people without heart disease", "develop heart disease",
          "stay free of heart disease", sym="heart_disease"),
        V("high income", "people with a high income", "people with a low income", "have a high income",
          "have a low income", sym="income"),
        V("a healthy weight", "people with a healthy weight", "overweight people", "keep a healthy weight",
          "are overweight", pnoun="keeping a healthy weight", sym="weight"),
        V("joining a health study", "study participants", "non-participants", "join a health study",
          "do not join a health study", sym="study"),
        "lifestyle",
    ),
    Theme(
        "remote work", "employees",
        V("remote work", "remote workers", "office workers", "work remotely", "work in the office", pp="worked remotely",
          off=("banning remote work", "ending remote work"), pnoun="working remotely"),
        V("burnout", "employees who burn out", "employees who avoid burnout", "burn out", "avoid burnout"),
        V("seniority", "senior employees", "junior employees", "are senior", "are junior", pnoun="being senior"),
        V("overwork", "employees who work long hours", "employees with normal hours", "work long hours",
          "work normal hours", pnoun="working long hours", sym="overwork"),
        V("promotion", "promoted employees", "employees who are not promoted", "get promoted", "do not get promoted",
          pnoun="getting promoted"),
        "personality",
    ),
    Theme(
        "bedtime reading", "children",
        V("bedtime reading", "children read to at bedtime", "children not read to at bedtime", "are read to at bedtime",
          "are not read to at bedtime", pp="been read to at bedtime",
          off=("stopping bedtime reading", "skipping bedtime reading"), sym="reading"),
        V("early reading", "children who read early", "children who read late", "learn to read early",
          "learn to read late"),
        V("parental education", "children of graduates", "children of non-graduates", "have graduate parents",
          "have no graduate parents", pnoun="having graduate parents", sym="parental_education"),
        V("a large vocabulary", "children with a large vocabulary", "children with a small vocabulary",
          "have a large vocabulary", "have a small vocabulary", sym="vocabulary"),
        V("the gifted program", "children in the gifted program", "children outside the gifted program",
          "join the gifted program", "do not join the gifted program", pnoun="joining the gifted program", sym="gifted"),
        "the home environment",
    ),
    Theme(
        "servicing", "cars",
        V("regular servicing", "serviced cars", "unserviced cars", "are serviced regularly", "are not serviced regularly",
          pp="been serviced regularly", off=("skipping servicing", "stopping regular servicing"), sym="servicing"),
        V("a breakdown", "cars that break down", "cars that keep running", "break down", "keep running", pnoun="breaking down",
          sym="breakdown"),
        V("being old", "old cars", "new cars", "are old", "are new", sym="old"),
        V("engine wear", "cars with engine wear", "cars without engine wear", "have engine wear", "have no engine wear",
          sym="wear"),
        V("towing", "towed cars", "cars that are not towed", "are towed", "are not towed", pnoun="being towed"),
        "driving style",
    ),
    Theme(
        "coupon", "customers",
        V("the coupon", "customers with a coupon", "customers without a coupon", "get a coupon", "get no coupon",
          pp="gotten a coupon", off=("withdrawing the coupon", "stopping the coupons"), pnoun="getting a coupon",
          sym="coupon"),
        V("a purchase", "buyers", "customers who leave without buying", "buy something", "leave without buying",
          pnoun="buying something", sym="purchase"),
        V("loyalty membership", "loyalty members", "non-members", "are loyalty members", "are not loyalty members",
          pnoun="being a loyalty member", sym="loyalty"),
        V("a store visit", "customers who visit the store", "customers who stay away", "visit the store",
          "do not visit the store", pnoun="visiting the store", sym="visit"),
        V("a survey response", "survey respondents", "customers who skip the survey", "answer the survey", "skip the survey",
          pnoun="answering the survey", sym="survey"),
        "shopping style",
    ),
    Theme(
        "solar", "households",
        V("solar power", "households with solar panels", "households without solar panels", "have solar panels",
          "have no solar panels", pp="had solar panels", off=("removing the solar panels", "banning solar panels"),
          pnoun="having solar panels", sym="solar"),
        V("a low energy bill", "households with a low bill", "households with a high bill", "have a low energy bill",
          "have a high energy bill", pnoun="having a low energy bill", sym="low_bill"),
        V("a large house", "households in large houses", "households in small houses", "live in a large house",
          "live in a small house", pnoun="living in a large house", sym="large_house"),
        V("low grid use", "households with low grid use", "households with high grid use",
          "draw little power from the grid", "draw a lot of power from the grid", sym="low_grid"),
        V("an energy audit", "audited households", "unaudited households", "get an energy audit", "get no energy audit",
          pnoun="getting an energy audit", sym="audit"),
        "environmental concern",
    ),
    Theme(
        "sugar tax", "towns",
        V("a sugar tax", "towns with a sugar tax", "towns without a sugar tax", "have a sugar tax", "have no sugar tax",
          pp="had a sugar tax", off=("repealing the sugar tax", "abolishing the sugar tax"), pnoun="having a sugar tax",
          sym="sugar_tax"),
        V("falling obesity", "towns where obesity falls", "towns where obesity does not fall", "see obesity fall",
          "see no fall in obesity", sym="obesity_falls"),
        V("wealth", "wealthy towns", "poor towns", "are wealthy", "are poor", pnoun="being wealthy"),
        V("a drop in soda sales", "towns with lower soda sales", "towns with steady soda sales", "see soda sales drop",
          "see steady soda sales", sym="soda_drop"),
        V("news coverage", "towns in the news", "towns not in the news", "get national news coverage",
          "get no news coverage", pnoun="getting news coverage", sym="news"),
        "local culture",
    ),
    Theme(
        "vaccination", "people",
        V("vaccination", "vaccinated people", "unvaccinated people", "are vaccinated", "are not vaccinated",
          pp="been vaccinated", off=("refusing the vaccine", "skipping vaccination"), pnoun="being vaccinated"),
        V("the flu", "people who catch the flu", "people who stay flu-free", "catch the flu", "stay flu-free",
          pnoun="catching the flu", sym="flu"),
        V("old age", "older people", "younger people", "are over 65", "are 65 or younger", pnoun="being over 65",
          sym="old_age"),
        V("a strong antibody response", "people with high antibody levels", "people with low antibody levels",
          "have high antibody levels", "have low antibody levels", pnoun="having high antibody levels", sym="antibody_response"),
        V("a clinic visit", "clinic visitors", "people who do not visit a clinic", "visit a clinic",
          "do not visit a clinic", pnoun="visiting a clinic", sym="clinic"),
        "general health",
    ),
    Theme(
        "watering", "plants",
        V("daily watering", "plants watered daily", "plants not watered daily", "are watered daily",
          "are not watered daily", pp="been watered daily", off=("stopping daily watering", "skipping the watering"),
          sym="watering"),
        V("flowering", "plants that flower", "plants that fail to flower", "flower", "fail to flower"),
        V("full sun", "plants in full sun", "plants in shade", "grow in full sun", "grow in shade",
          pnoun="growing in full sun", sym="sun"),
        V("strong root growth", "plants with strong roots", "plants with weak roots", "grow strong roots", "grow weak roots",
          pnoun="growing strong roots", sym="root_growth"),
        V("a gardening prize", "prize-winning plants", "plants without a prize", "win a gardening prize", "win no prize",
          pnoun="winning a prize", sym="prize"),
        "seed quality",
    ),
    Theme(
        "phone use", "drivers",
        V("phone use while driving", "drivers who use a phone", "drivers who do not use a phone",
          "use a phone while driving", "do not use a phone while driving", pp="used a phone while driving",
          off=("banning phone use", "putting the phone away"), sym="phone"),
        V("an accident", "drivers who have an accident", "accident-free drivers", "have an accident", "stay accident-free",
          pnoun="having an accident", sym="accident"),
        V("youth", "young drivers", "older drivers", "are under 25", "are 25 or older", pnoun="being under 25", sym="youth"),
        V("distraction", "distracted drivers", "attentive drivers", "are distracted", "stay attentive",
          pnoun="being distracted"),
        V("a police stop", "drivers stopped by police", "drivers not stopped by police", "get stopped by police",
          "do not get stopped by police", pnoun="getting stopped by police", sym="police_stop"),
        "risk-taking",
    ),
    Theme(
        "coffee", "people",
        V("coffee", "coffee drinkers", "people who avoid coffee", "drink coffee", "do not drink coffee", pp="drunk coffee",
          off=("quitting coffee", "cutting out coffee", "avoiding coffee"), pnoun="drinking coffee"),
        V("insomnia", "people with insomnia", "people who sleep well", "suffer from insomnia", "sleep well"),
        V("job stress", "people with stressful jobs", "people with calm jobs", "have a stressful job", "have a calm job",
          pnoun="having a stressful job", sym="stress"),
        V("late caffeine", "people with caffeine in their blood at night", "people with no caffeine at night",
          "have caffeine in their blood at night", "have no caffeine in their blood at night",
          pnoun="caffeine at night", sym="caffeine"),
        V("a sleep clinic visit", "sleep clinic patients", "people who never visit a sleep clinic",
          "visit a sleep clinic", "never visit a sleep clinic", pnoun="visiting a sleep clinic", sym="sleep_clinic"),
        "temperament",
    ),
    Theme(
        "high-fat diet", "mice",
        V("a high-fat diet", "mice on a high-fat diet", "mice on a normal diet", "eat a high-fat diet", "eat a normal diet",
          pp="eaten a high-fat diet", off=("removing the high-fat diet", "stopping the high-fat diet", "avoiding fatty food"),
          pnoun="eating a high-fat diet", sym="high_fat"),
        V("diabetes", "diabetic mice", "healthy mice", "develop diabetes", "stay healthy", pnoun="developing diabetes"),
        V("the obese strain", "mice of the obese strain", "mice of the lean strain", "belong to the obese strain",
          "belong to the lean strain", pnoun="belonging to the obese strain", sym="obese_strain"),
        V("weight gain", "mice that gain weight", "mice that keep their weight", "gain weight", "keep their weight",
          pnoun="gaining weight"),
        V("selection for follow-up", "mice selected for follow-up", "mice not selected", "are selected for follow-up",
          "are not selected for follow-up", pnoun="being selected for follow-up", sym="selected"),
        "the gut microbiome",
    ),
    Theme(
        "safety training", "workers",
        V("safety training", "trained workers", "untrained workers", "get safety training", "get no safety training",
          pp="gotten safety training", off=("cancelling the training", "skipping the training"), sym="training"),
        V("injury", "injured workers", "workers who stay injury-free", "get injured", "stay injury-free",
          pnoun="getting injured"),
        V("heavy machinery work", "machine operators", "workers who do not operate machines", "operate heavy machinery",
          "do not operate heavy machinery", pnoun="operating heavy machinery", sym="machinery"),
        V("helmet use", "workers who wear helmets", "workers who skip helmets", "wear helmets", "skip helmets",
          pnoun="wearing a helmet", sym="helmet"),
        V("an incident report", "workers who file a report", "workers who file no report", "file an incident report",
          "file no incident report", pnoun="filing a report", sym="report"),
        "carefulness",
    ),
    Theme(
        "redesign", "websites",
        V("the redesign", "redesigned websites", "websites that were not redesigned", "are redesigned",
          "are not redesigned", pp="been redesigned", off=("reverting the redesign", "dropping the redesign"),
          pnoun="being redesigned", sym="redesign"),
        V("high revenue", "websites with high revenue", "websites with low revenue", "earn high revenue", "earn low revenue",
          pnoun="earning high revenue", sym="high_revenue"),
        V("a large parent company", "websites of large companies", "websites of small companies", "belong to large companies",
          "belong to small companies", pnoun="belonging to a large company", sym="large_company"),
        V("fast loading", "fast websites", "slow websites", "load fast", "load slowly", pnoun="loading fast", sym="fast"),
        V("a design award", "award-winning websites", "websites without an award", "win a design award", "win no award",
          pnoun="winning an award", sym="award"),
        "brand strength",
    ),
    Theme(
        "meditation", "people",
        V("meditation", "people who meditate", "people who do not meditate", "meditate", "do not meditate",
          pp="meditated", off=("giving up meditation", "stopping meditation"), pnoun="meditating"),
        V("anxiety", "anxious people", "calm people", "suffer from anxiety", "stay calm", pnoun="suffering from anxiety"),
        V("free time", "people with plenty of free time", "busy people", "have plenty of free time", "are busy",
          pnoun="having free time", sym="free_time"),
        V("good sleep", "people who sleep well", "people who sleep badly", "sleep well", "sleep badly",
          pnoun="sleeping well", sym="sleep"),
        V("therapy", "people in therapy", "people not in therapy", "see a therapist", "do not see a therapist",
          pnoun="seeing a therapist"),
        "temperament",
    ),
    Theme(
        "transit", "cities",
        V("transit investment", "cities that invest in transit", "cities that do not invest in transit",
          "invest in transit", "do not invest in transit", pp="invested in transit",
          off=("cutting transit funding", "stopping transit investment"), pnoun="investing in transit", sym="transit"),
        V("clean air", "cities with clean air", "cities with polluted air", "have clean air", "have polluted air",
          pnoun="having clean air", sym="clean_air"),
        V("large size", "big cities", "small cities", "are big", "are small", pnoun="being big"),
        V("light traffic", "cities with light traffic", "cities with heavy traffic", "have light car traffic",
          "have heavy car traffic", pnoun="having light traffic", sym="light_traffic"),
        V("a green-city award", "award-winning cities", "cities without the award", "win a green-city award",
          "win no award", pnoun="winning the award", sym="award"),
        "the political climate",
    ),
    Theme(
        "physiotherapy", "patients",
        V("physiotherapy", "patients in physiotherapy", "patients without physiotherapy", "do physiotherapy",
          "do no physiotherapy", pp="done physiotherapy", off=("stopping physiotherapy", "skipping physiotherapy"),
          pnoun="doing physiotherapy"),
        V("walking again", "patients who walk again", "patients who cannot walk yet", "walk again within a month",
          "remain unable to walk after a month"),
        V("severe injury", "severely injured patients", "mildly injured patients", "are severely injured",
          "are mildly injured", pnoun="being severely injured", sym="severe"),
        V("muscle strength", "patients who regain strength", "patients who stay weak", "regain muscle strength",
          "stay weak", pnoun="regaining muscle strength", sym="strength"),
        V("a rehab transfer", "patients moved to rehab", "patients kept on the ward", "are moved to a rehab center",
          "are kept on the ward", pnoun="being moved to rehab", sym="rehab"),
        "willpower",
    ),
    Theme(
        "feed", "cows",
        V("the new feed", "cows on the new feed", "cows on the old feed", "eat the new feed", "eat the old feed",
          pp="eaten the new feed", off=("withdrawing the new feed", "stopping the new feed"),
          pnoun="eating the new feed", sym="new_feed"),
        V("high milk yield", "high-yield cows", "low-yield cows", "give a lot of milk", "give little milk",
          pnoun="giving a lot of milk", sym="high_milk"),
        V("the dairy breed", "cows of the dairy breed", "cows of other breeds", "are of the dairy breed",
          "are of other breeds", pnoun="being of the dairy breed", sym="dairy_breed"),
        V("good digestion", "cows that digest well", "cows that digest poorly", "digest well", "digest poorly",
          pnoun="digesting well", sym="digestion"),
        V("a vet visit", "cows seen by the vet", "cows not seen by the vet", "need a vet visit", "need no vet visit",
          pnoun="needing a vet visit", sym="vet"),
        "herd management",
    ),
    Theme(
        "social media", "teenagers",
        V("heavy social media use", "heavy social media users", "light social media users", "use social media heavily",
          "use social media lightly", pp="used social media heavily",
          off=("banning social media", "cutting back on social media"), sym="social_media"),
        V("depression", "depressed teenagers", "teenagers who stay happy", "feel depressed", "stay happy",
          pnoun="feeling depressed"),
        V("city life", "city teenagers", "rural teenagers", "live in a city", "live in the countryside",
          pnoun="living in a city", sym="city"),
        V("sleep loss", "teenagers who lose sleep", "teenagers who sleep enough", "lose sleep", "sleep enough",
          pnoun="losing sleep", sym="sleep_loss"),
        V("counselling", "teenagers in counselling", "teenagers not in counselling", "see a school counsellor",
          "do not see a counsellor", pnoun="seeing a counsellor"),
        "family stress",
    ),
    Theme(
        "inspections", "restaurants",
        V("hygiene inspection", "inspected restaurants", "uninspected restaurants", "are inspected", "are not inspected",
          pp="been inspected", off=("stopping the inspections", "suspending inspections"), pnoun="being inspected",
          sym="inspection"),
        V("food poisoning", "restaurants with an outbreak", "outbreak-free restaurants", "cause food poisoning",
          "stay outbreak-free", pnoun="causing food poisoning", sym="food_poisoning"),
        V("chain membership", "chain restaurants", "independent restaurants", "belong to a chain", "are independent",
          pnoun="belonging to a chain", sym="chain"),
        V("kitchen cleanliness", "restaurants with clean kitchens", "restaurants with dirty kitchens", "keep clean kitchens",
          "keep dirty kitchens", pnoun="keeping a clean kitchen"),
        V("press coverage", "restaurants in the newspaper", "restaurants not in the newspaper",
          "appear in the newspaper", "stay out of the newspaper", pnoun="appearing in the newspaper", sym="press"),
        "management quality",
    ),
    Theme(
        "sunscreen", "people",
        V("sunscreen", "sunscreen users", "people who skip sunscreen", "use sunscreen", "do not use sunscreen",
          pp="used sunscreen", off=("giving up sunscreen", "stopping sunscreen"), pnoun="using sunscreen"),
        V("sunburn", "sunburned people", "people who avoid sunburn", "get sunburned", "avoid sunburn",
          pnoun="getting sunburned"),
        V("beach tourism", "beachgoers", "people who avoid the beach", "holiday at the beach", "avoid the beach",
          pnoun="holidaying at the beach", sym="beach"),
        V("low UV exposure", "people with low UV exposure", "people with high UV exposure", "absorb little UV",
          "absorb a lot of UV", pnoun="absorbing little UV", sym="low_uv"),
        V("a dermatologist visit", "dermatology patients", "people who never see a dermatologist", "see a dermatologist",
          "never see a dermatologist", pnoun="seeing a dermatologist", sym="dermatologist"),
        "skin type",
    ),
    Theme(
        "small classes", "schools",
        V("small class size", "schools with small classes", "schools with large classes", "have small classes",
          "have large classes", pp="had small classes", off=("ending small classes", "abolishing small classes"),
          pnoun="having small classes", sym="small_classes"),
        V("strong test performance", "schools with good scores", "schools with poor scores", "score well on tests",
          "score poorly on tests", pnoun="scoring well", sym="test_performance"),
        V("good funding", "well-funded schools", "poorly funded schools", "are well funded", "are poorly funded",
          pnoun="being well funded", sym="funding"),
        V("individual attention", "schools where teachers give individual attention",
          "schools without individual attention", "give pupils individual attention", "give pupils no individual attention",
          pnoun="giving individual attention", sym="attention"),
        V("press coverage", "schools in the press", "schools not in the press", "get press coverage",
          "get no press coverage", pnoun="getting press coverage", sym="press"),
        "neighbourhood wealth",
    ),
    Theme(
        "alcohol", "people",
        V("alcohol", "drinkers", "non-drinkers", "drink alcohol", "do not drink alcohol", pp="drunk alcohol",
          off=("quitting alcohol", "giving up drinking", "avoiding alcohol"), pnoun="drinking alcohol"),
        V("liver disease", "people with liver disease", "people with a healthy liver", "develop liver disease",
          "keep a healthy liver", pnoun="developing liver disease", sym="liver_disease"),
        V("being male", "men", "women", "are men", "are women", sym="male"),
        V("a fatty liver", "people with a fatty liver", "people with a lean liver", "have a fatty liver",
          "have a lean liver", pnoun="having a fatty liver", sym="fatty_liver"),
        V("hospital admission", "admitted patients", "people who are not admitted", "are admitted to hospital",
          "are not admitted to hospital", pnoun="being admitted", sym="admission"),
        "the social environment",
    ),
    Theme(
        "bonus", "employees",
        V("the bonus scheme", "employees in the bonus scheme", "employees outside the bonus scheme",
          "join the bonus scheme", "stay out of the bonus scheme", pp="joined the bonus scheme",
          off=("scrapping the bonus scheme", "ending the bonus scheme"), pnoun="joining the bonus scheme", sym="bonus"),
        V("high productivity", "highly productive employees", "unproductive employees", "are highly productive",
          "are unproductive", pnoun="being highly productive", sym="productivity"),
        V("working in sales", "sales staff", "back-office staff", "work in sales", "work in the back office", sym="sales"),
        V("overtime", "employees who work overtime", "employees who never work overtime", "work overtime",
          "never work overtime", pnoun="working overtime"),
        V("manager praise", "praised employees", "unpraised employees", "get praised by their manager",
          "get no praise from their manager", pnoun="getting praised", sym="praise"),
        "ambition",
    ),
)


R = RuleVar

RULE_THEMES: tuple[RuleTheme, ...] = (
    RuleTheme(
        "garden",
        R("it", "it rains", "it does not rain", "it rained", "it did not rain", "rained"),
        R("the sprinkler", "the sprinkler is on", "the sprinkler is off", "the sprinkler was on", "the sprinkler was off",
          "been on"),
        R("the grass", "the grass is wet", "the grass is dry", "the grass was wet", "the grass was dry", "been wet",
          "stayed dry"),
        ("or",),
    ),
    RuleTheme(
        "lamp",
        R("the wall switch", "the wall switch is on", "the wall switch is off", "the wall switch was on",
          "the wall switch was off", "been on"),
        R("the desk switch", "the desk switch is on", "the desk switch is off", "the desk switch was on",
          "the desk switch was off", "been on"),
        R("the lamp", "the lamp is lit", "the lamp is dark", "the lamp was lit", "the lamp was dark", "been lit",
          "stayed dark"),
        ("and", "or"),
    ),
    RuleTheme(
        "engine",
        R("the key", "the key is turned", "the key is not turned", "the key was turned", "the key was not turned",
          "been turned"),
        R("the battery", "the battery is charged", "the battery is flat", "the battery was charged", "the battery was flat",
          "been charged"),
        R("the engine", "the engine starts", "the engine does not start", "the engine started", "the engine did not start",
          "started", "failed to start"),
        ("and",),
    ),
    RuleTheme(
        "alarm",
        R("there", "there is smoke", "there is no smoke", "there was smoke", "there was no smoke", "been smoke"),
        R("a burglar", "a burglar breaks in", "no burglar breaks in", "a burglar broke in", "no burglar broke in",
          "broken in"),
        R("the alarm", "the alarm sounds", "the alarm stays silent", "the alarm sounded", "the alarm stayed silent",
          "sounded", "stayed silent"),
        ("or",),
    ),
    RuleTheme(
        "fuse",
        R("the switch", "the switch is on", "the switch is off", "the switch was on", "the switch was off", "been on"),
        R("the fuse", "the fuse is blown", "the fuse is intact", "the fuse was blown", "the fuse was intact", "blown"),
        R("the light", "the light is on", "the light is off", "the light was on", "the light was off", "been on",
          "stayed off"),
        ("unless",),
    ),
    RuleTheme(
        "door",
        R("the card", "the card is swiped", "the card is not swiped", "the card was swiped", "the card was not swiped",
          "been swiped"),
        R("the code", "the code is entered", "the code is not entered", "the code was entered", "the code was not entered",
          "been entered"),
        R("the door", "the door opens", "the door stays shut", "the door opened", "the door stayed shut", "opened",
          "stayed shut"),
        ("and", "or"),
    ),
    RuleTheme(
        "frost",
        R("the plant", "the plant is watered", "the plant is not watered", "the plant was watered",
          "the plant was not watered", "been watered"),
        R("there", "there is frost", "there is no frost", "there was frost", "there was no frost", "been frost"),
        R("the plant", "the plant survives", "the plant dies", "the plant survived", "the plant died", "survived", "died"),
        ("unless",),
    ),
    RuleTheme(
        "train",
        R("the signals", "the signals fail", "the signals work", "the signals failed", "the signals worked", "failed"),
        R("the drivers", "the drivers strike", "the drivers do not strike", "the drivers struck",
          "the drivers did not strike", "struck"),
        R("the train", "the train is late", "the train is on time", "the train was late", "the train was on time",
          "been late", "been on time"),
        ("or",),
    ),
    RuleTheme(
        "course",
        R("Ana", "Ana submits the homework", "Ana does not submit the homework", "Ana submitted the homework",
          "Ana did not submit the homework", "submitted the homework"),
        R("Ana", "Ana sits the exam", "Ana skips the exam", "Ana sat the exam", "Ana skipped the exam", "sat the exam"),
        R("Ana", "Ana passes the course", "Ana fails the course", "Ana passed the course", "Ana failed the course",
          "passed the course", "failed the course"),
        ("and",),
    ),
    RuleTheme(
        "dog",
        R("a stranger", "a stranger comes to the door", "no stranger comes to the door", "a stranger came to the door",
          "no stranger came to the door", "come to the door"),
        R("the dog", "the dog is asleep", "the dog is awake", "the dog was asleep", "the dog was awake", "been asleep"),
        R("the dog", "the dog barks", "the dog stays quiet", "the dog barked", "the dog stayed quiet", "barked",
          "stayed quiet"),
        ("unless",),
    ),
    RuleTheme(
        "fire",
        R("there", "there is a spark", "there is no spark", "there was a spark", "there was no spark", "been a spark"),
        R("there", "there is dry fuel nearby", "there is no dry fuel nearby", "there was dry fuel nearby",
          "there was no dry fuel nearby", "been dry fuel nearby"),
        R("a fire", "a fire starts", "no fire starts", "a fire started", "no fire started", "started"),
        ("and",),
    ),
    RuleTheme(
        "team",
        R("Ben", "Ben scores", "Ben does not score", "Ben scored", "Ben did not score", "scored"),
        R("Cara", "Cara scores", "Cara does not score", "Cara scored", "Cara did not score", "scored"),
        R("the team", "the team wins", "the team loses", "the team won", "the team lost", "won", "lost"),
        ("or", "and"),
    ),
    RuleTheme(
        "heater",
        R("the thermostat", "the thermostat calls for heat", "the thermostat does not call for heat",
          "the thermostat called for heat", "the thermostat did not call for heat", "called for heat"),
        R("the boiler", "the boiler is broken", "the boiler works", "the boiler was broken", "the boiler worked",
          "been broken"),
        R("the room", "the room warms up", "the room stays cold", "the room warmed up", "the room stayed cold",
          "warmed up", "stayed cold"),
        ("unless",),
    ),
    RuleTheme(
        "printer",
        R("the printer", "the printer has paper", "the printer has no paper", "the printer had paper",
          "the printer had no paper", "had paper"),
        R("the printer", "the printer has ink", "the printer has no ink", "the printer had ink", "the printer had no ink",
          "had ink"),
        R("the page", "the page prints", "the page does not print", "the page printed", "the page did not print",
          "printed"),
        ("and",),
    ),
    RuleTheme(
        "bus",
        R("it", "it snows", "it does not snow", "it snowed", "it did not snow", "snowed"),
        R("the road", "the road is closed", "the road is open", "the road was closed", "the road was open", "been closed"),
        R("the bus", "the bus is cancelled", "the bus runs", "the bus was cancelled", "the bus ran", "been cancelled",
          "run"),
        ("or",),
    ),
)
