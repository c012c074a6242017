"""The batch page: upload, validation errors, results, summary, preview and spreadsheet-safe exports."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from core.config import load_settings, save_settings
from core.lifecycle.data import REQUIRED_COLUMNS, read_ads_csv
from core.lifecycle.synth import generate_ads
from core.ops import monitoring
from tests.app.pagekit import no_exceptions, run_page, table_with, texts
from ui.batch import (
    VERDICT_CLEAN,
    VERDICT_FLAGGED,
    category_summary,
    export_full,
    export_task1,
    export_task2,
    filter_results,
    results_table,
)
from ui.resources import _predictor_for, tracking_key

PAGE = "app_pages/2_batch.py"
N_ADS = 120


def ads_csv(n: int = N_ADS, with_index: bool = True) -> bytes:
    """Synthetic ads in the marketplace CSV format; the first ad's title is a spreadsheet formula."""
    frame = generate_ads(n, seed=7)[list(REQUIRED_COLUMNS)].copy()
    frame.loc[0, "title"] = '=HYPERLINK("http://evil.example","click")'
    frame.loc[1, "description"] = "@SUM(A1:A9) " + frame.loc[1, "description"]
    if with_index:
        frame.insert(0, "index", range(1000, 1000 + n))
    return frame.to_csv(index=False).encode("utf-8")


def upload(data: bytes, name: str = "ads.csv", role: str = "admin", user: str | None = None):
    app = run_page(PAGE, role, user)
    return app.file_uploader(key="batch_file").set_value((name, data, "text/csv")).run()


@pytest.fixture(autouse=True)
def batch_config(app_env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own stored jobs and monitoring log (the same MLflow store); returns the config path."""
    settings = load_settings(app_env.config_path)
    settings.monitoring.db_path = str(tmp_path / "monitoring.sqlite")
    settings.batch.jobs_dir = str(tmp_path / "batch_jobs")
    path = save_settings(settings, tmp_path / "config.yaml")
    monkeypatch.setenv("CONTACTGUARD_CONFIG", str(path))
    return path


def test_good_csv_is_scored_summarised_and_logged(batch_config: Path) -> None:
    settings = load_settings(batch_config)
    before = len(monitoring.read_log(settings.monitoring))
    app = upload(ads_csv())
    no_exceptions(app)
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Объявлений"] == str(N_ADS)
    results = table_with(app, "prediction")
    assert len(results) == N_ADS
    assert results["prediction"].is_monotonic_decreasing
    assert app.get("plotly_chart")
    labels = [button.label for button in app.get("download_button")]
    assert labels == ["Все результаты (CSV)", "Задача 1: index,prediction", "Задача 2: index,start,finish"]
    log = monitoring.read_log(settings.monitoring)
    assert len(log) == before + N_ADS and set(log["source"].iloc[before:]) == {"batch"}
    assert set(log["scored_by"].iloc[before:]) == {"alice"}  # the signed-in user who uploaded the file
    assert set(log["model_version"].iloc[before:]) == {app.session_state["batch_result"].model_version}
    preview = [element.value for element in app.html if "cg-ad" in element.value]
    assert len(preview) == 1


def test_filters_and_preview_follow_the_widgets(app_env) -> None:
    app = upload(ads_csv())
    category = sorted(table_with(app, "prediction")["category"].unique())[0]
    app = app.multiselect(key="batch_categories").set_value([category]).run()
    app = app.selectbox(key="batch_verdict").set_value(VERDICT_FLAGGED).run()
    no_exceptions(app)
    shown = table_with(app, "prediction")
    assert set(shown["category"]) <= {category} and shown["flagged"].all()
    options = app.selectbox(key="batch_preview").options
    assert len(options) == len(shown)
    app = app.selectbox(key="batch_verdict").set_value(VERDICT_CLEAN).run()
    assert not table_with(app, "prediction")["flagged"].any()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"title,description\nfoo,bar\n", "нет обязательных столбцов 'subcategory'"),
        (b"", "файл пустой"),
        (None, "это не CSV"),
        (b"%PDF-1.7\n%binary", "это не CSV"),
    ],
)
def test_bad_files_are_refused_with_every_problem(app_env, data: bytes | None, expected: str) -> None:
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("sheet.xml", "<x/>")
        data = buffer.getvalue()
    app = upload(data, "bad.csv")
    no_exceptions(app)
    errors = texts(app, "error")
    assert errors and "не принят" in errors[0] and expected in errors[0], errors
    assert not app.get("download_button")


def test_row_limit_from_the_settings(batch_config: Path) -> None:
    settings = load_settings(batch_config)
    settings.app.max_rows = 10
    save_settings(settings, batch_config)
    app = upload(ads_csv(30))
    errors = texts(app, "error")
    assert errors and "не больше 10" in errors[0]


def test_load_warnings_are_shown(app_env) -> None:
    data = ads_csv(20).decode("utf-8").replace(",Транспорт,", ",Космос,", 1).encode("utf-8")
    app = upload(data)
    no_exceptions(app)
    assert any("Космос" in text for text in texts(app, "warning"))


@pytest.fixture
def scored(app_env):
    frame, _ = read_ads_csv(ads_csv())
    settings = load_settings(app_env.config_path)
    predictor = _predictor_for(tracking_key(settings.tracking), app_env.champion, settings.tracking)
    return frame, predictor.predict_frame(frame), settings.app.threshold


def test_exports_are_contest_shaped_and_spreadsheet_safe(scored) -> None:
    frame, result, threshold = scored
    task1 = pd.read_csv(io.BytesIO(export_task1(frame, result)))
    assert list(task1.columns) == ["index", "prediction"] and task1["index"].tolist()[:2] == [1000, 1001]
    task2_text = export_task2(frame, result).decode("utf-8")
    assert all(re.fullmatch(r"\d+,\d*,\d*", line) for line in task2_text.splitlines()[1:])  # 96, never 96.0
    task2 = pd.read_csv(io.StringIO(task2_text))
    assert list(task2.columns) == ["index", "start", "finish"] and len(task2) == N_ADS
    clean = result["start"].isna().to_numpy()
    assert task2.loc[clean, "start"].isna().all() and task2.loc[~clean, "start"].notna().all()
    full_text = export_full(frame, result, threshold).decode("utf-8-sig")
    full = pd.read_csv(io.StringIO(full_text))
    assert full.loc[0, "title"].startswith("'=HYPERLINK")
    assert full.loc[1, "description"].startswith("'@SUM")
    assert {"prediction", "verdict", "start", "finish", "contacts", "kinds", "truncated"} <= set(full.columns)
    assert not full["truncated"].any()
    spans = [(row["start"], row["finish"]) for row in csv.DictReader(io.StringIO(full_text))]
    assert all(re.fullmatch(r"\d*", value) for pair in spans for value in pair)
    assert any(start for start, _ in spans)
    assert ((full["prediction"] >= threshold).astype(int) == full["verdict"]).all()


def test_table_helpers(scored) -> None:
    frame, result, threshold = scored
    table = results_table(frame, result, threshold)
    summary = category_summary(table)
    assert summary["ads"].sum() == len(frame)
    assert summary["flag_rate"].between(0, 1).all() and summary["flag_rate"].is_monotonic_decreasing
    assert len(filter_results(table, [], VERDICT_FLAGGED)) + len(filter_results(table, [], VERDICT_CLEAN)) == len(frame)


LONG_AD_CHARS = 50_000


def test_overlong_ad_is_cut_reported_and_marked(app_env) -> None:
    frame, _ = read_ads_csv(ads_csv(20))
    max_chars = load_settings(app_env.config_path).detect.max_chars
    filler = " Диван почти новый, доставка по городу."
    long_text = "Звоните 8 912 345-67-89." + filler * (LONG_AD_CHARS // len(filler))
    frame.loc[2, "description"] = long_text[:LONG_AD_CHARS]
    app = upload(frame.to_csv(index=False).encode("utf-8"))
    no_exceptions(app)
    limit = f"{max_chars:,}".replace(",", "\u202f")
    warnings = [text for text in texts(app, "warning") if "обрез" in text or "проверены только" in text]
    assert warnings == [
        f"1 объявл. с заголовком или описанием длиннее {limit} символов: проверены только первые {limit} символов. "
        "В полном файле результатов у них столбец truncated = True. Предел задаётся настройкой detect.max_chars."
    ]
    assert table_with(app, "prediction").set_index("row")["truncated"].to_dict() == {
        row: row == 3 for row in range(1, 21)
    }
    batch = app.session_state["batch_result"]
    full = pd.read_csv(io.StringIO(export_full(batch.frame, batch.result, 0.5).decode("utf-8-sig")))
    assert full["truncated"].tolist() == [index == 2 for index in range(20)]
    assert len(full.loc[2, "description"]) == LONG_AD_CHARS  # the download keeps the whole text
    contacts = json.loads(full.loc[2, "contacts"])
    assert [c["value"] for c in contacts] == ["+79123456789"] and full.loc[2, "start"] == 8
    task2_text = export_task2(batch.frame, batch.result).decode("utf-8")
    assert all(re.fullmatch(r"\d+,\d*,\d*", line) for line in task2_text.splitlines()[1:])

    app = app.selectbox(key="batch_preview").set_value(3).run()
    no_exceptions(app)
    assert f"Текст обрезан до первых {limit} символов — проверены и показаны только они." in texts(app, "caption")


# --------------------------------------------------------------------------- stored jobs, decisions, opening rows


def jobs_table(app) -> pd.DataFrame:
    """The list of stored jobs on the page."""
    return table_with(app, "Файл")


def test_results_survive_leaving_the_page_and_a_new_session(batch_config: Path) -> None:
    app = run_page("app.py").switch_page(PAGE).run()
    app = app.file_uploader(key="batch_file").set_value(("ads.csv", ads_csv(), "text/csv")).run()
    no_exceptions(app)
    assert len(table_with(app, "prediction")) == N_ADS
    app = app.switch_page("app_pages/1_check.py").run()
    no_exceptions(app)
    assert app.title[0].value == "Проверка объявления"
    app = app.switch_page(PAGE).run()
    no_exceptions(app)
    assert len(table_with(app, "prediction")) == N_ADS
    listed = jobs_table(app)
    assert listed[["Файл", "Строк", "Кто", "Модель"]].values.tolist() == [["ads.csv", str(N_ADS), "alice", "версия 1"]]

    fresh = run_page(PAGE, "moderator")  # another user, another session: the stored job opens by itself
    no_exceptions(fresh)
    assert jobs_table(fresh)["Файл"].tolist() == ["ads.csv"]
    assert len(table_with(fresh, "prediction")) == N_ADS
    assert {metric.label: metric.value for metric in fresh.metric}["Объявлений"] == str(N_ADS)
    assert next(button.label for button in fresh.get("download_button")) == "Все результаты (CSV)"


def test_the_same_file_again_reuses_the_stored_result(batch_config: Path) -> None:
    settings = load_settings(batch_config)
    first = upload(ads_csv(), "ads.csv")
    logged = len(monitoring.read_log(settings.monitoring))
    assert logged == N_ADS
    scores = table_with(first, "prediction").set_index("row")["prediction"]

    again = upload(ads_csv(), "ads_copy.csv", role="moderator")  # a new session, same bytes under another name
    no_exceptions(again)
    assert any("открыт сохранённый результат" in text for text in texts(again, "info"))
    assert len(monitoring.read_log(settings.monitoring)) == logged  # not scored or logged a second time
    assert jobs_table(again)["Файл"].tolist() == ["ads.csv"]
    pd.testing.assert_series_equal(table_with(again, "prediction").set_index("row")["prediction"], scores)

    other = upload(ads_csv(40), "other.csv")
    assert jobs_table(other)["Файл"].tolist() == ["other.csv", "ads.csv"]
    assert len(monitoring.read_log(settings.monitoring)) == logged + 40


def test_another_stored_job_opens_from_the_chooser(batch_config: Path) -> None:
    first = upload(ads_csv(), "big.csv")
    first_job = first.session_state["batch_result"].job_id
    app = first.file_uploader(key="batch_file").set_value(("small.csv", ads_csv(25), "text/csv")).run()
    no_exceptions(app)
    assert len(table_with(app, "prediction")) == 25
    app = app.selectbox(key="batch_job_choice").set_value(first_job).run()
    no_exceptions(app)
    assert len(table_with(app, "prediction")) == N_ADS
    assert "Задание: big.csv" in texts(app, "subheader")


def select_rows(app, positions: list[int]):
    """Select rows of the results table (positions in the table as shown), as a click on them does."""
    app.session_state["batch_table"] = {"selection": {"rows": positions, "columns": []}}
    return app.run()


def test_bulk_decisions_are_recorded_under_the_signed_in_user(batch_config: Path) -> None:
    settings = load_settings(batch_config)
    app = upload(ads_csv(), role="moderator")
    shown = table_with(app, "prediction")
    ids = monitoring.read_log(settings.monitoring)["id"].tolist()  # the log ids of rows 1..N in file order
    app = select_rows(app, [0, 1, 2, 3])
    no_exceptions(app)
    assert app.button(key="batch_confirm").label == "Подтвердить вердикт (4)"
    app = app.button(key="batch_confirm").click().run()
    no_exceptions(app)
    assert any("Вердиктов подтверждено: 4; решения записаны от имени misha" in text for text in texts(app, "success"))
    app = select_rows(app, [10, 11])
    app = app.button(key="batch_reject").click().run()
    no_exceptions(app)

    confirmed = shown["row"].iloc[:4].tolist()
    rejected = shown["row"].iloc[10:12].tolist()
    log = monitoring.read_log(settings.monitoring).set_index("id")
    decided = log[log["decision"].notna()]
    assert sorted(decided.index) == sorted(ids[row - 1] for row in confirmed + rejected)
    assert set(decided["moderator"]) == {"misha"}
    assert {ids[row - 1] for row in confirmed} == set(decided.index[decided["decision"] == "confirm"])
    assert {ids[row - 1] for row in rejected} == set(decided.index[decided["decision"] == "reject"])
    titles = table_with(app, "prediction").set_index("row")["title"]
    for row in confirmed + rejected:  # the decided ad's text is stored with the decision (for the feedback export)
        assert json.loads(decided.loc[ids[row - 1], "decision_ad_json"])["title"] == titles[row]

    table = table_with(app, "prediction").set_index("row")
    assert table.loc[confirmed, "decision"].tolist() == ["подтверждён (misha)"] * 4
    assert table.loc[rejected, "decision"].tolist() == ["отклонён (misha)"] * 2
    assert (table.drop(index=confirmed + rejected)["decision"] == "").all()
    assert app.button(key="batch_confirm").label == "Подтвердить вердикт (0)"  # the selection is cleared


def test_clicking_a_row_opens_the_ad_highlighted(batch_config: Path) -> None:
    frame = generate_ads(30, seed=3)[list(REQUIRED_COLUMNS)].copy()
    frame.loc[17, "title"] = "Диван <b>угловой</b>"
    frame.loc[17, "description"] = "Продаю диван. Звоните 8 912 345-67-89, торг."
    frame.loc[17, "category"] = "Для дома и дачи"
    app = upload(frame.to_csv(index=False).encode("utf-8"))
    shown = table_with(app, "prediction")
    position = shown["row"].tolist().index(18)
    app = select_rows(app, [position])
    no_exceptions(app)
    assert app.selectbox(key="batch_preview").value == 18
    ads = [element.value for element in app.html if "cg-ad" in element.value]
    assert len(ads) == 1
    assert "Диван &lt;b&gt;угловой&lt;/b&gt;" in ads[0] and "<b>угловой" not in ads[0]
    assert 'data-kind="phone"' in ads[0] and "8 912 345-67-89" in ads[0]
    assert any("Найден контакт" in text for text in texts(app, "error"))

    other = shown["row"].tolist().index(2)
    app = select_rows(app, [position, other])  # a second click opens the row clicked last
    assert app.selectbox(key="batch_preview").value == 2


def test_the_preview_shows_the_stored_spans_of_title_and_description(batch_config: Path) -> None:
    frame = generate_ads(12, seed=4)[list(REQUIRED_COLUMNS)].copy()
    frame.loc[5, "title"] = "Гараж, звоните 8 916 523 45 67"
    frame.loc[5, "description"] = "Гараж кирпичный, пишите ivan собака mail точка ru"
    app = upload(frame.to_csv(index=False).encode("utf-8"))
    batch = app.session_state["batch_result"]
    stored = json.loads(batch.result["title_contacts"].iloc[5])  # kept with the job when the file was scored
    assert [span["value"] for span in stored] == ["+79165234567"]
    app = app.selectbox(key="batch_preview").set_value(6).run()
    no_exceptions(app)
    ad = next(element.value for element in app.html if "cg-ad" in element.value)
    title, description = ad.split('<div class="cg-text"')[0], ad.split('<div class="cg-text"')[-1]
    assert '<mark class="cg-contact" data-kind="phone"' in title and "+79165234567" in title
    assert 'data-kind="email"' in description
    assert not [text for text in texts(app, "caption") if "контакты в заголовке" in text]


def test_a_job_can_be_deleted(batch_config: Path) -> None:
    app = upload(ads_csv(30))
    job_id = app.session_state["batch_result"].job_id
    folder = Path(load_settings(batch_config).batch.jobs_dir) / job_id
    assert (folder / "result.parquet").exists()
    app = app.button(key="batch_delete").click().run()
    no_exceptions(app)
    assert not folder.exists()
    assert any("Задание удалено" in text for text in texts(app, "success"))
    assert not any("Файл" in element.value.columns for element in app.dataframe)
    fresh = run_page(PAGE)
    assert texts(fresh, "info") == ["Загрузите CSV-файл, чтобы проверить объявления."]


def test_moderator_deletes_only_their_own_jobs(batch_config: Path) -> None:
    upload(ads_csv(30), role="admin")
    moderator = run_page(PAGE, "moderator")
    no_exceptions(moderator)
    assert not [button for button in moderator.button if button.key == "batch_delete"]


def test_numbers_kinds_and_uploader_are_russian(batch_config: Path) -> None:
    app = upload(ads_csv())
    metrics = {metric.label: metric.value for metric in app.metric}
    assert re.fullmatch(r"\d{1,2},\d %", metrics["Доля с контактом"]), metrics
    assert re.fullmatch(r"\d+,\d с", metrics["Время проверки"]), metrics
    assert re.fullmatch(r"[\d\u202f]+", metrics["Объявлений в секунду"]), metrics
    kinds = {kind for value in table_with(app, "prediction")["kinds"] for kind in value.split(", ") if kind}
    assert kinds and kinds <= {"телефон", "email", "мессенджер", "ссылка", "соцсеть"}, kinds
    styles = [element.value for element in app.html if "stFileUploaderDropzoneInstructions" in element.value]
    assert styles and "CSV, до 200 МБ" in styles[0] and "Выбрать файл" in styles[0]


def test_bigger_numbers_have_thin_spaces() -> None:
    from ui.batch import format_int, format_percent, format_rate

    assert format_int(60_000) == "60\u202f000"
    assert format_percent(0.395) == "39,5 %"
    assert format_rate(1815.4) == "1\u202f815 объявл./с"


@pytest.fixture
def predictor(batch_config: Path):
    """The champion predictor of the dashboard store."""
    settings = load_settings(batch_config)
    return _predictor_for(tracking_key(settings.tracking), "1", settings.tracking)


def ads_with(descriptions: list[str]) -> pd.DataFrame:
    """Marketplace ads with these descriptions."""
    frame = generate_ads(len(descriptions), seed=5)[list(REQUIRED_COLUMNS)].reset_index(drop=True)
    frame["description"] = descriptions
    return frame


def test_one_split_phone_is_one_contact(predictor) -> None:
    ads = ads_with(["Продаю диван. Звоните 8 912 345, дальше 67 89. Торг.", "Звоните 8 912 345-67-89"])
    scored_ads = predictor.predict_frame(ads)
    pieces = [len(json.loads(value)) for value in scored_ads["contacts"]]
    assert pieces == [2, 1]  # the detector reports the split number as two pieces of one phone
    assert results_table(ads, scored_ads, 0.5)["n_contacts"].tolist() == [1, 1]
    full = pd.read_csv(io.StringIO(export_full(ads, scored_ads, 0.5).decode("utf-8-sig")))
    assert full["n_contacts"].tolist() == [1, 1]


def test_formula_guard_keeps_the_offsets_pointing_into_the_written_text(predictor) -> None:
    ads = ads_with(
        [
            "=8 912 345-67-89 звоните вечером",
            "+7 912 345-67-89, диван почти новый",
            "Продаю диван, звоните 8 912 345-67-89",
        ]
    )
    scored_ads = predictor.predict_frame(ads)
    assert scored_ads["start"].notna().all()
    full = pd.read_csv(io.StringIO(export_full(ads, scored_ads, 0.5).decode("utf-8-sig")), dtype=str)
    assert full["description"].str.startswith("'").tolist() == [True, True, False]
    for index, row in enumerate(full.itertuples()):
        original = ads.loc[index, "description"]
        start, finish = int(scored_ads["start"].iloc[index]), int(scored_ads["finish"].iloc[index])
        shift = 1 if index < 2 else 0
        assert (int(row.start), int(row.finish)) == (start + shift, finish + shift)
        assert row.description[int(row.start) : int(row.finish)] == original[start:finish]
        contacts = json.loads(row.contacts)
        assert contacts
        for contact in contacts:
            assert row.description[contact["start"] : contact["finish"]] == contact["text"]


def test_job_store_round_trip_and_pruning(tmp_path: Path) -> None:
    from core.ops.batch_jobs import JobInfo, JobStore, content_hash, job_id_for

    store = JobStore(tmp_path / "jobs", max_jobs=2)
    frame = pd.DataFrame({"title": ["a", "b"], "description": ["x", None], "extra": [1, "two"]})
    result = pd.DataFrame(
        {"prediction": [0.9, 0.1], "start": pd.array([3, None], dtype="Int64"), "contacts": ["[]", "[]"]}
    )
    saved = []
    for number in range(3):
        file_hash = content_hash(f"file {number}".encode())
        info = JobInfo(
            job_id_for(file_hash, "1", 20_000), file_hash, "1", 20_000, f"f{number}.csv", 2, 0.5, 1,
            f"2025-01-0{number + 1} 10:00:00", "alice", 0.5, ("предупреждение",),
        )  # fmt: skip
        saved.append(store.save(info, frame, result))
    assert [info.file_name for info in store.list()] == ["f2.csv", "f1.csv"]  # the oldest pruned
    assert store.get(saved[0].job_id) is None and not (tmp_path / "jobs" / saved[0].job_id).exists()
    job = store.load(saved[2].job_id)
    assert job is not None and job.info.warnings == ("предупреждение",)
    assert job.frame["extra"].tolist() == ["1", "two"] and job.frame["description"].isna().tolist() == [False, True]
    assert job.result["start"].dtype == "Int64" and job.result["start"].isna().tolist() == [False, True]
    assert store.flagged(job.info, 0.5) == 1 and store.flagged(job.info, 0.05) == 2
    assert store.find(saved[2].content_hash, "1", 20_000) == saved[2]
    assert store.find(saved[2].content_hash, "2", 20_000) is None
    assert store.delete(saved[2].job_id) and store.load(saved[2].job_id) is None
