"""The rule layer: one data file per phrase rule, one module per rule with logic.

Phrase rules are described entirely by ``data/<code>.toml`` and run by
``base.PhraseRule``. Rules that need more than phrases have a module here:
``over_apology`` (counting), and the stage rules ``too_long``,
``no_contact_breach`` and ``generic``.
"""

#: Phrase rules, in the order they run; crisis always first.
PHRASE_CODES = (
    "crisis",
    "ultimatum",
    "hostile",
    "guilt_trip",
    "pressure",
    "pleading",
    "neediness",
    "relationship_talk",
    "jealousy_play",
    "grand_gesture",
)

#: ``data/crisis.toml`` is the one crisis phrase set: the safety screen reads it too.
SHARED_WITH_SCREEN = ("crisis",)
