"""The journal behind point-in-time recovery: what a write keeps, and for how long."""

from __future__ import annotations

from datetime import timedelta

from freezegun import freeze_time
from support.pools import backend_pool

from pytest_cognito_mock.backend import users
from pytest_cognito_mock.backend.user_data_history import USER, history_of

START = "2030-01-01 12:00:00"


def test_creating_users_journals_nothing_and_a_change_keeps_one_image():
    pool = backend_pool()
    with freeze_time(START) as frozen:
        ada = users.add_user(pool, "ada", {"given_name": "Ada"}, "CONFIRMED", "pw")
        users.add_user(pool, "bob", {}, "CONFIRMED", "pw")
        assert pool.user_data_history is None
        frozen.tick(timedelta(minutes=1))
        users.set_user_enabled(pool, "ada", False)
        users.set_user_enabled(pool, "ada", True)  # the same instant: the first image suffices
        changes = list(history_of(pool).changes)
    assert [(c.entity, c.before.enabled) for c in changes] == [((USER, ada.sub), True)]
    image = changes[0].before
    assert image is not ada
    ada.attributes["given_name"] = "changed"
    assert image.attributes["given_name"] == "Ada"  # a detached copy


def test_the_journal_keeps_fourteen_days():
    pool = backend_pool()
    with freeze_time(START) as frozen:
        users.add_user(pool, "ada", {}, "CONFIRMED", "pw")
        users.set_user_enabled(pool, "ada", False)
        frozen.tick(timedelta(days=14))
        users.set_user_enabled(pool, "ada", True)
        assert len(history_of(pool).changes) == 2  # exactly 14 days old: still kept
        frozen.tick(timedelta(seconds=1))
        users.set_user_enabled(pool, "ada", False)
        history = history_of(pool)
        assert len(history.changes) == 2
        assert history.changes[0].at == history.changes[1].at - 1
