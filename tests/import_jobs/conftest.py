"""Fixtures for the import-job tests: a pool that can run import jobs, and a created job."""

from __future__ import annotations

import pytest

ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/Cognito-UserImport-Role"


@pytest.fixture
def pool_id(cognito_idp) -> str:
    """A pool with email auto-verified: import jobs need an auto-verified attribute."""
    return cognito_idp.create_user_pool(PoolName="imports", AutoVerifiedAttributes=["email"])[
        "UserPool"
    ]["Id"]


@pytest.fixture
def job(cognito_idp, pool_id) -> dict:
    return cognito_idp.create_user_import_job(
        JobName="migration", UserPoolId=pool_id, CloudWatchLogsRoleArn=ROLE_ARN
    )["UserImportJob"]
