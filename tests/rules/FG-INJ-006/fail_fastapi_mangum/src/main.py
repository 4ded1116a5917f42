import httpx
from fastapi import FastAPI, Request
from mangum import Mangum

app = FastAPI()


@app.get("/fetch")
async def fetch(url: str, retries: int = 1):
    async with httpx.AsyncClient() as client:
        resp = await client.get(url)
    return {"status": resp.status_code, "retries": retries}


@app.post("/hook")
async def hook(request: Request):
    payload = await request.json()
    httpx.post(payload["callback"], json={"ok": True})
    return {"ok": True}


handler = Mangum(app)
