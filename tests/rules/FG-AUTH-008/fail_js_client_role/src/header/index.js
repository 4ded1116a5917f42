const ADMINS = ["root", "ops"];

exports.handler = async (event) => {
  const role = event.headers["x-user-role"] || "guest";
  if (ADMINS.includes(role)) {
    return { statusCode: 200, body: "all records" };
  }
  return { statusCode: 403 };
};
