import type { SQSEvent } from "aws-lambda";
import { exec } from "child_process";
import shellEscape from "shell-escape";

export async function handler(event: SQSEvent): Promise<void> {
  for (const { body } of event.Records) {
    exec("echo " + shellEscape([body]));
  }
}
