import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";

export const s3 = new S3Client({});

export function documentClient() {
  return DynamoDBDocumentClient.from(new DynamoDBClient({}));
}
