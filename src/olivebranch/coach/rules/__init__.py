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

#: More phrase files for a code, read by the checker beside ``data/<code>.toml``
#: (their groups and exceptions are added to it). crisis.toml is shared with the
#: safety screen; the checker's own additions live in crisis_more.toml.
EXTRA_PHRASE_FILES: dict[str, tuple[str, ...]] = {"crisis": ("crisis_more",)}
