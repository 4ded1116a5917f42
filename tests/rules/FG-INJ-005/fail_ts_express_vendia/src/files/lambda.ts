import serverlessExpress from "@vendia/serverless-express";
import { app } from "./app";

let cached: ReturnType<typeof serverlessExpress> | undefined;

export const handler = async (event: unknown, context: unknown) => {
  cached = cached ?? serverlessExpress({ app });
  return cached(event, context);
};
