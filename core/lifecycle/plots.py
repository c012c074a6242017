"""Static figures for training runs: ROC curves per category and the confusion matrix (matplotlib)."""

from __future__ import annotations

from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from core.lifecycle.pipeline import report_parts


def roc_figure(part: dict[str, Any], title: str) -> Figure:
    """One ROC curve per category from an evaluation report part."""
    figure, axis = plt.subplots(figsize=(7, 6), dpi=100)
    for category, points in sorted(part["roc"].items()):
        if points["fpr"]:
            auc = part["per_category"].get(category, float("nan"))
            axis.plot(points["fpr"], points["tpr"], label=f"{category} ({auc:.3f})", linewidth=1.2)
    axis.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=0.8)
    axis.set_xlabel("False positive rate")
    axis.set_ylabel("True positive rate")
    axis.set_title(title)
    axis.legend(fontsize=7, loc="lower right")
    figure.tight_layout()
    return figure


def confusion_figure(part: dict[str, Any], title: str) -> Figure:
    """The 2x2 confusion matrix at the report's threshold."""
    matrix = part["confusion"]["matrix"]
    figure, axis = plt.subplots(figsize=(4, 4), dpi=100)
    axis.imshow(matrix, cmap="Blues")
    for row in range(2):
        for column in range(2):
            axis.text(column, row, str(matrix[row][column]), ha="center", va="center", fontsize=12)
    axis.set_xticks([0, 1], ["predicted clean", "predicted contact"])
    axis.set_yticks([0, 1], ["clean", "contact"])
    axis.set_title(f"{title} (threshold {part['confusion']['threshold']:.2f})")
    figure.tight_layout()
    return figure


def part_title(report: dict[str, Any], part: str) -> str:
    """A report part's name for figure titles; hand-written sets say whether anything was tuned on them."""
    for entry in report.get("handwritten", []):
        if entry["name"] == part:
            return f"{part} (hand-written, {'tuned on' if entry.get('tuned') else 'not tuned on'})"
    return part


def report_figures(report: dict[str, Any]) -> dict[str, Figure]:
    """Every figure of an evaluation report (the split and each hand-written set), keyed by artifact file name."""
    figures: dict[str, Figure] = {}
    for part in report_parts(report):
        title = part_title(report, part)
        figures[f"plots/roc_{part}.png"] = roc_figure(report[part], f"ROC per category: {title}")
        figures[f"plots/confusion_{part}.png"] = confusion_figure(report[part], f"Confusion: {title}")
    return figures


def close_figures(figures: dict[str, Figure]) -> None:
    """Free the memory of figures once they are logged."""
    for figure in figures.values():
        plt.close(figure)
