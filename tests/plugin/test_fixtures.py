"""The pytest surface, exercised in inner pytest sessions (pytester)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.filterwarnings("default")


def test_both_fixtures_share_one_fresh_mock_per_test(pytester: pytest.Pytester):
    pytester.makepyfile(
        """
        def test_first(cognito_idp, cognito_mock):
            pool_id = cognito_idp.create_user_pool(PoolName="one")["UserPool"]["Id"]
            assert list(cognito_mock._service.backend.pools) == [pool_id]
            assert [c.operation for c in cognito_mock.calls] == ["CreateUserPool"]

        def test_second_starts_empty(cognito_idp):
            assert cognito_idp.list_user_pools(MaxResults=10)["UserPools"] == []
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2)


def test_defaults_are_us_east_1_and_the_documented_account(pytester: pytest.Pytester):
    pytester.makepyfile(
        """
        def test_defaults(cognito_idp, cognito_mock):
            pool = cognito_idp.create_user_pool(PoolName="p")["UserPool"]
            assert pool["Id"].startswith("us-east-1_")
            assert pool["Arn"].startswith("arn:aws:cognito-idp:us-east-1:123456789012:userpool/")
            assert cognito_idp.meta.region_name == "us-east-1"
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_ini_options_set_suite_defaults_and_markers_override_them(pytester: pytest.Pytester):
    pytester.makeini(
        """
        [pytest]
        asyncio_default_fixture_loop_scope = function
        cognito_mock_region = eu-west-1
        cognito_mock_account_id = 111122223333
        """
    )
    pytester.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.cognito_mock(account_id="444455556666")

        def test_module_marker_and_ini(cognito_idp):
            arn = cognito_idp.create_user_pool(PoolName="p")["UserPool"]["Arn"]
            assert arn.startswith("arn:aws:cognito-idp:eu-west-1:444455556666:")

        @pytest.mark.cognito_mock(region="ap-northeast-1")
        def test_closest_marker_wins_key_by_key(cognito_idp):
            arn = cognito_idp.create_user_pool(PoolName="p")["UserPool"]["Arn"]
            assert arn.startswith("arn:aws:cognito-idp:ap-northeast-1:444455556666:")
        """
    )
    pytester.runpytest().assert_outcomes(passed=2)


def test_an_unknown_marker_keyword_is_an_error_naming_the_valid_ones(pytester: pytest.Pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.cognito_mock(regoin="eu-west-1")
        def test_typo(cognito_idp):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*TypeError: unknown pytest-cognito-mock option(s) regoin; "
            "valid options are: region, account_id, fake_credentials, import_rate, "
            "import_stop_delay, import_job_expiry_hours, import_failure_threshold, "
            "sign_in_code_lifetime, sign_in_code_attempts, sign_in_codes_need_verified_contact, "
            "email_mfa_requires_ses, admin_create_user_requires_attributes, "
            "point_in_time_preview_seconds, point_in_time_restore_seconds"
        ]
    )


def test_the_marker_is_registered_with_its_signature(pytester: pytest.Pytester):
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.cognito_mock(*, region='us-east-1'*"])


def test_the_shared_client_is_replaced_after_a_test_registers_handlers(pytester: pytest.Pytester):
    pytester.makepyfile(
        """
        seen = []

        def test_registers_a_handler(cognito_idp):
            seen.append(cognito_idp)
            event = "before-call.cognito-identity-provider"
            cognito_idp.meta.events.register(event, lambda **kw: None)

        def test_gets_a_fresh_client(cognito_idp):
            assert cognito_idp is not seen[0]
            seen.append(cognito_idp)

        def test_reuses_an_untouched_client(cognito_idp):
            assert cognito_idp is seen[1]
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=3)


@pytest.mark.slow
def test_the_plugin_works_under_xdist(pytester: pytest.Pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.parametrize("n", range(6))
        def test_isolated(cognito_idp, n):
            assert cognito_idp.list_user_pools(MaxResults=10)["UserPools"] == []
            cognito_idp.create_user_pool(PoolName=f"p{n}")
        """
    )
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:randomly")
    result.assert_outcomes(passed=6)
