"""The seed's six new operations: GetCSVHeader, CreateUserImportJob, StartUserImportJob,
DescribeUserImportJob, StopUserImportJob, ListUserImportJobs."""

from __future__ import annotations

from ..backend import import_jobs, pagination
from ..backend.csv_import import csv_header
from ..backend.import_jobs import ImportJob
from ._registry import MockServices, Params, RequestContext, Response, operation
from ._shapes import timestamp, without_none

#: The role check at Start, when moto's IAM can answer it (see docs/import-jobs.md).
ROLE_MISSING_MESSAGE = "The CloudWatch Logs role could not be assumed."


def job_shape(job: ImportJob) -> Response:
    """UserImportJobType: dates and the message appear only once they exist."""
    return without_none(
        {
            "JobName": job.job_name,
            "JobId": job.job_id,
            "UserPoolId": job.pool_id,
            "PreSignedUrl": job.presigned_url,
            "CreationDate": timestamp(job.created),
            "StartDate": timestamp(job.started) if job.started is not None else None,
            "CompletionDate": timestamp(job.completed) if job.completed is not None else None,
            "Status": job.status,
            "CloudWatchLogsRoleArn": job.role_arn,
            "ImportedUsers": job.imported,
            "SkippedUsers": job.skipped,
            "FailedUsers": job.failed,
            "CompletionMessage": job.completion_message,
        }
    )


def _services(ctx: RequestContext) -> MockServices:
    if ctx.services is None:  # pragma: no cover - the mock always provides them
        raise RuntimeError("import jobs need the mock's services")
    return ctx.services


@operation("GetCSVHeader")
def get_csv_header(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    return {"UserPoolId": pool.id, "CSVHeader": csv_header(pool)}


@operation("CreateUserImportJob")
def create_user_import_job(ctx: RequestContext, params: Params) -> Response:
    if "PasswordHashingAlgorithm" in params:
        raise NotImplementedError(
            "pytest-cognito-mock does not implement password-hash imports "
            "(PasswordHashingAlgorithm) yet; see docs/import-jobs.md."
        )
    pool = ctx.pool(params)
    job = import_jobs.create_job(
        ctx.backend, pool, params["JobName"], params["CloudWatchLogsRoleArn"]
    )
    job.presigned_url = _services(ctx).presigned_url(ctx.region, pool.id, job.job_id, job.created)
    return {"UserImportJob": job_shape(job)}


@operation("StartUserImportJob")
def start_user_import_job(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    job = import_jobs.get_job(ctx.backend, pool, params["JobId"])
    import_jobs.start_job(ctx.backend, pool, job)
    if _services(ctx).role_exists(job.role_arn) is False:
        import_jobs.fail_at_start(ctx.backend, job, ROLE_MISSING_MESSAGE)
    return {"UserImportJob": job_shape(job)}


@operation("DescribeUserImportJob")
def describe_user_import_job(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    job = import_jobs.get_job(ctx.backend, pool, params["JobId"])
    return {"UserImportJob": job_shape(job)}


@operation("StopUserImportJob")
def stop_user_import_job(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    job = import_jobs.get_job(ctx.backend, pool, params["JobId"])
    import_jobs.stop_job(ctx.backend, job)
    return {"UserImportJob": job_shape(job)}


@operation("ListUserImportJobs")
def list_user_import_jobs(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    jobs = import_jobs.jobs_newest_first(ctx.backend, pool)
    page, next_token = pagination.page(
        jobs,
        scope=f"import-jobs:{pool.id}",
        limit=params["MaxResults"],
        token=params.get("PaginationToken"),
    )
    for job in page:
        import_jobs.expire_if_due(ctx.backend, job)
    return without_none(
        {"UserImportJobs": [job_shape(job) for job in page], "PaginationToken": next_token}
    )
