import type { APIGatewayProxyEvent } from "aws-lambda";
import { CognitoJwtVerifier } from "aws-jwt-verify";

const verifier = CognitoJwtVerifier.create({ userPoolId: "eu-west-1_abc", tokenUse: "access", clientId: "x" });

export const handler = async (event: APIGatewayProxyEvent) => {
  const payload = await verifier.verify(event.headers.Authorization ?? "");
  return { statusCode: 200, body: payload.sub };
};
