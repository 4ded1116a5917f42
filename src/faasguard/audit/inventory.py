"""Inventory: read a live account with read-only calls into plain records (boto3's own dicts).

One collector per service and region, run by a bounded pool of workers; a second round reads the
IAM roles the functions run with. Nothing here interprets what it reads (that is `build.py`), and
nothing reads a secret's value or a function's code (`code.py` does that, and only on request).

Each collector takes its client with `ctx.client("<service>", region)` and calls operations as
`calls.call(client.operation, ...)` / `calls.items(client.get_paginator("operation"), ...)`: the
IAM policy in docs/audit-policy.json is derived from exactly these lines (see `policy.py`).

A record lists in `unread` the parts that could not be read (denied, throttled...): "nothing
there" and "could not look" must never be confused, or a denied call would look like drift.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from faasguard.audit.aws import AuditError, AwsContext, Calls

Record = dict[str, Any]
# Work for the pool; a task returns more tasks, or None.
Tasks = list[Callable[[], object]]

# Absent configuration is an answer, not an error.
_NOT_FOUND = ("ResourceNotFoundException", "NotFoundException", "NoSuchEntity")


@dataclass
class RegionInventory:
    region: str
    functions: list[Record] = field(default_factory=list)
    event_source_mappings: list[Record] = field(default_factory=list)
    rest_apis: list[Record] = field(default_factory=list)
    usage_plans: list[Record] = field(default_factory=list)
    http_apis: list[Record] = field(default_factory=list)
    domains: dict[str, Record] = field(default_factory=dict)
    buckets: list[Record] = field(default_factory=list)
    queues: list[Record] = field(default_factory=list)
    topics: list[Record] = field(default_factory=list)
    tables: list[Record] = field(default_factory=list)
    secrets: list[Record] = field(default_factory=list)
    log_groups: list[Record] = field(default_factory=list)
    alarms: list[Record] = field(default_factory=list)
    trails: list[Record] = field(default_factory=list)
    user_pools: list[Record] = field(default_factory=list)
    # Whole listings that failed ("functions", "rest_apis", ...): nothing can be said about them.
    unread: set[str] = field(default_factory=set)


@dataclass
class Inventory:
    account: str
    partition: str
    regions: dict[str, RegionInventory]
    roles: dict[str, Record] = field(default_factory=dict)  # by role name
    budgets: list[Record] | None = field(default_factory=list)  # None: could not be read


def identity(ctx: AwsContext, region: str) -> tuple[str, str]:
    """(account, partition) of the caller. GetCallerIdentity needs no permission."""
    sts = ctx.client("sts", region)
    found = ctx.calls.call(sts.get_caller_identity, "sts")
    if not found:
        why = ctx.calls.errors[-1].message if ctx.calls.errors else "sts GetCallerIdentity failed"
        raise AuditError(f"cannot identify the caller's account: {why}")
    arn = str(found.get("Arn", "arn:aws:"))
    return str(found.get("Account", "")), arn.split(":")[1] or "aws"


def enabled_regions(ctx: AwsContext, region: str) -> list[str]:
    """The regions enabled in the account (--all-regions)."""
    ec2 = ctx.client("ec2", region)
    found = ctx.calls.call(ec2.describe_regions, "ec2")
    if not found:
        return []
    return sorted(
        str(r["RegionName"])
        for r in found.get("Regions", [])
        if r.get("RegionName") and r.get("OptInStatus") != "not-opted-in"
    )


def collect(ctx: AwsContext, regions: list[str], workers: int = 8) -> Inventory:
    home = regions[0]
    account, partition = identity(ctx, home)
    inv = Inventory(account, partition, {r: RegionInventory(r) for r in regions})
    per_region: list[Callable[[AwsContext, RegionInventory, Inventory], Tasks]] = [
        _lambda,
        _rest_apis,
        _http_apis,
        _sqs,
        _sns,
        _dynamodb,
        _secrets,
        _logs,
        _alarms,
        _trails,
        _cognito,
    ]
    tasks: Tasks = [partial(c, ctx, inv.regions[r], inv) for r in regions for c in per_region]
    tasks.append(partial(_s3, ctx, inv, home))
    tasks.append(partial(_budgets, ctx, inv, home))
    _run(tasks, workers, ctx.calls)
    role_names = sorted(
        {
            str(f["config"].get("Role", "")).rsplit("/", 1)[-1]
            for ri in inv.regions.values()
            for f in ri.functions
            if f["config"].get("Role")
        }
    )
    _run([partial(_role, ctx, inv, n, home) for n in role_names], workers, ctx.calls)
    ctx.calls.finish()
    return inv


def _run(tasks: Tasks, workers: int, calls: Calls) -> None:
    """Run tasks on a bounded pool. A task may return more tasks (a listing returns one per item
    to detail), which join the same pool: no worker ever waits for another."""
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="faasguard-audit") as pool:
        pending = {pool.submit(t) for t in tasks}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                exc = future.exception()
                if exc is not None:  # a collector bug: recorded, the other collectors' results stand
                    calls.internal_error("audit", f"internal error in a collector: {exc!r}")
                    continue
                more = future.result()
                if isinstance(more, list):
                    pending |= {pool.submit(t) for t in more}


def _arn(inv: Inventory, service: str, region: str, resource: str) -> str:
    return f"arn:{inv.partition}:{service}:{region}:{inv.account}:{resource}"


# --- Lambda ------------------------------------------------------------------------------------


def _lambda(ctx: AwsContext, ri: RegionInventory, inv: Inventory) -> Tasks:
    lam = ctx.client("lambda", ri.region)
    calls = ctx.calls
    where = _arn(inv, "lambda", ri.region, "function:*")
    functions = calls.items(lam.get_paginator("list_functions"), where, "Functions")
    if functions is None:
        ri.unread.add("functions")
        return []
    mappings = calls.items(lam.get_paginator("list_event_source_mappings"), where, "EventSourceMappings")
    if mappings is None:
        ri.unread.add("event_source_mappings")
    ri.event_source_mappings = mappings or []
    return [partial(_function, ctx, ri, config) for config in functions]


def _function(ctx: AwsContext, ri: RegionInventory, config: Record) -> None:
    lam = ctx.client("lambda", ri.region)
    calls = ctx.calls
    name = config["FunctionName"]
    arn = config["FunctionArn"]
    fn: Record = {"config": config, "unread": set()}
    unread: set[str] = fn["unread"]
    tags = calls.call(lam.list_tags, arn, Resource=arn)
    fn["tags"] = (tags or {}).get("Tags") or {}
    if tags is None:
        unread.add("tags")
    policy = calls.call(lam.get_policy, arn, absent=_NOT_FOUND, FunctionName=name)
    fn["policy"] = _json(policy.get("Policy")) if policy else None
    if policy is None:
        unread.add("policy")
    urls = calls.items(
        lam.get_paginator("list_function_url_configs"), arn, "FunctionUrlConfigs", FunctionName=name
    )
    if urls is None:  # an endpoint that cannot list them (an emulator): the function's own URL
        single = calls.call(lam.get_function_url_config, arn, absent=_NOT_FOUND, FunctionName=name)
        urls = [single] if single else ([] if single is not None else None)
    fn["urls"] = urls or []
    if urls is None:
        unread.add("urls")
    concurrency = calls.call(lam.get_function_concurrency, arn, absent=_NOT_FOUND, FunctionName=name)
    fn["concurrency"] = (concurrency or {}).get("ReservedConcurrentExecutions")
    if concurrency is None:
        unread.add("concurrency")
    provisioned = calls.items(
        lam.get_paginator("list_provisioned_concurrency_configs"),
        arn,
        "ProvisionedConcurrencyConfigs",
        FunctionName=name,
    )
    fn["provisioned"] = provisioned or []
    if provisioned is None:
        unread.add("provisioned")
    invoke = calls.items(
        lam.get_paginator("list_function_event_invoke_configs"),
        arn,
        "FunctionEventInvokeConfigs",
        FunctionName=name,
    )
    fn["invoke_configs"] = invoke or []
    if invoke is None:
        unread.add("invoke_configs")
    ri.functions.append(fn)


# --- API Gateway: REST -------------------------------------------------------------------------


def _rest_apis(ctx: AwsContext, ri: RegionInventory, inv: Inventory) -> Tasks:
    agw = ctx.client("apigateway", ri.region)
    calls = ctx.calls
    base = f"arn:{inv.partition}:apigateway:{ri.region}::"
    apis = calls.items(agw.get_paginator("get_rest_apis"), base + "/restapis", "items")
    if apis is None:
        ri.unread.add("rest_apis")
    plans = calls.items(agw.get_paginator("get_usage_plans"), base + "/usageplans", "items")
    ri.usage_plans = plans or []
    if plans is None:
        ri.unread.add("usage_plans")
    domains = calls.items(agw.get_paginator("get_domain_names"), base + "/domainnames", "items")
    for domain in domains or []:
        name = str(domain.get("domainName"))
        rec = _domain(ri, name, f"{base}/domainnames/{name}", "rest")
        rec["security_policy"] = domain.get("securityPolicy")
        mappings = calls.items(
            agw.get_paginator("get_base_path_mappings"),
            rec["arn"],
            "items",
            absent=_NOT_FOUND,
            domainName=name,
        )
        rec["apis"].update(str(m["restApiId"]) for m in mappings or [] if m.get("restApiId"))
    return [partial(_rest_api, ctx, ri, base, api) for api in apis or []]


def _rest_api(ctx: AwsContext, ri: RegionInventory, base: str, api: Record) -> None:
    agw = ctx.client("apigateway", ri.region)
    calls = ctx.calls
    api_id = api["id"]
    where = f"{base}/restapis/{api_id}"
    rec: Record = {"api": api, "unread": set(), "exports": {}}
    resources = calls.items(
        agw.get_paginator("get_resources"), where, "items", restApiId=api_id, embed=["methods"]
    )
    authorizers = calls.items(agw.get_paginator("get_authorizers"), where, "items", restApiId=api_id)
    stages = calls.call(agw.get_stages, where, restApiId=api_id)
    rec["resources"] = resources or []
    rec["authorizers"] = authorizers or []
    rec["stages"] = (stages or {}).get("item") or []
    for key, value in (("routes", resources), ("authorizers", authorizers), ("stages", stages)):
        if value is None:
            rec["unread"].add(key)
    for stage in rec["stages"]:
        name = stage.get("stageName")
        export = calls.call(
            agw.get_export,
            f"{where}/stages/{name}",
            absent=_NOT_FOUND,
            restApiId=api_id,
            stageName=name,
            exportType="oas30",
            accepts="application/json",
        )
        rec["exports"][name] = _json(_read_body(export.get("body"))) if export else None
    ri.rest_apis.append(rec)


def _domain(ri: RegionInventory, name: str, arn: str, family: str) -> Record:
    """A custom domain as seen by the REST ("rest") or the v2 ("v2") API; both list regional ones."""
    rec: Record = ri.domains.setdefault(
        name, {"name": name, "arn": arn, "security_policy": None, "apis": set(), "families": set()}
    )
    rec["families"].add(family)
    return rec


def _read_body(body: Any) -> str | None:
    if body is None:
        return None
    data = body.read() if hasattr(body, "read") else body
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace")
    return data if isinstance(data, str) else None


# --- API Gateway: HTTP and WebSocket -----------------------------------------------------------


def _http_apis(ctx: AwsContext, ri: RegionInventory, inv: Inventory) -> Tasks:
    v2 = ctx.client("apigatewayv2", ri.region)
    calls = ctx.calls
    base = f"arn:{inv.partition}:apigateway:{ri.region}::"
    apis = calls.items(v2.get_paginator("get_apis"), base + "/apis", "Items")
    if apis is None:
        ri.unread.add("http_apis")
    domains = calls.items(v2.get_paginator("get_domain_names"), base + "/domainnames", "Items")
    for domain in domains or []:
        name = str(domain.get("DomainName"))
        rec = _domain(ri, name, f"{base}/domainnames/{name}", "v2")
        configs = domain.get("DomainNameConfigurations") or [{}]
        rec["security_policy"] = rec["security_policy"] or configs[0].get("SecurityPolicy")
        token: str | None = None
        for _ in range(100):  # GetApiMappings has no paginator: follow NextToken, bounded
            extra: dict[str, Any] = {"NextToken": token} if token else {}
            found = calls.call(v2.get_api_mappings, rec["arn"], DomainName=name, **extra)
            rec["apis"].update(str(m["ApiId"]) for m in (found or {}).get("Items", []) if m.get("ApiId"))
            token = (found or {}).get("NextToken")
            if not token:
                break
    return [partial(_http_api, ctx, ri, base, api) for api in apis or []]


def _http_api(ctx: AwsContext, ri: RegionInventory, base: str, api: Record) -> None:
    v2 = ctx.client("apigatewayv2", ri.region)
    calls = ctx.calls
    api_id = api["ApiId"]
    where = f"{base}/apis/{api_id}"
    rec: Record = {"api": api, "unread": set()}
    routes = calls.items(v2.get_paginator("get_routes"), where, "Items", ApiId=api_id)
    integrations = calls.items(v2.get_paginator("get_integrations"), where, "Items", ApiId=api_id)
    authorizers = calls.items(v2.get_paginator("get_authorizers"), where, "Items", ApiId=api_id)
    stages = calls.items(v2.get_paginator("get_stages"), where, "Items", ApiId=api_id)
    if authorizers is None:  # an endpoint that cannot list them: those the routes name
        named = sorted({str(r["AuthorizerId"]) for r in routes or [] if r.get("AuthorizerId")})
        fetched = [calls.call(v2.get_authorizer, where, ApiId=api_id, AuthorizerId=a) for a in named]
        if all(fetched):
            authorizers = [f for f in fetched if f]
    for key, value in (
        ("routes", routes),
        ("integrations", integrations),
        ("authorizers", authorizers),
        ("stages", stages),
    ):
        rec[key] = value or []
        if value is None:
            rec["unread"].add(key)
    ri.http_apis.append(rec)


# --- IAM (global: the roles the functions run with) --------------------------------------------


def _role(ctx: AwsContext, inv: Inventory, name: str, home: str) -> None:
    iam = ctx.client("iam", home)
    calls = ctx.calls
    where = f"arn:{inv.partition}:iam::{inv.account}:role/{name}"
    found = calls.call(iam.get_role, where, RoleName=name)
    if not found:
        return
    rec: Record = {"role": found["Role"], "inline": [], "attached": [], "unread": set()}
    names = calls.items(iam.get_paginator("list_role_policies"), where, "PolicyNames", RoleName=name)
    if names is None:
        rec["unread"].add("inline")
    for policy_name in names or []:
        doc = calls.call(iam.get_role_policy, where, RoleName=name, PolicyName=policy_name)
        if doc is None:
            rec["unread"].add("inline")
            continue
        rec["inline"].append({"name": policy_name, "document": _json(doc.get("PolicyDocument"))})
    attached = calls.items(
        iam.get_paginator("list_attached_role_policies"), where, "AttachedPolicies", RoleName=name
    )
    if attached is None:
        rec["unread"].add("attached")
    for item in attached or []:
        arn = str(item.get("PolicyArn", ""))
        entry: Record = {"arn": arn, "name": item.get("PolicyName"), "document": None}
        if arn.split(":")[4:5] != ["aws"]:  # customer managed: read its default version
            policy = calls.call(iam.get_policy, arn, PolicyArn=arn)
            version = (policy or {}).get("Policy", {}).get("DefaultVersionId")
            doc = (
                calls.call(iam.get_policy_version, arn, PolicyArn=arn, VersionId=version) if version else None
            )
            entry["document"] = _json((doc or {}).get("PolicyVersion", {}).get("Document"))
            if entry["document"] is None:
                rec["unread"].add("attached")
        rec["attached"].append(entry)
    inv.roles[name] = rec


# --- S3 (global listing; each bucket audited in its own region) ---------------------------------


def _s3(ctx: AwsContext, inv: Inventory, home: str) -> Tasks:
    s3 = ctx.client("s3", home)
    calls = ctx.calls
    buckets = calls.items(s3.get_paginator("list_buckets"), f"arn:{inv.partition}:s3:::*", "Buckets")
    if buckets is None:
        for ri in inv.regions.values():
            ri.unread.add("buckets")
        return []
    return [partial(_locate_bucket, ctx, inv, home, bucket) for bucket in buckets]


def _locate_bucket(ctx: AwsContext, inv: Inventory, home: str, bucket: Record) -> None:
    s3 = ctx.client("s3", home)
    calls = ctx.calls
    name = str(bucket.get("Name", ""))
    where = f"arn:{inv.partition}:s3:::{name}"
    region = bucket.get("BucketRegion")
    if not region:
        location = calls.call(s3.get_bucket_location, where, Bucket=name)
        if location is None:
            return
        region = location.get("LocationConstraint") or "us-east-1"
    region = "eu-west-1" if region == "EU" else str(region)
    home_of = inv.regions.get(region)
    if home_of is not None:  # else: a bucket of a region not audited
        home_of.buckets.append(_bucket(ctx, calls, name, where, region))


def _bucket(ctx: AwsContext, calls: Calls, name: str, where: str, region: str) -> Record:
    rs3 = ctx.client("s3", region)
    policy = calls.call(rs3.get_bucket_policy, where, absent=("NoSuchBucketPolicy",), Bucket=name)
    pab = calls.call(
        rs3.get_public_access_block, where, absent=("NoSuchPublicAccessBlockConfiguration",), Bucket=name
    )
    ownership = calls.call(
        rs3.get_bucket_ownership_controls, where, absent=("OwnershipControlsNotFoundError",), Bucket=name
    )
    acl = calls.call(rs3.get_bucket_acl, where, Bucket=name)
    notifications = calls.call(rs3.get_bucket_notification_configuration, where, Bucket=name)
    encryption = calls.call(
        rs3.get_bucket_encryption,
        where,
        absent=("ServerSideEncryptionConfigurationNotFoundError",),
        Bucket=name,
    )
    website = calls.call(rs3.get_bucket_website, where, absent=("NoSuchWebsiteConfiguration",), Bucket=name)
    tags = calls.call(rs3.get_bucket_tagging, where, absent=("NoSuchTagSet",), Bucket=name)
    parts = {
        "policy": policy,
        "public_access_block": pab,
        "ownership": ownership,
        "acl": acl,
        "notifications": notifications,
        "encryption": encryption,
        "website": website,
        "tags": tags,
    }
    rules = (ownership or {}).get("OwnershipControls", {}).get("Rules", [])
    return {
        "name": name,
        "arn": where,
        "policy": _json(policy.get("Policy")) if policy else None,
        "public_access_block": (pab or {}).get("PublicAccessBlockConfiguration"),
        "ownership": rules[0].get("ObjectOwnership") if rules else None,
        "grants": (acl or {}).get("Grants", []),
        "notifications": notifications or {},
        "encryption": (encryption or {}).get("ServerSideEncryptionConfiguration", {}).get("Rules", []),
        "website": bool(website),
        "tags": {t["Key"]: t["Value"] for t in (tags or {}).get("TagSet", [])},
        "unread": {key for key, value in parts.items() if value is None},
    }


# --- queues, topics, tables, secrets -----------------------------------------------------------


def _sqs(ctx: AwsContext, ri: RegionInventory, inv: Inventory) -> Tasks:
    sqs = ctx.client("sqs", ri.region)
    urls = ctx.calls.items(sqs.get_paginator("list_queues"), _arn(inv, "sqs", ri.region, "*"), "QueueUrls")
    if urls is None:
        ri.unread.add("queues")
    return [partial(_queue, ctx, ri, inv, str(url)) for url in urls or []]


def _queue(ctx: AwsContext, ri: RegionInventory, inv: Inventory, url: str) -> None:
    sqs = ctx.client("sqs", ri.region)
    calls = ctx.calls
    name = str(url).rstrip("/").rsplit("/", 1)[-1]
    where = _arn(inv, "sqs", ri.region, name)
    found = calls.call(
        sqs.get_queue_attributes,
        where,
        absent=("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"),
        QueueUrl=url,
        AttributeNames=["All"],
    )
    if found:
        ri.queues.append({"name": name, "arn": where, "attributes": found.get("Attributes", {})})


def _sns(ctx: AwsContext, ri: RegionInventory, inv: Inventory) -> Tasks:
    sns = ctx.client("sns", ri.region)
    topics = ctx.calls.items(sns.get_paginator("list_topics"), _arn(inv, "sns", ri.region, "*"), "Topics")
    if topics is None:
        ri.unread.add("topics")
    return [partial(_topic, ctx, ri, topic) for topic in topics or []]


def _topic(ctx: AwsContext, ri: RegionInventory, topic: Record) -> None:
    sns = ctx.client("sns", ri.region)
    calls = ctx.calls
    arn = str(topic.get("TopicArn", ""))
    found = calls.call(sns.get_topic_attributes, arn, absent=("NotFound",), TopicArn=arn)
    if found:
        ri.topics.append({"arn": arn, "attributes": found.get("Attributes", {})})


def _dynamodb(ctx: AwsContext, ri: RegionInventory, inv: Inventory) -> Tasks:
    ddb = ctx.client("dynamodb", ri.region)
    names = ctx.calls.items(
        ddb.get_paginator("list_tables"), _arn(inv, "dynamodb", ri.region, "table/*"), "TableNames"
    )
    if names is None:
        ri.unread.add("tables")
    return [partial(_table, ctx, ri, inv, str(name)) for name in names or []]


def _table(ctx: AwsContext, ri: RegionInventory, inv: Inventory, name: str) -> None:
    ddb = ctx.client("dynamodb", ri.region)
    calls = ctx.calls
    where = _arn(inv, "dynamodb", ri.region, f"table/{name}")
    found = calls.call(ddb.describe_table, where, absent=_NOT_FOUND, TableName=name)
    if found:
        ri.tables.append(found.get("Table", {}))


def _secrets(ctx: AwsContext, ri: RegionInventory, inv: Inventory) -> Tasks:
    """Secrets Manager metadata: names, keys, resource policies. Never a secret's value."""
    sm = ctx.client("secretsmanager", ri.region)
    secrets = ctx.calls.items(
        sm.get_paginator("list_secrets"), _arn(inv, "secretsmanager", ri.region, "secret:*"), "SecretList"
    )
    if secrets is None:
        ri.unread.add("secrets")
    return [partial(_secret, ctx, ri, secret) for secret in secrets or []]


def _secret(ctx: AwsContext, ri: RegionInventory, secret: Record) -> None:
    sm = ctx.client("secretsmanager", ri.region)
    calls = ctx.calls
    arn = str(secret.get("ARN", ""))
    policy = calls.call(sm.get_resource_policy, arn, absent=_NOT_FOUND, SecretId=arn)
    ri.secrets.append(
        {
            "secret": secret,
            "policy": _json((policy or {}).get("ResourcePolicy")),
            "unread": policy is None,
        }
    )


# --- logs, alarms, trails, budgets, user pools -------------------------------------------------


def _logs(ctx: AwsContext, ri: RegionInventory, inv: Inventory) -> Tasks:
    logs = ctx.client("logs", ri.region)
    groups = ctx.calls.items(
        logs.get_paginator("describe_log_groups"), _arn(inv, "logs", ri.region, "log-group:*"), "logGroups"
    )
    ri.log_groups = groups or []
    if groups is None:
        ri.unread.add("log_groups")
    return []


def _alarms(ctx: AwsContext, ri: RegionInventory, inv: Inventory) -> Tasks:
    cw = ctx.client("cloudwatch", ri.region)
    alarms = ctx.calls.items(
        cw.get_paginator("describe_alarms"), _arn(inv, "cloudwatch", ri.region, "alarm:*"), "MetricAlarms"
    )
    ri.alarms = alarms or []
    if alarms is None:
        ri.unread.add("alarms")
    return []


def _trails(ctx: AwsContext, ri: RegionInventory, inv: Inventory) -> Tasks:
    ct = ctx.client("cloudtrail", ri.region)
    found = ctx.calls.call(
        ct.describe_trails, _arn(inv, "cloudtrail", ri.region, "trail/*"), includeShadowTrails=True
    )
    ri.trails = (found or {}).get("trailList") or []
    if found is None:
        ri.unread.add("trails")
    return []


def _budgets(ctx: AwsContext, inv: Inventory, home: str) -> None:
    budgets = ctx.client("budgets", home)
    where = f"arn:{inv.partition}:budgets::{inv.account}:budget/*"
    inv.budgets = ctx.calls.items(
        budgets.get_paginator("describe_budgets"),
        where,
        "Budgets",
        absent=("NotFoundException",),
        AccountId=inv.account,
    )


def _cognito(ctx: AwsContext, ri: RegionInventory, inv: Inventory) -> Tasks:
    idp = ctx.client("cognito-idp", ri.region)
    pools = ctx.calls.items(
        idp.get_paginator("list_user_pools"),
        _arn(inv, "cognito-idp", ri.region, "userpool/*"),
        "UserPools",
        PaginationConfig={"PageSize": 60},
    )
    if pools is None:
        ri.unread.add("user_pools")
    return [partial(_user_pool, ctx, ri, inv, item) for item in pools or []]


def _user_pool(ctx: AwsContext, ri: RegionInventory, inv: Inventory, item: Record) -> None:
    idp = ctx.client("cognito-idp", ri.region)
    calls = ctx.calls
    pool_id = str(item.get("Id", ""))
    where = _arn(inv, "cognito-idp", ri.region, f"userpool/{pool_id}")
    found = calls.call(idp.describe_user_pool, where, absent=_NOT_FOUND, UserPoolId=pool_id)
    if not found:
        return
    listed = calls.items(
        idp.get_paginator("list_user_pool_clients"),
        where,
        "UserPoolClients",
        UserPoolId=pool_id,
        PaginationConfig={"PageSize": 60},
    )
    clients: list[Record] = []
    for client in listed or []:
        detail = calls.call(
            idp.describe_user_pool_client,
            where,
            absent=_NOT_FOUND,
            UserPoolId=pool_id,
            ClientId=client.get("ClientId"),
        )
        if detail:
            clients.append(detail.get("UserPoolClient", {}))
    ri.user_pools.append({"pool": found.get("UserPool", {}), "clients": clients})


def _json(text: object) -> Any:
    """A policy document: IAM's are decoded by botocore already, the others are JSON text."""
    if text is None or isinstance(text, dict):
        return text
    if isinstance(text, str):
        try:
            return json.loads(text)
        except ValueError:
            return None
    return None
