def test_example_suite_is_collected(cognito_idp):
    assert cognito_idp.list_user_pools(MaxResults=10)["UserPools"] == []
