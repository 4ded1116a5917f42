import strands


def clean(text):
    return strands.tidy(text)
