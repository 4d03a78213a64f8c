"""Example questions for the demo (our own stories, written in the structured style the offline reasoner reads)."""

EXAMPLES: list[tuple[str, str]] = [
    ("counterfactual image: the pendulum world",
     "What would the shadow look like if the light were on the far left?"),
    ("front-door: does smoking raise cancer risk when the confounder is hidden?",
     "Genotype has a direct effect on smoking and cancer. Smoking has a direct effect on tar. "
     "Tar has a direct effect on cancer. Genotype is unobserved. "
     "For nonsmokers, the probability of high tar is 10%. For smokers, the probability of high tar is 85%. "
     "For nonsmokers and with low tar, the probability of cancer is 8%. For nonsmokers and with high tar, "
     "the probability of cancer is 30%. For smokers and with low tar, the probability of cancer is 12%. "
     "For smokers and with high tar, the probability of cancer is 35%. The overall probability of smoking is 40%. "
     "Will smoking increase the chance of cancer?"),
    ("mediation: would smoking still raise cancer risk if we blocked tar?",
     "Smoking has a direct effect on tar and cancer. Tar has a direct effect on cancer. "
     "For nonsmokers and with low tar, the probability of cancer is 5%. For nonsmokers and with high tar, "
     "the probability of cancer is 25%. For smokers and with low tar, the probability of cancer is 9%. "
     "For smokers and with high tar, the probability of cancer is 31%. For nonsmokers, the probability of high tar "
     "is 15%. For smokers, the probability of high tar is 70%. "
     "If we disregard the mediation effect through tar, would smoking positively affect cancer?"),
    ("not identifiable: a hidden common cause and nothing else",
     "Genotype has a direct effect on smoking and cancer. Smoking has a direct effect on cancer. "
     "Genotype is unobserved. For nonsmokers, the probability of cancer is 10%. "
     "For smokers, the probability of cancer is 30%. Will smoking increase the chance of cancer?"),
    ("deterministic counterfactual: the sprinkler and the rain",
     "Season has a direct effect on rain and sprinkler. Rain has a direct effect on wet lawn. "
     "Sprinkler has a direct effect on wet lawn. We know that summer causes sprinkler on and no rain. "
     "rain or sprinkler on causes wet lawn. We observed the season is summer. "
     "Would the lawn is wet if sprinkler off instead of sprinkler on?"),
]
