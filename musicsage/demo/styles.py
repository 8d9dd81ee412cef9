"""The musical styles of the demo library.

Each :class:`Style` is a recipe an arranger follows: tempo range, meter, swing, modes and chord
progressions, a drum kit with one-bar patterns, and the instruments for bass, chords, arpeggio
and lead. The styles are chosen to differ on every axis an audio model can hear — tempo (70 to
174 BPM), groove (four-on-the-floor, breakbeat, half-time one-drop, swing, 3/4 waltz, no drums),
timbre (additive, FM, Karplus–Strong strings, detuned saws, pulse waves, noise), harmony (major,
minor, modal) and loudness — so that audio embeddings separate them partly, while the hidden
scenes of :mod:`musicsage.demo.library` cut across them.

Pattern strings hold one character per step (``steps_per_beat × beats_per_bar`` of them):

* drums: ``X`` accent, ``x`` normal, ``o`` ghost, ``.`` rest;
* bass lines: ``R`` root, ``O`` octave up, ``F`` fifth, ``T`` third, ``S`` seventh, ``-`` hold,
  ``.`` rest; the special line ``walk`` makes a walking bass in quarter notes;
* chord comping: ``x`` hit, ``-`` hold, ``.`` rest.
"""

from __future__ import annotations

from dataclasses import dataclass

MODES: dict[str, tuple[int, ...]] = {
    "ionian": (0, 2, 4, 5, 7, 9, 11),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "aeolian": (0, 2, 3, 5, 7, 8, 10),
    "harmonic_minor": (0, 2, 3, 5, 7, 8, 11),
}

NOTE_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


@dataclass(frozen=True)
class Style:
    """How one genre is arranged and sounds (see the module docstring for pattern strings)."""

    key: str
    genre: str  # the genre tag written into files
    tempo: tuple[float, float]
    modes: tuple[str, ...]
    progressions: tuple[tuple[int, ...], ...]  # 0-based scale degrees, one chord per bar(s)
    beats_per_bar: int = 4
    steps_per_beat: int = 4
    swing: tuple[float, float] = (0.0, 0.0)  # delay of off-beat steps, in steps
    swing_unit: int = 1  # 1: swing 16ths; 2: swing 8ths
    bars_per_chord: int = 1
    sevenths: bool = False
    root: tuple[int, int] = (40, 47)  # MIDI range of the bass root (E2..B2)
    kit: str | None = None
    beats: tuple[dict[str, str], ...] = ()
    humanize_ms: float = 0.0
    bass: tuple[str, ...] = ()
    bass_lines: tuple[str, ...] = ()
    chords: tuple[str, ...] = ()
    comp: tuple[str, ...] = ()
    chord_octave: int = 1  # octaves above the bass root
    strum_ms: float = 0.0
    power_chords: bool = False
    arp: tuple[str, ...] = ()
    arp_steps: int = 1
    lead: tuple[str, ...] = ()
    lead_density: tuple[float, float] = (0.3, 0.5)
    lead_octave: int = 2
    lead_steps: int = 2  # shortest lead note, in steps
    texture: str | None = None
    reverb: tuple[float, float] = (0.1, 0.25)
    echo: float = 0.0  # dub delay send
    sidechain: float = 0.0
    brightness: tuple[float, float] = (7000.0, 10000.0)  # master low-pass cutoff, Hz
    drive: float = 0.0
    loudness_db: tuple[float, float] = (-15.0, -13.0)  # target RMS, dBFS

    @property
    def steps_per_bar(self) -> int:
        return self.steps_per_beat * self.beats_per_bar


STYLES: tuple[Style, ...] = (
    Style(
        key="deep_house", genre="Deep House", tempo=(118, 124),
        modes=("dorian", "aeolian"), progressions=((0, 3), (0, 5, 3, 4), (0, 6, 5, 6)),
        sevenths=True, kit="909",
        beats=(
            {"kick": "x...x...x...x...", "clap": "....x.......x...", "ohat": "..x...x...x...x.",
             "chat": "x.o.x.o.x.o.x.oo"},
            {"kick": "x...x...x...x...", "clap": "....x.......x...", "ohat": "..x...x...x...x.",
             "shaker": "xoxoxoxoxoxoxoxo"},
        ),
        bass=("sub_bass", "pluck_bass"), bass_lines=("..R-..R-..R-..RO", "R.-.R..OR.-.R.F.", "..R...R...R...R."),
        chords=("organ", "epiano"), comp=("...x--.....x--..", "..x-..x-..x-..x.", "x--.......x--..."),
        lead=("bell", "synth_pluck"), lead_density=(0.15, 0.3), lead_octave=2,
        reverb=(0.15, 0.3), sidechain=0.6, brightness=(6500, 9500), loudness_db=(-14, -12),
    ),
    Style(
        key="techno", genre="Techno", tempo=(128, 136),
        modes=("phrygian", "aeolian"), progressions=((0,), (0, 1), (0, 0, 6, 0)),
        kit="909",
        beats=(
            {"kick": "X...X...X...X...", "chat": "oxoxoxoxoxoxoxox", "ohat": "..x...x...x...x.",
             "clap": "....x.......x..."},
            {"kick": "X...X...X...X...", "chat": "xxxxxxxxxxxxxxxx", "rim": "..o..o....o..o.."},
        ),
        bass=("acid_bass",), bass_lines=("RROR.RFRR.ROR.FR", "R.RR.R.OR.RR.RO.", "RRRRRRRRRRRRRRRR"),
        chords=("pad_dark",), comp=("x---------------",),
        lead=(), texture=None, root=(36, 43),
        reverb=(0.1, 0.2), sidechain=0.3, brightness=(8000, 11000), drive=0.6, loudness_db=(-12, -10),
    ),
    Style(
        key="drum_and_bass", genre="Drum & Bass", tempo=(170, 176),
        modes=("aeolian", "dorian"), progressions=((0, 5), (0, 3, 5, 4), (0, 6)),
        bars_per_chord=2, sevenths=True, kit="breaks",
        beats=(
            {"kick": "x.........x.....", "snare": "....x.......x...", "chat": "x.x.x.x.x.xxx.x.",
             "ride": "..x...x...x...x."},
            {"kick": "x.....x...x.....", "snare": "....x..o....x..o", "chat": "xxx.xxx.xxx.xxx."},
        ),
        bass=("reese_bass",), bass_lines=("R---------R-----", "R-------F---R---", "R---.---O---R---"),
        chords=("pad_saw",), comp=("x---------------",),
        lead=("bell", "epiano"), lead_density=(0.15, 0.25), lead_octave=2,
        reverb=(0.2, 0.35), brightness=(8000, 11000), loudness_db=(-13, -11), root=(36, 43),
    ),
    Style(
        key="lofi_hiphop", genre="Lo-Fi Hip Hop", tempo=(72, 88),
        modes=("dorian", "ionian"), progressions=((1, 4, 0, 5), (0, 3), (3, 2, 1, 0)),
        sevenths=True, swing=(0.22, 0.32), kit="lofi",
        beats=(
            {"kick": "x......x..x.....", "snare": "....x.......x...", "chat": "x.x.x.x.x.x.x.xo"},
            {"kick": "x.......x.x.....", "snare": "....x.......x..o", "chat": "x.xox.x.x.xox.x."},
        ),
        humanize_ms=8.0,
        bass=("sub_bass", "upright_bass"), bass_lines=("R-----.F--.R----", "R---..R-F---..O-"),
        chords=("epiano",), comp=("x------.....x---", "x-----x-----x---", "..x-------..x---"),
        lead=("epiano", "flute"), lead_density=(0.15, 0.3), lead_octave=2,
        texture="vinyl", reverb=(0.15, 0.25), brightness=(2800, 4200), loudness_db=(-19, -16),
    ),
    Style(
        key="synthwave", genre="Synthwave", tempo=(96, 112),
        modes=("aeolian",), progressions=((0, 5, 2, 6), (0, 5, 3, 4), (5, 6, 0, 0)),
        kit="gated",
        beats=(
            {"kick": "x...x...x...x...", "snare": "....X.......X...", "chat": "x.x.x.x.x.x.x.x."},
            {"kick": "x.....x.x.......", "snare": "....X.......X...", "chat": "xxxxxxxxxxxxxxxx"},
        ),
        bass=("saw_bass",), bass_lines=("R.O.R.O.R.O.R.O.", "RRRRRRRRRRRRRRRR", "R.R.R.R.R.R.R.R."),
        chords=("pad_saw",), comp=("x---------------",),
        arp=("synth_pluck",), arp_steps=2,
        lead=("saw_lead",), lead_density=(0.25, 0.4), lead_octave=2, lead_steps=2,
        reverb=(0.3, 0.45), brightness=(7000, 10000), loudness_db=(-14, -12),
    ),
    Style(
        key="folk", genre="Folk", tempo=(84, 108),
        modes=("ionian", "mixolydian"), progressions=((0, 3, 4, 0), (0, 4, 5, 3), (0, 6, 3, 0)),
        beats_per_bar=3, steps_per_beat=4, kit="folk",
        beats=({"shaker": "x.o.x.o.x.o."}, {"shaker": "x.o.x.o.x.o.", "kick": "x..........."}, {}),
        humanize_ms=12.0,
        bass=("upright_bass",), bass_lines=("R.......F...", "R...F...O..."),
        chords=("guitar",), comp=("x...x.x.x.x.", "x...x...x...", "x.x.x.x.x.x."), strum_ms=14.0,
        lead=("nylon", "flute"), lead_density=(0.25, 0.45), lead_octave=2,
        reverb=(0.15, 0.3), brightness=(6000, 9000), loudness_db=(-19, -16),
    ),
    Style(
        key="ambient", genre="Ambient", tempo=(60, 72),
        modes=("lydian", "ionian"), progressions=((0, 1), (0, 3), (0, 5, 3, 0)),
        bars_per_chord=2, sevenths=True, kit=None, beats=({},),
        bass=("sub_bass",), bass_lines=("R---------------",),
        chords=("pad_warm",), comp=("x---------------",),
        lead=("bell",), lead_density=(0.06, 0.14), lead_octave=3, lead_steps=4,
        texture="wind", reverb=(0.5, 0.7), echo=0.3, brightness=(4500, 7000),
        loudness_db=(-24, -20),
    ),
    Style(
        key="jazz", genre="Jazz", tempo=(128, 160),
        modes=("ionian", "dorian"), progressions=((1, 4, 0, 0), (1, 4, 0, 5), (0, 5, 1, 4)),
        sevenths=True, swing=(0.55, 0.7), swing_unit=2, kit="jazz",
        beats=(
            {"ride": "x...x.x.x...x.x.", "chat": "....x.......x...", "brush": "..o.......o....o",
             "kick": "o...o...o...o..."},
            {"ride": "x...x.x.x...x.x.", "chat": "....x.......x...", "snare": "......o.......o."},
        ),
        humanize_ms=10.0,
        bass=("upright_bass",), bass_lines=("walk",),
        chords=("piano",), comp=("..x-......x-....", "x-.....x-...x-..", "...x-.....x-...."),
        lead=("piano", "vibes"), lead_density=(0.35, 0.55), lead_octave=2,
        reverb=(0.15, 0.3), brightness=(6000, 9000), loudness_db=(-19, -16),
    ),
    Style(
        key="chiptune", genre="Chiptune", tempo=(140, 160),
        modes=("ionian", "aeolian"), progressions=((0, 5, 3, 4), (0, 4, 5, 3), (0, 6, 5, 4)),
        kit="chip",
        beats=(
            {"kick": "x.......x.x.....", "snare": "....x.......x...", "chat": "x.x.x.x.x.x.x.x."},
            {"kick": "x...x...x...x...", "snare": "....x.......x..x", "chat": "..x...x...x...x."},
        ),
        bass=("tri_bass",), bass_lines=("R.O.R.O.F.O.F.O.", "R.R.O.R.R.R.O.R.", "R-R-O-R-F-R-O-R-"),
        arp=("chip_arp",), arp_steps=1,
        lead=("chip_lead", "chip_lead25"), lead_density=(0.45, 0.65), lead_octave=2, lead_steps=1,
        reverb=(0.0, 0.05), brightness=(9500, 11000), loudness_db=(-15, -13),
    ),
    Style(
        key="dub", genre="Dub Reggae", tempo=(68, 80),
        modes=("aeolian", "dorian"), progressions=((0, 3), (0, 6), (0, 3, 0, 4)),
        swing=(0.1, 0.2), kit="dub",
        beats=(
            {"kick": "........x.......", "rim": "........x.......", "chat": "x.x.x.x.x.x.x.x."},
            {"kick": "........x.......", "snare": "........x.......", "chat": "x.xxx.xxx.xxx.xx"},
        ),
        humanize_ms=6.0,
        bass=("sub_bass",), bass_lines=("R--.F-.R........", "..R-.R-F-..R-.O.", "R---..R-F---...."),
        chords=("organ",), comp=("....x.......x...", "..x...x...x...x."),
        lead=("melodica",), lead_density=(0.12, 0.25), lead_octave=2,
        reverb=(0.2, 0.35), echo=0.5, brightness=(4500, 6500), loudness_db=(-16, -14),
        root=(36, 43),
    ),
    Style(
        key="indie_rock", genre="Indie Rock", tempo=(116, 140),
        modes=("ionian", "mixolydian"), progressions=((0, 4, 5, 3), (0, 6, 3, 0), (5, 3, 0, 4)),
        kit="rock", power_chords=True,
        beats=(
            {"kick": "x.....x.x.......", "snare": "....x.......x...", "chat": "x.x.x.x.x.x.x.x."},
            {"kick": "x.x.....x.x.....", "snare": "....x.......x...", "ride": "x.x.x.x.x.x.x.x."},
        ),
        humanize_ms=5.0,
        bass=("pick_bass",), bass_lines=("R.R.R.R.R.R.R.R.", "R-R-R-R-F-F-O-O-"),
        chords=("dist_guitar",), comp=("x-x-x-x-x-x-x-x-", "x--x--x-x--x--x-"), chord_octave=1,
        lead=("guitar",), lead_density=(0.2, 0.35), lead_octave=2,
        reverb=(0.12, 0.22), brightness=(7000, 10000), loudness_db=(-13, -11),
    ),
)

STYLE_BY_KEY: dict[str, Style] = {s.key: s for s in STYLES}


def style(key: str) -> Style:
    return STYLE_BY_KEY[key]
