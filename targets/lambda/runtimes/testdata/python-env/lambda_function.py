"""Reads Lambda's variables as it loads, as many functions do: the check
before the load must give it the same environment as a run."""

import os

REGION = os.environ["AWS_REGION"]
NAME = os.environ["AWS_LAMBDA_FUNCTION_NAME"]


def handler(event, context):
    return {"region": REGION, "name": NAME}
