"""The review queue in a real SQLite monitoring store: who enters it, leases, skip, undo, concurrency, feedback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from core.config import Settings
from core.engine.spans import Span
from core.ops import monitoring, review_queue
from core.ops.scoring import MonitoringLog
from tests.conftest import SAMPLE_AD


def _settings(tmp_path: Path, **options: object) -> Settings:
    """Default settings (store_text off) with the log under tmp_path."""
    settings = Settings()
    settings.monitoring.db_path = str(tmp_path / "log.sqlite")
    settings.data.feedback_path = str(tmp_path / "feedback" / "confirmed.csv")
    for key, value in options.items():
        setattr(settings.monitoring, key, value)
    return settings


def _ads(count: int, prefix: str = "ad") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {**SAMPLE_AD, "title": f"{prefix} {index}", "description": f"{prefix} текст {index}"}
            for index in range(count)
        ]
    )


def _log(settings: Settings, frame: pd.DataFrame, scores: list[float], source: str = "batch") -> list[int]:
    """Record scored ads the way the scoring service does (threshold 0.5, model 1); returns their log ids."""
    result = pd.DataFrame({"prediction": scores, "n_contacts": 0, "kinds": ""})
    recorded = MonitoringLog(settings.monitoring, 0.5).record_frame(
        frame, result, source=source, user=None, model_version="1"
    )
    assert recorded.warning is None
    return recorded.ids


def _queued(settings: Settings) -> pd.DataFrame:
    with monitoring.connect(settings.monitoring) as connection:
        return pd.read_sql_query("SELECT * FROM queue ORDER BY id", connection)


def test_flagged_ads_and_a_reproducible_sample_of_the_others_enter_the_queue_once(tmp_path: Path) -> None:
    settings = _settings(tmp_path, queue_sample_unflagged=0.1)
    frame = _ads(2000)
    scores = [0.9 if index % 4 == 0 else 0.1 for index in range(2000)]
    _log(settings, frame, scores)
    queued = _queued(settings)
    flagged = queued[queued["reason"] == "flagged"]
    sample = queued[queued["reason"] == "sample"]
    assert len(flagged) == 500 and set(flagged["verdict"]) == {1}
    assert 100 <= len(sample) <= 200 and set(sample["verdict"]) == {0}  # about 10 % of 1,500
    expected = {
        monitoring.ad_hash(row.title, row.description, row.category)
        for row, score in zip(frame.itertuples(), scores, strict=True)
        if score < 0.5
        and monitoring.sampled_for_review(monitoring.ad_hash(row.title, row.description, row.category), 0.1)
    }
    assert set(sample["ad_hash"]) == expected  # the same draw on every run: a function of the ad

    _log(settings, frame, scores, source="check")  # the same ads again (a re-check): no new queue items
    assert len(_queued(settings)) == len(queued)
    assert len(monitoring.read_log(settings.monitoring)) == 4000
    # the queued ad keeps its text although store_text is off; the log row does not
    assert monitoring.read_log(settings.monitoring)["description"].isna().all()
    assert queued["ad_json"].str.contains("текст").all()


def test_queue_off_and_zero_share_queue_only_what_they_should(tmp_path: Path) -> None:
    settings = _settings(tmp_path, queue_sample_unflagged=0.0)
    _log(settings, _ads(50), [0.1] * 49 + [0.8])
    assert _queued(settings)["reason"].tolist() == ["flagged"]
    off = _settings(tmp_path / "off", queue_enabled=False)
    _log(off, _ads(10), [0.9] * 10)
    assert _queued(off).empty


def test_the_scoring_server_paths_feed_the_queue(tmp_path: Path) -> None:
    settings = _settings(tmp_path, queue_sample_unflagged=0.0)
    ads = [{**SAMPLE_AD, "description": f"сервер {index}"} for index in range(6)]
    rows = monitoring.rows_from_ads(
        settings.monitoring, ads, [0.9, 0.2, 0.7, 0.1, 0.95, 0.3], [1] * 6, ["phone"] * 6,
        source="serve", model_version="2", threshold=0.5,
    )  # fmt: skip
    monitoring.write_rows(settings.monitoring, rows[:3])
    writer = monitoring.LogWriter(settings.monitoring, flush_seconds=0.05).start()
    writer.submit(rows[3:])
    assert writer.stop().pending_ads == 0
    queued = _queued(settings)
    assert queued["source"].tolist() == ["serve"] * 3
    assert [monitoring.ad_hash(ad["title"], ad["description"], ad["category"]) for ad in ads[::2]] == queued[
        "ad_hash"
    ].tolist()


def test_take_decide_undo_skip_and_lease_expiry(tmp_path: Path) -> None:
    settings = _settings(tmp_path, queue_lease_seconds=60)
    _log(settings, _ads(5), [0.9] * 5)
    monitoring_settings = settings.monitoring
    first = review_queue.take_next(monitoring_settings, "misha")
    assert first is not None and first.description == "ad текст 0" and first.leased_by == "misha"
    assert review_queue.take_next(monitoring_settings, "misha").id == first.id  # a rerun renews, never takes more
    other = review_queue.take_next(monitoring_settings, "anna")
    assert other.id != first.id

    review_queue.decide(monitoring_settings, "misha", first.id, has_contact=True)
    with pytest.raises(review_queue.LeaseLostError):
        review_queue.decide(monitoring_settings, "misha", first.id, has_contact=False)  # already decided
    with pytest.raises(review_queue.LeaseLostError):
        review_queue.decide(monitoring_settings, "misha", other.id, has_contact=False)  # anna holds it
    second = review_queue.take_next(monitoring_settings, "misha")
    assert second.id not in (first.id, other.id)
    assert review_queue.counts(monitoring_settings, "misha") == review_queue.QueueCounts(left=4, done_by_me_today=1)

    undone = review_queue.undo(monitoring_settings, "misha")
    assert undone is not None and undone.item.id == first.id  # back in front of misha
    assert review_queue.take_next(monitoring_settings, "misha").id == first.id
    assert review_queue.counts(monitoring_settings, "misha") == review_queue.QueueCounts(left=5, done_by_me_today=0)
    assert monitoring.read_log(monitoring_settings)["decision"].isna().all()
    assert review_queue.take_next(monitoring_settings, "boris").id == second.id  # released, kept its place
    assert review_queue.undo(monitoring_settings, "boris") is None

    assert review_queue.skip(monitoring_settings, "misha", first.id)
    later = review_queue.take_next(monitoring_settings, "misha")
    assert later.id not in (first.id, other.id, second.id)  # the skipped ad went to the back

    # anna's lease runs out: the item is free again for whoever comes next
    expired = time.time() + 61
    assert review_queue.take_next(monitoring_settings, "vera", now=expired).id in (other.id, second.id)


def test_a_decision_stores_the_text_and_spans_and_the_export_works_with_the_default_config(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    assert settings.monitoring.store_text is False
    ids = _log(settings, _ads(3), [0.9, 0.8, 0.1])
    item = review_queue.take_next(settings.monitoring, "misha")
    spans = monitoring.span_records([Span(21, 37, "phone", "8 912 345-67-89", "+79123456789")])
    review_queue.decide(settings.monitoring, "misha", item.id, has_contact=False, spans=spans)  # a wrong flag
    item = review_queue.take_next(settings.monitoring, "misha")
    review_queue.decide(settings.monitoring, "misha", item.id, has_contact=True)
    # the check page: an unflagged, unqueued ad decided with the text it showed
    checked = {"title": "ad 2", "description": "ad текст 2", "category": SAMPLE_AD["category"], "price": 10.0}
    monitoring.record_decision(settings.monitoring, ids[2], "reject", moderator="anna", ad=checked)

    log = monitoring.read_log(settings.monitoring)
    assert log["moderator"].tolist() == ["misha", "misha", "anna"]
    assert log["decision"].tolist() == ["reject", "confirm", "reject"]
    assert log["spans_json"].iloc[0].count("+79123456789") == 1
    result = monitoring.export_confirmed(settings)
    assert result.rows == 3 and result.skipped_without_text == 0
    exported = pd.read_csv(result.path)
    assert exported["description"].tolist() == ["ad текст 0", "ad текст 1", "ad текст 2"]
    assert exported["is_bad"].tolist() == [0, 1, 1]


def test_a_check_page_decision_closes_the_open_queue_item_of_the_same_ad(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    frame = _ads(1)
    _log(settings, frame, [0.9], source="batch")
    (recheck,) = _log(settings, frame, [0.9], source="check")
    ad = frame.iloc[0].to_dict()
    monitoring.record_decision(settings.monitoring, recheck, "confirm", moderator="anna", ad=ad)
    assert review_queue.take_next(settings.monitoring, "misha") is None
    assert review_queue.counts(settings.monitoring, "anna").done_by_me_today == 1


def _take_many(db_path: str, user: str, barrier, taken: list[int]) -> None:
    """60 moderators named user-0 … user-59 each take one ad as fast as possible (every take holds a lease)."""
    settings = Settings()
    settings.monitoring.db_path = db_path
    barrier.wait()
    for index in range(60):
        item = review_queue.take_next(settings.monitoring, f"{user}-{index}")
        assert item is not None
        taken.append(item.id)


TAKER = """
import json, sys, time
from pathlib import Path
from core.ops import review_queue
from core.config import MonitoringSettings
settings = MonitoringSettings(db_path=sys.argv[1])
go = Path(sys.argv[3])
while not go.exists():
    time.sleep(0.001)
taken = [review_queue.take_next(settings, f"{sys.argv[2]}-{index}").id for index in range(60)]
print(json.dumps(taken))
"""


def test_two_threads_never_take_the_same_item(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _log(settings, _ads(120), [0.9] * 120)
    barrier = threading.Barrier(2)
    taken: dict[str, list[int]] = {"misha": [], "anna": []}
    threads = [
        threading.Thread(target=_take_many, args=(settings.monitoring.db_path, name, barrier, taken[name]))
        for name in taken
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(taken["misha"]) == len(taken["anna"]) == 60
    assert sorted(taken["misha"] + taken["anna"]) == list(range(1, 121))  # 120 takes, 120 different ads
    assert review_queue.take_next(settings.monitoring, "late") is None


def test_two_processes_never_take_the_same_item(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _log(settings, _ads(120), [0.9] * 120)
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    processes = {
        name: subprocess.Popen(
            [sys.executable, "-c", TAKER, settings.monitoring.db_path, name, str(go)],
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        for name in ("misha", "anna")
    }
    time.sleep(1.0)  # both interpreters up and waiting
    go.touch()
    taken = {name: json.loads(process.communicate(timeout=120)[0]) for name, process in processes.items()}
    assert all(process.returncode == 0 for process in processes.values())
    assert len(taken["misha"]) == len(taken["anna"]) == 60
    assert sorted(taken["misha"] + taken["anna"]) == list(range(1, 121))


def test_moderator_stats_throughput_time_per_ad_and_agreement() -> None:
    decisions = pd.DataFrame(
        {
            "moderator": ["misha"] * 3 + ["anna"],
            "decision": ["confirm", "confirm", "reject", "confirm"],
            "taken_at": [
                "2026-01-01 10:00:00.000000",
                "2026-01-01 10:00:10.000000",
                "2026-01-01 10:00:40.000000",
                "2026-01-01 11:00:00.000000",
            ],
            "decided_at": [
                "2026-01-01 10:00:10.000000",
                "2026-01-01 10:00:40.000000",
                "2026-01-01 10:01:00.000000",
                "2026-01-01 11:00:05.000000",
            ],
        }
    )
    stats = review_queue.moderator_stats(decisions).set_index("moderator")
    assert stats.loc["misha", "decisions"] == 3
    assert stats.loc["misha", "median_seconds"] == 20.0
    assert stats.loc["misha", "ads_per_hour"] == pytest.approx(3 / (60 / 3600))
    assert stats.loc["misha", "agreement"] == pytest.approx(2 / 3)
    assert stats.loc["anna", "median_seconds"] == 5.0
    assert review_queue.moderator_stats(decisions.iloc[:0]).empty
