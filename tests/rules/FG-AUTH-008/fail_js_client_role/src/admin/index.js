const { deleteUser } = require("./users");

exports.handler = async (event) => {
  const body = JSON.parse(event.body);
  if (body.role === "admin") {
    await deleteUser(body.user);
  }
  if (body.isAdmin) {
    await deleteUser(body.other);
  }
  return { statusCode: 204 };
};
