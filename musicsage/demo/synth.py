"""Sound sources and effects for the demo library: small pure functions over numpy arrays.

Everything here works on mono float32/float64 arrays at an explicit sample rate ``sr`` and
takes a :class:`numpy.random.Generator` where randomness is involved, so a seed fully
determines the output. The functions are chosen for speed on a 2-core CPU: oscillators read
band-limited wavetables (cost per sample independent of the number of harmonics), the
Karplus–Strong string is computed one period at a time, and reverb is an FFT convolution with a
synthetic impulse response (a feedback comb in ``lfilter`` would cost ``n × delay`` operations).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import signal

TABLE_SIZE = 4096


def midi_hz(note: float) -> float:
    """Frequency of a MIDI note number (A4 = 69 = 440 Hz)."""
    return 440.0 * 2.0 ** ((note - 69.0) / 12.0)


def seconds(n: int, sr: int) -> np.ndarray:
    """Time axis of ``n`` samples."""
    return np.arange(n, dtype=np.float64) / sr


# --- envelopes -------------------------------------------------------------------------------


def exp_decay(n: int, sr: int, decay_s: float) -> np.ndarray:
    """exp(-t / decay_s): the amplitude of a struck or plucked sound."""
    return np.exp(-seconds(n, sr) / max(decay_s, 1e-4))


def adsr(n: int, sr: int, *, attack: float, decay: float, sustain: float,
         release: float) -> np.ndarray:
    """Attack–decay–sustain–release over ``n`` samples, the release inside the last samples.

    Fitting the release inside the note (rather than after it) keeps every voice exactly the
    length the score asked for, which makes mixing a plain slice-add.
    """
    env = np.full(n, sustain, dtype=np.float64)
    a = min(n, max(1, int(attack * sr)))
    env[:a] = np.linspace(0.0, 1.0, a, endpoint=False)
    d = min(n - a, max(1, int(decay * sr)))
    if d > 0:
        env[a:a + d] = sustain + (1.0 - sustain) * np.exp(-np.linspace(0.0, 5.0, d))
    r = min(n, max(1, int(release * sr)))
    env[n - r:] *= np.linspace(1.0, 0.0, r)
    return env


# --- oscillators -----------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _table(shape: str, harmonics: int) -> np.ndarray:
    """One band-limited cycle of ``shape`` with ``harmonics`` partials (cached)."""
    phase = np.arange(TABLE_SIZE) * (2.0 * np.pi / TABLE_SIZE)
    out = np.zeros(TABLE_SIZE)
    for k in range(1, harmonics + 1):
        if shape == "saw":
            out += np.sin(k * phase) / k
        elif shape == "square" and k % 2 == 1:
            out += np.sin(k * phase) / k
        elif shape == "triangle" and k % 2 == 1:
            out += ((-1) ** ((k - 1) // 2)) * np.sin(k * phase) / (k * k)
        elif shape == "organ" and k in (1, 2, 3, 4, 6, 8):
            out += {1: 1.0, 2: 0.8, 3: 0.6, 4: 0.35, 6: 0.2, 8: 0.15}[k] * np.sin(k * phase)
    out /= np.max(np.abs(out)) or 1.0
    return out


def wavetable(shape: str, freq: float | np.ndarray, n: int, sr: int, *,
              max_harmonics: int = 32, phase0: float = 0.0) -> np.ndarray:
    """A band-limited oscillator: ``freq`` may be an array (vibrato, glide).

    The number of partials follows the (lowest) pitch so that nothing aliases above Nyquist.
    """
    f = np.broadcast_to(np.asarray(freq, dtype=np.float64), (n,))
    top = float(np.max(f)) if n else 1.0
    harmonics = int(max(1, min(max_harmonics, (sr / 2.0) // max(top, 1.0))))
    table = _table(shape, harmonics)
    phase = (phase0 + np.cumsum(f) / sr) % 1.0
    return table[(phase * TABLE_SIZE).astype(np.int64) % TABLE_SIZE]


def sine(freq: float | np.ndarray, n: int, sr: int, *, phase0: float = 0.0) -> np.ndarray:
    f = np.broadcast_to(np.asarray(freq, dtype=np.float64), (n,))
    return np.sin(2.0 * np.pi * (phase0 + np.cumsum(f) / sr))


def pulse(freq: float, n: int, sr: int, *, duty: float = 0.5) -> np.ndarray:
    """A naive (aliasing) pulse wave: the gritty sound of a chiptune square channel."""
    phase = (seconds(n, sr) * freq) % 1.0
    return np.where(phase < duty, 1.0, -1.0)


def naive_triangle(freq: float, n: int, sr: int, *, steps: int = 16) -> np.ndarray:
    """A stepped triangle like the NES triangle channel (4-bit, 16 steps)."""
    phase = (seconds(n, sr) * freq) % 1.0
    tri = 1.0 - 4.0 * np.abs(phase - 0.5)
    return np.round(tri * (steps / 2)) / (steps / 2)


def fm(freq: float, n: int, sr: int, *, ratio: float, index: float,
       index_decay: float = 0.3) -> np.ndarray:
    """Two-operator FM: the modulation index decays, so attacks are bright and tails pure
    (electric piano, bells, plucked basses)."""
    t = seconds(n, sr)
    idx = index * np.exp(-t / max(index_decay, 1e-3))
    return np.sin(2.0 * np.pi * freq * t + idx * np.sin(2.0 * np.pi * freq * ratio * t))


def karplus_strong(freq: float, n: int, sr: int, rng: np.random.Generator, *,
                   damping: float = 0.996, brightness: float = 0.6) -> np.ndarray:
    """A plucked string (Karplus–Strong), computed one period at a time.

    y[i] = damping · (y[i-N] + y[i-N-1]) / 2, where every sample of a period depends only on the
    previous period, so each period is one vectorised numpy expression. The integer delay N
    detunes high notes; the finished note is resampled by the exact ratio to fix the pitch.
    """
    period = max(2, int(round(sr / freq - 0.5)))
    true_period = sr / freq
    # render slightly longer at the integer period, then stretch to the true pitch
    ratio = (period + 0.5) / true_period
    m = int(n * ratio) + period + 2
    burst = rng.uniform(-1.0, 1.0, period)
    if brightness < 1.0:  # a darker excitation = a softer pick
        burst = signal.lfilter([brightness], [1.0, brightness - 1.0], burst)
        burst -= burst.mean()
    y = np.zeros(m + 1)
    y[1:period + 1] = burst
    start = period + 1
    while start < m + 1:
        stop = min(start + period, m + 1)
        prev = y[start - period:stop - period]
        prev2 = y[start - period - 1:stop - period - 1]
        y[start:stop] = damping * 0.5 * (prev + prev2)
        start = stop
    y = y[1:]
    src = np.arange(n) * ratio
    return np.interp(src, np.arange(y.size), y)


def noise(n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.uniform(-1.0, 1.0, n)


# --- filters and effects ---------------------------------------------------------------------


@lru_cache(maxsize=256)
def _butter(kind: str, cutoff: tuple[float, ...] | float, sr: int, order: int) -> np.ndarray:
    return signal.butter(order, cutoff, btype=kind, fs=sr, output="sos")


def lowpass(x: np.ndarray, sr: int, cutoff: float, *, order: int = 2) -> np.ndarray:
    cutoff = float(min(cutoff, sr * 0.45))
    return signal.sosfilt(_butter("lowpass", round(cutoff, 1), sr, order), x)


def highpass(x: np.ndarray, sr: int, cutoff: float, *, order: int = 2) -> np.ndarray:
    return signal.sosfilt(_butter("highpass", round(float(cutoff), 1), sr, order), x)


def bandpass(x: np.ndarray, sr: int, low: float, high: float, *, order: int = 2) -> np.ndarray:
    high = min(high, sr * 0.45)
    return signal.sosfilt(_butter("bandpass", (round(low, 1), round(high, 1)), sr, order), x)


def reverb_tail(x: np.ndarray, sr: int, rng: np.random.Generator, *, seconds_: float = 1.8,
                damping_hz: float = 5000.0) -> np.ndarray:
    """The wet signal of a plausible room: ``x`` convolved with exponentially decaying,
    low-passed noise (unit energy), so the caller chooses the send and return levels."""
    n = int(seconds_ * sr)
    ir = noise(n, rng) * exp_decay(n, sr, seconds_ / 6.9)  # -60 dB at seconds_
    ir = lowpass(ir, sr, damping_hz)
    ir[: int(0.012 * sr)] = 0.0  # pre-delay keeps attacks clear
    ir /= np.sqrt(np.sum(ir ** 2)) or 1.0
    return signal.oaconvolve(x, ir)[: x.size]


def echo(x: np.ndarray, sr: int, *, delay_s: float, feedback: float = 0.45,
         repeats: int = 5, tone_hz: float = 2500.0) -> np.ndarray:
    """A tape-style delay: each repeat quieter and darker (dub and ambient)."""
    d = int(delay_s * sr)
    out = x.copy()
    tap = x
    for i in range(1, repeats + 1):
        if d * i >= x.size:
            break
        tap = lowpass(tap, sr, tone_hz) * feedback
        out[d * i:] += tap[: x.size - d * i]
    return out


def drive(x: np.ndarray, amount: float) -> np.ndarray:
    """Soft saturation (tanh), gain-compensated."""
    if amount <= 0.0:
        return x
    g = 1.0 + amount
    return np.tanh(g * x) / np.tanh(g)


# --- drums -----------------------------------------------------------------------------------


def kick(sr: int, *, f_start: float = 150.0, f_end: float = 48.0, sweep_s: float = 0.045,
         decay_s: float = 0.35, click: float = 0.25, rng: np.random.Generator | None = None) -> np.ndarray:
    n = int(decay_s * 4 * sr)
    t = seconds(n, sr)
    f = f_end + (f_start - f_end) * np.exp(-t / sweep_s)
    body = sine(f, n, sr) * exp_decay(n, sr, decay_s)
    if click > 0 and rng is not None:
        c = int(0.004 * sr)
        body[:c] += click * noise(c, rng) * np.linspace(1, 0, c)
    return body


def snare(sr: int, rng: np.random.Generator, *, tone_hz: float = 185.0, decay_s: float = 0.13,
          brightness: float = 6000.0, tone: float = 0.5) -> np.ndarray:
    n = int(decay_s * 4 * sr)
    rattle = bandpass(noise(n, rng), sr, 1200.0, brightness) * exp_decay(n, sr, decay_s)
    body = sine(tone_hz, n, sr) * exp_decay(n, sr, decay_s * 0.5)
    return rattle + tone * body


def clap(sr: int, rng: np.random.Generator, *, decay_s: float = 0.11) -> np.ndarray:
    n = int((decay_s * 4 + 0.03) * sr)
    env = np.zeros(n)
    for k, off in enumerate((0.0, 0.011, 0.022)):
        s = int(off * sr)
        env[s:] = np.maximum(env[s:], exp_decay(n - s, sr, 0.006 if k < 2 else decay_s))
    return bandpass(noise(n, rng), sr, 900.0, 3500.0) * env * 2.0


def hat(sr: int, rng: np.random.Generator, *, decay_s: float = 0.04, metallic: bool = True) -> np.ndarray:
    """Closed (short decay) or open (long decay) hi-hat; ``metallic`` adds 808-style squares."""
    n = int(max(decay_s * 5, 0.03) * sr)
    src = noise(n, rng)
    if metallic:
        for f in (205.3, 304.4, 369.6, 522.7, 540.0, 800.0):
            src = src + 0.5 * pulse(f * 1.7, n, sr)
    return highpass(src, sr, 6000.0 if sr > 16000 else sr * 0.3, order=2) * exp_decay(n, sr, decay_s) * 0.6


def ride(sr: int, rng: np.random.Generator, *, decay_s: float = 0.9) -> np.ndarray:
    n = int(decay_s * 2.5 * sr)
    partials = sum(sine(f, n, sr) * a for f, a in ((3150.0, 0.5), (4520.0, 0.4), (5830.0, 0.3), (7100.0, 0.2)))
    wash = highpass(noise(n, rng), sr, 5000.0) * 0.5
    return (partials * 0.5 + wash) * exp_decay(n, sr, decay_s) * (1 - np.exp(-seconds(n, sr) / 0.002)) * 0.5


def brush(sr: int, rng: np.random.Generator, *, decay_s: float = 0.18) -> np.ndarray:
    """A brushed snare: a soft swish of band-passed noise."""
    n = int(decay_s * 3 * sr)
    env = (1 - np.exp(-seconds(n, sr) / 0.01)) * exp_decay(n, sr, decay_s)
    return bandpass(noise(n, rng), sr, 1500.0, 7000.0) * env


def rim(sr: int, rng: np.random.Generator) -> np.ndarray:
    n = int(0.06 * sr)
    return (sine(1700.0, n, sr) * 0.6 + bandpass(noise(n, rng), sr, 2000.0, 6000.0) * 0.6) * exp_decay(n, sr, 0.012)


def shaker(sr: int, rng: np.random.Generator) -> np.ndarray:
    n = int(0.09 * sr)
    env = np.sin(np.linspace(0, np.pi, n)) ** 2
    return highpass(noise(n, rng), sr, 5000.0) * env * 0.5


def chip_noise(sr: int, rng: np.random.Generator, *, decay_s: float = 0.08, period: int = 8) -> np.ndarray:
    """The NES noise channel: sample-and-hold noise, coarse and bright."""
    n = int(decay_s * 4 * sr)
    held = np.repeat(rng.choice([-1.0, 1.0], n // period + 1), period)[:n]
    return held * exp_decay(n, sr, decay_s)


def vinyl_crackle(n: int, sr: int, rng: np.random.Generator, *, density: float = 12.0) -> np.ndarray:
    """Surface noise: low hiss plus random clicks (lo-fi hip hop's dust)."""
    hiss = lowpass(noise(n, rng), sr, 3000.0) * 0.04
    clicks = np.zeros(n)
    count = int(density * n / sr)
    pos = rng.integers(0, max(1, n - 40), count)
    clicks[pos] = rng.uniform(0.2, 1.0, count) * rng.choice([-1, 1], count)
    clicks = highpass(clicks, sr, 1500.0) * 0.5
    return hiss + clicks


def wind(n: int, sr: int, rng: np.random.Generator) -> np.ndarray:
    """Slowly swelling filtered noise (ambient texture)."""
    x = bandpass(noise(n, rng), sr, 300.0, 1400.0)
    swell = 0.6 + 0.4 * np.sin(2 * np.pi * seconds(n, sr) / 7.0 + rng.uniform(0, 6.28))
    return x * swell * 0.5
