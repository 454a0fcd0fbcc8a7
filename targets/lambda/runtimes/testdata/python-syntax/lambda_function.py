"""A function with a syntax error, refused at INIT."""


def handler(event, context)
    return {"ok": True}
