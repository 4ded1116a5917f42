exports.handler = async (event) => {
  const claims = event.requestContext.authorizer.claims;
  const groups = claims["cognito:groups"] || "";
  if (groups.includes("admins")) {
    return { statusCode: 200, body: "all records" };
  }
  const body = JSON.parse(event.body || "{}");
  if (body.role === undefined) {
    return { statusCode: 400 };
  }
  return { statusCode: 403 };
};
