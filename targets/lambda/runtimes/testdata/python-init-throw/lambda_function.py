"""A function whose module raises while it loads, at INIT."""


def handler(event, context):
    return {"ok": True}


raise RuntimeError("no database configured")
