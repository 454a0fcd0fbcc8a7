"""A Python function at the task root: see ../README.md."""

import base64
import json
import os


class OrderError(Exception):
    pass


def handler(event, context):
    body = event.get("body")
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode()
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(
            {
                "method": event["requestContext"]["http"]["method"],
                "rawPath": event.get("rawPath"),
                "rawQueryString": event.get("rawQueryString"),
                "xTest": event.get("headers", {}).get("x-test"),
                "body": body,
                "requestId": context.aws_request_id,
                "functionName": context.function_name,
                "functionVersion": context.function_version,
                "invokedFunctionArn": context.invoked_function_arn,
                "memoryLimitInMB": context.memory_limit_in_mb,
                "logGroupName": context.log_group_name,
                "logStreamName": context.log_stream_name,
                "remainingPositive": context.get_remaining_time_in_millis() > 0,
                "traceId": os.environ.get("_X_AMZN_TRACE_ID"),
            }
        ),
    }


def plain(event, context):
    return {"ok": True}


def fail(event, context):
    raise OrderError("no stock")
