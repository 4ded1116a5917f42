import express, { Request, Response } from "express";
import { downloads } from "./routes";

export const app = express();
app.use("/downloads", downloads);
