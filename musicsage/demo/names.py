"""Invented but plausible names for artists, albums, tracks and playlists (seeded).

Names depend on the style the way real ones do — techno producers go by aliases, jazz comes as
"<Name> Trio", lo-fi producers write in lower case — so the demo library reads like a real one
in the GUI. A few names carry accents on purpose: the scan must handle non-ASCII paths.
"""

from __future__ import annotations

import numpy as np

FIRST = ("Mira", "Jonas", "Aiko", "Léa", "Tomasz", "Nadia", "Elias", "Sunniva", "Marco", "Ines",
         "Kofi", "Hana", "Oskar", "Priya", "Mateo", "Yara", "Lukas", "Amara", "Felix", "Noor",
         "Emil", "Zoë", "Ravi", "Clara", "Tariq", "Maren", "Diego", "Saoirse", "Anouk", "Jun")
LAST = ("Halvorsen", "Okafor", "Brandt", "Moreau", "Lindqvist", "Sato", "Castellano", "Novak",
        "Fontaine", "Adeyemi", "Kowalski", "Ferreira", "Nakamura", "Holm", "Varga", "Dubois",
        "Eriksen", "Mbeki", "Rossi", "Quinn", "Bauer", "Iversen", "Santos", "Albescu", "Ward")
ADJ = ("Velvet", "Paper", "Silver", "Quiet", "Electric", "Golden", "Hollow", "Neon", "Lunar",
       "Crimson", "Distant", "Glass", "Slow", "Wild", "Static", "Amber", "Northern", "Secret",
       "Broken", "Endless", "Pale", "Midnight", "Solar", "Tender", "Restless", "Blue", "Faded",
       "Hidden", "Copper", "Weightless", "Lost", "Bright", "Salt", "Frozen", "Open", "Low")
NOUN = ("Harbour", "Orchard", "Satellite", "Ferry", "Engine", "Garden", "Signal", "River",
        "Lantern", "Atlas", "Tide", "Circuit", "Meadow", "Mirror", "Window", "Comet", "Canyon",
        "Island", "Tower", "Forest", "Echo", "Horizon", "Station", "Valley", "Ocean", "Bridge",
        "Pilot", "Current", "Summit", "Harvest", "Archive", "Machine", "Dune", "Parade", "Coast")
PLACE = ("Berlin", "Lagos", "Osaka", "Lisbon", "Detroit", "Bristol", "Reykjavík", "Montréal",
         "Kingston", "Marseille", "Gothenburg", "Tbilisi", "Melbourne", "Leeds", "Bogotá")
ALIAS_PARTS = ("kor", "vel", "ix", "dra", "lum", "ny", "zo", "tek", "mor", "ra", "sin", "vo",
               "ael", "qu", "th", "on", "ka", "ren", "dex", "ul", "bry", "sol", "mi", "ast")
LOWER_WORDS = ("sleepy", "fern", "cloud", "tea", "rain", "window", "moss", "kitten", "dusk",
               "paper", "snow", "cassette", "sunday", "pillow", "lamp", "bloom", "mellow", "drift")
TRACK_WORDS = ("Morning", "Static", "Drift", "Runaway", "Satellites", "Afterglow", "Undertow",
               "Lanterns", "Tidal", "Overpass", "Wanderer", "Ember", "Nightbus", "Daybreak",
               "Kaleidoscope", "Low Tide", "Paper Boats", "Old Friends", "Slow Motion",
               "Northbound", "Glasshouse", "Homecoming", "Skyline", "Parallel", "Heatwave",
               "Lullaby", "Fever", "Orbit", "Rooftops", "Monsoon", "Cinders", "Waves", "Arcade")
PLAYLIST_WORDS = ("Late Night Drive", "Sunday Coffee", "Focus", "Road Trip", "Rainy Day",
                  "Workout", "Dinner Party", "Deep Work", "Summer Evenings", "Warm Up",
                  "After Hours", "Slow Burn", "Morning Run", "Study Session", "Kitchen Disco",
                  "Night Shift", "Heartbreak Hotel", "Daydreams", "Weekend", "Commute")


def _one(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]


def artist_name(style_key: str, rng: np.random.Generator) -> str:
    """An artist name in the habits of ``style_key``."""
    person = f"{_one(rng, FIRST)} {_one(rng, LAST)}"
    alias = "".join(_one(rng, ALIAS_PARTS) for _ in range(int(rng.integers(2, 4)))).capitalize()
    band = f"The {_one(rng, ADJ)} {_one(rng, NOUN)}s"
    pair = f"{_one(rng, ADJ)} {_one(rng, NOUN)}"
    if style_key in ("techno", "deep_house", "drum_and_bass"):
        duo = f"{alias} & {_one(rng, FIRST)}"
        shouted = pair.upper() if rng.random() < 0.3 else pair
        return _choose(rng, (alias, f"DJ {alias}", duo, shouted))
    if style_key == "jazz":
        return _choose(rng, (f"{person} Trio", f"{person} Quartet", person))
    if style_key == "lofi_hiphop":
        return f"{_one(rng, LOWER_WORDS)} {_one(rng, LOWER_WORDS)}".lower()
    if style_key == "chiptune":
        handle = f"{_one(rng, LOWER_WORDS)}{_one(rng, NOUN).lower()}"
        return _choose(rng, (handle, f"8bit {alias}", alias.upper()))
    if style_key in ("indie_rock", "synthwave"):
        return _choose(rng, (band, pair, f"{alias} {_one(rng, NOUN)}"))
    if style_key == "dub":
        return _choose(rng, (f"{_one(rng, PLACE)} {_one(rng, NOUN)} Sound System", f"King {alias}", person))
    return _choose(rng, (person, pair, alias))  # folk, ambient


def _choose(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]


def album_title(rng: np.random.Generator) -> str:
    return _choose(rng, (f"{_one(rng, ADJ)} {_one(rng, NOUN)}s", f"The {_one(rng, NOUN)}",
                         f"{_one(rng, NOUN)}s of {_one(rng, PLACE)}", f"{_one(rng, ADJ)} {_one(rng, NOUN)}",
                         f"{_one(rng, TRACK_WORDS)}"))


def track_title(rng: np.random.Generator) -> str:
    return _choose(rng, (_one(rng, TRACK_WORDS), f"{_one(rng, ADJ)} {_one(rng, NOUN)}",
                         f"{_one(rng, TRACK_WORDS)} ({_one(rng, ADJ)} Mix)",
                         f"{_one(rng, NOUN)} {_one(rng, TRACK_WORDS)}",
                         f"{_one(rng, TRACK_WORDS)} in {_one(rng, PLACE)}"))


def playlist_name(rng: np.random.Generator) -> str:
    return _choose(rng, (_one(rng, PLAYLIST_WORDS),
                         f"{_one(rng, PLAYLIST_WORDS)} {int(rng.integers(2, 9))}",
                         f"{_one(rng, ADJ)} {_one(rng, NOUN)}s",
                         f"{_one(rng, PLACE)} {_one(rng, PLAYLIST_WORDS)}"))


def unique(make, taken: set[str], rng: np.random.Generator, *, tries: int = 50) -> str:
    """A name from ``make(rng)`` not yet in ``taken`` (numbered after ``tries`` collisions)."""
    for _ in range(tries):
        name = make(rng)
        if name.lower() not in taken:
            taken.add(name.lower())
            return name
    base = make(rng)
    k = 2
    while f"{base} {k}".lower() in taken:
        k += 1
    taken.add(f"{base} {k}".lower())
    return f"{base} {k}"
