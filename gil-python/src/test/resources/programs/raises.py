def broken():
    raise ValueError("raised on purpose")
broken()
