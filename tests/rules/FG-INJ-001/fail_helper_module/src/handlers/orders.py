import asyncio

from lib.images import Thumbnailer, make_thumbnail


def process_order(evt, ctx):
    params = evt.get("queryStringParameters") or {}
    image = params.get("image", "")
    make_thumbnail(image, size=64)
    Thumbnailer(params["bucket"]).resize(params["name"])
    asyncio.run(render(params["title"]))
    return {"statusCode": 200}


async def render(title):
    proc = await asyncio.create_subprocess_shell("render --title " + title)
    await proc.wait()
