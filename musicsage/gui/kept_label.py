"""Where the training dock's "kept" line puts its label (:class:`~musicsage.gui.training_plots.
TrainingPlots`): whole inside its plot, beside the kept point, and clear of the kept run's
validation curve — of its lines where a place near the point is, else of its dots — and of
the other run's dots, further off where the place by the point would cover other points. In
the ~56-px validation plot of an 800-px window, beside a run whose other run stayed lower (the
axis down to 0.45), the only place clear of HR@10 1.0 at step after step was ~31 px under the
kept point: the search stopped at 28 and "run 2" was drawn over the points.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPointF, QRectF

from musicsage.gui.plot_axes import view_y

if TYPE_CHECKING:
    from musicsage.gui.training_plots import TrainingPlots

VAL_SYMBOL = 8
"""The validation points' marker (px): validation runs every so many steps, so a curve of two
or three points joined by lines read as a trend; 5-px dots were barely seen."""
KEPT_GAP = 3
"""How far (px) the "kept" line's label keeps from its plot's edges."""
KEPT_HIGH, KEPT_LOW = 0.92, 0.1
"""The "kept" label's place along its line: near the top, or near the foot where the kept
point is in the upper half of the plot (:func:`kept_label_height`)."""


def fit_kept_label(plots: "TrainingPlots", plot: pg.PlotWidget, line: pg.InfiniteLine) -> None:
    """The "kept" line's label whole inside its plot: beside the line on the side with
    more room, over the line where neither side has enough, and "run 2" for "kept: run
    2" where the plot is narrower than that (its tooltip says it in full). pyqtgraph put
    it on the right of a line left of the middle: cut at the plot's right edge (1024-px
    window: 2 px; 800-px: up to 37 px, "kept: r"). On the validation plot, "run 2" too
    where "kept: run 2" has no place clear of the curve (it was drawn over its points);
    where neither has one near the point, the nearest place further off clear of its dots,
    but only where the place by the point would cover other points than the kept one: a
    label there hides them and reads as theirs, while one on the kept point alone still
    reads as its own, which a place further off (past another point) would not."""
    label, full = line.label, line.label.toolTip()
    if not line.isVisible() or not full:
        return
    box = plot.getViewBox().sceneBoundingRect().adjusted(KEPT_GAP, 0, -KEPT_GAP, 0)
    x = plot.getViewBox().mapViewToScene(QPointF(line.value(), 0)).x()
    texts, first, tried = list(dict.fromkeys((full, full.replace("kept: ", "")))), None, []
    for text in texts:
        label.setFormat(text)
        width = label.textItem.boundingRect().width()
        if width > box.width() and text != texts[-1]:
            continue
        # the share of the text left of the line: 0 (right of it) or 1 — off the kept
        # point's marker by a gap — else what fits
        off = (VAL_SYMBOL / 2 + KEPT_GAP) / width
        roomier = box.right() - x >= x - box.left()
        lo, hi = (x + width - box.right()) / width, (x - box.left()) / width
        # a text wider than the plot (two-decimal ticks narrow it) starts at its left edge:
        # centred on the line it stuck out of the plot, and no place passed the test below
        shares = [min(max(side, lo), hi) if lo <= hi else hi
                  for side in ((-off, 1.0 + off) if roomier else (1.0 + off, -off))]
        place = (shares[0], kept_label_height(plots, plot, line.value()))
        spans = [(share, (x - share * width, x + (1 - share) * width)) for share in shares]
        first = first or (text, place, spans[0][1])
        tried.append((text, spans))
        clear = plot is plots.val_plot and clear_of_curve(plots, plot, line.value(), spans)
        if clear or plot is not plots.val_plot:
            place = clear or place
            break
    else:  # no text has a place near the point clear of the curve: the first that fits, by
        text, place, span = first  # the point; further off where that covers other points
        if _over_others(plots, plot, line.value(), span, place[1]):
            text, place = _place_off_the_point(plots, plot, line.value(), tried) or (text, place)
        label.setFormat(text)
    label.anchors = [(place[0], 0.5), (place[0], 0.5)]
    label.setPosition(place[1])


def kept_label_height(plots: "TrainingPlots", plot: pg.PlotWidget, step: float) -> float:
    """Where along the "kept" line its label goes (0: foot, 1: top). On the validation
    plot: beside the kept point (the label is off the line, so off the point): at the
    foot it sat nearer a point not kept (step 100 of a 1024-px window, kept 200). On the
    loss plot, whose curve is dense: clear of the kept run's point at that step."""
    run = plots.runs[plots.kept_run or 0]
    xs, ys = ((run.steps, run.losses) if plot is plots.loss_plot
              else (run.val_steps, run.val_hr10))
    at = [view_y(plot, y) for x, y in zip(xs, ys) if x == step]  # (log10 on a log axis)
    low, high = plot.getViewBox().viewRange()[1]
    if not at or high <= low:
        return KEPT_HIGH
    if plot is plots.val_plot:
        return min(max((at[-1] - low) / (high - low), KEPT_LOW), KEPT_HIGH)
    return KEPT_LOW if (at[-1] - low) / (high - low) > 0.5 else KEPT_HIGH


def clear_of_curve(plots: "TrainingPlots", plot: pg.PlotWidget, step: float,
                   spans: list[tuple[float, tuple[float, float]]], further: bool = False,
                   others_too: bool = True) -> tuple[float, float] | None:
    """(the anchor, the place along the line) of the validation label nearest the kept
    point with the curve clear of its text: beside the point at its height where the
    curve leaves room (a flat curve struck "kept" through there), else just above it,
    else just below; on the roomier side of the line first (``spans``: each side's anchor
    and the label's left and right in the scene); else the nearest clear of its dots
    (it was drawn over HR@10 1.0 at step after step, in a narrow plot). None: no place
    within a label's height of it is clear (a plot too small): a label further off reads as
    another point's. ``further``: the nearest place further off than that clear of the dots,
    anywhere in the plot (:func:`fit_kept_label` asks where the place by the point covers
    them). ``others_too``: clear of the other run's dots too (:func:`_other_dots`)."""
    run = plots.runs[plots.kept_run or 0]
    at = [y for x, y in zip(run.val_steps, run.val_hr10) if x == step]
    if not at:
        return None
    vb, label = plot.getViewBox(), plots.best_lines[1].label
    box = vb.sceneBoundingRect()
    height, pad = label.boundingRect().height(), label.textItem.document().documentMargin()
    curve, others = _scene_curve(plots, plot), _other_dots(plots, plot) if others_too else []
    start = vb.mapViewToScene(QPointF(step, at[-1])).y()
    near = int(height + VAL_SYMBOL)
    passes = ([(False, range(near, int(box.height()) + 1, 2))] if further else
              [(True, range(0, near, 2)), (False, range(0, near, 2))])
    for lines, shifts in passes:  # clear of the whole curve first, else of its dots
        for shift in shifts:  # further: far from the point
            for y in (start - shift, start + shift):  # above first
                for share, (left, right) in spans:
                    rect = QRectF(left, y - height / 2, right - left, height)
                    ink = rect.adjusted(pad, pad, -pad, -pad)  # the text, not its margins
                    inside = box.top() <= rect.top() and rect.bottom() <= box.bottom()
                    if (inside and not _crosses(ink, curve, lines)  # (wider: see above)
                            and not _crosses(ink, others, lines=False)):
                        return share, (box.bottom() - y) / box.height()
    return None


def _place_off_the_point(plots: "TrainingPlots", plot: pg.PlotWidget, step: float,
                        tried: list[tuple[str, list[tuple[float, tuple[float, float]]]]]
                        ) -> tuple[str, tuple[float, float]] | None:
    """(the text, its place) of the validation label where the place by the kept point covers
    other dots: the nearest further off clear of both runs' dots; else, as before the other
    run's dots were kept clear of, near the point then further off clear of the kept run's
    alone. (Where none was clear of both, the place by the point stayed, unchecked: over 200
    random runs, the label covered the kept run's own dots 25 times, not 2, and was cut at its
    plot's edge 11 times, not 2 — all in 800-px windows.) None: no place is clear of them."""
    searches = ((True, True), (False, False), (True, False))  # (further, the other run's too)
    return next(((text, place) for further, others in searches for text, spans in tried
                 if (place := clear_of_curve(plots, plot, step, spans, further=further,
                                             others_too=others))), None)


def _over_others(plots: "TrainingPlots", plot: pg.PlotWidget, step: float,
                 span: tuple[float, float], position: float) -> bool:
    """Whether the validation label, its left and right ``span`` in the scene, at
    ``position`` along the line, has a dot of the kept run's curve under its text other than
    the kept point's (at ``step``)."""
    box, label = plot.getViewBox().sceneBoundingRect(), plots.best_lines[1].label
    height, pad = label.boundingRect().height(), label.textItem.document().documentMargin()
    y = box.bottom() - position * box.height()
    ink = QRectF(span[0], y - height / 2, span[1] - span[0], height).adjusted(
        pad, pad, -pad, -pad)
    dots = _scene_curve(plots, plot, but=step) + _other_dots(plots, plot)
    return _crosses(ink, dots, lines=False)


def _scene_curve(plots: "TrainingPlots", plot: pg.PlotWidget,
                 but: float | None = None) -> list[QPointF]:
    """The kept run's validation points in the scene (``but``: less the one at that step)."""
    run, vb = plots.runs[plots.kept_run or 0], plot.getViewBox()
    return [vb.mapViewToScene(QPointF(x, y)) for x, y in zip(run.val_steps, run.val_hr10)
            if x != but]


def _other_dots(plots: "TrainingPlots", plot: pg.PlotWidget) -> list[QPointF]:
    """The validation points of the run not kept, in the scene: faded, they are still drawn
    and read as scores, and a label over them read as theirs (only the kept run's were kept
    clear). Their dashed line is crossed where need be: it is no score."""
    if plot is not plots.val_plot or plots.kept_run is None:
        return []
    vb = plot.getViewBox()
    return [vb.mapViewToScene(QPointF(x, y)) for index, run in enumerate(plots.runs)
            if index != plots.kept_run for x, y in zip(run.val_steps, run.val_hr10)]


def _crosses(rect: QRectF, curve: list[QPointF], lines: bool = True) -> bool:
    """Whether a curve (its scene points) has a dot in ``rect`` or (``lines``) runs through it."""
    dots = rect.adjusted(-VAL_SYMBOL / 2, -VAL_SYMBOL / 2, VAL_SYMBOL / 2, VAL_SYMBOL / 2)
    dotted = any(dots.contains(p) for p in curve)
    if dotted or not lines:
        return dotted
    corners = [rect.topLeft(), rect.topRight(), rect.bottomRight(), rect.bottomLeft()]
    edges = [QLineF(a, b) for a, b in zip(corners, corners[1:] + corners[:1])]
    return any(QLineF(a, b).intersects(e)[0] == QLineF.IntersectionType.BoundedIntersection
               for a, b in zip(curve, curve[1:]) for e in edges)
