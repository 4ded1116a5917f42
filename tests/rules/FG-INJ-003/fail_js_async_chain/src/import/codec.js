async function decode(body) {
  const payload = await Promise.resolve(body);
  return Buffer.from(payload, "base64").toString("utf8");
}

module.exports = { decode };
