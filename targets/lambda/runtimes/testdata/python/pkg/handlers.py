"""A Python module in a subfolder (a namespace package, no __init__.py)."""


def handler(event, context):
    return {"from": "pkg/handlers.py", "rawPath": event.get("rawPath"), "requestId": context.aws_request_id}
