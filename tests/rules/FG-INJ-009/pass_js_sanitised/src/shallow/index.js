const DEFAULTS = { theme: "light", pageSize: 20 };

exports.handler = async (event) => {
  const body = JSON.parse(event.body);
  const settings = { ...DEFAULTS, theme: body.theme };
  const copy = Object.assign({}, DEFAULTS, { pageSize: Number(body.pageSize) });
  return { statusCode: 200, body: JSON.stringify({ settings, copy }) };
};
