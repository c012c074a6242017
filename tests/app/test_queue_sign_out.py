"""Leases end with the session: the ads a moderator holds in the queue go back to it the moment they sign out, or
the moment an admin signs their account out (a new password, a removal); another moderator takes them at once."""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.config import load_settings
from core.ops import monitoring
from core.ops.users import UserStore, users_path
from tests.app.pagekit import PASSWORD, login, no_exceptions, run_page
from tests.app.test_queue_page import PAGE, _queue_ads, _shown


def _leases(config: Path) -> dict[str, str]:
    """Title of every queued ad with a live lease -> who holds it."""
    settings = load_settings(config)
    with closing(sqlite3.connect(monitoring.db_path(settings.monitoring))) as connection:
        rows = connection.execute(
            "SELECT ad_json, leased_by FROM queue WHERE decided_at IS NULL AND lease_until >= ?", (time.time(),)
        ).fetchall()
    return {json.loads(ad)["title"]: holder for ad, holder in rows}


def _on_queue(role: str = "moderator", user: str | None = None) -> AppTest:
    """The whole app (sidebar with the sign-out button) opened on the queue page by a signed-in user."""
    app = run_page("app.py", role=role, user=user)
    app = app.switch_page(PAGE).run()
    no_exceptions(app)
    return app


def test_signing_out_puts_the_held_ad_back_for_the_next_moderator(config_copy: Path) -> None:
    ads = _queue_ads(config_copy, 3)
    assert load_settings(config_copy).monitoring.queue_lease_seconds >= 60  # the lease would outlive this test
    misha = _on_queue()
    vera = run_page(PAGE, role="moderator", user="vera")
    assert (_shown(misha), _shown(vera)) == (ads["title"][0], ads["title"][1])
    assert _leases(config_copy) == {ads["title"][0]: "misha", ads["title"][1]: "vera"}

    misha = misha.button(key="auth_logout").click().run()
    no_exceptions(misha)
    assert misha.title[0].value == "Вход в ContactGuard"
    assert _leases(config_copy) == {ads["title"][1]: "vera"}  # vera keeps hers

    olga = run_page(PAGE, role="moderator", user="olga")
    assert _shown(olga) == ads["title"][0]  # at once, not after the lease would have run out
    assert _shown(vera.run()) == ads["title"][1]

    misha = login(misha, "misha", PASSWORD).switch_page(PAGE).run()  # back from a break: the next free ad
    no_exceptions(misha)
    assert _shown(misha) == ads["title"][2]


def test_an_admin_signing_an_account_out_frees_its_ads(config_copy: Path) -> None:
    ads = _queue_ads(config_copy, 3)
    misha = _on_queue()
    vera = _on_queue(user="vera")
    assert (_shown(misha), _shown(vera)) == (ads["title"][0], ads["title"][1])

    admin = run_page("app_pages/7_users.py", role="admin")
    admin = admin.selectbox(key="users_target").set_value("misha").run()
    admin.text_input(key="users_target_password").input("a brand new password")
    admin = admin.button(key="users_set_password").click().run()
    no_exceptions(admin)
    assert _leases(config_copy) == {ads["title"][1]: "vera"}
    assert misha.run().title[0].value == "Вход в ContactGuard"  # the new password signed misha's session out
    assert _shown(run_page(PAGE, role="moderator", user="olga")) == ads["title"][0]

    admin = admin.selectbox(key="users_target").set_value("vera").run()
    admin = admin.checkbox(key="users_remove_sure").check().run()
    admin = admin.button(key="users_remove").click().run()
    no_exceptions(admin)
    assert UserStore(users_path()).get("vera") is None
    assert _leases(config_copy) == {ads["title"][0]: "olga"}
    assert _shown(run_page(PAGE, role="moderator", user="pavel")) == ads["title"][1]
