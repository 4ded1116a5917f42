import { Router } from "express";
import type { Request, Response } from "express";
import path from "path";

export const router = Router();

router.get("/:file", (req: Request, res: Response) => {
  res.sendFile(path.join("/var/task/files", req.params.file));
});
router.get("/", async (req: Request, res: Response) => {
  res.download(`/tmp/${req.query.name}`);
});
