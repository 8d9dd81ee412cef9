"""From a :class:`~musicsage.demo.compose.Score` to samples: instruments, drum kits and a mix.

Voices are functions ``(freq, n, sr, rng) -> samples`` (velocity is applied by the mixer); a
per-track cache reuses a rendered note when the same pitch and length come back, which is most
of the time in loop-based music and keeps a 20-s track well under a tenth of a second of CPU.

The mix is a small console: one bus per part with its own level and effect (drive for the
distorted guitar, echo for dub), side-chain ducking from the kick, a reverb send, then the
master (low-pass "brightness", saturation, a texture such as vinyl dust or wind, the section
dynamics, fades, and loudness normalisation to the artist's level).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from musicsage.demo import synth as S
from musicsage.demo.compose import Score
from musicsage.demo.styles import Style

Voice = Callable[[float, int, int, np.random.Generator], np.ndarray]


def _vibrato(freq: float, n: int, sr: int, *, rate: float = 5.5, depth: float = 0.004,
             delay_s: float = 0.15) -> np.ndarray:
    t = S.seconds(n, sr)
    ramp = np.clip((t - delay_s) / 0.2, 0.0, 1.0)
    return freq * (1.0 + depth * ramp * np.sin(2 * np.pi * rate * t))


def _env(n, sr, a, d, s, r):
    return S.adsr(n, sr, attack=a, decay=d, sustain=s, release=r)


def _acid(f, n, sr, rng):
    """A resonant low-pass sweep, additively: partial k is weighted by a moving filter curve."""
    harmonics = int(max(1, min(28, (sr / 2) // f)))
    k = np.arange(1, harmonics + 1, dtype=np.float64)[:, None]
    t = S.seconds(n, sr)[None, :]
    cutoff = 2.0 + 9.0 * np.exp(-t / 0.09)
    weight = (1.0 / k) / (1.0 + (k / cutoff) ** 4) + 0.35 * np.exp(-((k - cutoff) ** 2) / 1.5) / k ** 0.5
    phases = 2 * np.pi * f * k * t
    out = np.sum(weight * np.sin(phases), axis=0)
    return out / (np.max(np.abs(out)) or 1.0) * _env(n, sr, 0.002, 0.15, 0.7, 0.02)


def _piano(f, n, sr, rng):
    """Additive piano-ish tone: upper partials slightly sharp and shorter-lived, a hammer thump."""
    t = S.seconds(n, sr)
    out = np.zeros(n)
    for k in range(1, 9):
        fk = f * k * np.sqrt(1 + 0.0004 * k * k)
        if fk > sr * 0.45:
            break
        out += np.sin(2 * np.pi * fk * t) * (1.0 / k ** 1.3) * np.exp(-t * (0.9 + 0.6 * k) * (f / 260) ** 0.3)
    hammer = S.lowpass(S.noise(min(n, int(0.01 * sr)), rng), sr, 2500.0) * 0.15
    out[: hammer.size] += hammer
    return out * _env(n, sr, 0.002, 0.05, 1.0, 0.05)


def _pad(shape: str, harmonics: int, detune: float, attack: float, release: float) -> Voice:
    def voice(f, n, sr, rng):
        out = sum(S.wavetable(shape, f * (1 + d), n, sr, max_harmonics=harmonics,
                              phase0=float(rng.random()))
                  for d in (-detune, 0.0, detune))
        return out / 3.0 * _env(n, sr, attack, 0.5, 0.85, release)
    return voice


def _sub_bass(f, n, sr, rng):
    return (S.sine(f, n, sr) + 0.2 * S.sine(2 * f, n, sr)) * _env(n, sr, 0.006, 0.1, 0.85, 0.04)


def _pluck_bass(f, n, sr, rng):
    tone = S.fm(f, n, sr, ratio=1.0, index=2.2, index_decay=0.07) * S.exp_decay(n, sr, 0.45)
    return tone * _env(n, sr, 0.002, 0.01, 1, 0.03)


def _upright_bass(f, n, sr, rng):
    string = S.karplus_strong(f, n, sr, rng, damping=0.993, brightness=0.35)
    body = S.sine(f, n, sr) * S.exp_decay(n, sr, 0.5)
    return S.lowpass(string * 0.8 + 0.6 * body, sr, 1400.0) * _env(n, sr, 0.004, 0.01, 1, 0.05)


def _pick_bass(f, n, sr, rng):
    string = S.karplus_strong(f, n, sr, rng, damping=0.997, brightness=0.75)
    return S.lowpass(string, sr, 2200.0) * 1.4 * _env(n, sr, 0.002, 0.01, 1, 0.03)


def _saw_bass(f, n, sr, rng):
    return S.wavetable("saw", f, n, sr, max_harmonics=10) * _env(n, sr, 0.003, 0.12, 0.6, 0.03)


def _reese_bass(f, n, sr, rng):
    """Two detuned saws beating slowly under a low-pass: the drum & bass growl."""
    pair = (S.wavetable("saw", f * 0.994, n, sr, max_harmonics=12)
            + S.wavetable("saw", f * 1.006, n, sr, max_harmonics=12, phase0=0.3))
    return S.lowpass(pair * 0.5, sr, 800.0) * _env(n, sr, 0.01, 0.2, 0.9, 0.05)


def _tri_bass(f, n, sr, rng):
    return S.naive_triangle(f, n, sr) * _env(n, sr, 0.001, 0.02, 0.9, 0.01)


def _organ(f, n, sr, rng):
    tremolo = 1 + 0.15 * np.sin(2 * np.pi * 6.3 * S.seconds(n, sr))
    return S.wavetable("organ", f, n, sr) * tremolo * _env(n, sr, 0.006, 0.05, 0.9, 0.02)


def _epiano(f, n, sr, rng):
    """FM electric piano: a ratio-1 body and a short ratio-14 'tine' at the attack."""
    body = S.fm(f, n, sr, ratio=1.0, index=1.3, index_decay=0.4) * S.exp_decay(n, sr, 1.3)
    tine = S.fm(f, n, sr, ratio=14.0, index=0.6, index_decay=0.02) * S.exp_decay(n, sr, 0.08)
    return (body + 0.12 * tine) * _env(n, sr, 0.002, 0.05, 1, 0.06)


def _string(damping: float, brightness: float, release: float) -> Voice:
    def voice(f, n, sr, rng):
        pluck = S.karplus_strong(f, n, sr, rng, damping=damping, brightness=brightness)
        return pluck * _env(n, sr, 0.001, 0.01, 1, release)
    return voice


def _bell(f, n, sr, rng):
    tone = S.fm(f, n, sr, ratio=3.5, index=2.4, index_decay=0.5) * S.exp_decay(n, sr, 1.6)
    return tone * _env(n, sr, 0.002, 0.01, 1, 0.1)


def _vibes(f, n, sr, rng):
    bar = (S.sine(f, n, sr) + 0.25 * S.sine(4 * f, n, sr) * S.exp_decay(n, sr, 0.3)) * S.exp_decay(n, sr, 1.4)
    tremolo = 1 + 0.3 * np.sin(2 * np.pi * 5.0 * S.seconds(n, sr))
    return bar * tremolo * _env(n, sr, 0.002, 0.01, 1, 0.08)


def _synth_pluck(f, n, sr, rng):
    """A saw whose upper partials die first (a filter-envelope pluck, additively)."""
    bright = S.wavetable("saw", f, n, sr, max_harmonics=24) * S.exp_decay(n, sr, 0.06)
    dull = S.wavetable("saw", f, n, sr, max_harmonics=4) * S.exp_decay(n, sr, 0.35)
    return (bright + 0.6 * dull) * _env(n, sr, 0.001, 0.01, 1, 0.03)


def _saw_lead(f, n, sr, rng):
    pair = (S.wavetable("saw", _vibrato(f * 0.997, n, sr), n, sr, max_harmonics=16)
            + S.wavetable("saw", _vibrato(f * 1.003, n, sr), n, sr, max_harmonics=16))
    return 0.5 * pair * _env(n, sr, 0.01, 0.1, 0.8, 0.06)


def _flute(f, n, sr, rng):
    tone = (S.sine(_vibrato(f, n, sr, depth=0.006), n, sr)
            + 0.2 * S.sine(_vibrato(2 * f, n, sr, depth=0.006), n, sr))
    breath = S.bandpass(S.noise(n, rng), sr, f * 0.8, f * 3.0)
    return (tone + 0.08 * breath) * _env(n, sr, 0.06, 0.1, 0.8, 0.08)


def _melodica(f, n, sr, rng):
    reed = (S.wavetable("square", _vibrato(f, n, sr), n, sr, max_harmonics=9) * 0.7
            + 0.3 * S.wavetable("saw", f, n, sr, max_harmonics=6))
    return reed * _env(n, sr, 0.03, 0.1, 0.85, 0.05)


def _chip(duty: float, level: float, decay: float, sustain: float) -> Voice:
    def voice(f, n, sr, rng):
        return S.pulse(f, n, sr, duty=duty) * level * _env(n, sr, 0.001, decay, sustain, 0.01)
    return voice


VOICES: dict[str, Voice] = {
    # basses
    "sub_bass": _sub_bass, "pluck_bass": _pluck_bass, "upright_bass": _upright_bass,
    "pick_bass": _pick_bass, "saw_bass": _saw_bass, "reese_bass": _reese_bass,
    "acid_bass": _acid, "tri_bass": _tri_bass,
    # chords
    "organ": _organ, "epiano": _epiano, "piano": _piano,
    "pad_saw": _pad("saw", 10, 0.005, 0.25, 0.3),
    "pad_warm": _pad("triangle", 9, 0.004, 0.9, 0.8),
    "pad_dark": _pad("saw", 5, 0.007, 0.5, 0.4),
    "guitar": _string(0.996, 0.8, 0.04), "nylon": _string(0.995, 0.45, 0.04),
    "dist_guitar": _string(0.999, 0.9, 0.02),
    # leads
    "bell": _bell, "vibes": _vibes, "synth_pluck": _synth_pluck, "saw_lead": _saw_lead,
    "flute": _flute, "melodica": _melodica,
    "chip_lead": _chip(0.5, 0.5, 0.06, 0.7), "chip_lead25": _chip(0.25, 0.5, 0.06, 0.7),
    "chip_arp": _chip(0.125, 0.4, 0.03, 0.6),
}

# part levels (before velocity); chords are divided by the number of chord notes
PART_GAIN = {"bass": 0.8, "chords": 0.55, "arp": 0.28, "lead": 0.45, "drums": 0.9}
RELEASE_S = {"pad_saw": 0.3, "pad_warm": 0.8, "pad_dark": 0.4, "bell": 1.2, "vibes": 0.8,
             "epiano": 0.3, "piano": 0.4, "guitar": 0.5, "nylon": 0.4, "upright_bass": 0.1}


def _kit(name: str, sr: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One sample per drum of kit ``name`` (each track renders its own, so kits vary slightly)."""
    jitter = lambda x: float(x * rng.uniform(0.93, 1.07))  # noqa: E731
    if name == "909":
        return {"kick": S.kick(sr, f_start=jitter(160), f_end=jitter(50), decay_s=0.32, rng=rng),
                "clap": S.clap(sr, rng), "snare": S.snare(sr, rng), "chat": S.hat(sr, rng, decay_s=0.03),
                "ohat": S.hat(sr, rng, decay_s=0.17), "rim": S.rim(sr, rng), "shaker": S.shaker(sr, rng),
                "ride": S.ride(sr, rng)}
    if name == "breaks":
        return {"kick": S.kick(sr, f_start=jitter(180), f_end=jitter(58), decay_s=0.18, click=0.4, rng=rng),
                "snare": S.snare(sr, rng, tone_hz=jitter(210), decay_s=0.11, brightness=8000, tone=0.7),
                "chat": S.hat(sr, rng, decay_s=0.025, metallic=False), "ride": S.ride(sr, rng, decay_s=0.6)}
    if name == "lofi":
        return {"kick": S.kick(sr, f_start=jitter(120), f_end=jitter(52), decay_s=0.26, click=0.0),
                "snare": S.snare(sr, rng, tone_hz=jitter(170), decay_s=0.16, brightness=4500, tone=0.35),
                "chat": S.hat(sr, rng, decay_s=0.022, metallic=False)}
    if name == "gated":
        big = S.snare(sr, rng, tone_hz=jitter(190), decay_s=0.35, brightness=8000, tone=0.6)
        gate = int(0.28 * sr)
        big[gate:] *= np.linspace(1, 0, big.size - gate) ** 8  # the 80s gated-reverb cut-off
        return {"kick": S.kick(sr, f_start=jitter(140), f_end=jitter(50), decay_s=0.3, rng=rng),
                "snare": big, "chat": S.hat(sr, rng, decay_s=0.03)}
    if name == "folk":
        return {"shaker": S.shaker(sr, rng),
                "kick": S.kick(sr, f_start=jitter(110), f_end=jitter(60), decay_s=0.15, click=0.0)}
    if name == "jazz":
        return {"ride": S.ride(sr, rng, decay_s=jitter(1.0)), "chat": S.hat(sr, rng, decay_s=0.02, metallic=False) * 0.6,
                "brush": S.brush(sr, rng), "kick": S.kick(sr, f_start=90, f_end=55, decay_s=0.2, click=0.0) * 0.5,
                "snare": S.snare(sr, rng, decay_s=0.09, tone=0.3) * 0.5}
    if name == "chip":
        m = int(0.12 * sr)  # a square wave swept down fast: the 8-bit kick
        sweep = 200.0 * np.exp(-S.seconds(m, sr) / 0.03) + 50.0
        kick = np.sign(np.sin(2 * np.pi * np.cumsum(sweep) / sr)) * S.exp_decay(m, sr, 0.05)
        return {"kick": kick * 0.7, "snare": S.chip_noise(sr, rng, decay_s=0.07, period=3),
                "chat": S.chip_noise(sr, rng, decay_s=0.015, period=1) * 0.5}
    if name == "dub":
        return {"kick": S.kick(sr, f_start=jitter(110), f_end=jitter(44), decay_s=0.4, click=0.1, rng=rng),
                "rim": S.rim(sr, rng), "snare": S.snare(sr, rng, tone_hz=230, decay_s=0.12, tone=0.8),
                "chat": S.hat(sr, rng, decay_s=0.025, metallic=False)}
    if name == "rock":
        return {"kick": S.kick(sr, f_start=jitter(130), f_end=jitter(55), decay_s=0.22, click=0.5, rng=rng),
                "snare": S.snare(sr, rng, tone_hz=jitter(190), decay_s=0.17, brightness=7000, tone=0.6),
                "chat": S.hat(sr, rng, decay_s=0.035, metallic=False), "ride": S.ride(sr, rng, decay_s=0.8)}
    raise KeyError(f"unknown drum kit {name!r}")


def _add(buf: np.ndarray, x: np.ndarray, start: int, gain: float) -> None:
    if start >= buf.size:
        return
    stop = min(buf.size, start + x.size)
    buf[start:stop] += gain * x[: stop - start]


def render(score: Score, style: Style, *, sr: int, rng: np.random.Generator) -> np.ndarray:
    """Render ``score`` to mono float32 in [-1, 1], exactly ``duration × sr`` samples long."""
    n = int(round(score.duration * sr))
    pad = int(2.0 * sr)  # room for tails, cut off after the fade-out
    buses = {part: np.zeros(n + pad) for part in PART_GAIN}
    cache: dict[tuple[str, float, int], np.ndarray] = {}
    sound = score.sound
    voice_of = {"bass": sound.bass, "chords": sound.chords, "arp": sound.arp, "lead": sound.lead}
    chord_notes = 3 if style.power_chords or not style.sevenths else 4

    for note in score.notes:
        voice = voice_of[note.part]
        if voice is None:
            continue
        length = int((note.dur + RELEASE_S.get(voice, 0.05)) * sr)
        key = (voice, round(note.pitch, 2), length)
        samples = cache.get(key)
        if samples is None:
            samples = cache[key] = VOICES[voice](S.midi_hz(note.pitch), length, sr, rng)
        gain = note.vel * PART_GAIN[note.part] / (np.sqrt(chord_notes) if note.part == "chords" else 1.0)
        _add(buses[note.part], samples, int(note.start * sr), gain)

    kick_times = _render_drums(score, style, buses["drums"], sr, rng)

    if sound.chords == "dist_guitar":
        buses["chords"] = S.lowpass(S.drive(buses["chords"] * 2.5, 3.0), sr, 3500.0) * 0.6
    if style.sidechain and kick_times:
        duck = _sidechain(kick_times, n + pad, sr, depth=style.sidechain)
        for part in ("bass", "chords", "arp"):
            buses[part] *= duck
    if style.echo:
        for part in ("lead", "chords"):
            buses[part] = S.echo(buses[part], sr, delay_s=score.bar_s * 3 / 16 * 2, feedback=0.5 * style.echo + 0.2)

    dry = sum(buses.values())
    send = buses["chords"] + buses["lead"] + buses["arp"] + 0.35 * buses["drums"] + 0.1 * buses["bass"]
    if sound.reverb > 0:
        room = 1.2 + 3.0 * sound.reverb
        dry = dry + sound.reverb * S.reverb_tail(send, sr, rng, seconds_=room)

    mix = _master(dry, score, style, n, sr, rng)
    return mix.astype(np.float32)


def _sidechain(kick_times: list[float], n: int, sr: int, *, depth: float) -> np.ndarray:
    """Gain that dips at every kick and recovers in ~150 ms (the house 'pumping')."""
    gain = np.ones(n)
    recover = S.exp_decay(int(0.3 * sr), sr, 0.07)
    for t in kick_times:
        s = int(t * sr)
        seg = gain[s:s + recover.size]
        np.minimum(seg, 1.0 - depth * recover[: seg.size], out=seg)
    return gain


def _dynamics(score: Score, n: int, sr: int) -> np.ndarray:
    """Section levels (smoothed between bars) times a fade-in and a fade-out."""
    per_bar = int(score.bar_s * sr)
    curve = np.repeat(np.asarray(score.bar_gain), per_bar)
    if curve.size < n:
        curve = np.pad(curve, (0, n - curve.size), mode="edge")
    curve = curve[:n]
    smooth = int(0.25 * sr)
    if smooth and n > smooth:
        padded = np.pad(curve, (smooth, smooth), mode="edge")
        c = np.concatenate([[0.0], np.cumsum(padded)])
        box = (c[smooth:] - c[:-smooth]) / smooth  # moving average via a running sum
        curve = box[smooth // 2: smooth // 2 + n]
    fade_in = min(n // 10, int(0.3 * sr))
    fade_out = min(n // 5, int(2.0 * sr))
    if fade_in:
        curve[:fade_in] *= np.linspace(0.0, 1.0, fade_in)
    if fade_out:
        curve[-fade_out:] *= np.linspace(1.0, 0.0, fade_out) ** 1.5
    return curve


def _render_drums(score: Score, style: Style, bus: np.ndarray, sr: int,
                  rng: np.random.Generator) -> list[float]:
    """Mix the drum hits into ``bus`` (in place); the kick times, for side-chain ducking."""
    kick_times: list[float] = []
    if not (score.hits and style.kit):
        return kick_times
    kit = _kit(style.kit, sr, rng)
    for hit in score.hits:
        sample = kit.get(hit.drum)
        if sample is None:
            continue
        if hit.drum == "kick":
            kick_times.append(hit.start)
        _add(bus, sample, int(hit.start * sr), hit.vel * PART_GAIN["drums"])
    return kick_times


def _master(dry: np.ndarray, score: Score, style: Style, n: int, sr: int,
            rng: np.random.Generator) -> np.ndarray:
    """The master chain: filters, drive, texture (vinyl, wind), song dynamics, loudness and a
    soft limiter at -1 dBFS (headroom for MP3/Vorbis overshoot); cut to ``n`` samples."""
    sound = score.sound
    mix = S.highpass(dry, sr, 30.0)
    mix = S.lowpass(mix, sr, sound.brightness)
    if style.drive:
        mix = S.drive(mix / (np.max(np.abs(mix)) or 1.0), style.drive)
    mix = mix[:n]
    if style.texture == "vinyl":
        mix = mix / (np.sqrt(np.mean(mix ** 2)) or 1.0) * 0.2 + S.vinyl_crackle(n, sr, rng)
    elif style.texture == "wind":
        mix = mix / (np.sqrt(np.mean(mix ** 2)) or 1.0) * 0.2 + 0.06 * S.wind(n, sr, rng)

    mix = mix * _dynamics(score, n, sr)
    target = 10.0 ** (sound.loudness_db / 20.0)
    mix = mix * (target / (np.sqrt(np.mean(mix ** 2)) or 1.0))
    return 0.89 * np.tanh(mix / 0.89)
