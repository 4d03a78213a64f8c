"""The example questions the chat offers as buttons: (button label, question)."""

from fmcgm.examples import EXAMPLES

_by_title = {title.split(":")[0]: q for title, q in EXAMPLES}

APP_EXAMPLES: list[tuple[str, str]] = [
    ("Confounder (back-door)",
     "Age has a direct effect on exercise and heart disease. Exercise has a direct effect on heart disease. "
     "For people who are young and do not exercise, the probability of heart disease is 12%. "
     "For people who are young and exercise, the probability of heart disease is 6%. "
     "For people who are old and do not exercise, the probability of heart disease is 35%. "
     "For people who are old and exercise, the probability of heart disease is 22%. "
     "The overall probability of old age is 40%. Will exercise decrease the chance of heart disease?"),
    ("Front-door (hidden confounder)", _by_title["front-door"]),
    ("Not identifiable", _by_title["not identifiable"]),
    ("Pendulum image", _by_title["counterfactual image"]),
    ("Water-flow image", "What would the stream look like if the ball were large?"),
]
