"""cognito_mock_module and cognito_mock_session: one mock shared by many tests, the documented
way to build a pool once (docs/fixtures.md, "Sharing a pool"). Run in inner pytest sessions."""

from __future__ import annotations

import pytest

SHARED_POOL_MODULE = """
import pytest

pytestmark = pytest.mark.cognito_mock(region="eu-west-1")


@pytest.fixture(scope="module")
def shared_idp(cognito_mock_module):
    return cognito_mock_module.client()


@pytest.fixture(scope="module")
def pool_id(shared_idp):
    pool_id = shared_idp.create_user_pool(PoolName="shared")["UserPool"]["Id"]
    shared_idp.admin_create_user(UserPoolId=pool_id, Username="ada", MessageAction="SUPPRESS")
    return pool_id


def test_the_pool_is_there(shared_idp, pool_id):
    assert pool_id.startswith("eu-west-1_")
    names = [p["Name"] for p in shared_idp.list_user_pools(MaxResults=10)["UserPools"]]
    assert names == ["shared"]


def test_state_of_one_test_is_seen_by_the_next(shared_idp, pool_id):
    shared_idp.admin_create_user(UserPoolId=pool_id, Username="bob", MessageAction="SUPPRESS")
    users = shared_idp.list_users(UserPoolId=pool_id)["Users"]
    assert sorted(u["Username"] for u in users) == ["ada", "bob"]


def test_a_plain_boto3_client_reaches_the_same_mock(pool_id):
    import boto3

    client = boto3.client("cognito-idp", region_name="eu-west-1")
    assert client.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Name"] == "shared"
"""


def test_a_module_scoped_pool_is_built_once_and_shared(pytester: pytest.Pytester):
    pytester.makepyfile(test_shared=SHARED_POOL_MODULE)
    pytester.makepyfile(
        test_other_module="""
        def test_another_module_gets_its_own_empty_mock(cognito_mock_module):
            client = cognito_mock_module.client()
            assert client.list_user_pools(MaxResults=10)["UserPools"] == []

        def test_a_function_scoped_mock_is_fresh(cognito_idp):
            assert cognito_idp.list_user_pools(MaxResults=10)["UserPools"] == []
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=5)


def test_the_session_mock_lives_across_modules(pytester: pytest.Pytester):
    pytester.makepyfile(
        test_a="""
        def test_creates(cognito_mock_session):
            cognito_mock_session.client().create_user_pool(PoolName="from-a")
        """,
        test_b="""
        def test_sees(cognito_mock_session):
            pools = cognito_mock_session.client().list_user_pools(MaxResults=10)["UserPools"]
            assert [p["Name"] for p in pools] == ["from-a"]
        """,
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def test_no_shared_mock_is_left_active_after_its_scope(pytester: pytest.Pytester):
    pytester.makepyfile(
        test_a="""
        def test_uses(cognito_mock_module):
            cognito_mock_module.client().create_user_pool(PoolName="p")
        """,
        test_b="""
        from pytest_cognito_mock import _active

        def test_after(request):
            assert _active.current() is None
        """,
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def test_asking_for_a_fresh_mock_inside_a_shared_one_is_a_clear_error(pytester: pytest.Pytester):
    pytester.makepyfile(
        """
        def test_both(cognito_mock_module, cognito_idp):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*this test uses both cognito_mock_module (a shared mock) and cognito_mock or "
            "cognito_idp (a fresh mock, which would answer every call instead): take clients "
            "from the shared one, cognito_mock_module.client()*"
        ]
    )
