import express, { NextFunction, Request, Response } from "express";
import serverless from "serverless-http";

const app = express();
app.get("/items", async (req: Request, res: Response) => {
  try {
    res.json(await load(String(req.query.id)));
  } catch (err) {
    res.status(500).send((err as Error).stack);
  }
});

async function load(id: string) {
  return { id };
}

export const handler = serverless(app);
