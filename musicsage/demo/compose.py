"""From a style and an artist's sound to a score: notes and drum hits in seconds.

Three levels of choice make a library sound like one: a :class:`Style` (the genre's recipe),
a :class:`Sound` (what an artist — or one album of theirs — keeps from track to track: tempo,
keys, favourite progressions and grooves, instruments, mix) and the track seed (key, chords,
motif, arrangement). Tracks of one artist therefore resemble each other more than tracks of the
same genre do, which is what lets audio embeddings find artists partly.

The arrangement follows a short song form — intro, main, breakdown, main, outro — scaled to the
track length, with the per-bar energy as a dynamics curve the renderer applies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from musicsage.demo.styles import MODES, Style


@dataclass(frozen=True)
class Sound:
    """An artist's signature inside a style (albums perturb it slightly)."""

    style: str
    tempo: float
    roots: tuple[int, ...]
    modes: tuple[str, ...]
    progressions: tuple[tuple[int, ...], ...]
    beats: tuple[int, ...]
    bass: str | None
    bass_lines: tuple[str, ...]
    chords: str | None
    comp: tuple[str, ...]
    arp: str | None
    lead: str | None
    lead_density: float
    swing: float
    reverb: float
    brightness: float
    loudness_db: float


@dataclass(frozen=True)
class Note:
    part: str  # bass | chords | arp | lead
    start: float  # seconds
    dur: float
    pitch: float  # MIDI note number
    vel: float


@dataclass(frozen=True)
class Hit:
    drum: str
    start: float
    vel: float


@dataclass
class Score:
    """Everything the renderer needs, in seconds (no samples yet)."""

    style: str
    sound: Sound
    duration: float
    tempo: float
    root: int
    mode: str
    notes: list[Note]
    hits: list[Hit]
    bar_s: float
    bar_gain: list[float]  # per-bar dynamics

    @property
    def key_name(self) -> str:
        from musicsage.demo.styles import NOTE_NAMES

        return f"{NOTE_NAMES[self.root % 12]} {self.mode}"


def _pick(rng: np.random.Generator, options: tuple, k: int) -> tuple:
    """``k`` distinct options (all of them when there are fewer), order kept stable."""
    if not options:
        return ()
    idx = sorted(rng.choice(len(options), size=min(k, len(options)), replace=False).tolist())
    return tuple(options[i] for i in idx)


def artist_sound(style: Style, rng: np.random.Generator) -> Sound:
    """Draw an artist's signature: a narrow slice of what the style allows."""
    lo, hi = style.tempo
    def one(options: tuple[str, ...]) -> str | None:
        return options[int(rng.integers(len(options)))] if options else None

    roots = tuple(int(r) for r in rng.choice(np.arange(style.root[0], style.root[1] + 1), size=2,
                                             replace=False))
    all_beats = tuple(range(len(style.beats)))
    return Sound(
        style=style.key,
        tempo=float(rng.uniform(lo + 1, hi - 1)),
        roots=roots,
        modes=_pick(rng, style.modes, 1 + int(rng.random() < 0.4)),
        progressions=_pick(rng, style.progressions, 2),
        beats=all_beats if len(all_beats) <= 1 else _pick(rng, all_beats, 1 + int(rng.random() < 0.3)),
        bass=one(style.bass),
        bass_lines=_pick(rng, style.bass_lines, 2),
        chords=one(style.chords),
        comp=_pick(rng, style.comp, 2),
        arp=one(style.arp),
        lead=one(style.lead),
        lead_density=float(rng.uniform(*style.lead_density)),
        swing=float(rng.uniform(*style.swing)),
        reverb=float(rng.uniform(*style.reverb)),
        brightness=float(rng.uniform(*style.brightness)),
        loudness_db=float(rng.uniform(*style.loudness_db)),
    )


def album_sound(sound: Sound, style: Style, rng: np.random.Generator) -> Sound:
    """An album keeps the artist's sound with small production differences."""
    lo, hi = style.tempo
    return replace(
        sound,
        tempo=float(np.clip(sound.tempo + rng.uniform(-2.0, 2.0), lo, hi)),
        brightness=float(sound.brightness * rng.uniform(0.9, 1.1)),
        reverb=float(np.clip(sound.reverb + rng.uniform(-0.05, 0.05), 0.0, 0.8)),
        loudness_db=float(sound.loudness_db + rng.uniform(-1.0, 1.0)),
    )


def scale_pitch(root: int, mode: str, degree: int) -> int:
    """MIDI pitch of a (possibly negative or > 6) scale degree above ``root``."""
    steps = MODES[mode]
    octave, idx = divmod(degree, 7)
    return root + steps[idx] + 12 * octave


def _sections(n_bars: int) -> list[str]:
    """Intro / main / break / outro labels per bar, for any length (short tests: all main)."""
    if n_bars < 6:
        return ["main"] * n_bars
    labels = ["main"] * n_bars
    intro = 1 if n_bars < 10 else 2
    for b in range(intro):
        labels[b] = "intro"
    if n_bars >= 8:
        labels[int(n_bars * 0.6)] = "break"
    labels[-1] = "outro"
    return labels


ACTIVE = {
    "intro": {"drums_light", "chords", "arp"},
    "main": {"drums", "bass", "chords", "arp", "lead"},
    "break": {"chords", "arp", "lead"},
    "outro": {"drums", "bass", "chords"},
}
SECTION_GAIN = {"intro": 0.7, "main": 1.0, "break": 0.65, "outro": 0.85}
LIGHT_DRUMS = {"chat", "ohat", "shaker", "ride"}
VELOCITY = {"X": 1.0, "x": 0.8, "o": 0.4}


def compose(style: Style, sound: Sound, rng: np.random.Generator, *, duration: float) -> Score:
    """Arrange one track of ``duration`` seconds."""
    tempo = float(np.clip(sound.tempo + rng.uniform(-1.5, 1.5), *style.tempo))
    beat_s = 60.0 / tempo
    step_s = beat_s / style.steps_per_beat
    spb = style.steps_per_bar
    bar_s = step_s * spb
    n_bars = max(1, math.ceil(duration / bar_s))
    root = int(rng.choice(sound.roots))
    mode = str(rng.choice(sound.modes))
    prog = sound.progressions[int(rng.integers(len(sound.progressions)))]
    beat = style.beats[sound.beats[int(rng.integers(len(sound.beats)))]] if style.beats else {}
    bass_line = sound.bass_lines[int(rng.integers(len(sound.bass_lines)))] if sound.bass_lines else ""
    comp = sound.comp[int(rng.integers(len(sound.comp)))] if sound.comp else ""
    sections = _sections(n_bars)
    jitter = style.humanize_ms / 1000.0

    def when(bar: int, step: float) -> float:
        t = bar * bar_s + step * step_s
        unit = style.swing_unit
        if sound.swing and int(step) % (2 * unit) == unit:
            t += sound.swing * step_s
        if jitter:
            t += float(rng.normal(0.0, jitter))
        return max(0.0, t)

    notes: list[Note] = []
    hits: list[Hit] = []
    motif, motif_b = _motif(style, sound, rng), _motif(style, sound, rng)  # A and B
    arp_up = bool(rng.random() < 0.6)

    for bar, label in enumerate(sections):
        active = ACTIVE[label]
        degree, next_degree = (prog[(b // style.bars_per_chord) % len(prog)] for b in (bar, bar + 1))
        bass_root = scale_pitch(root, mode, degree)
        if bass_root - root > 7:  # keep the bass low: fold the chord root down an octave
            bass_root -= 12
        chord_tones = [scale_pitch(root, mode, degree + k) for k in (0, 2, 4, 6)[: 4 if style.sevenths else 3]]

        if beat and ("drums" in active or "drums_light" in active):
            hits.extend(_drum_hits(beat, active, label, bar, style, when, rng))
        if sound.bass and "bass" in active:
            if bass_line == "walk":
                notes.extend(_walk(root, mode, degree, next_degree, bass_root, bar, style, when, beat_s, rng))
            else:
                notes.extend(_line(bass_line, bass_root, chord_tones, root, bar, step_s, when, rng))
        if sound.chords and comp and "chords" in active:
            notes.extend(_chord_notes(comp, chord_tones, bass_root, bar, style, step_s, when, rng))
        if sound.arp and "arp" in active:
            notes.extend(_arp_notes(chord_tones, arp_up, bar, style, step_s, when))
        if sound.lead and "lead" in active:  # motif A A B A, following the chord
            use = motif_b if bar % 4 == 2 else motif
            notes.extend(_lead_notes(use, root, mode, degree, bar, style, step_s, when, rng))

    bar_gain = [SECTION_GAIN[label] for label in sections]
    return Score(style=style.key, sound=sound, duration=duration, tempo=tempo, root=root, mode=mode,
                 notes=notes, hits=hits, bar_s=bar_s, bar_gain=bar_gain)


def _hits_with_length(pattern: str) -> list[tuple[int, int]]:
    """(step, length in steps) of each ``x``/letter in a pattern; ``-`` extends the note."""
    out: list[tuple[int, int]] = []
    for step, ch in enumerate(pattern):
        if ch in ".-":
            continue
        length = 1
        while step + length < len(pattern) and pattern[step + length] == "-":
            length += 1
        out.append((step, length))
    return out


def _line(pattern: str, bass_root: int, chord_tones: list[int], key_root: int, bar: int,
          step_s: float, when, rng: np.random.Generator) -> list[Note]:
    """A bass line from a pattern string (R root, O octave, F fifth, T third, S seventh)."""
    third = chord_tones[1] - chord_tones[0]
    fifth = chord_tones[2] - chord_tones[0]
    seventh = (chord_tones[3] - chord_tones[0]) if len(chord_tones) > 3 else 10
    offsets = {"R": 0, "O": 12, "F": fifth, "T": third, "S": seventh}
    out = []
    for step, length in _hits_with_length(pattern):
        ch = pattern[step]
        out.append(Note("bass", when(bar, step), length * step_s * 0.9,
                        float(bass_root + offsets.get(ch, 0)), float(rng.uniform(0.8, 1.0))))
    return out


def _walk(root: int, mode: str, degree: int, next_degree: int, bass_root: int, bar: int,
          style: Style, when, beat_s: float, rng: np.random.Generator) -> list[Note]:
    """A walking bass: chord root, two chord/scale tones, then a chromatic approach."""
    target = scale_pitch(root, mode, next_degree)
    if target - root > 7:
        target -= 12
    pitches = [bass_root]
    for _ in range(style.beats_per_bar - 2):
        step = int(rng.choice([2, 1, -1, 4]))
        tone = scale_pitch(root, mode, degree + step)
        while tone - root > 9:
            tone -= 12
        pitches.append(tone)
    pitches.append(target + int(rng.choice([-1, 1])))
    return [Note("bass", when(bar, beat * style.steps_per_beat), beat_s * 0.85, float(p),
                 float(rng.uniform(0.75, 0.95))) for beat, p in enumerate(pitches)]


def _motif(style: Style, sound: Sound, rng: np.random.Generator) -> list[tuple[int, int, int]]:
    """A one-bar melodic cell: (step, scale-degree offset from the chord root, length in steps).

    Onsets are likelier on strong beats; pitches walk by small scale steps and land on chord
    tones (offsets 0, 2, 4) on the beat, which is what makes a random line sound intended.
    """
    spb = style.steps_per_bar
    unit = style.lead_steps
    slots = list(range(0, spb, unit))
    onsets = []
    for s in slots:
        strong = s % style.steps_per_beat == 0
        p = sound.lead_density * (1.6 if strong else 0.7)
        if rng.random() < p:
            onsets.append(s)
    if not onsets:
        onsets = [0]
    motif = []
    offset = int(rng.choice([0, 2, 4, 7]))
    for i, s in enumerate(onsets):
        nxt = onsets[i + 1] if i + 1 < len(onsets) else spb
        length = max(unit, min(nxt - s, 4 * unit))
        if s % style.steps_per_beat == 0:
            offset = min((0, 2, 4, 7), key=lambda c: abs(c - offset))
        motif.append((s, offset, length))
        offset = int(np.clip(offset + rng.choice([-2, -1, 1, 2, 0], p=[0.15, 0.3, 0.3, 0.15, 0.1]), -3, 9))
    return motif


When = Callable[[int, float], float]
"""Seconds from the track's start of (bar, step), with swing and human timing applied."""


def _drum_hits(beat: dict[str, str], active: set[str], label: str, bar: int, style: Style,
               when: When, rng: np.random.Generator) -> list[Hit]:
    """One bar of the beat (only the light drums in quiet sections), a fill every fourth bar."""
    hits: list[Hit] = []
    fill = bar % 4 == 3 and label == "main"
    for drum, pattern in beat.items():
        if "drums_light" in active and drum not in LIGHT_DRUMS:
            continue
        for step, ch in enumerate(pattern):
            if ch in VELOCITY:
                vel = VELOCITY[ch] * float(rng.uniform(0.88, 1.0))
                hits.append(Hit(drum, when(bar, step), vel))
    if fill and ("snare" in beat or "clap" in beat):
        drum = "snare" if "snare" in beat else "clap"
        for step in range(style.steps_per_bar - style.steps_per_beat, style.steps_per_bar):
            if rng.random() < 0.5:
                hits.append(Hit(drum, when(bar, step), float(rng.uniform(0.3, 0.7))))
    return hits


def _chord_notes(comp: str, chord_tones: list[int], bass_root: int, bar: int, style: Style,
                 step_s: float, when: When, rng: np.random.Generator) -> list[Note]:
    """One bar of comping: the chord (or a power chord) strummed on the pattern's hits."""
    if style.power_chords:
        voicing = [bass_root + 12, bass_root + 19, bass_root + 24]
    else:
        voicing = [p + 12 * style.chord_octave for p in chord_tones]
    notes: list[Note] = []
    for step, length in _hits_with_length(comp):
        start = when(bar, step)
        for i, p in enumerate(voicing):
            notes.append(Note("chords", start + i * style.strum_ms / 1000.0, length * step_s * 0.95,
                              float(p), float(rng.uniform(0.7, 0.9))))
    return notes


def _arp_notes(chord_tones: list[int], up: bool, bar: int, style: Style, step_s: float,
               when: When) -> list[Note]:
    """One bar of arpeggio two octaves up, rising (or rising and falling)."""
    tones = [p + 24 for p in chord_tones] + [chord_tones[0] + 36]
    order = tones if up else tones + tones[-2:0:-1]
    return [Note("arp", when(bar, step), style.arp_steps * step_s * 0.8,
                 float(order[i % len(order)]), 0.6 + 0.3 * (step % 4 == 0))
            for i, step in enumerate(range(0, style.steps_per_bar, style.arp_steps))]


def _lead_notes(motif, root: int, mode: str, degree: int, bar: int, style: Style, step_s: float,
                when: When, rng: np.random.Generator) -> list[Note]:
    """One bar of the lead motif, moved onto the bar's chord."""
    notes: list[Note] = []
    for step, offset, length in motif:
        pitch = scale_pitch(root, mode, degree + offset) + 12 * style.lead_octave
        notes.append(Note("lead", when(bar, step), length * step_s * 0.9, float(pitch),
                          float(rng.uniform(0.65, 0.95))))
    return notes
