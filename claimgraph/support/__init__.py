"""Does the cited paper say so? Judge each claim against the abstracts it cites.

``types`` holds the values (labels, pairs, judgements) and loads no model; ``judge`` holds the
batch function and the MiniLM scorer; ``checker`` puts the judgement cache in front of it.
See docs/support.md and data/MODEL_CARD.md.
"""
